/// How a run ended, as `runs.status` stores it.
public enum RunStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// Begun and not finished, or its process died.
    case running
    /// Every account and chain was checked and every alarm delivered.
    case complete
    /// Finished with errors: something was not checked, or an alarm target failed.
    case incomplete
    /// Stopped by an error (the state, ListAccounts); what was recorded before it is kept.
    case failed
    /// Stopped on request (a signal) before it finished; what was recorded before it is kept.
    case interrupted
}
