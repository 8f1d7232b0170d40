import Foundation

/// Where objects are read from or written to, as a command line names it.
enum StoreURL {
    /// `file:///ROOT` (or a plain path) as a local-directory store. A file URL's
    /// percent-escapes are decoded, as in every file URL (`%20` is a space).
    static func localRoot(_ text: String, option: String) throws(UsageError) -> URL {
        if text.hasPrefix("file://") {
            guard let path = String(text.dropFirst("file://".count)).removingPercentEncoding else {
                throw UsageError("--\(option) \(text): a file URL's % must begin an escape such as %20")
            }
            guard path.hasPrefix("/") else { throw UsageError("--\(option) \(text): a file URL needs an absolute path, as in file:///data/archive") }
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        guard !text.contains("://") else { throw UsageError("--\(option) \(text): expected file:///PATH") }
        return URL(fileURLWithPath: text, isDirectory: true)
    }

    /// `s3://BUCKET[/PREFIX]` as a bucket and a key prefix ("" or ending in "/"); nil for other URLs.
    static func s3(_ text: String, option: String) throws(UsageError) -> (bucket: String, prefix: String)? {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst("s3://".count)
        let bucket = String(rest.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw UsageError("--\(option) \(text): name a bucket, as in s3://BUCKET/PREFIX") }
        var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
        if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
        return (bucket, prefix)
    }
}
