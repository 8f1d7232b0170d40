/// Renders `report` as `format`: the one entry point of the renderers.
///
/// Pure: no files, no clock, no state. The same report gives the same bytes.
/// Throws only when JSON encoding fails (a non-finite number in the model).
public func render(_ report: ComplianceReport, as format: ReportFormat) throws -> RenderedReport {
    switch format {
    case .json:
        return RenderedReport(format: .json, text: try JSONReportRenderer.render(report))
    case .csv:
        return RenderedReport(format: .csv, text: CSVReportRenderer.findingsTable(report),
                              companions: [.init(nameSuffix: "-chains.csv", text: CSVReportRenderer.chainsTable(report)),
                                           .init(nameSuffix: "-runs.csv", text: CSVReportRenderer.runsTable(report))])
    case .html:
        return RenderedReport(format: .html, text: HTMLReportRenderer.render(report))
    case .markdown:
        return RenderedReport(format: .markdown, text: MarkdownReportRenderer.render(report))
    case .asff:
        return RenderedReport(format: .asff, text: try ASFFReportRenderer.render(report))
    case .ocsf:
        return RenderedReport(format: .ocsf, text: try OCSFReportRenderer.render(report))
    }
}
