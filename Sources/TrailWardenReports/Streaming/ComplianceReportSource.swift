import Foundation
import TrailWardenState

/// A compliance report as it is read from one state or from the states of a sharded scan,
/// a chain at a time: what the report says before its chains (the period, the runs) is read
/// first, each account and chain is read, turned into its part of the report, handed on and
/// dropped, and the summary is added up on the way. So the memory a report takes grows with
/// its chains and runs, never with their rows (docs/performance.md, "Reports from a long history").
///
/// Several states merge into one report: each shard's history is its own accounts' (every
/// chain is in exactly one shard), so the merged report reads each chain from its state, with
/// the runs numbered anew across the states (`RunNumbering`).
public struct ComplianceReportSource: Sendable {
    private let readers: [any HistoryReader]
    private let outlines: [StateHistory.Outline]
    private let numbering: RunNumbering
    private let query: StateHistory.Query
    /// The report without accounts: period, filter and runs, and the summary's run errors.
    public private(set) var head: ComplianceReport

    /// Reads the outlines of `query` from `readers`; `unreportedShards` are named as failed runs.
    public static func open(_ readers: [any HistoryReader], query: StateHistory.Query, generatedAt: Date,
                            unreportedShards: [ComplianceReport.UnreportedShard] = []) async throws -> ComplianceReportSource {
        var outlines = [StateHistory.Outline]()
        for reader in readers { outlines.append(try await reader.outline(query)) }
        return ComplianceReportSource(readers: readers, outlines: outlines, query: query, generatedAt: generatedAt, unreportedShards: unreportedShards)
    }

    private init(readers: [any HistoryReader], outlines: [StateHistory.Outline], query: StateHistory.Query, generatedAt: Date,
                 unreportedShards: [ComplianceReport.UnreportedShard]) {
        self.readers = readers
        self.outlines = outlines
        self.query = query
        let numbering = RunNumbering(outlines.map(\.runs))
        self.numbering = numbering
        var runs = [(startedAt: Date, part: Int, id: Int64, run: ComplianceReport.Run)]()
        var placeOfRun = [Int64: Int]()
        for (part, outline) in outlines.enumerated() {
            for summary in outline.runs {
                var run = ComplianceReportBuilder.run(summary, alarms: outline.alarmOutcomes.filter { $0.run == summary.id })
                run.id = numbering(part, run.id)
                run.alarms = run.alarms.map { var alarm = $0; alarm.run = run.id; return alarm }
                // A run several states hold is listed once, with each target's outcome once.
                if let place = placeOfRun[run.id] {
                    let targets = Set(runs[place].run.alarms.map(\.target))
                    runs[place].run.alarms += run.alarms.filter { !targets.contains($0.target) }
                    continue
                }
                placeOfRun[run.id] = runs.count
                runs.append((summary.startedAt, part, run.id, run))
            }
        }
        if outlines.count > 1 { runs.sort { $0.id < $1.id } }
        // Reports show times to the second; a span shorter than that (chains whose scanned
        // ranges start or end milliseconds apart) would be written as an empty one.
        let period = ComplianceReport.Period(from: ComplianceReportBuilder.wholeSecond(query.from), to: ComplianceReportBuilder.wholeSecond(query.to))
        var head = ComplianceReport(generatedAt: generatedAt, period: period, accountFilter: query.accounts.sorted(),
                                    summary: .init(), accounts: [], runs: runs.map(\.run))
        head.summary.errors = head.runs.map(\.errors.count).reduce(0, +)
        for gap in unreportedShards {
            head.name(unreportedShard: gap.shard, request: gap.request, reason: gap.reason, at: generatedAt)
        }
        self.head = head
    }

    /// Streams the report into `format`'s renderer, writing what grows with the chains to `spool`.
    public func write(as format: ReportFormat, to spool: any ReportSpool) async throws -> ReportLayout {
        let writer = renderer(format, head: head, spool: spool)
        return try writer.finish(try await read(into: writer))
    }

    /// The whole report in memory (tests, and small reports).
    public func report() async throws -> ComplianceReport {
        let collector = ReportCollector()
        var report = try await read(into: collector)
        report.accounts = collector.accounts
        return report
    }

    /// Hands each account and chain, in report order, to `consumer`; returns the head with its summary.
    func read(into consumer: some ReportConsumer) async throws -> ComplianceReport {
        var frame = head
        var chainsByAccount = [String: [(part: Int, entry: StateHistory.ChainEntry)]]()
        for (part, outline) in outlines.enumerated() {
            for entry in outline.chains { chainsByAccount[entry.chain.accountID, default: []].append((part, entry)) }
        }
        let accountSets = outlines.map { Set($0.accounts) }
        for accountID in Set(outlines.flatMap(\.accounts)).sorted() {
            var account = ComplianceReport.Account(accountID: accountID)
            for part in readers.indices where accountSets[part].contains(accountID) {
                let own = ComplianceReportBuilder.account(accountID, try await readers[part].account(accountID, runs: outlines[part].runs))
                account.postureFindings += own.postureFindings.map { renumbered($0, part) }
                account.errors += own.errors.map { .init(run: numbering(part, $0.run), message: $0.message) }
            }
            frame.summary.add(account)
            try consumer.begin(account)
            let chains = (chainsByAccount.removeValue(forKey: accountID) ?? []).sorted {
                ($0.entry.trailARN, $0.entry.chain.sourceRegion, $0.part, $0.entry.id) < ($1.entry.trailARN, $1.entry.chain.sourceRegion, $1.part, $1.entry.id)
            }
            for (part, entry) in chains {
                let rows = renumbered(try await readers[part].chain(entry, query), part)
                let chain = ComplianceReportBuilder.chain(rows, period: frame.period)
                frame.summary.add(chain, period: frame.period)
                // The most runs any one chain was validated by: the shards of one scan each validate other chains, so they add nothing.
                frame.summary.validationRuns = max(frame.summary.validationRuns, Set(rows.results.map(\.run)).count)
                try consumer.add(chain, of: account)
            }
            try consumer.end(account)
        }
        return frame
    }

    private func renumbered(_ finding: ComplianceReport.Finding, _ part: Int) -> ComplianceReport.Finding {
        var finding = finding
        finding.firstSeenRun = numbering(part, finding.firstSeenRun)
        finding.lastSeenRun = numbering(part, finding.lastSeenRun)
        return finding
    }

    private func renumbered(_ chain: StateHistory.Chain, _ part: Int) -> StateHistory.Chain {
        var chain = chain
        chain.results = chain.results.map { var result = $0; result.run = numbering(part, result.run); return result }
        chain.coverage = chain.coverage.map { var claim = $0; claim.run = numbering(part, claim.run); return claim }
        chain.findings = chain.findings.map { var finding = $0; finding.firstSeenRun = numbering(part, finding.firstSeenRun)
            finding.lastSeenRun = numbering(part, finding.lastSeenRun); return finding }
        return chain
    }
}
