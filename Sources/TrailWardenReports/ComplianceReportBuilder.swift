import Foundation
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary

/// Turns the state's history of a period into the parts of a `ComplianceReport`: one chain,
/// one account, and the summary they add up to.
///
/// Pure: the state is read by `ComplianceReportSource`, a chain at a time, so the rules
/// here are tested without SQLite. Rules: digest and log counts add up the validations
/// whose range overlaps the period (sums over runs, labelled so); findings, chains and
/// accounts are counted once each; a chain's timeline lays its coverage over the
/// ranges that were validated (validated without a digest: no-digests) and
/// calls the rest not scanned; a newer validation of a range replaces older claims
/// there, and elsewhere, where claims overlap, the more alarming wins.
enum ComplianceReportBuilder {
    /// One chain of the report; `period` is already cut to whole seconds.
    static func chain(_ entry: StateHistory.Chain, period: ComplianceReport.Period) -> ComplianceReport.Chain {
        var counts = ValidationTally()
        entry.results.forEach { counts.add($0.tally) }
        return ComplianceReport.Chain(
            trailARN: entry.trailARN, chain: entry.chain, counts: counts, lastScanned: entry.lastRecorded,
            timeline: timeline(entry, period: period), findings: entry.findings.map(finding),
            errors: entry.results.compactMap { result in result.error.map { .init(run: result.run, message: $0) } })
    }

    /// One account's header: its errors and trail findings (its chains follow it one by one).
    static func account(_ accountID: String, _ rows: StateHistory.Account) -> ComplianceReport.Account {
        ComplianceReport.Account(accountID: accountID, postureFindings: rows.postureFindings.map(finding),
                                 errors: rows.errors.map { .init(run: $0.run, message: $0.message) })
    }

    static func run(_ run: RunSummary, alarms: [AlarmOutcomeRecord]) -> ComplianceReport.Run {
        ComplianceReport.Run(id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, caller: run.caller,
                             configurationSHA256: run.configurationSHA256, trailwardenVersion: run.trailwardenVersion,
                             status: run.status, request: run.request, errors: run.errors ?? [], alarms: alarms)
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
        // Kept in order of their ends, so that a run's range cuts only the claims ending after it
        // starts (for nightly runs, the newest few), not the whole history again.
        var claims = [CoverageSpan]()
        for run in Set(spansByRun.keys).union(validated.keys).sorted() {
            if let result = validated[run], let range = clipped(result.rangeStart, result.rangeEnd, .noDigests) {
                let first = claims.firstIndexEnding(after: range.start)
                let kept = claims[first...].flatMap { $0.parts(outside: range) }
                claims.removeSubrange(first...)
                kept.forEach { claims.insertKeepingEndOrder($0) }
                claims.insertKeepingEndOrder(range)
            }
            for claim in spansByRun[run] ?? [] {
                if let span = clipped(claim.span.start, claim.span.end, claim.span.state) { claims.insertKeepingEndOrder(span) }
            }
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
}

extension ComplianceReport.Summary {
    /// Counts an account's errors and trail findings (its chains are added one by one).
    mutating func add(_ account: ComplianceReport.Account) {
        self.accounts += 1
        self.errors += account.errors.count
        count(account.postureFindings)
    }

    /// Counts a chain: its validations, errors, findings and verified share of `period`.
    mutating func add(_ chain: ComplianceReport.Chain, period: ComplianceReport.Period) {
        totals.addChain(chain.counts, errors: chain.errors.count)
        self.verifiedSeconds += chain.verifiedSeconds
        self.chainSeconds += period.duration
        count(chain.findings)
    }

    private mutating func count(_ listed: [ComplianceReport.Finding]) {
        self.findings += listed.count
        self.openFindings += listed.filter { $0.status == .open }.count
        self.resolvedFindings += listed.filter { $0.status == .resolved }.count
        for finding in listed { self.findingsByCategory[finding.category.rawValue, default: 0] += 1 }
    }
}

extension [CoverageSpan] {
    /// The first span (in an array ordered by end) that ends after `time`.
    func firstIndexEnding(after time: Date) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].end > time { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Inserts `span` after every span ending no later than it, keeping the order of ends.
    mutating func insertKeepingEndOrder(_ span: CoverageSpan) {
        insert(span, at: firstIndexEnding(after: span.end))
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
