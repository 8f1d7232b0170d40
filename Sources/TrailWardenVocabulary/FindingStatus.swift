/// Whether a finding still stands: the words `findings.status` stores and
/// reports and alarms print. A finding is resolved only by a run that really
/// checked its chain (or trail) and no longer saw it.
public enum FindingStatus: String, Sendable, Equatable, Codable, CaseIterable {
    case open
    case resolved
}
