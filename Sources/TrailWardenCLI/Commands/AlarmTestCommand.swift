import Foundation
import TrailWardenScan

/// `trailwarden alarm test`: a marked test message to every configured alarm
/// target, so an operator sees each one work before a real finding needs it:
/// SNS and webhooks get a marked message, CloudWatch an `AlarmTest` value,
/// Security Hub an informational archived finding (both of its targets), and
/// EventBridge a `TrailWarden Alarm Test` event.
enum AlarmTestCommand: Command {
    static let name = "alarm test"
    static let summary = "Send a marked test message to every alarm target of a configuration (exit 0 all delivered, 3 one failed)."
    static let options: [OptionSpec] = AWSSession.globalOptions + [
        .single("config", "FILE", "The scan configuration whose `alarms` to test (required)."),
        AWSSession.endpointOption,
    ]

    static func run(_ arguments: ParsedArguments, output: any OutputSink) async throws -> ExitCode {
        let path = try arguments.required("config")
        let configuration = try ConfigurationFile.load(path)
        guard !configuration.alarms.isEmpty else { throw UsageError("\(path): alarms: no target is configured (sns, cloudwatch, webhooks, securityHub or eventBridge)") }
        let session = try AWSSession(arguments, fallbackRegion: configuration.globalRegion)
        let sinks = configuration.alarms.sinks(transport: session.transport)
        let results = await AlarmDispatcher.test(sinks, caller: "trailwarden alarm test", at: Date())
        for result in results {
            output.out("\(result.target)\t\(result.error.map { "FAILED: \($0)" } ?? "delivered")\n")
        }
        return results.allSatisfy(\.isDelivered) ? .intact : .incomplete
    }
}
