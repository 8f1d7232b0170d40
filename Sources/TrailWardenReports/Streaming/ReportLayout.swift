/// Where a renderer writes the parts of a report that grow with its chains while they are read:
/// numbered parts, each appended to in order (the CLI keeps them in temporary files, `render`
/// in memory), placed in the files by the ``ReportLayout`` the renderer returns at the end.
public protocol ReportSpool: AnyObject {
    func append(_ text: String, to part: Int) throws
}

/// The files of a rendered report, each as text and spooled parts in order, so that what comes
/// before the chains (the summary) can be written after reading them without holding them.
public struct ReportLayout: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case text(String)
        /// The whole text appended to this part of the spool.
        case part(Int)
    }

    public struct File: Sendable, Equatable {
        /// nil for the main file; for a companion, what replaces the main file's extension ("-chains.csv").
        public var nameSuffix: String?
        public var segments: [Segment]

        /// The file's path beside `mainPath`: the main file's is `mainPath`; a companion's replaces
        /// its extension, "out/report.csv" giving "out/report-chains.csv" (a path without an
        /// extension keeps its whole name).
        public func path(besideMain mainPath: String) -> String {
            guard let nameSuffix else { return mainPath }
            let nameStart = mainPath.lastIndex(of: "/").map { mainPath.index(after: $0) } ?? mainPath.startIndex
            guard let dot = mainPath[nameStart...].lastIndex(of: "."), dot != nameStart else { return mainPath + nameSuffix }
            return mainPath[..<dot] + nameSuffix
        }
    }

    public var format: ReportFormat
    /// The main file first, then its companions.
    public var files: [File]

    /// What separates the files on standard output: a blank line.
    public var blankLine: String { Self.blankLine(format) }

    static func blankLine(_ format: ReportFormat) -> String { format == .csv ? CSVTable.lineEnd : "\n" }

    init(format: ReportFormat, main: [Segment], companions: [(String, [Segment])] = []) {
        self.format = format
        files = [File(nameSuffix: nil, segments: main)] + companions.map { File(nameSuffix: $0.0, segments: $0.1) }
    }
}

/// A spool in memory, for `render` of a report already in memory.
final class MemorySpool: ReportSpool {
    private var parts: [Int: String] = [:]

    func append(_ text: String, to part: Int) { parts[part, default: ""] += text }

    func text(of segments: [ReportLayout.Segment]) -> String {
        segments.map { segment in
            switch segment {
            case .text(let text): return text
            case .part(let part): return parts[part] ?? ""
            }
        }.joined()
    }
}
