/// TrailWarden's exit codes, documented in docs/cli.md and docs/scan.md.
public enum ExitCode: Int32, Sendable {
    /// Everything validated is intact.
    case intact = 0
    /// Validation found something invalid, missing or unreferenced.
    case findings = 1
    /// The command line, a configuration or an input file is wrong.
    case usage = 2
    /// Validation could not be completed: a store or key source failed, or
    /// (for scan) some accounts or chains could not be scanned.
    case incomplete = 3
}
