import TrailWardenVocabulary

/// A severity as each format writes it (docs/findings.md#severity).
extension FindingSeverity {
    /// ASFF's `Severity.Label`.
    public var asffLabel: String { rawValue.uppercased() }

    /// ASFF's `Severity.Normalized` (0–100), at the middle of each label's band
    /// (medium 40–69, high 70–89, critical 90–100).
    public var asffNormalized: Int {
        switch self {
        case .medium: return 50
        case .high: return 80
        case .critical: return 95
        }
    }

    /// OCSF's `severity_id`: 3 Medium, 4 High, 5 Critical.
    public var ocsfID: Int {
        switch self {
        case .medium: return 3
        case .high: return 4
        case .critical: return 5
        }
    }

    /// OCSF's `severity`, the caption of `severity_id`.
    public var ocsfCaption: String {
        switch self {
        case .medium: return "Medium"
        case .high: return "High"
        case .critical: return "Critical"
        }
    }
}
