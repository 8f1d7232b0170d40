import Foundation
import TrailWardenReports

/// `ReportFixture.report` stretched over a long period, with the gaps a month
/// hides at true scale: a one-hour invalid span directly followed by a
/// one-hour missing one, a 30-minute span without digests, a five-minute
/// invalid one, and the period's last hour not scanned.
enum HTMLTimelineFixture {
    static let hour = ReportFixture.hour
    static let day = ReportFixture.day

    struct Gap {
        var offset: TimeInterval
        var duration: TimeInterval
        var state: ComplianceReport.SpanState
    }

    static func gaps(days: Int) -> [Gap] {
        let third = Double(days) * day / 3
        return [
            Gap(offset: third, duration: hour, state: .invalid),
            Gap(offset: third + hour, duration: hour, state: .missing),
            Gap(offset: 2 * third, duration: 1800, state: .noDigests),
            Gap(offset: 2 * third + day, duration: 300, state: .invalid),
            Gap(offset: Double(days) * day - hour, duration: hour, state: .notScanned),
        ]
    }

    /// Verified everywhere but the gaps, which must be in order and apart.
    static func timeline(days: Int, gaps: [Gap]) -> [ComplianceReport.Span] {
        var spans = [ComplianceReport.Span]()
        var cursor: TimeInterval = 0
        for gap in gaps {
            if gap.offset > cursor {
                spans.append(.init(start: ReportFixture.at(cursor), end: ReportFixture.at(gap.offset), state: .verified))
            }
            spans.append(.init(start: ReportFixture.at(gap.offset), end: ReportFixture.at(gap.offset + gap.duration), state: gap.state))
            cursor = gap.offset + gap.duration
        }
        let end = Double(days) * day
        if end > cursor { spans.append(.init(start: ReportFixture.at(cursor), end: ReportFixture.at(end), state: .verified)) }
        return spans
    }

    /// Every chain of the fixture gets the long timeline.
    static func report(days: Int) -> ComplianceReport {
        var report = ReportFixture.report
        report.period = .init(from: ReportFixture.periodStart, to: ReportFixture.at(Double(days) * day))
        let timeline = timeline(days: days, gaps: gaps(days: days))
        for account in report.accounts.indices {
            for chain in report.accounts[account].chains.indices {
                report.accounts[account].chains[chain].timeline = timeline
            }
        }
        return report
    }
}
