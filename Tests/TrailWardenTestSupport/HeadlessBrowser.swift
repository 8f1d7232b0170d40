import Foundation

/// Headless Chromium for tests that need a real browser to open a page: does
/// the HTML report render, does it stay silent (no console messages, so no
/// blocked fetch and no script error), how wide are its marks, does it print?
///
/// Chromium is found through TRAILWARDEN_CHROMIUM, else `chromium` or
/// `chromium-browser` on PATH; scripts/test installs it. It runs with a
/// throwaway profile and HOME, with background networking, updates, sync and
/// first-run work switched off, and with a proxy on 127.0.0.1 that nothing
/// listens on, so nothing it might still try to fetch leaves the machine.
public struct HeadlessBrowser: Sendable {
    /// What the browser made of a page.
    public struct Page: Sendable {
        /// The DOM after loading, as Chromium serializes it.
        public var dom: String
        /// Every console message the page produced, including Content-Security-Policy
        /// violations. Chromium 156 logs every level as INFO, so the level cannot be
        /// told apart; a page that runs no script should produce none at all.
        public var consoleMessages: [String]
    }

    public var executable: String
    /// How long one browser run may take on a slow, shared machine.
    public var timeoutSeconds = 120

    public static let installHint = "scripts/test installs it (apt package `chromium`), or set TRAILWARDEN_CHROMIUM to its path"

    /// The Chromium to use, or a failure saying how to get one.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HeadlessBrowser {
        if let configured = environment["TRAILWARDEN_CHROMIUM"], !configured.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: configured) else {
                throw Processes.Failed(message: "TRAILWARDEN_CHROMIUM=\(configured) is not an executable file; \(installHint)")
            }
            return HeadlessBrowser(executable: configured)
        }
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return HeadlessBrowser(executable: directory + "/" + name)
            }
        }
        throw Processes.Failed(message: "Chromium was not found on PATH (chromium, chromium-browser); \(installHint)")
    }

    /// Loads `file` in a window `width` pixels wide and returns its DOM and console messages.
    public func load(_ file: URL, width: Int = 1280) throws -> Page {
        let result = try run(["--dump-dom", "--window-size=\(width),2000", file.absoluteString])
        return Page(dom: result.standardOutput, consoleMessages: Self.consoleMessages(in: result.standardError))
    }

    /// Prints `file` to `pdf` as Chromium's print dialog would (the page's print
    /// style sheet, no header or footer); returns the console messages.
    @discardableResult
    public func printToPDF(_ file: URL, to pdf: URL) throws -> [String] {
        let result = try run(["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer", file.absoluteString])
        guard FileManager.default.fileExists(atPath: pdf.path) else {
            throw Processes.Failed(message: "Chromium wrote no PDF to \(pdf.path):\n\(result.standardError)")
        }
        return Self.consoleMessages(in: result.standardError)
    }

    /// Loads `file` in a `width`×`height` window and writes a PNG of it to
    /// `screenshot`; returns the console messages.
    @discardableResult
    public func screenshot(of file: URL, to screenshot: URL, width: Int = 1280, height: Int = 2000) throws -> [String] {
        let result = try run(["--screenshot=\(screenshot.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
                              file.absoluteString])
        guard FileManager.default.fileExists(atPath: screenshot.path) else {
            throw Processes.Failed(message: "Chromium wrote no screenshot to \(screenshot.path):\n\(result.standardError)")
        }
        return Self.consoleMessages(in: result.standardError)
    }

    /// The flags every run gets: headless, isolated, and quiet on the network.
    public static let isolationFlags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--metrics-recording-only", "--disable-default-apps",
        "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    ]

    private func run(_ arguments: [String]) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "trailwarden-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = scratch.path
        let result = try Processes.run(
            "timeout", ["--kill-after=10", String(timeoutSeconds), executable]
                + Self.isolationFlags + ["--user-data-dir=\(scratch.appending(path: "profile").path)"] + arguments,
            environment: environment)
        guard result.code == 0 else {
            let reason = result.code == 124 ? "timed out after \(timeoutSeconds) s" : "exited with \(result.code)"
            throw Processes.Failed(message: "Chromium \(reason):\n\(result.standardError)")
        }
        return result
    }

    /// The console lines in Chromium's log: `[…:INFO:CONSOLE:12] "text", source: file:///… (12)`
    /// (older builds write `CONSOLE(12)`).
    static func consoleMessages(in log: String) -> [String] {
        log.split(whereSeparator: \.isNewline).filter { $0.contains(":CONSOLE:") || $0.contains(":CONSOLE(") }.map(String.init)
    }
}
