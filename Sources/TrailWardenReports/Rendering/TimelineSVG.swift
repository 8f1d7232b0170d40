import Foundation

/// A chain's timeline: an inline SVG bar with one `<rect>` per span, the time
/// axis under it, and the unverified spans listed in text, because a hover
/// title is lost on paper.
///
/// Each state has a colour from the Okabe-Ito palette, which readers with any
/// common colour-vision deficiency can tell apart, and a pattern (hatching,
/// dots, stripes), so the states still differ in grey print. Every span is
/// drawn, however many; an unverified span too narrow to see is widened by the
/// rule in `TimelineLayout`, and its `<title>` and the list keep the true times.
enum TimelineSVG {
    static let width = 1000.0
    /// 0.6% of the chart: 4 px on an A4 page, 7 px on a wide screen.
    static let minimumSpanWidth = 6.0
    static let layout = TimelineLayout(width: width, minimum: minimumSpanWidth)

    static func chart(_ timeline: [ComplianceReport.Span], period: ComplianceReport.Period, label: String) -> String {
        var svg = "<svg class=\"timeline\" viewBox=\"0 0 \(Int(width)) 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">"
        for placed in layout.place(timeline, period: period) {
            let span = placed.span
            let widened = placed.widened ? " widened" : ""
            svg += "<rect class=\"span-\(span.state.rawValue)\(widened)\" x=\"\(coordinate(placed.x))\" y=\"0\" width=\"\(coordinate(placed.width))\" height=\"20\">"
            svg += "<title>\(span.state.rawValue): \(ReportText.time(span.start)) to \(ReportText.time(span.end))</title></rect>"
        }
        return svg + "</svg>"
    }

    /// Day (or hour) ticks with labels, positioned in percent so they line up with the bar at any width.
    static func axis(_ period: ComplianceReport.Period) -> String {
        var html = "<div class=\"axis\" aria-hidden=\"true\">"
        for tick in TimelineAxis.ticks(for: period) {
            let left = "left:\(String(format: "%.3f", tick.fraction * 100))%"
            if let label = tick.label {
                html += "<span class=\"tick major\" style=\"\(left)\"><span class=\"tick-label\">\(label)</span></span>"
            } else {
                html += "<span class=\"tick\" style=\"\(left)\"></span>"
            }
        }
        html += "</div>\n<div class=\"axis-ends\"><span>\(ReportText.time(period.from))</span><span>\(ReportText.time(period.to))</span></div>\n"
        return html
    }

    /// Every unverified span with its exact UTC start and end, as a table that prints.
    static func spanList(_ chain: ComplianceReport.Chain) -> String {
        let spans = chain.unverifiedSpans
        guard !spans.isEmpty else { return "<p class=\"spans none\">Every span of the period verified.</p>\n" }
        var html = "<table class=\"spans\">\n<caption>Spans not verified (\(spans.count))</caption>\n"
        html += "<tr><th>State</th><th>Start</th><th>End</th><th class=\"number\">Duration</th></tr>\n"
        for span in spans {
            html += "<tr class=\"span-row\"><td><span class=\"swatch\">\(swatch(span.state, width: 16, height: 10))</span>\(span.state.rawValue)</td>"
            html += "<td class=\"time\">\(ReportText.time(span.start))</td><td class=\"time\">\(ReportText.time(span.end))</td>"
            html += "<td class=\"number\">\(duration(span.duration))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// "2 d 3 h", "1 h", "5 min", "30 s": the two largest units.
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded(.down))
        let parts = [(whole / 86_400, "d"), (whole % 86_400 / 3600, "h"), (whole % 3600 / 60, "min"), (whole % 60, "s")]
        let shown = parts.drop { $0.0 == 0 }.prefix(2).filter { $0.0 > 0 }
        return shown.isEmpty ? "0 s" : shown.map { "\($0.0) \($0.1)" }.joined(separator: " ")
    }

    /// The patterns the states are filled with (colour under a dark texture), defined once per page.
    static let definitions = """
    <svg class="definitions" aria-hidden="true" focusable="false"><defs>\
    <pattern id="pattern-invalid" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
    <rect width="5" height="5" fill="#D55E00"/><rect width="1.6" height="5" fill="#1a1a1a"/></pattern>\
    <pattern id="pattern-missing" width="5" height="5" patternUnits="userSpaceOnUse">\
    <rect width="5" height="5" fill="#E69F00"/><circle cx="2.5" cy="2.5" r="1.2" fill="#1a1a1a"/></pattern>\
    <pattern id="pattern-no-digests" width="4" height="4" patternUnits="userSpaceOnUse">\
    <rect width="4" height="4" fill="#56B4E9"/><rect width="4" height="1.3" fill="#0b3d5c"/></pattern>\
    </defs></svg>
    """

    /// The pattern ids `definitions` holds: the only `url(#…)` references on the page.
    static let patternIDs = ["pattern-invalid", "pattern-missing", "pattern-no-digests"]

    /// A swatch and a word per state, in the order of `SpanState.allCases`.
    static var legend: String {
        var html = "<ul class=\"legend\" aria-label=\"Timeline legend\">"
        for state in ComplianceReport.SpanState.allCases {
            html += "<li>\(swatch(state, width: 28, height: 16)) \(state.rawValue)</li>"
        }
        return html + "</ul>"
    }

    private static func swatch(_ state: ComplianceReport.SpanState, width: Int, height: Int) -> String {
        "<svg class=\"swatch\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" aria-hidden=\"true\">"
            + "<rect class=\"span-\(state.rawValue)\" width=\"\(width)\" height=\"\(height)\" stroke=\"#333\" stroke-width=\"1\"/></svg>"
    }

    private static func coordinate(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
