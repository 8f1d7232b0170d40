import Foundation
import Testing
@testable import TrailWardenReports
import TrailWardenTestSupport

/// The HTML report opened in headless Chromium. Serialized: each test starts
/// a browser, and the machine is small.
@Suite(.serialized) struct HTMLInBrowserTests {
    @Test func aMissingChromiumFailsSayingHowToInstallIt() {
        let environment = ["PATH": FileManager.default.temporaryDirectory.path]
        #expect {
            try HeadlessBrowser.locate(environment: environment)
        } throws: { error in
            "\(error)".contains("Chromium was not found") && "\(error)".contains("scripts/test installs it")
        }
        #expect(throws: Processes.Failed.self) {
            try HeadlessBrowser.locate(environment: ["TRAILWARDEN_CHROMIUM": "/nonexistent/chromium"])
        }
    }

    @Test func theDetectorCatchesConsoleErrorsAndBlockedFetches() throws {
        let directory = try ReportFixture.TemporaryDirectory()
        let file = directory.url.appending(path: "broken.html")
        try """
        <!DOCTYPE html><html><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; img-src data:">
        </head><body><p>negative control</p>
        <script>console.error("deliberate console error")</script>
        <img src="https://example.invalid/x.png" alt="">
        </body></html>
        """.write(to: file, atomically: true, encoding: .utf8)
        let page = try HeadlessBrowser.locate().load(file)
        #expect(page.dom.contains("negative control"))
        #expect(page.consoleMessages.contains { $0.contains("deliberate console error") }, "\(page.consoleMessages)")
        #expect(page.consoleMessages.contains { $0.contains("example.invalid") && $0.contains("Content Security Policy") },
                "\(page.consoleMessages)")
    }

    @Test func theReportLoadsSilentlyWithEveryTimelineAndFinding() throws {
        let directory = try ReportFixture.TemporaryDirectory()
        let file = directory.url.appending(path: "report.html")
        try render(ReportFixture.report, as: .html).text.write(to: file, atomically: true, encoding: .utf8)
        let page = try HeadlessBrowser.locate().load(file)
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")
        let chains = ReportFixture.report.accounts.flatMap(\.chains)
        #expect(page.dom.components(separatedBy: "<svg class=\"timeline\"").count - 1 == chains.count)
        #expect(page.dom.components(separatedBy: "<tr class=\"finding\">").count - 1 == ReportFixture.findingsInOrder.count)
        #expect(page.dom.contains("Organization summary"))
    }

    @Test func theHostileKeyStaysTextInABrowsersDOM() throws {
        let directory = try ReportFixture.TemporaryDirectory()
        let file = directory.url.appending(path: "report.html")
        try render(ReportFixture.report, as: .html).text.write(to: file, atomically: true, encoding: .utf8)
        let page = try HeadlessBrowser.locate().load(file)
        #expect(!page.dom.lowercased().contains("<script"))
        #expect(page.dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func theReportScreenshotIsAPictureOfSomething() throws {
        let directory = try ReportFixture.TemporaryDirectory()
        let file = directory.url.appending(path: "report.html")
        let png = directory.url.appending(path: "report.png")
        try render(ReportFixture.report, as: .html).text.write(to: file, atomically: true, encoding: .utf8)
        let consoleMessages = try HeadlessBrowser.locate().screenshot(of: file, to: png)
        #expect(consoleMessages.isEmpty, "\(consoleMessages)")
        let data = try Data(contentsOf: png)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(data.count > 10_000)
    }

    /// The report for `days` days, written with a measuring script added (and allowed by
    /// its policy) that records each timeline rect's rendered width in the DOM.
    static func measuringPage(days: Int, in directory: ReportFixture.TemporaryDirectory) throws -> URL {
        let html = try render(HTMLTimelineFixture.report(days: days), as: .html).text
        let policy = HTMLReportRenderer.contentSecurityPolicy
        #expect(html.contains(policy))
        let script = """
        <script>for (const r of document.querySelectorAll("svg.timeline rect"))
        r.setAttribute("data-rendered-width", r.getBoundingClientRect().width.toFixed(2));</script>
        """
        let measuring = html.replacingOccurrences(of: policy, with: policy + "; script-src 'unsafe-inline'")
            .replacingOccurrences(of: "</body>", with: script + "</body>")
        let file = directory.url.appending(path: "report-\(days)-days.html")
        try measuring.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// An A4 page's width at 96 dpi: the narrowest the timelines are drawn.
    static let a4Width = 794

    @Test(arguments: [30, 90]) func aLongPeriodShowsEveryUnverifiedSpanAFewPixelsWideAndListsItsTimes(days: Int) throws {
        let directory = try ReportFixture.TemporaryDirectory()
        let page = try HeadlessBrowser.locate().load(Self.measuringPage(days: days, in: directory), width: Self.a4Width)
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")
        let rect = try Regex(#"<rect class="span-([a-z-]+)( widened)?"[^>]*data-rendered-width="([0-9.]+)""#)
        let widths = page.dom.matches(of: rect).compactMap { match -> (state: String, width: Double)? in
            guard let state = match.output[1].substring, let width = match.output[3].substring.flatMap({ Double($0) }) else { return nil }
            return (String(state), width)
        }
        let report = HTMLTimelineFixture.report(days: days)
        let chains = report.accounts.flatMap(\.chains)
        #expect(widths.count == chains.map(\.timeline.count).reduce(0, +))
        let unverified = widths.filter { $0.state != "verified" }
        #expect(unverified.count == chains.map(\.unverifiedSpans.count).reduce(0, +))
        #expect(unverified.allSatisfy { $0.width >= 3 }, "\(unverified)")
        // The text list under each chart: every unverified span with its exact times.
        #expect(page.dom.components(separatedBy: "<tr class=\"span-row\">").count - 1 == unverified.count)
        for span in chains[0].unverifiedSpans {
            #expect(page.dom.contains("<td class=\"time\">\(ReportText.time(span.start))</td><td class=\"time\">\(ReportText.time(span.end))</td>"))
        }
    }

    @Test func theNinetyDayReportPrintsToAPDF() throws {
        let directory = try ReportFixture.TemporaryDirectory()
        let file = directory.url.appending(path: "report.html")
        let pdf = directory.url.appending(path: "report.pdf")
        try render(HTMLTimelineFixture.report(days: 90), as: .html).text.write(to: file, atomically: true, encoding: .utf8)
        let consoleMessages = try HeadlessBrowser.locate().printToPDF(file, to: pdf)
        #expect(consoleMessages.isEmpty, "\(consoleMessages)")
        let data = try Data(contentsOf: pdf)
        #expect(data.prefix(5) == Data("%PDF-".utf8))
        #expect(data.count > 20_000)
        let text = String(decoding: data, as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        #expect((2 ... 20).contains(pages), "\(pages) pages")
    }
}
