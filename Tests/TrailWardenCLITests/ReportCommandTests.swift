import Foundation
import Testing
import TrailWardenCore
import TrailWardenReports
import TrailWardenTestSupport
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// `trailwarden report` and `scan --report`, run as the real binary on the
/// state of offline archive scans: every format says what the scan found.
@Suite struct ReportCommandTests {
    struct ScanFailed: Error { var message: String }

    static let tampering = "log-modify,digest-delete,link-break"

    static func decode(_ text: String) throws -> ComplianceReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ComplianceReport.self, from: Data(text.utf8))
    }

    static func findings(_ report: ComplianceReport) -> [ComplianceReport.Finding] {
        report.accounts.flatMap { $0.postureFindings + $0.chains.flatMap(\.findings) }
    }

    static func findingSet(_ report: ComplianceReport) -> Set<String> {
        Set(findings(report).map { "\($0.kind) \($0.object)" })
    }

    /// A world scanned once: the scan's own JSON, and the report of its state.
    static func scannedWorld(accounts: Int = 3) async throws -> (ArchiveScanWorld, ScanJSON) {
        let world = try await ArchiveScanWorld(accounts: accounts, tamper: tampering)
        let scan = try await world.scan(["--format", "json"])
        guard scan.code == 1 else {
            world.remove()
            throw ScanFailed(message: "scan exited \(scan.code): \(scan.standardError)")
        }
        return (world, try ScanJSON(scan))
    }

    /// Checks that every chain's timeline cuts `period` into consecutive, non-empty spans.
    static func expectWholeTimelines(_ report: ComplianceReport, sourceLocation: SourceLocation = #_sourceLocation) {
        for chain in report.accounts.flatMap(\.chains) {
            let timeline = chain.timeline
            #expect(timeline.first?.start == report.period.from, "\(chain.chain)", sourceLocation: sourceLocation)
            #expect(timeline.last?.end == report.period.to, "\(chain.chain)", sourceLocation: sourceLocation)
            #expect(timeline.allSatisfy { $0.start < $0.end }, "\(chain.chain)", sourceLocation: sourceLocation)
            #expect(zip(timeline, timeline.dropFirst()).allSatisfy { $0.end == $1.start }, "\(chain.chain)", sourceLocation: sourceLocation)
        }
    }

    @Test func theJSONReportLinesUpWithTheScan() async throws {
        let (world, scan) = try await Self.scannedWorld()
        defer { world.remove() }
        #expect(scan.findings == world.expectedFindings)

        let run = try await world.report(["--format", "json"])
        #expect(run.code == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty)
        let report = try Self.decode(run.standardOutput)
        let summary = report.summary
        let totals = ScanJSON.Totals(accounts: summary.accounts, chains: summary.chains, validDigests: summary.validDigests,
                                     invalidDigests: summary.invalidDigests, validLogs: summary.validLogs, invalidLogs: summary.invalidLogs,
                                     findings: summary.findings, errors: summary.errors)
        #expect(totals == scan.totals)
        #expect(scan.totals.invalidDigests + scan.totals.invalidLogs > 0)
        #expect(Self.findingSet(report) == scan.findings)
        #expect(Self.findings(report).count == scan.totals.findings)
        #expect(report.runs.map(\.id) == [scan.runID])
        #expect(report.accountFilter.isEmpty)

        // Every chain's timeline covers the period without holes; the tampered chains show it.
        Self.expectWholeTimelines(report)
        let chains = report.accounts.flatMap(\.chains)
        #expect(chains.count == world.manifest.chains.count)
        for worldChain in world.manifest.chains {
            let chain = try #require(chains.first { $0.chain == worldChain.chain })
            let states = Set(chain.timeline.map(\.state))
            let tampered = !worldChain.expectedFindings.isEmpty
            #expect(states.contains(.verified), "\(worldChain.chain)")
            #expect(!states.isDisjoint(with: [.invalid, .missing]) == tampered, "\(worldChain.chain): \(states)")
            #expect(Set(chain.findings.map { "\($0.kind) \($0.object)" }) == Set(worldChain.expectedFindings.map { "\($0.kind) \($0.object)" }))
        }
        #expect(world.manifest.chains.contains { $0.expectedFindings.isEmpty }, "the world should keep one chain intact, for contrast")
        let kinds = world.manifest.chains.flatMap(\.expectedFindings).map(\.tamper)
        let allStates = Set(chains.flatMap(\.timeline).map(\.state))
        if kinds.contains(.logModify) || kinds.contains(.digestDelete) { #expect(allStates.contains(.invalid)) }
    }

    @Test func csvMarkdownAndHTMLSayWhatTheJSONSays() async throws {
        let (world, _) = try await Self.scannedWorld()
        defer { world.remove() }
        let json = try Self.decode(try await world.report(["--format", "json"]).standardOutput)
        let jsonFindings = Self.findings(json)
        let chains = json.accounts.flatMap(\.chains)
        try #require(!jsonFindings.isEmpty)

        // CSV: one row per finding, and one per chain in the companion file.
        let csv = world.folder.appendingPathComponent("report.csv")
        let csvRun = try await world.report(["--output", csv.path])
        #expect(csvRun.code == 0, "\(csvRun.standardError)")
        #expect(csvRun.standardOutput.isEmpty && csvRun.standardError.isEmpty)
        let findingRecords = try StrictCSVParser.parse(try String(contentsOf: csv, encoding: .utf8))
        let findingHeader = try #require(findingRecords.first)
        let kind = try #require(findingHeader.firstIndex(of: "kind")), object = try #require(findingHeader.firstIndex(of: "object"))
        let findingRows = findingRecords.dropFirst()
        #expect(findingRows.count == jsonFindings.count)
        #expect(findingRows.allSatisfy { $0.count == findingHeader.count })
        #expect(Set(findingRows.map { "\($0[kind]) \(Self.undefused($0[object]))" }) == Self.findingSet(json))

        let chainsFile = world.folder.appendingPathComponent("report-chains.csv")
        let chainRecords = try StrictCSVParser.parse(try String(contentsOf: chainsFile, encoding: .utf8))
        let chainHeader = try #require(chainRecords.first)
        let account = try #require(chainHeader.firstIndex(of: "account_id")), trail = try #require(chainHeader.firstIndex(of: "trail_arn"))
        let region = try #require(chainHeader.firstIndex(of: "source_region"))
        let chainRows = chainRecords.dropFirst()
        #expect(chainRows.count == chains.count)
        #expect(chainRows.allSatisfy { $0.count == chainHeader.count })
        #expect(Set(chainRows.map { "\($0[account]) \($0[trail]) \($0[region])" })
                == Set(chains.map { "\($0.chain.accountID) \($0.trailARN) \($0.chain.sourceRegion)" }))

        // Markdown on standard output: every finding's object, in well-formed tables.
        let markdown = try await world.report(["--format", "md"])
        #expect(markdown.code == 0, "\(markdown.standardError)")
        let readable = Self.markdownUnescaped(markdown.standardOutput)
        for finding in jsonFindings { #expect(readable.contains(finding.object), "\(finding.object)") }
        Self.expectWellFormedTables(markdown.standardOutput)

        // HTML: loads in a real browser without a console message, with one timeline per chain.
        let html = world.folder.appendingPathComponent("report.html")
        let htmlRun = try await world.report(["--output", html.path])
        #expect(htmlRun.code == 0, "\(htmlRun.standardError)")
        let page = try HeadlessBrowser.locate().load(html)
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")
        #expect(page.dom.components(separatedBy: "<svg class=\"timeline\"").count - 1 == chains.count)
    }

    @Test func accountAndPeriodLimitTheReport() async throws {
        let (world, _) = try await Self.scannedWorld()
        defer { world.remove() }
        let all = try Self.decode(try await world.report(["--format", "json"]).standardOutput)

        let account = try #require(world.manifest.chains.first { !$0.expectedFindings.isEmpty }?.chain.accountID)
        let one = try await world.report(["--format", "json", "--account", account])
        #expect(one.code == 0, "\(one.standardError)")
        let limited = try Self.decode(one.standardOutput)
        #expect(limited.accountFilter == [account])
        #expect(limited.accounts.map(\.accountID) == [account])
        #expect(limited.summary.chains == world.manifest.chains.filter { $0.chain.accountID == account }.count)
        #expect(Self.findingSet(limited) == Set(world.manifest.chains.filter { $0.chain.accountID == account }
                                                      .flatMap(\.expectedFindings).map { "\($0.kind) \($0.object)" }))
        #expect(limited.summary.findings < all.summary.findings)

        // A period inside the scanned one: the timelines cover exactly it.
        let from = all.period.from.addingTimeInterval(3600), to = all.period.from.addingTimeInterval(5 * 3600)
        let inside = try await world.report(["--format", "json", "--from", CloudTrailTime.display(from), "--to", CloudTrailTime.display(to)])
        #expect(inside.code == 0, "\(inside.standardError)")
        let period = try Self.decode(inside.standardOutput)
        #expect(period.period == ComplianceReport.Period(from: from, to: to))
        #expect(period.summary.chains == all.summary.chains)
        Self.expectWholeTimelines(period)

        // A period before anything was scanned: every chain, never validated there.
        let early = all.period.from.addingTimeInterval(-30 * 86400)
        let before = try await world.report(["--format", "json", "--from", CloudTrailTime.display(early),
                                             "--to", CloudTrailTime.display(early.addingTimeInterval(86400))])
        #expect(before.code == 0, "\(before.standardError)")
        let nothing = try Self.decode(before.standardOutput)
        let unscanned = nothing.accounts.flatMap(\.chains)
        #expect(unscanned.count == world.manifest.chains.count)
        for chain in unscanned {
            #expect(chain.timeline.map(\.state) == [.notScanned], "\(chain.chain)")
            #expect(chain.counts == ValidationTally(), "\(chain.chain)")
            #expect(chain.findings.isEmpty)
        }
        #expect(nothing.summary.validDigests == 0 && nothing.summary.findings == 0 && nothing.summary.verifiedSeconds == 0)
        #expect(nothing.summary.coverage == 0)
        Self.expectWholeTimelines(nothing)

        // One end only, past everything validated: the default other end would come first.
        let late = CloudTrailTime.display(all.period.to.addingTimeInterval(86400))
        try await expectUsageError(["report", "--state", world.state, "--format", "json", "--from", late],
                                   "--from \(late): nothing was validated after it; give --to as well")
        let old = CloudTrailTime.display(early)
        try await expectUsageError(["report", "--state", world.state, "--format", "json", "--to", old],
                                   "--to \(old): nothing was validated before it; give --from as well")
    }

    func expectUsageError(_ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let run = try await trailwardenBinary(arguments)
        #expect(run.code == 2, sourceLocation: sourceLocation)
        #expect(run.standardError == "trailwarden report: error: " + message + "\n", sourceLocation: sourceLocation)
        #expect(run.standardOutput.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func usageErrorsAreOneLineAndCreateNothing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-report-usage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("missing.sqlite").path
        let output = folder.appendingPathComponent("out.txt").path

        try await expectUsageError(["report", "--format", "json"], "missing required option --state")
        try await expectUsageError(["report", "--state", state, "--format", "json"], "--state \(state): no such state file")
        try await expectUsageError(["report", "--state", state, "--format", "xml"], "--format must be json, csv, html, md, asff or ocsf, not \"xml\"")
        try await expectUsageError(["report", "--state", state, "--output", output],
                                   "--format is required (json, csv, html, md, asff or ocsf) unless --output ends in .json, .csv, .html, .md, .asff.json or .ocsf.jsonl")
        try await expectUsageError(["report", "--state", state, "--format", "json", "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-01T00:00:00Z"],
                                   "--from must be before --to")
        try await expectUsageError(["report", "--state", state, "--format", "json", "--account", "12345"], "--account 12345: an account ID is 12 digits")
        #expect(!FileManager.default.fileExists(atPath: state), "a usage error created the state file")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func scanWritesItsOwnReportInTheFormatOfTheExtension() async throws {
        let world = try await ArchiveScanWorld(tamper: Self.tampering)
        defer { world.remove() }
        let markdown = world.folder.appendingPathComponent("first.md")
        let first = try await world.scan(["--report", markdown.path])
        #expect(first.code == 1, "\(first.standardError)")
        let text = try String(contentsOf: markdown, encoding: .utf8)
        let readable = Self.markdownUnescaped(text)
        let objects = world.manifest.chains.flatMap(\.expectedFindings).map(\.object)
        try #require(!objects.isEmpty)
        for object in objects { #expect(readable.contains(object), "\(object)") }
        Self.expectWellFormedTables(text)

        // The second scan finds nothing new: its report has its own run, every chain, and none of the first run's findings.
        let html = world.folder.appendingPathComponent("second.html")
        let second = try await world.scan(["--report", html.path])
        // The first run's findings are still open: exit code 1 (docs/scan.md#exit-codes).
        #expect(second.code == 1, "\(second.standardError)")
        let page = try HeadlessBrowser.locate().load(html)
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")
        #expect(page.dom.components(separatedBy: "<svg class=\"timeline\"").count - 1 == world.manifest.chains.count)
        let htmlText = try String(contentsOf: html, encoding: .utf8)
        for object in objects { #expect(!htmlText.contains(object), "\(object)") }
        let all = try Self.decode(try await world.report(["--format", "json"]).standardOutput)
        #expect(all.runs.count == 2)
    }

    @Test func anUnknownReportExtensionIsAUsageErrorBeforeScanning() async throws {
        let world = try await ArchiveScanWorld(tamper: Self.tampering)
        defer { world.remove() }
        let report = world.folder.appendingPathComponent("out.xyz").path
        let message = "trailwarden scan: error: --report \(report): the name must end in .json, .csv, .html, .md or .txt\n"

        let refused = try await world.scan(["--report", report])
        #expect(refused.code == 2)
        #expect(refused.standardError == message)
        #expect(refused.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: world.state), "the refused scan created the state")
        #expect(!FileManager.default.fileExists(atPath: report))

        // Other usage errors of scan create no state either.
        let keyless = try await trailwardenBinary(["scan", "--config", world.config.path, "--store", "file://" + world.world.root.path, "--quiet"])
        #expect(keyless.code == 2)
        #expect(keyless.standardError == "trailwarden scan: error: --public-keys is required with --store\n")
        #expect(!FileManager.default.fileExists(atPath: world.state), "the refused scan created the state")

        // With a state that has a run, the refused scan adds none.
        #expect(try await world.scan().code == 1)
        let again = try await world.scan(["--report", report])
        #expect(again.code == 2 && again.standardError == message)
        let runs = try Self.decode(try await world.report(["--format", "json"]).standardOutput).runs
        #expect(runs.count == 1)
    }

    // MARK: - Reading renderings back

    /// Undoes the apostrophe the CSV renderer puts before fields a spreadsheet would take for formulas.
    static func undefused(_ field: String) -> String {
        guard field.hasPrefix("'"), let second = field.unicodeScalars.dropFirst().first,
              ["=", "+", "-", "@", "\t", "\r"].contains(second) else { return field }
        return String(field.dropFirst())
    }

    /// The text a Markdown reader shows for backslash escapes of ASCII punctuation (CommonMark).
    static func markdownUnescaped(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                if !(character.isASCII && character.isPunctuation || character.isASCII && character.isSymbol) { result.append("\\") }
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }

    /// Every block of lines starting with `|` is a GitHub table: a header, a
    /// delimiter row, and rows of the header's width, each between outer pipes.
    static func expectWellFormedTables(_ markdown: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tables = MarkdownTables.tables(markdown)
        #expect(!tables.isEmpty, "no table", sourceLocation: sourceLocation)
        for table in tables {
            guard table.count >= 2 else {
                Issue.record("a table without a delimiter row: \(table)", sourceLocation: sourceLocation)
                continue
            }
            let width = MarkdownTables.cells(table[0]).count
            for row in table {
                #expect(MarkdownTables.cells(row).count == width, "\(row)", sourceLocation: sourceLocation)
                #expect(row.hasPrefix("| ") && row.hasSuffix(" |"), "\(row)", sourceLocation: sourceLocation)
            }
            let delimiter = MarkdownTables.cells(table[1])
            #expect(delimiter.allSatisfy { $0.trimmingCharacters(in: .whitespaces).wholeMatch(of: /:?-{3,}:?/) != nil }, "\(table[1])",
                    sourceLocation: sourceLocation)
        }
    }
}
