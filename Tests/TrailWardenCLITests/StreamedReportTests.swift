import Foundation
import Testing
import TrailWardenTestSupport

/// The report streamed a chain at a time writes, byte for byte, what the report built in memory
/// wrote for the same states (Tests/Support/report-history: the outputs of commit 8946189), in
/// every format, to files and to standard output, of one state, of part of it and of two merged.
@Suite struct StreamedReportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Support/report-history")
    static let part = ["--from", "2026-09-24T00:00:00Z", "--to", "2026-09-25T12:00:00Z", "--account", "100000000001", "--account", "100000000003"]

    /// The report's generation time, which differs from run to run, as the fixtures write it.
    static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: #"("generatedAt" : "|Generated |generated )\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "$1GENERATED",
                                  options: .regularExpression)
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// A folder with the fixtures' two states.
    static func states() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = repository.appendingPathComponent("scripts/lib/report_state.py").path
        for arguments in [["a.sqlite", "12", "5"], ["b.sqlite", "6", "3", "40", "6"]] {
            let made = try Processes.run("python3", [script, folder.appendingPathComponent(arguments[0]).path] + arguments.dropFirst())
            guard made.code == 0 else { throw StateNotMade(message: made.standardError) }
        }
        return folder
    }

    struct StateNotMade: Error { var message: String }

    /// (fixture's main file, states, arguments, its companions)
    static let cases: [(String, [String], [String], [String])] = [
        ("single.json", ["a"], [], []), ("single.html", ["a"], [], []), ("single.md", ["a"], [], []),
        ("single.csv", ["a"], [], ["single-chains.csv", "single-runs.csv"]), ("single.asff", ["a"], [], []), ("single.ocsf", ["a"], [], []),
        ("merged.json", ["a", "b"], [], []), ("merged.csv", ["a", "b"], [], ["merged-chains.csv", "merged-runs.csv"]),
        ("part.json", ["a"], part, []), ("part.md", ["a"], part, []),
    ]

    @Test func everyFormatWritesWhatTheReportBuiltInMemoryWrote() async throws {
        let folder = try Self.states()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (main, states, extra, companions) in Self.cases {
            let format = String(main.split(separator: ".").last ?? "")
            let stateArguments = states.flatMap { ["--state", folder.appendingPathComponent("\($0).sqlite").path] }
            let output = folder.appendingPathComponent(main)
            let written = try await trailwardenBinary(["report"] + stateArguments + extra + ["--format", format, "--output", output.path])
            #expect(written.code == 0, "\(main): \(written.standardError)")
            for name in [main] + companions {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                #expect(Self.normalized(text) == (try Self.fixture(name)), "\(name)")
            }
            // Standard output: the files one after the other, separated by a blank line.
            let printed = try await trailwardenBinary(["report"] + stateArguments + extra + ["--format", format])
            let blankLine = format == "csv" ? "\r\n" : "\n"
            #expect(Self.normalized(printed.standardOutput) == (try ([main] + companions).map(Self.fixture).joined(separator: blankLine)), "\(main) printed")
        }
    }

    /// A state that turns out unreadable halfway through its chains fails the report (exit 3) and
    /// leaves the file it was to replace as it was, with no temporary file beside it.
    @Test func aReportThatFailsMidwayWritesNothing() async throws {
        let folder = try Self.states()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("a.sqlite").path
        let corrupt = try Processes.run("python3", ["-c", """
            import sqlite3, sys; db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE chain_results SET tally = '{bad' WHERE chain_id = 9 AND run_id = 3"); db.commit()
            """, state])
        #expect(corrupt.code == 0, "\(corrupt.standardError)")
        let output = folder.appendingPathComponent("report.html")
        try Data("the previous report\n".utf8).write(to: output)
        let run = try await trailwardenBinary(["report", "--state", state, "--output", output.path])
        #expect(run.code == 3)
        #expect(run.standardError.contains("stored ValidationTally is not valid JSON"), "\(run.standardError)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "the previous report\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".trailwarden-") }
        #expect(left.isEmpty)
        let printed = try await trailwardenBinary(["report", "--state", state, "--format", "json"])
        #expect(printed.code == 3 && printed.standardOutput.isEmpty)
    }
}
