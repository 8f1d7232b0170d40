import Testing
import TrailWardenReports

@Suite struct ReportFormatTests {
    @Test func formatNamesParseInAnyCaseAndUnknownOnesDoNot() {
        #expect(ReportFormat(formatName: "json") == .json)
        #expect(ReportFormat(formatName: "CSV") == .csv)
        #expect(ReportFormat(formatName: "html") == .html)
        #expect(ReportFormat(formatName: "md") == .markdown)
        #expect(ReportFormat(formatName: "Markdown") == .markdown)
        #expect(ReportFormat(formatName: "htm") == nil)
        #expect(ReportFormat(formatName: "pdf") == nil)
        #expect(ReportFormat(formatName: "") == nil)
    }

    @Test func fileExtensionsNameTheirFormat() {
        #expect(ReportFormat(fileName: "report.json") == .json)
        #expect(ReportFormat(fileName: "out/Report.CSV") == .csv)
        #expect(ReportFormat(fileName: "/tmp/a.b/report.html") == .html)
        #expect(ReportFormat(fileName: "report.htm") == .html)
        #expect(ReportFormat(fileName: "report.md") == .markdown)
        #expect(ReportFormat(fileName: "report.pdf") == nil)
        #expect(ReportFormat(fileName: "report") == nil)
        #expect(ReportFormat(fileName: "dir.json/report") == nil)
        #expect(ReportFormat(fileName: ".md") == nil)
        #expect(ReportFormat.allCases.allSatisfy { ReportFormat(fileName: "x." + $0.fileExtension) == $0 })
    }

    @Test func companionFilesGoBesideTheMainFile() {
        let chains = RenderedReport.Companion(nameSuffix: "-chains.csv", text: "")
        #expect(chains.path(besideMain: "out/report.csv") == "out/report-chains.csv")
        #expect(chains.path(besideMain: "report") == "report-chains.csv")
        #expect(chains.path(besideMain: "out.d/report") == "out.d/report-chains.csv")
        #expect(chains.path(besideMain: "/tmp/.hidden") == "/tmp/.hidden-chains.csv")
    }
}
