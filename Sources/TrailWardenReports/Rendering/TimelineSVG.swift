import Foundation

/// A chain's timeline as inline SVG: one `<rect>` per span, coloured by state,
/// each with a `<title>` tooltip giving the state and its exact UTC times.
///
/// Every span is drawn, however many (rects are cheap and auditors may zoom).
/// A span too narrow to see, under 1/1000 of the period, is drawn 1/1000 wide,
/// and the verified spans are drawn first, so a five-minute invalid stretch in
/// a month still shows as a red line over the green; its tooltip keeps the
/// true times.
enum TimelineSVG {
    static let width = 1000.0
    static let minimumSpanWidth = 1.0
    static let hatchID = "no-digests-hatch"

    static func chart(_ timeline: [ComplianceReport.Span], period: ComplianceReport.Period, label: String) -> String {
        let total = period.duration
        let drawingOrder = timeline.filter { $0.state == .verified } + timeline.filter { $0.state != .verified }
        var svg = "<svg class=\"timeline\" viewBox=\"0 0 \(Int(width)) 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">"
        for span in drawingOrder {
            let start = total > 0 ? span.start.timeIntervalSince(period.from) / total * width : 0
            let end = total > 0 ? span.end.timeIntervalSince(period.from) / total * width : width
            var x = min(max(start, 0), width)
            var spanWidth = min(max(end, 0), width) - x
            if span.state != .verified, spanWidth < minimumSpanWidth {
                spanWidth = minimumSpanWidth
                x = min(x, width - minimumSpanWidth)
            }
            svg += "<rect class=\"span-\(span.state.rawValue)\" x=\"\(coordinate(x))\" y=\"0\" width=\"\(coordinate(spanWidth))\" height=\"20\">"
            svg += "<title>\(span.state.rawValue): \(ReportText.time(span.start)) to \(ReportText.time(span.end))</title></rect>"
        }
        return svg + "</svg>"
    }

    /// The pattern the no-digests spans are filled with, defined once per page.
    static let definitions = """
    <svg class="definitions" aria-hidden="true" focusable="false"><defs>\
    <pattern id="\(hatchID)" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
    <rect width="6" height="6" fill="#e9ecef"/><rect width="2.5" height="6" fill="#868e96"/></pattern>\
    </defs></svg>
    """

    /// A swatch and a word per state, in the order of `SpanState.allCases`.
    static var legend: String {
        var svg = "<svg class=\"legend\" viewBox=\"0 0 780 20\" role=\"img\" aria-label=\"Timeline legend\">"
        for (index, state) in ComplianceReport.SpanState.allCases.enumerated() {
            let x = index * 156
            svg += "<rect class=\"span-\(state.rawValue)\" x=\"\(x)\" y=\"3\" width=\"14\" height=\"14\" stroke=\"#495057\" stroke-width=\"0.5\"/>"
            svg += "<text x=\"\(x + 20)\" y=\"15\">\(state.rawValue)</text>"
        }
        return svg + "</svg>"
    }

    private static func coordinate(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
