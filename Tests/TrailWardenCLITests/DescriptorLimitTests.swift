import Foundation
import Testing
import TrailWardenTestSupport
@testable import TrailWardenCLI

/// The open-file limit: libdispatch and the HTTP event loops abort a process that
/// has no descriptor left for them, so a limit too low to run is one error line and
/// exit 3 before anything starts, and a low soft limit under a higher hard one is raised.
@Suite struct DescriptorLimitTests {
    /// `validate` of a trail behind a closed port, under bash's `ulimit LIMIT`.
    func validate(under limit: String) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
                           "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_MAX_ATTEMPTS": "1"]) { $1 }
        environment["AWS_PROFILE"] = nil
        environment["AWS_SESSION_TOKEN"] = nil
        return try Processes.run("bash", ["-c", "ulimit \(limit) || exit 99; exec \"$0\" \"$@\"", Processes.trailwarden, "validate",
                                          "--trail-arn", "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", "--s3-bucket", "b",
                                          "--start-time", "2026-01-01T00:00:00Z", "--end-time", "2026-01-01T01:00:00Z",
                                          "--endpoint-url", "http://127.0.0.1:1"], environment: environment)
    }

    @Test(arguments: [5, 40, Int(DescriptorLimit.minimum) - 1])
    func aHardLimitTooLowToRunIsOneErrorLine(descriptors: Int) throws {
        let run = try validate(under: "-n \(descriptors)")
        #expect(run.code == 3, "\(run.standardError)")
        #expect(run.standardError == "trailwarden: error: the open-file limit is \(descriptors) descriptors (ulimit -n); "
            + "trailwarden needs at least \(DescriptorLimit.minimum)\n")
        #expect(run.standardOutput.isEmpty)
    }

    @Test func aLowSoftLimitIsRaisedToTheHardOne() throws {
        let run = try validate(under: "-S -n 8")
        #expect(run.code == 3, "\(run.standardError)")
        #expect(run.standardError.contains("GET http://127.0.0.1:1 could not connect"), "\(run.standardError)")
        #expect(!run.standardError.contains("open-file limit") && !run.standardError.contains("event loop"), "\(run.standardError)")
    }
}
