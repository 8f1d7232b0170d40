import Foundation
import TrailWardenAWS
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage

/// `trailwarden simulate`: builds a signed, optionally tampered CloudTrail
/// world, with its public keys and the findings a correct validator must report.
enum SimulateCommand: Command {
    static let name = "simulate"
    static let summary = "Build a signed CloudTrail world, optionally tampered, with the findings it must produce."
    static let options: [OptionSpec] = AWSSession.globalOptions + [
        .single("out", "URL", "Where to write the world (required): file:///ROOT, empty or new; or s3://BUCKET[/PREFIX], where the manifest and keys go while objects go to their own buckets, created as needed."),
        .single("accounts", "N", "How many accounts (default: 3)."),
        .single("regions", "R1,R2", "Source regions; the first is the trails' home (default: us-east-1,eu-west-1)."),
        .single("hours", "H", "Hours of hourly digests per chain, 12 or more (default: 48)."),
        .single("logs-per-digest", "L", "Log files per digest, outside the empty hours (default: 20)."),
        .single("large-accounts", "K", "Make the last K accounts large, for a skewed organization: --large-factor times the log files per digest (default: 0)."),
        .single("large-factor", "F", "With --large-accounts, how many times --logs-per-digest a large account's chains have, 2 to 1000 (default: 10)."),
        .single("org-id", "O", "Write one organization trail for every account instead of a trail per account."),
        .flag("account-trails", "With --org-id, give every account a trail of its own as well."),
        .repeating("tamper", "KIND,...", "Tampering to apply, or \"all\": " + TamperKind.allCases.map(\.rawValue).joined(separator: ", ") + "."),
        .single("seed", "S", "Random seed; the same seed builds the same world (default: 1)."),
        .single("start", "TIME", "When the first digest period begins (default: 2026-01-01T00:00:00Z)."),
        .single("first-account", "ID", "The first account's 12-digit id; the others follow 111111 apart (default: 100000000001)."),
        AWSSession.endpointOption,
        AWSSession.maxRequestsOption,
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let out = try arguments.required("out")
        let spec = try spec(arguments)
        let world: World
        let place: String
        if let (bucket, prefix) = try StoreURL.s3(out, option: "out") {
            let session = try AWSSession(arguments, fallbackRegion: spec.regions[0])
            let store = S3ObjectStore(client: S3Client(transport: session.transport, region: session.region))
            world = try WorldFiles.build(spec)
            try await world.write(to: store, concurrency: 16)
            try await store.put(ObjectLocation(bucket: bucket, key: prefix + WorldManifest.publicKeysFileName), body: [UInt8](world.publicKeysJSON), metadata: [:])
            try await store.put(ObjectLocation(bucket: bucket, key: prefix + WorldManifest.fileName), body: [UInt8](try world.manifest.encoded()), metadata: [:])
            place = "s3://\(bucket)/\(prefix)"
        } else {
            let root = try StoreURL.localRoot(out, option: "out")
            if let contents = try? FileManager.default.contentsOfDirectory(atPath: root.path), !contents.isEmpty {
                throw UsageError("--out \(root.path) is not empty; simulate into a new or empty folder")
            }
            world = try WorldFiles.build(spec)
            try await WorldFiles.write(world, to: root)
            place = root.path + "/"
        }
        let digests = world.objects.keys.filter { $0.key.contains("/CloudTrail-Digest/") }.count
        output.out("Simulated \(world.manifest.chains.count) chains (\(digests) digest files, \(world.objects.count - digests) log files)\n")
        output.out("Public keys: \(place)\(WorldManifest.publicKeysFileName)\n")
        output.out("Chains and expected findings: \(place)\(WorldManifest.fileName)\n")
        return .intact
    }

    static func spec(_ arguments: ParsedArguments) throws -> WorldSpec {
        var spec = WorldSpec()
        spec.accounts = try arguments.integer("accounts", default: spec.accounts, range: 1...1000)
        if let regions = arguments.value("regions") {
            spec.regions = regions.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        spec.hours = try arguments.integer("hours", default: spec.hours, range: 12...8784)
        spec.logsPerDigest = try arguments.integer("logs-per-digest", default: spec.logsPerDigest, range: 0...10_000)
        spec.largeAccounts = try arguments.integer("large-accounts", default: 0, range: 0...spec.accounts)
        if arguments.value("large-factor") != nil, spec.largeAccounts == 0 { throw UsageError("--large-factor goes with --large-accounts") }
        if spec.largeAccounts > 0 { spec.largeFactor = try arguments.integer("large-factor", default: 10, range: 2...1000) }
        spec.organizationID = arguments.value("org-id")
        spec.accountTrails = arguments.has("account-trails")
        if spec.accountTrails, spec.organizationID == nil { throw UsageError("--account-trails goes with --org-id") }
        if let seed = arguments.value("seed") {
            guard let value = UInt64(seed) else { throw UsageError("--seed must be a whole number, not \"\(seed)\"") }
            spec.seed = value
        }
        if let start = try arguments.time("start") { spec.start = start }
        if let first = arguments.value("first-account") {
            guard first.count == 12, first.allSatisfy(\.isNumber), let value = UInt64(first) else {
                throw UsageError("--first-account must be a 12-digit account id, not \"\(first)\"")
            }
            spec.firstAccount = value
        }
        spec.tampers = try tampers(arguments.all("tamper"))
        if let problem = spec.validationErrors().first { throw UsageError(problem) }
        return spec
    }

    static func tampers(_ values: [String]) throws(UsageError) -> [TamperKind] {
        var kinds = [TamperKind]()
        for name in values.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if name == "all" {
                kinds += TamperKind.allCases
            } else if let kind = TamperKind(rawValue: name) {
                kinds.append(kind)
            } else {
                throw UsageError("--tamper: unknown kind \"\(name)\"; known: all, " + TamperKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        var seen = Set<TamperKind>()
        return kinds.filter { seen.insert($0).inserted }
    }
}
