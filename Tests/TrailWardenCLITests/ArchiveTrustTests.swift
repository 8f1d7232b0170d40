import Foundation
import Testing
import TrailWardenCore
import TrailWardenTestSupport
import TrailWardenVocabulary

/// The file system never makes or hides a finding: symbolic links, unreadable folders, FIFOs
/// and odd names in an archive, as a hostile user would leave them.
@Suite struct ArchiveTrustTests {
    /// A small world, tampered so that its runs have findings, or intact.
    static func world(tampered: Bool = true) async throws -> SimulatedWorld {
        try await SimulatedWorld(["--accounts", tampered ? "2" : "1", "--regions", "us-east-1", "--hours", tampered ? "24" : "12",
                                  "--logs-per-digest", "1"] + (tampered ? ["--tamper", "log-modify,log-inject"] : []))
    }

    /// `validate --check-unreferenced` arguments of every chain, reading the archive at `root`.
    static func arguments(_ world: SimulatedWorld, root: URL) -> [[String]] {
        world.manifest.chains.map { chain in
            var arguments = ["validate"] + world.validateArguments(chain, start: world.manifest.start, end: world.manifest.end)
                + ["--check-unreferenced"]
            if let store = arguments.firstIndex(of: "--store") { arguments[store + 1] = "file://" + root.path }
            return arguments
        }
    }

    /// Every chain's run, as one comparable text: exit code, standard output and standard error.
    static func validate(_ world: SimulatedWorld, root: URL? = nil) async -> [String] {
        var results = [String]()
        for arguments in arguments(world, root: root ?? world.root) {
            let run = await Run(arguments)
            results.append("exit \(run.code)\n\(run.standardOutput)\n--\n\(run.standardError)")
        }
        return results
    }

    static func folder(_ world: SimulatedWorld, _ folder: KeyPath<DigestChain, String>) throws -> URL {
        let chain = try #require(world.manifest.chains.first).chain
        return world.root.appendingPathComponent(chain.bucket).appendingPathComponent(chain[keyPath: folder])
            .appendingPathComponent(CloudTrailTime.dayPath(world.manifest.start))
    }

    static func symbolicLinks(under root: URL) throws -> Int {
        Int(try Processes.run("find", [root.path, "-type", "l"]).standardOutput.split(separator: "\n").count)
    }

    @Test func anArchiveCopiedAsSymbolicLinksValidatesLikeTheOriginal() async throws {
        let world = try await Self.world()
        defer { world.remove() }
        let copy = world.root.deletingLastPathComponent().appendingPathComponent(world.root.lastPathComponent + "-links")
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(try Processes.run("cp", ["-rs", world.root.path, copy.path]).code == 0)
        #expect(try Self.symbolicLinks(under: copy) > 20)

        let original = await Self.validate(world)
        #expect(original.contains { $0.hasPrefix("exit 1\n") && $0.contains("INVALID: not referenced by any digest file") })
        #expect(await Self.validate(world, root: copy) == original)
    }

    @Test func symbolicLinkedDayFoldersKeepTheirDigestsAndLogs() async throws {
        let world = try await Self.world()
        defer { world.remove() }
        let original = await Self.validate(world)
        let elsewhere = world.root.appendingPathComponent("moved")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        for (index, folder) in [try Self.folder(world, \.digestFolder), try Self.folder(world, \.logFolder)].enumerated() {
            let target = elsewhere.appendingPathComponent("\(index)")
            try FileManager.default.moveItem(at: folder, to: target)
            try FileManager.default.createSymbolicLink(at: folder, withDestinationURL: target)
        }
        #expect(await Self.validate(world) == original)
    }

    @Test func anInjectedSymbolicLinkLogIsUnreferenced() async throws {
        let world = try await Self.world()
        defer { world.remove() }
        let logs = try Self.folder(world, \.logFolder)
        let chain = try #require(world.manifest.chains.first).chain
        let name = "\(chain.accountID)_CloudTrail_\(chain.sourceRegion)_20260101T0105Z_linkedinjection1.json.gz"
        let existing = try #require(try FileManager.default.contentsOfDirectory(atPath: logs.path).first)
        try FileManager.default.createSymbolicLink(atPath: logs.appendingPathComponent(name).path,
                                                   withDestinationPath: logs.appendingPathComponent(existing).path)
        let run = await Run(try #require(Self.arguments(world, root: world.root).first))
        #expect(run.code == 1)
        #expect(run.standardError.contains("\(name)\tINVALID: not referenced by any digest file\n"))
    }

    @Test func aFIFOInPlaceOfALogIsAnErrorAndNeverOpened() async throws {
        let world = try await Self.world(tampered: false)
        defer { world.remove() }
        let logs = try Self.folder(world, \.logFolder)
        let log = logs.appendingPathComponent(try #require(try FileManager.default.contentsOfDirectory(atPath: logs.path).sorted().first))
        try FileManager.default.removeItem(at: log)
        #expect(mkfifo(log.path, 0o644) == 0)
        // Bounded: a run that opened the FIFO would wait for a writer forever.
        let run = try Processes.run("timeout", ["300", Processes.trailwarden] + Array(try #require(Self.arguments(world, root: world.root).first)))
        #expect(run.code == 3)
        #expect(run.standardError.contains("\(log.path) is a FIFO, not a regular file; it was not read"))
        #expect(!run.standardError.contains("INVALID"))
    }

    /// Mode 000 stops only a user that is not root, so the binary runs as nobody.
    @Test(arguments: ["digests", "logs"])
    func anUnreadableFolderIsAnErrorNotADeletion(_ folder: String) async throws {
        let world = try await Self.world(tampered: false)
        defer { world.remove() }
        let day = try Self.folder(world, folder == "digests" ? \.digestFolder : \.logFolder)
        #expect(chmod(day.path, 0) == 0)
        let arguments = try #require(Self.arguments(world, root: world.root).first)
        let run = try Processes.run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Processes.trailwarden] + arguments)
        #expect(run.code == 3)
        #expect(run.standardError.contains(day.standardizedFileURL.path))
        #expect(run.standardError.contains("Permission denied"))
        #expect(!run.standardError.contains("INVALID"))
    }

    @Test func namesThatAreNotUTF8AreListedAndEveryFindingStaysOneLine() async throws {
        let world = try await Self.world()
        defer { world.remove() }
        let logs = try Self.folder(world, \.logFolder)
        let made = try Processes.run("python3", ["-c", """
            import os, sys
            folder = os.fsencode(sys.argv[1])
            for name in [b"bad\\xffname.json.gz", b"new\\nline.json.gz", b"esc\\x1bape\\\\n.json.gz"]:
                open(os.path.join(folder, name), "wb").close()
            """, logs.path])
        #expect(made.code == 0, "\(made.standardError)")
        let run = await Run(try #require(Self.arguments(world, root: world.root).first))
        #expect(run.code == 1)
        let unreferenced = run.standardError.split(separator: "\n").filter { $0.hasSuffix("\tINVALID: not referenced by any digest file") }
        let folderKey = "s3://\(try #require(world.manifest.chains.first).chain.bucket)/"
        for name in ["bad\\xffname.json.gz", "new\\nline.json.gz", "esc\\x1bape\\\\n.json.gz"] {
            #expect(unreferenced.contains { $0.hasPrefix("Log file\t\(folderKey)") && $0.contains("/\(name)\t") }, "\(name)")
        }
        #expect(!run.standardError.contains("\u{1b}"))
    }
}
