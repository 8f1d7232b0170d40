import TrailWardenScan

/// The `--config` file of `scan` and `alarm test` (a path or `-`).
enum ConfigurationFile {
    /// The configuration; what is wrong with it is an input error (exit 2).
    static func load(_ path: String) throws(UsageError) -> ScanConfiguration {
        let data = try InputFile.read(path, option: "config")
        do {
            return try ScanConfiguration.parse(data, file: InputFile.displayName(path))
        } catch {
            throw UsageError(error.description)
        }
    }
}
