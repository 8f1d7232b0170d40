/// This build's version: printed by `trailwarden --version` and recorded in every
/// report and export, so that an auditor can tell which validator gave a verdict.
public enum TrailWardenVersion {
    /// The package's declared version; a release tag must match it.
    public static let current = "0.9.0"
}
