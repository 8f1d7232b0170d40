import Foundation
import Testing
@testable import TrailWardenCLI

/// There is no global `--region` (validate's and scan's mean the regions to check); the
/// calls that name no region use the AWS CLI's region: AWS_REGION, AWS_DEFAULT_REGION,
/// then the `--profile` profile's `region`, then the command's own default.
@Suite struct ProfileRegionTests {
    @Test func theProfileOfProfileGivesTheRegionOfCallsThatNameNone() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("trailwarden-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try Data("[default]\nregion = eu-west-1\n[profile audit]\nregion = ap-southeast-2\n".utf8)
            .write(to: URL(fileURLWithPath: home + "/.aws/config"))
        func region(_ list: [String], _ environment: [String: String] = [:]) throws -> String {
            let arguments = try ArgumentParser.parse(list, options: ScanCommand.options)
            return try AWSSession(arguments, fallbackRegion: "us-east-1", environment: ["HOME": home].merging(environment) { $1 }).region
        }
        #expect(try region(["--profile", "audit"]) == "ap-southeast-2")
        #expect(try region([]) == "eu-west-1")
        #expect(try region([], ["AWS_PROFILE": "audit"]) == "ap-southeast-2")
        #expect(try region(["--profile", "audit"], ["AWS_DEFAULT_REGION": "ca-central-1"]) == "ca-central-1")
        #expect(try region(["--profile", "audit"], ["AWS_REGION": "sa-east-1", "AWS_DEFAULT_REGION": "ca-central-1"]) == "sa-east-1")
    }
}
