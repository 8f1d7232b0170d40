import Foundation
import TrailWardenCore
import TrailWardenStorage

/// A `trailwarden` subcommand: its name, help and options, and how it runs.
protocol Command: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var options: [OptionSpec] { get }
    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode
}

/// A command as a value, so the dispatcher needs no existential metatypes.
struct CommandDescriptor: Sendable {
    var name: String
    var summary: String
    var options: [OptionSpec]
    var run: @Sendable (ParsedArguments, any OutputSink) async throws -> ExitCode
}

extension Command {
    static var descriptor: CommandDescriptor {
        CommandDescriptor(name: name, summary: summary, options: options, run: { try await run($0, output: $1) })
    }
}

/// An input the user supplied (a file, a URL) that cannot be used: exit 2,
/// with a message naming it.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// An AWS answer that cannot be used: exit 3, like any failure to complete.
struct ServiceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where objects are read from or written to, as a command line names it.
enum StoreURL {
    /// `file:///ROOT` (or a plain path) as a local-directory store.
    static func localRoot(_ text: String, option: String) throws(UsageError) -> URL {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
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

/// Public keys from `--public-keys` files.
enum KeyFiles {
    static func load(_ paths: [String]) throws -> StaticPublicKeySource {
        var keys = [PublicKey]()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw InputError("\(path): cannot read the public keys file")
            }
            keys += try PublicKeyList.decode(data, file: path)
        }
        return StaticPublicKeySource(keys: keys)
    }
}
