/// The renderer of `format`, writing what grows with the chains to `spool`: the one place
/// that maps a format to its renderer.
func renderer(_ format: ReportFormat, head: ComplianceReport, spool: any ReportSpool) -> any ReportRenderer {
    switch format {
    case .json: return JSONReportRenderer(spool: spool)
    case .csv: return CSVReportRenderer(spool: spool)
    case .html: return HTMLReportRenderer(head: head, spool: spool)
    case .markdown: return MarkdownReportRenderer(spool: spool)
    case .asff: return ASFFReportRenderer.renderer(head, spool: spool)
    case .ocsf: return OCSFReportRenderer.renderer(head, spool: spool)
    }
}

/// Renders `report`, already in memory, as `format`: the same renderer a streamed report
/// (`ComplianceReportSource.write`) goes through, with its spool in memory.
///
/// Pure: no files, no clock, no state. The same report gives the same bytes.
/// Throws only when JSON encoding fails (a non-finite number in the model).
public func render(_ report: ComplianceReport, as format: ReportFormat) throws -> RenderedReport {
    let spool = MemorySpool()
    let writer = renderer(format, head: report, spool: spool)
    for account in report.accounts {
        var header = account
        header.chains = []
        try writer.begin(header)
        for chain in account.chains { try writer.add(chain, of: header) }
        try writer.end(header)
    }
    var frame = report
    frame.accounts = []
    let layout = try writer.finish(frame)
    return RenderedReport(format: format, text: spool.text(of: layout.files[0].segments),
                          companions: layout.files.dropFirst().map { .init(nameSuffix: $0.nameSuffix ?? "", text: spool.text(of: $0.segments)) })
}
