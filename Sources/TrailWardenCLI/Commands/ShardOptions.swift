import Foundation
import TrailWardenScan

/// `scan --shard`, `--shard-count` and `--scan-id`: which shard of which logical scan this task is.
enum ShardOptions {
    /// The shard named by `--shard`, nil for an unsharded scan; `configuredCount` is the configuration's `shards`.
    static func assignment(_ arguments: ParsedArguments, configuredCount: Int?,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws(UsageError) -> ShardAssignment? {
        guard let text = arguments.value("shard") else {
            if arguments.has("shard-count") { throw UsageError("--shard-count needs --shard auto") }
            return nil
        }
        if text != "auto", arguments.has("shard-count") {
            throw UsageError("--shard-count goes with --shard auto; --shard \(text) names its count")
        }
        let count = arguments.has("shard-count")
            ? try arguments.integer("shard-count", default: 1, range: 1...ShardAssignment.maximumCount) : configuredCount
        do throws(ShardError) {
            return text == "auto" ? try ShardEnvironment.assignment(count: count, environment: environment) : try ShardAssignment(parsing: text)
        } catch {
            throw UsageError("--shard \(text): \(error)")
        }
    }

    /// `--scan-id`, else the job the engine names in the environment.
    static func scanID(_ arguments: ParsedArguments, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        arguments.value("scan-id") ?? ShardEnvironment.scanID(environment: environment)
    }

    /// Adds the scan id and the shard to what the run records as asked, so that reports can join the shards.
    static func describe(_ arguments: ParsedArguments, shard: ShardAssignment?, into request: inout [String: Any]) {
        if let scanID = scanID(arguments) { request["scanId"] = scanID }
        if let shard { request["shard"] = shard.description }
    }
}
