/// The page's one style sheet, inline because the page fetches nothing.
///
/// Span fills are defined here and nowhere else (Okabe-Ito colours, and the
/// patterns of `TimelineSVG.definitions`); the legend, the timelines and the
/// span lists use the same classes. Printing (A4, 12 mm margins) keeps the
/// fills (`print-color-adjust: exact`), keeps table rows and each chain's box
/// whole where they fit, and marks open findings by underline as well as colour.
enum HTMLStyle {
    static let sheet = """
    :root { color-scheme: light; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2125; background: #fff; margin: 0 auto; max-width: 1200px; padding: 24px; }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #dee2e6; padding-bottom: 4px; }
    h3 { font-size: 16px; margin: 20px 0 6px; }
    .meta { color: #495057; margin: 0; }
    table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
    th, td { border: 1px solid #dee2e6; padding: 4px 8px; text-align: left; vertical-align: top; }
    th { background: #f1f3f5; }
    td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
    table.summary { width: auto; }
    .object { word-break: break-all; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
    .time, .status-open, .status-resolved { white-space: nowrap; }
    .message { white-space: pre-wrap; word-break: break-word; }
    .status-open { color: #c92a2a; font-weight: 600; }
    .status-resolved { color: #2b8a3e; }
    .errors li { color: #c92a2a; }
    .chain { border: 1px solid #dee2e6; border-radius: 6px; padding: 8px 12px; margin: 12px 0; break-inside: avoid-page; page-break-inside: avoid; }
    .chain h3 { margin-top: 4px; }
    .identity { margin: 0 0 6px; color: #495057; }
    .identity code { word-break: break-all; }
    svg.timeline { display: block; width: 100%; height: 22px; border: 1px solid #595959; box-sizing: border-box; }
    .axis { position: relative; height: 22px; margin: 0; font-size: 11px; color: #333; }
    .tick { position: absolute; top: 0; height: 4px; border-left: 1px solid #8c8c8c; }
    .tick.major { height: 7px; border-left-color: #333; }
    .tick-label { position: absolute; top: 7px; transform: translateX(-50%); white-space: nowrap; font-variant-numeric: tabular-nums; }
    .axis-ends { display: flex; justify-content: space-between; font-size: 11px; color: #595959; margin-bottom: 6px; }
    table.spans { width: auto; font-size: 12px; margin: 4px 0 10px; }
    table.spans caption { text-align: left; font-weight: 600; padding-bottom: 2px; }
    svg.swatch { vertical-align: middle; margin-right: 4px; }
    ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 20px; padding: 0; margin: 4px 0 12px; }
    svg.definitions { position: absolute; width: 0; height: 0; }
    .span-verified { fill: #009E73; }
    .span-invalid { fill: url(#pattern-invalid); }
    .span-missing { fill: url(#pattern-missing); }
    .span-no-digests { fill: url(#pattern-no-digests); }
    .span-not-scanned { fill: #E0E0E0; }
    .none { color: #868e96; }
    @page { size: A4; margin: 12mm; }
    @media print {
      body { font-size: 9.5pt; padding: 0; max-width: none; color: #000; }
      h2 { break-after: avoid-page; page-break-after: avoid; }
      h3, caption { break-after: avoid-page; }
      th { background: #f1f3f5; }
      tr { break-inside: avoid-page; page-break-inside: avoid; }
      .chain { border-color: #8c8c8c; }
      svg, .tick { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
      .status-open { color: #000; text-decoration: underline; }
    }
    """
}
