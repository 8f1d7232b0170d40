import Foundation
import Testing
import TrailWardenReports
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
}
