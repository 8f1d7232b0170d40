import TrailWardenScan

/// The `--config` file of `scan` and `alarm test`.
enum ConfigurationFile {
    /// The configuration; what is wrong with it is an input error (exit 2).
    static func load(_ path: String) throws(UsageError) -> ScanConfiguration {
        do {
            return try ScanConfiguration.load(path: path)
        } catch {
            throw UsageError(error.description)
        }
    }
}
