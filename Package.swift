// swift-tools-version:6.0
import PackageDescription

/// TrailWarden: organization-wide CloudTrail log file integrity validation.
///
/// No third-party packages: Foundation plus system C libraries reached through
/// system-library targets. Each library target has one job; see docs/architecture.md.
let package = Package(
    name: "TrailWarden",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trailwarden", targets: ["trailwarden"]),
    ],
    targets: [
        // System libraries (Debian: libssl-dev, zlib1g-dev, libsqlite3-dev, libcurl4-openssl-dev).
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Safe Swift wrappers over C: hashing, RSA, gzip.
        .target(name: "TrailWardenCrypto", dependencies: ["CLibCrypto"]),
        .target(name: "TrailWardenGzip", dependencies: ["CZlib"]),

        // Words every layer shares (the body consumer, CloudTrail and AWS times, finding kinds, their
        // severities and stable ids); only the hashing of TrailWardenCrypto, for those ids.
        .target(name: "TrailWardenVocabulary", dependencies: ["TrailWardenCrypto"]),

        // Findings in the formats other systems hold: ASFF (Security Hub), OCSF, EventBridge events.
        .target(name: "TrailWardenExports", dependencies: ["TrailWardenVocabulary"]),

        // Where objects live: the store protocol and the local-directory store.
        .target(name: "TrailWardenStorage", dependencies: ["TrailWardenVocabulary"]),

        // HTTP over libcurl: pooled connections, streamed bodies, one cap on requests in flight.
        .target(name: "TrailWardenHTTP", dependencies: ["CCurl", "TrailWardenVocabulary"]),

        // AWS without an SDK: SigV4, credentials, and the few service calls TrailWarden makes.
        // Knows nothing of digests.
        .target(name: "TrailWardenAWS", dependencies: ["TrailWardenHTTP", "TrailWardenCrypto", "TrailWardenStorage", "TrailWardenVocabulary"]),

        // The pure digest-chain validation engine: no HTTP, no SQLite.
        .target(name: "TrailWardenCore", dependencies: ["TrailWardenCrypto", "TrailWardenGzip", "TrailWardenStorage", "TrailWardenVocabulary"]),

        // Scan state in SQLite: checkpoints, findings history, runs. The schema lives only in migrations/.
        .target(name: "TrailWardenState", dependencies: ["CSQLite", "TrailWardenCore", "TrailWardenVocabulary"], plugins: ["EmbedMigrations"]),
        // Build time only: migrations/*.sql become generated Swift inside TrailWardenState.
        .executableTarget(name: "EmbedMigrationsTool"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["EmbedMigrationsTool"]),

        // The organization scan: configuration, role assumption, discovery, scheduling, reports.
        .target(name: "TrailWardenScan", dependencies: ["TrailWardenCore", "TrailWardenAWS", "TrailWardenCrypto", "TrailWardenStorage", "TrailWardenState", "TrailWardenAlarms", "TrailWardenVocabulary"]),

        // Compliance reports from the state history: one model, rendered as JSON, CSV, HTML and Markdown, its findings exported as ASFF and OCSF.
        .target(name: "TrailWardenReports", dependencies: ["TrailWardenCore", "TrailWardenState", "TrailWardenExports", "TrailWardenVocabulary"]),

        // Alarm sinks: SNS, CloudWatch metrics, webhooks, Security Hub and EventBridge. Knows nothing of digests or the state.
        .target(name: "TrailWardenAlarms", dependencies: ["TrailWardenAWS", "TrailWardenHTTP", "TrailWardenCrypto", "TrailWardenExports", "TrailWardenVocabulary"]),

        // Signed, tampered test worlds for tests, demos and benchmarks.
        .target(name: "TrailWardenSimulation", dependencies: ["TrailWardenCore", "TrailWardenCrypto", "TrailWardenGzip", "TrailWardenStorage", "TrailWardenVocabulary"]),

        // Commands, argument parsing and output rendering.
        .target(name: "TrailWardenCLI", dependencies: ["TrailWardenCore", "TrailWardenStorage", "TrailWardenSimulation", "TrailWardenAWS", "TrailWardenHTTP", "TrailWardenScan", "TrailWardenReports", "TrailWardenAlarms", "TrailWardenState", "TrailWardenVocabulary"]),
        .executableTarget(name: "trailwarden", dependencies: ["TrailWardenCLI"]),

        // Shared by test targets: child processes, the moto emulator, the HTTP test server and whole-listing reads.
        .target(name: "TrailWardenTestSupport", dependencies: ["TrailWardenAWS", "TrailWardenHTTP", "TrailWardenStorage"], path: "Tests/TrailWardenTestSupport"),
        .testTarget(name: "TrailWardenCryptoTests", dependencies: ["TrailWardenCrypto"]),
        .testTarget(name: "TrailWardenGzipTests", dependencies: ["TrailWardenGzip", "TrailWardenCrypto"]),
        .testTarget(name: "TrailWardenHTTPTests", dependencies: ["TrailWardenHTTP", "TrailWardenVocabulary", "TrailWardenTestSupport"]),
        .testTarget(name: "TrailWardenAWSTests", dependencies: ["TrailWardenAWS", "TrailWardenHTTP", "TrailWardenCrypto", "TrailWardenStorage", "TrailWardenVocabulary", "TrailWardenTestSupport"]),
        .testTarget(name: "TrailWardenStateTests", dependencies: ["TrailWardenState", "TrailWardenCore", "TrailWardenVocabulary"]),
        .testTarget(name: "TrailWardenScanTests", dependencies: ["TrailWardenScan", "TrailWardenVocabulary", "TrailWardenAlarms", "TrailWardenCore", "TrailWardenAWS", "TrailWardenHTTP", "TrailWardenState", "TrailWardenCrypto", "TrailWardenGzip", "TrailWardenSimulation", "TrailWardenStorage", "TrailWardenTestSupport"]),
        .testTarget(name: "TrailWardenReportsTests", dependencies: ["TrailWardenReports", "TrailWardenVocabulary", "TrailWardenCore", "TrailWardenState", "TrailWardenTestSupport"]),
        .testTarget(name: "TrailWardenAlarmsTests", dependencies: ["TrailWardenAlarms", "TrailWardenExports", "TrailWardenCore", "TrailWardenAWS", "TrailWardenHTTP", "TrailWardenTestSupport", "TrailWardenVocabulary"]),
        .testTarget(name: "TrailWardenStorageTests", dependencies: ["TrailWardenStorage", "TrailWardenVocabulary", "TrailWardenTestSupport"]),
        .testTarget(name: "TrailWardenVocabularyTests", dependencies: ["TrailWardenVocabulary"]),
        .testTarget(name: "TrailWardenExportsTests", dependencies: ["TrailWardenExports", "TrailWardenVocabulary", "TrailWardenCrypto"]),
        .testTarget(name: "TrailWardenCoreTests", dependencies: ["TrailWardenCore", "TrailWardenSimulation", "TrailWardenStorage", "TrailWardenCrypto", "TrailWardenGzip", "TrailWardenVocabulary"]),
        // A bounded, seeded mutation fuzzer over every parser of untrusted text (scripts/fuzz runs it longer).
        .testTarget(name: "TrailWardenFuzzTests", dependencies: ["TrailWardenCore", "TrailWardenGzip", "TrailWardenScan", "TrailWardenAWS", "TrailWardenSimulation"]),
        .testTarget(name: "TrailWardenCLITests", dependencies: ["TrailWardenCLI", "TrailWardenReports", "TrailWardenAlarms", "TrailWardenSimulation", "TrailWardenCore", "TrailWardenStorage", "TrailWardenAWS", "TrailWardenHTTP", "TrailWardenTestSupport", "TrailWardenVocabulary"]),
    ],
    swiftLanguageModes: [.v6]
)
