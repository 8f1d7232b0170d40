import Foundation
import Testing
@testable import TrailWardenReports

/// The timeline at month scale: widened unverified spans that hide no other
/// unverified span, day ticks, and the exact times in text.
@Suite struct HTMLTimelineTests {
    static let period30 = ComplianceReport.Period(from: ReportFixture.periodStart, to: ReportFixture.at(30 * ReportFixture.day))

    static func placed(days: Int) -> [TimelineLayout.Placed] {
        let report = HTMLTimelineFixture.report(days: days)
        return TimelineSVG.layout.place(report.accounts[0].chains[0].timeline, period: report.period)
    }

    @Test(arguments: [30, 90]) func everyUnverifiedSpanIsDrawnAtLeastTheMinimumWideAndNoneCoversAnother(days: Int) {
        let placed = Self.placed(days: days)
        let unverified = placed.filter { $0.span.state != .verified }
        #expect(unverified.count == HTMLTimelineFixture.gaps(days: days).count)
        for item in unverified {
            #expect(item.width >= TimelineSVG.minimumSpanWidth - 1e-9, "\(item)")
            #expect(item.x >= 0 && item.x + item.width <= TimelineSVG.width + 1e-9, "\(item)")
        }
        for (earlier, later) in zip(unverified, unverified.dropFirst()) {
            #expect(earlier.x + earlier.width <= later.x + 1e-9, "\(earlier) overlaps \(later)")
        }
        // The hour-long spans were slivers at true scale, so they are marked widened; verified spans never are.
        #expect(unverified.allSatisfy { $0.widened })
        #expect(placed.filter { $0.span.state == .verified }.allSatisfy { !$0.widened })
    }

    @Test func verifiedSpansStayAtTheirTrueScaleAndAreDrawnFirst() throws {
        let placed = Self.placed(days: 30)
        let verified = placed.prefix { $0.span.state == .verified }
        #expect(verified.count == placed.filter { $0.span.state == .verified }.count)
        let first = try #require(verified.first)
        #expect(first.x == 0)
        #expect(abs(first.width - TimelineSVG.width / 3) < 1e-6)
    }

    @Test func aRunOfAdjacentSpansIsCentredWhereItTrulyIsAndSpansWiderThanTheMinimumKeepTheirWidth() {
        let layout = TimelineLayout(width: 1000, minimum: 6)
        let period = ComplianceReport.Period(from: ReportFixture.periodStart, to: ReportFixture.at(1000))
        let timeline: [ComplianceReport.Span] = [
            .init(start: ReportFixture.at(0), end: ReportFixture.at(500), state: .verified),
            .init(start: ReportFixture.at(500), end: ReportFixture.at(501), state: .invalid),
            .init(start: ReportFixture.at(501), end: ReportFixture.at(521), state: .missing),
            .init(start: ReportFixture.at(521), end: ReportFixture.at(1000), state: .verified),
        ]
        let run = layout.place(timeline, period: period).filter { $0.span.state != .verified }
        #expect(run.map(\.width) == [6, 20])
        #expect(run.map(\.widened) == [true, false])
        #expect(abs(run[0].x - (510.5 - 13)) < 1e-9)
        #expect(abs(run[1].x - (510.5 - 13 + 6)) < 1e-9)
    }

    @Test func moreSpansThanFitShareTheChartWithoutOverlapping() {
        let layout = TimelineLayout(width: 100, minimum: 6)
        let period = ComplianceReport.Period(from: ReportFixture.periodStart, to: ReportFixture.at(100))
        let timeline = (0 ..< 50).map { index in
            ComplianceReport.Span(start: ReportFixture.at(Double(index * 2)), end: ReportFixture.at(Double(index * 2 + 1)),
                                  state: index.isMultiple(of: 2) ? .invalid : .missing)
        }
        let placed = layout.place(timeline, period: period)
        #expect(placed.count == 50)
        for (earlier, later) in zip(placed, placed.dropFirst()) {
            #expect(earlier.x + earlier.width <= later.x + 1e-9)
        }
        #expect(placed.allSatisfy { $0.x >= -1e-9 && $0.x + $0.width <= 100 + 1e-9 && $0.width >= 2 - 1e-9 })
    }

    @Test func inAPeriodNearlyAllUnverifiedTheLongSpansMakeRoomForTheShortOnes() {
        let layout = TimelineLayout(width: 1000, minimum: 6)
        let period = ComplianceReport.Period(from: ReportFixture.periodStart, to: ReportFixture.at(1000))
        let timeline: [ComplianceReport.Span] = [
            .init(start: ReportFixture.at(0), end: ReportFixture.at(499), state: .notScanned),
            .init(start: ReportFixture.at(499), end: ReportFixture.at(500), state: .invalid),
            .init(start: ReportFixture.at(500), end: ReportFixture.at(1000), state: .notScanned),
        ]
        let placed = layout.place(timeline, period: period)
        // 5 units too many; the not-scanned spans give them up in proportion to their 493 and 494 beyond the minimum.
        let shrink: Double = 5.0 / 987.0
        let first: Double = 499.0 - 493.0 * shrink
        let last: Double = 500.0 - 494.0 * shrink
        let widths: [Double] = placed.map(\.width)
        let xs: [Double] = placed.map(\.x)
        #expect(zip(widths, [first, 6.0, last]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(widths)")
        #expect(zip(xs, [0.0, first, first + 6.0]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(xs)")
    }

    @Test(arguments: [(1, 24, 8 ... 9), (7, 7, 7 ... 8), (30, 30, 10 ... 11), (90, 90, 12 ... 14), (365, 365, 13 ... 14)])
    func theAxisHasDayTicksAndAReadableNumberOfLabels(days: Int, minorTicks: Int, labels: ClosedRange<Int>) {
        let period = ComplianceReport.Period(from: ReportFixture.periodStart, to: ReportFixture.at(Double(days) * ReportFixture.day))
        let ticks = TimelineAxis.ticks(for: period)
        #expect(labels.contains(ticks.filter { $0.label != nil }.count), "\(ticks.compactMap(\.label))")
        // A tick at every whole day (hour for one day), both ends included.
        #expect(ticks.count >= minorTicks && ticks.count <= minorTicks + 1 + labels.upperBound, "\(ticks.count)")
        #expect(ticks.allSatisfy { $0.fraction >= 0 && $0.fraction <= 1 })
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.date < $1.date })
    }

    @Test func dayLabelsAreMonthAndDayOnUTCMidnight() {
        // 30 days: every third day since the epoch, so from 2026-11-03.
        let labels = TimelineAxis.ticks(for: Self.period30).compactMap(\.label)
        #expect(labels == stride(from: 3, through: 30, by: 3).map { String(format: "11-%02d", $0) })
        let ninety = ComplianceReport.Period(from: ReportFixture.periodStart, to: ReportFixture.at(90 * ReportFixture.day))
        // 90 days: weekly, on Mondays (2026-11-02 is one).
        #expect(TimelineAxis.ticks(for: ninety).compactMap(\.label).prefix(3) == ["11-02", "11-09", "11-16"])
    }

    @Test func theChartsTextListsEveryUnverifiedSpanWithItsExactTimes() throws {
        let report = HTMLTimelineFixture.report(days: 30)
        let html = try render(report, as: .html).text
        let chains = report.accounts.flatMap(\.chains)
        #expect(HTMLRenderingTests.occurrences(of: "<tr class=\"span-row\">", in: html) == chains.map(\.unverifiedSpans.count).reduce(0, +))
        #expect(html.contains("<td class=\"time\">2026-11-11T00:00:00Z</td><td class=\"time\">2026-11-11T01:00:00Z</td><td class=\"number\">1 h</td>"))
        #expect(html.contains("missing</td><td class=\"time\">2026-11-11T01:00:00Z</td><td class=\"time\">2026-11-11T02:00:00Z</td>"))
        #expect(html.contains("<td class=\"number\">30 min</td>"))
        #expect(html.contains("<td class=\"number\">5 min</td>"))
        #expect(HTMLRenderingTests.occurrences(of: "<span class=\"tick major\"", in: html) == chains.count * 10)
    }

    @Test func durationsUseTheTwoLargestUnits() {
        #expect(TimelineSVG.duration(0) == "0 s")
        #expect(TimelineSVG.duration(30) == "30 s")
        #expect(TimelineSVG.duration(3600) == "1 h")
        #expect(TimelineSVG.duration(3 * 86_400 + 2 * 3600 + 5 * 60) == "3 d 2 h")
        #expect(TimelineSVG.duration(86_400 + 59) == "1 d")
        #expect(TimelineSVG.duration(3660.5) == "1 h 1 min")
    }
}
