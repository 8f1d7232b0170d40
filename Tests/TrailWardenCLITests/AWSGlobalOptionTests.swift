import Foundation
import Testing
import TrailWardenAWS
import TrailWardenHTTP
@testable import TrailWardenCLI

/// The AWS CLI's global options and the configuration mistakes AWSSession reports in one line.
@Suite struct AWSGlobalOptionTests {
    func session(_ list: [String], _ environment: [String: String] = [:],
                 log: @escaping @Sendable (String) -> Void = { _ in }) throws -> AWSSession {
        let arguments = try ArgumentParser.parse(list, options: ValidateCommand.options)
        return try AWSSession(arguments, fallbackRegion: "us-east-1", environment: environment, debugLog: log)
    }

    func usageError(_ list: [String], _ environment: [String: String] = [:]) -> String? {
        do {
            _ = try session(list, environment)
            return nil
        } catch {
            return (error as? UsageError)?.description
        }
    }

    @Test func everyAWSCommandTakesTheGlobalOptions() {
        for options in [ValidateCommand.options, ScanCommand.options, AlarmTestCommand.options, ReportCommand.options, SimulateCommand.options] {
            #expect(Set(AWSSession.globalOptions.map(\.name)).isSubset(of: options.map(\.name)))
        }
    }

    @Test func noVerifySSLIsRefusedWithTheReason() {
        let message = usageError(["--no-verify-ssl"])
        #expect(message?.hasPrefix("--no-verify-ssl is refused: without certificate checks") == true)
        #expect(message?.contains("AWS_CA_BUNDLE") == true)
    }

    @Test func configurationMistakesNameTheirSource() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try Data("[profile audit]\nca_bundle = /nonexistent/ca.pem\n".utf8).write(to: URL(fileURLWithPath: home + "/.aws/config"))
        #expect(usageError(["--profile", "missing"], ["HOME": home]) == "the config profile (missing) could not be found")
        #expect(usageError(["--profile", "audit"], ["HOME": home]) == "ca_bundle of profile audit names /nonexistent/ca.pem, which cannot be read")
        #expect(usageError([], ["AWS_CA_BUNDLE": "/nonexistent/proxy.pem"]) == "AWS_CA_BUNDLE names /nonexistent/proxy.pem, which cannot be read")
        #expect(usageError([], ["AWS_ENDPOINT_URL_S3": "vpce.example:443"]) == "AWS_ENDPOINT_URL_S3 must be an http:// or https:// URL, not \"vpce.example:443\"")
        #expect(usageError([], ["AWS_RETRY_MODE": "eager"]) == "AWS_RETRY_MODE must be legacy, standard or adaptive, not \"eager\"")
    }

    @Test func debugLogsThroughTheGivenLog() throws {
        #expect(try session([]).transport.http is CurlHTTPClient)
        #expect(try session(["--debug"]).transport.http is RequestLogHTTPClient)
        let configured = try session([], ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "7"])
        #expect(configured.transport.configuredEndpoint(service: "s3") == "http://127.0.0.1:9")
        #expect(configured.transport.configuredEndpoint(service: "cloudtrail") == nil)
        #expect(configured.transport.retry.maxAttempts == 7)
    }
}
