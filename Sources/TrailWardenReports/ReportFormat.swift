/// The file formats a ``ComplianceReport`` can be rendered as.
///
/// One enum for both ways a user names a format, `--format md` and
/// `--output report.md`, so the two cannot disagree about which names exist.
public enum ReportFormat: String, Sendable, CaseIterable, Equatable {
    /// The model itself, for programs: decodes back to an equal ``ComplianceReport``.
    case json
    /// Findings for spreadsheets, with a companion file of chain summaries.
    case csv
    /// One self-contained page for people and auditors, with a timeline per chain.
    case html
    /// GitHub-flavoured Markdown for tickets and pull requests.
    case markdown
    /// The findings as AWS Security Finding Format, a JSON array for Security Hub's BatchImportFindings.
    case asff
    /// The findings as OCSF Detection Finding events, one JSON object a line.
    case ocsf

    /// Extensions that name a format before the final one (`report.asff.json`), tried first.
    private static let compoundExtensions: [(String, ReportFormat)] = [("asff.json", .asff), ("ocsf.jsonl", .ocsf), ("ocsf.json", .ocsf)]

    /// The format a `--format` value names ("json", "csv", "html", "md",
    /// "markdown", "asff" or "ocsf", in any case), or nil when it names none.
    public init?(formatName: String) {
        switch formatName.lowercased() {
        case "json": self = .json
        case "csv": self = .csv
        case "html": self = .html
        case "md", "markdown": self = .markdown
        case "asff": self = .asff
        case "ocsf": self = .ocsf
        default: return nil
        }
    }

    /// The format a file name's extension names (".json", ".csv", ".html",
    /// ".htm", ".md", ".asff.json", ".ocsf.jsonl", ".ocsf.json", in any case), or nil
    /// when it has no known extension.
    public init?(fileName: String) {
        let name = fileName.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let lowered = name.lowercased()
        if let (_, format) = Self.compoundExtensions.first(where: { lowered.hasSuffix("." + $0.0) && lowered.count > $0.0.count + 1 }) {
            self = format
            return
        }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "json": self = .json
        case "csv": self = .csv
        case "html", "htm": self = .html
        case "md", "markdown": self = .markdown
        default: return nil
        }
    }

    /// The extension files of this format get, without the dot.
    public var fileExtension: String {
        switch self {
        case .json: return "json"
        case .csv: return "csv"
        case .html: return "html"
        case .markdown: return "md"
        case .asff: return "asff.json"
        case .ocsf: return "ocsf.jsonl"
        }
    }
}
