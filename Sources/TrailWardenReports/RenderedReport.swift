/// A report rendered in one format: the main text, and the files that go
/// beside it.
///
/// Some formats need more than one file (CSV has one table per file), but
/// rendering stays pure: the caller decides where the texts are written, or
/// prints ``combinedText`` when there is no file.
public struct RenderedReport: Sendable, Equatable {
    public var format: ReportFormat
    /// The main file: the whole report, or for CSV one row per finding.
    public var text: String
    /// Files written next to the main one; for CSV, the chain summaries.
    public var companions: [Companion]

    public init(format: ReportFormat, text: String, companions: [Companion] = []) {
        self.format = format
        self.text = text
        self.companions = companions
    }

    /// A file that belongs beside the main file.
    public struct Companion: Sendable, Equatable {
        /// What replaces the main file's extension in the companion's name ("-chains.csv").
        public var nameSuffix: String
        public var text: String

        public init(nameSuffix: String, text: String) {
            self.nameSuffix = nameSuffix
            self.text = text
        }

        /// The companion's path beside `mainPath`: "out/report.csv" gives
        /// "out/report-chains.csv"; a path without an extension keeps its whole name.
        public func path(besideMain mainPath: String) -> String {
            ReportLayout.File(nameSuffix: nameSuffix, segments: []).path(besideMain: mainPath)
        }
    }

    /// Everything in one text, for standard output: the main text, then each
    /// companion after a blank line.
    public var combinedText: String {
        ([text] + companions.map(\.text)).joined(separator: ReportLayout.blankLine(format))
    }
}
