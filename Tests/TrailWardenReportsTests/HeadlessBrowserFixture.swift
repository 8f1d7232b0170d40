import TrailWardenTestSupport

/// The browser for the HTML tests; a missing Chromium fails the test with
/// the message of ``HeadlessBrowser/locate(environment:)`` rather than skipping it.
enum HeadlessBrowserFixture {
    static func browser() throws -> HeadlessBrowser {
        try HeadlessBrowser.locate()
    }
}
