/// The page's one style sheet, inline because the page fetches nothing.
///
/// Span colours are defined here and nowhere else; the legend and the
/// timelines use the same classes. Printing keeps the timeline colours
/// (`print-color-adjust: exact`) and keeps each chain on one page when it fits.
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
    svg.timeline { display: block; width: 100%; height: 22px; border: 1px solid #adb5bd; }
    .axis { display: flex; justify-content: space-between; font-size: 12px; color: #495057; margin-bottom: 6px; }
    svg.legend { height: 20px; width: 780px; max-width: 100%; }
    svg.legend text { font-size: 12px; fill: #1d2125; }
    svg.definitions { position: absolute; width: 0; height: 0; }
    .span-verified { fill: #2f9e44; }
    .span-invalid { fill: #e03131; }
    .span-missing { fill: #f76707; }
    .span-no-digests { fill: url(#no-digests-hatch); }
    .span-not-scanned { fill: #dee2e6; }
    .none { color: #868e96; }
    @media print {
      body { font-size: 10pt; padding: 0; max-width: none; color: #000; }
      h2 { break-after: avoid-page; }
      th { background: #f8f9fa; }
      tr { break-inside: avoid-page; }
      svg.timeline, svg.legend { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
    }
    """
}
