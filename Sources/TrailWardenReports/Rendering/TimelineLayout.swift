import Foundation

/// Where each span of a timeline is drawn, in chart units (0…`width`).
///
/// Drawn to scale, an hour of a month is 1.4 units of 1000: a sliver an
/// auditor misses, on screen and on paper. So every span that is not verified
/// is drawn at least `minimum` wide, and the rule keeps every other span's
/// truth in view:
/// - Only verified spans are ever drawn over, and they are drawn first at their
///   true place; a widened span covers at most part of its verified neighbours.
/// - Consecutive unverified spans form a run, laid out end to end in time order
///   and centred on the run's true middle, so no unverified span hides another.
/// - Runs never overlap: a run that would reach into the previous one is pushed
///   later, and the last runs are pulled back inside the chart.
/// - If the widened spans would not fit in the bar (a period nearly all
///   unverified), the unverified spans wider than the minimum give up the excess.
/// - The exact times are always listed in text under the chart.
struct TimelineLayout {
    /// One span and the stretch of the chart it is drawn on.
    struct Placed: Equatable {
        var span: ComplianceReport.Span
        var x: Double
        var width: Double
        /// Drawn wider than its true share of the period.
        var widened: Bool
    }

    var width: Double
    var minimum: Double

    func place(_ timeline: [ComplianceReport.Span], period: ComplianceReport.Period) -> [Placed] {
        let total = period.duration
        func position(_ date: Date) -> Double {
            total > 0 ? min(max(date.timeIntervalSince(period.from) / total * width, 0), width) : 0
        }
        let trueScale = timeline.map { span in
            Placed(span: span, x: position(span.start), width: total > 0 ? position(span.end) - position(span.start) : width, widened: false)
        }
        let unverified = trueScale.filter { $0.span.state != .verified }
        let floor = unverified.isEmpty ? minimum : min(minimum, width / Double(unverified.count))
        // Where the widened spans would not fit in the bar (a period nearly all unverified),
        // the spans wider than the minimum give up the excess, in proportion, down to the minimum.
        let excess = unverified.map { max($0.width, floor) }.reduce(0, +) - width
        let spare = unverified.map { max($0.width - floor, 0) }.reduce(0, +)
        let shrink = excess > 0 && spare > 0 ? min(excess / spare, 1) : 0
        var runs = Self.runs(of: trueScale).map { Self.widened($0, floor: floor, shrink: shrink) }
        Self.separate(&runs, width: width)
        return trueScale.filter { $0.span.state == .verified } + runs.flatMap(\.spans)
    }

    /// A maximal sequence of consecutive unverified spans, as drawn.
    private struct Run {
        var spans: [Placed]
        var start: Double { spans.first?.x ?? 0 }
        var end: Double { spans.last.map { $0.x + $0.width } ?? 0 }

        mutating func shift(by offset: Double) {
            for index in spans.indices { spans[index].x += offset }
        }
    }

    private static func runs(of placed: [Placed]) -> [Run] {
        var runs = [Run]()
        var current = [Placed]()
        for item in placed {
            if item.span.state == .verified {
                if !current.isEmpty { runs.append(Run(spans: current)) }
                current = []
            } else {
                current.append(item)
            }
        }
        if !current.isEmpty { runs.append(Run(spans: current)) }
        return runs
    }

    /// The run with each span at least `floor` wide (wider ones less `shrink` of what they
    /// have beyond it), end to end, centred where the run truly is.
    private static func widened(_ run: Run, floor: Double, shrink: Double) -> Run {
        let trueMiddle = (run.start + run.end) / 2
        var spans = run.spans
        var cursor = 0.0
        for index in spans.indices {
            let trueWidth = spans[index].width
            spans[index].widened = trueWidth < floor
            spans[index].width = trueWidth < floor ? floor : trueWidth - (trueWidth - floor) * shrink
            spans[index].x = cursor
            cursor += spans[index].width
        }
        var result = Run(spans: spans)
        result.shift(by: trueMiddle - cursor / 2)
        return result
    }

    /// Pushes each run clear of the one before it, then pulls the runs back inside 0…width.
    private static func separate(_ runs: inout [Run], width: Double) {
        var earliest = 0.0
        for index in runs.indices {
            if runs[index].start < earliest { runs[index].shift(by: earliest - runs[index].start) }
            earliest = runs[index].end
        }
        var latest = width
        for index in runs.indices.reversed() {
            if runs[index].end > latest { runs[index].shift(by: latest - runs[index].end) }
            latest = runs[index].start
        }
    }
}
