import Foundation
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary

/// Turns the state's history of a period into a `ComplianceReport`.
///
/// Pure: the state is read by the caller (`StateStore.history`), so the rules
/// here are tested without SQLite. Rules: digest and log counts add up the validations
/// whose range overlaps the period (sums over runs, labelled so); findings, chains and
/// accounts are counted once each; a chain's timeline lays its coverage over the
/// ranges that were validated (validated without a digest: no-digests) and
/// calls the rest not scanned; a newer validation of a range replaces older claims
/// there, and elsewhere, where claims overlap, the more alarming wins.
public enum ComplianceReportBuilder {
    public static func build(_ history: StateHistory, period: ComplianceReport.Period, accountFilter: [String],
                             generatedAt: Date) -> ComplianceReport {
        // Reports show times to the second; a span shorter than that (chains whose scanned
        // ranges start or end milliseconds apart) would be written as an empty one.
        let period = ComplianceReport.Period(from: wholeSecond(period.from), to: wholeSecond(period.to))
        var accounts = [String: ComplianceReport.Account]()
        func update(_ id: String, _ change: (inout ComplianceReport.Account) -> Void) {
            change(&accounts[id, default: ComplianceReport.Account(accountID: id)])
        }

        let findingsByChain = Dictionary(grouping: history.findings.filter { $0.chain != nil }, by: \.chain)
        for entry in history.chains {
            var counts = ValidationTally()
            entry.results.forEach { counts.add($0.tally) }
            let chain = ComplianceReport.Chain(
                trailARN: entry.trailARN, chain: entry.chain, counts: counts, lastScanned: entry.lastRecorded,
                timeline: timeline(entry, period: period),
                findings: (findingsByChain[entry.chain] ?? []).map(finding),
                errors: entry.results.compactMap { result in result.error.map { .init(run: result.run, message: $0) } })
            update(entry.chain.accountID) { $0.chains.append(chain) }
        }
        for stored in history.findings where stored.chain == nil {
            update(stored.accountID) { $0.postureFindings.append(finding(stored)) }
        }
        for error in history.accountErrors {
            update(error.accountID) { $0.errors.append(.init(run: error.run, message: error.message)) }
        }

        let runs = history.runs.map { run in
            ComplianceReport.Run(id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, caller: run.caller,
                                 configurationSHA256: run.configurationSHA256, trailwardenVersion: run.trailwardenVersion,
                                 status: run.status, request: run.request, errors: run.errors ?? [],
                                 alarms: history.alarmOutcomes.filter { $0.run == run.id })
        }
        let ordered = accounts.values.sorted { $0.accountID < $1.accountID }.map { account in
            var account = account
            account.chains.sort { ($0.trailARN, $0.chain.sourceRegion) < ($1.trailARN, $1.chain.sourceRegion) }
            return account
        }
        var summary = summary(ordered, runs: runs, period: period)
        // The most runs any one chain was validated by: the shards of one scan each validate other chains, so they add nothing.
        summary.validationRuns = history.chains.map { Set($0.results.map(\.run)).count }.max() ?? 0
        return ComplianceReport(generatedAt: generatedAt, period: period, accountFilter: accountFilter,
                                summary: summary, accounts: ordered, runs: runs)
    }

    /// The default period: from the oldest validated range start to the newest end in `history`.
    public static func validatedPeriod(of history: StateHistory) -> ComplianceReport.Period? {
        let results = history.chains.flatMap(\.results)
        guard let from = results.map(\.rangeStart).min(), let to = results.map(\.rangeEnd).max() else { return nil }
        return ComplianceReport.Period(from: from, to: to)
    }

    static func finding(_ stored: StoredFinding) -> ComplianceReport.Finding {
        ComplianceReport.Finding(kind: stored.kind, object: stored.object, message: stored.message, firstSeen: stored.firstSeenAt,
                                 firstSeenRun: stored.firstSeenRun, lastSeen: stored.lastSeenAt, lastSeenRun: stored.lastSeenRun,
                                 status: stored.status, resolvedAt: stored.resolvedAt)
    }

    /// The period cut into spans with no holes. Runs are laid oldest first: a run that
    /// validated a range without an error is what is known of that range now, so it replaces
    /// what earlier runs said there (a `--full` rescan that no longer sees a false digest
    /// shows its hour verified); outside its range, claims meet by precedence.
    static func timeline(_ entry: StateHistory.Chain, period: ComplianceReport.Period) -> [ComplianceReport.Span] {
        func clipped(_ start: Date, _ end: Date, _ state: CoverageState) -> CoverageSpan? {
            let from = max(wholeSecond(start), period.from), to = min(wholeSecond(end), period.to)
            return from < to ? CoverageSpan(start: from, end: to, state: state) : nil
        }
        let spansByRun = Dictionary(grouping: entry.coverage, by: \.run)
        // A result that failed validated nothing: its range stays not scanned unless another covers it.
        let validated = Dictionary(entry.results.filter { $0.error == nil }.map { ($0.run, $0) }, uniquingKeysWith: { $1 })
        var claims = [CoverageSpan]()
        for run in Set(spansByRun.keys).union(validated.keys).sorted() {
            if let result = validated[run], let range = clipped(result.rangeStart, result.rangeEnd, .noDigests) {
                claims = claims.flatMap { $0.parts(outside: range) } + [range]
            }
            claims += (spansByRun[run] ?? []).compactMap { clipped($0.span.start, $0.span.end, $0.span.state) }
        }
        var spans = [ComplianceReport.Span]()
        var cursor = period.from
        for span in CoverageRecorder.flatten(claims) {
            if span.start > cursor { spans.append(.init(start: cursor, end: span.start, state: .notScanned)) }
            spans.append(.init(start: max(cursor, span.start), end: span.end, state: ComplianceReport.SpanState(span.state)))
            cursor = max(cursor, span.end)
        }
        if cursor < period.to { spans.append(.init(start: cursor, end: period.to, state: .notScanned)) }
        return spans
    }

    /// `date` without its fraction of a second.
    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    static func summary(_ accounts: [ComplianceReport.Account], runs: [ComplianceReport.Run],
                        period: ComplianceReport.Period) -> ComplianceReport.Summary {
        var summary = ComplianceReport.Summary()
        summary.accounts = accounts.count
        summary.errors = runs.map(\.errors.count).reduce(0, +)
        for account in accounts {
            summary.errors += account.errors.count
            var findings = account.postureFindings
            for chain in account.chains {
                summary.totals.addChain(chain.counts, errors: chain.errors.count)
                summary.verifiedSeconds += chain.verifiedSeconds
                summary.chainSeconds += period.duration
                findings += chain.findings
            }
            summary.findings += findings.count
            summary.openFindings += findings.filter { $0.status == .open }.count
            summary.resolvedFindings += findings.filter { $0.status == .resolved }.count
            for finding in findings { summary.findingsByCategory[finding.category.rawValue, default: 0] += 1 }
        }
        return summary
    }

}

extension CoverageSpan {
    /// What is left of the span outside `range`: nothing, one piece or two.
    func parts(outside range: CoverageSpan) -> [CoverageSpan] {
        var parts = [CoverageSpan]()
        if start < range.start { parts.append(CoverageSpan(start: start, end: min(end, range.start), state: state)) }
        if end > range.end { parts.append(CoverageSpan(start: max(start, range.end), end: end, state: state)) }
        return parts
    }
}

extension ComplianceReport.SpanState {
    init(_ state: CoverageState) {
        switch state {
        case .verified: self = .verified
        case .invalid: self = .invalid
        case .missing: self = .missing
        case .noDigests: self = .noDigests
        }
    }
}
