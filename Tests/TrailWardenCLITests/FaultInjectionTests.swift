import Foundation
import Testing
import TrailWardenTestSupport

/// One way of breaking the road between the binary and moto.
struct FaultCase: Sendable, CustomTestStringConvertible {
    var name: String
    var rules: [FaultRule]

    init(_ name: String, _ match: String, _ kind: String, _ selection: FaultRule.Selection, seconds: Double? = nil) {
        self.name = name
        rules = [FaultRule(match: match, kind: kind, selection: selection, seconds: seconds)]
    }

    var testDescription: String { name }

    /// Past the binary's idle timeout, within the proxy's bound.
    static let stall = Double(FaultWorld.idleTimeoutSeconds * 3)

    static let validate = [
        FaultCase("DescribeTrails 500 burst", "cloudtrail:DescribeTrails", "server-error", .requests([1, 2])),
        FaultCase("ListPublicKeys throttled", "cloudtrail:ListPublicKeys", "throttle", .requests([1, 2, 3])),
        FaultCase("ListPublicKeys HTML 200", "cloudtrail:ListPublicKeys", "html-200", .requests([1])),
        FaultCase("ListPublicKeys garbage 200", "cloudtrail:ListPublicKeys", "garbage-200", .requests([1])),
        FaultCase("ListObjectsV2 reset", "s3:ListObjectsV2", "reset", .requests([1])),
        FaultCase("ListObjectsV2 HTML 404", "s3:ListObjectsV2", "html-404", .requests([1])),
        FaultCase("S3 500 burst", "s3", "server-error", .requests([1, 2, 3])),
        FaultCase("log throttled burst", "s3:GetObject:log", "throttle", .requests([1, 2, 3, 4])),
        FaultCase("digest truncated", "s3:GetObject:digest", "truncate", .requests([1, 5])),
        FaultCase("log overlong", "s3:GetObject:log", "overlong", .requests([1, 3])),
        FaultCase("log reset mid-body", "s3:GetObject:log", "reset", .requests([2])),
        FaultCase("digest headers stalled", "s3:GetObject:digest", "stall-headers", .requests([2]), seconds: stall),
        FaultCase("log body stalled", "s3:GetObject:log", "stall-body", .requests([1]), seconds: stall),
        FaultCase("digest HTML 200", "s3:GetObject:digest", "html-200", .requests([1])),
        FaultCase("digest HTML 404", "s3:GetObject:digest", "html-404", .requests([3])),
        FaultCase("log HTML 404", "s3:GetObject:log", "html-404", .requests([1])),
        FaultCase("digest garbage 200", "s3:GetObject:digest", "garbage-200", .requests([2])),
        FaultCase("log garbage 404", "s3:GetObject:log", "garbage-404", .requests([1])),
        FaultCase("every object corrupted on its first read", "s3:GetObject", "corrupt", .firstRead),
        FaultCase("random resets (seed 7)", "s3:GetObject", "reset", .probability(0.2)),
    ]

    static let scan = [
        FaultCase("GetCallerIdentity 500", "sts:GetCallerIdentity", "server-error", .requests([1])),
        FaultCase("AssumeRole throttled", "sts:AssumeRole", "throttle", .requests([1, 2])),
        FaultCase("AssumeRole HTML 200", "sts:AssumeRole", "html-200", .requests([1])),
        FaultCase("AssumeRole garbage 404", "sts:AssumeRole", "garbage-404", .requests([1])),
        FaultCase("DescribeTrails reset", "cloudtrail:DescribeTrails", "reset", .requests([1])),
        FaultCase("ListPublicKeys throttled", "cloudtrail:ListPublicKeys", "throttle", .requests([1])),
        FaultCase("ListObjectsV2 headers stalled", "s3:ListObjectsV2", "stall-headers", .requests([1]), seconds: stall),
        FaultCase("digest HTML 404", "s3:GetObject:digest", "html-404", .requests([2])),
        FaultCase("log truncated", "s3:GetObject:log", "truncate", .requests([1])),
        FaultCase("every object corrupted on its first read", "s3:GetObject", "corrupt", .firstRead),
    ]

    /// For a second scan, which has little left to read: listings and roles.
    static let rescan = [
        FaultCase("ListObjectsV2 garbage 200", "s3:ListObjectsV2", "garbage-200", .requests([1])),
        FaultCase("AssumeRole 500 burst", "sts:AssumeRole", "server-error", .requests([1, 2])),
        FaultCase("S3 HTML 404", "s3", "html-404", .requests([1])),
    ]
}

/// Issue 10's proof: a fault between TrailWarden and AWS never becomes a finding.
/// The real binary runs against moto through Tests/Support/fault_proxy.py, once
/// per fault; its verdict must equal the verdict without faults, or the run must
/// end with exit 3 and an error line, and never claim tampering the run without
/// faults does not. A scan's state may differ from an uninterrupted scan's only
/// by what it did not check. Every test also proves its fault really fired.
/// Serialized, as every suite here that runs the binary: Foundation's Process on
/// Linux stops noticing children's exits when many are waited for at once.
@Suite(.serialized) struct FaultInjectionTests {
    @Test func theProxyAloneChangesNothing() async throws {
        let fixture = try await FaultWorld.shared.value
        let proxy = try await FaultProxy.start([], upstream: fixture.world.moto)
        defer { proxy.stop() }
        let run = try await fixture.world.validate(endpoint: proxy.endpoint)
        #expect(run.code == fixture.validate.code)
        #expect(run.standardOutput == fixture.validate.standardOutput)
        #expect(run.standardError == fixture.validate.standardError)
        #expect(fixture.validate.code == 1 && !fixture.validate.invalidLines.isEmpty, "the world's tampering is the baseline's finding")
        let stats = try proxy.stats()
        for requestClass in ["cloudtrail:DescribeTrails", "cloudtrail:ListPublicKeys", "s3:ListObjectsV2", "s3:GetObject:digest", "s3:GetObject:log"] {
            #expect(stats.requests[requestClass, default: 0] > 0, "no \(requestClass) seen: \(stats.requests)")
        }
        #expect(stats.injected == 0)
    }

    @Test(arguments: FaultCase.validate) func validateNeverTurnsAFaultIntoAFinding(_ fault: FaultCase) async throws {
        let fixture = try await FaultWorld.shared.value
        let proxy = try await FaultProxy.start(fault.rules, upstream: fixture.world.moto)
        defer { proxy.stop() }
        let run = try await fixture.world.validate(endpoint: proxy.endpoint)
        try expectFired(fault, proxy)
        expectVerdict(run, equals: fixture.validate)
    }

    @Test(arguments: FaultCase.scan) func scanRecordsNothingItDidNotCheck(_ fault: FaultCase) async throws {
        let fixture = try await FaultWorld.shared.value
        let state = fixture.world.folder.appendingPathComponent("fault-\(UUID().uuidString).sqlite").path
        let proxy = try await FaultProxy.start(fault.rules, upstream: fixture.world.moto)
        defer { proxy.stop() }
        let run = try await fixture.world.scan(endpoint: proxy.endpoint, state: state)
        try expectFired(fault, proxy)
        expectVerdict(run, equals: fixture.scan)
        let clean = try ScanState(fixture.scanState)
        let faulted = try ScanState(state)
        #expect(faulted.findings.isSubset(of: clean.findings), "findings the scan without faults does not have: \(faulted.findings.subtracting(clean.findings))")
        for (chain, end) in faulted.checkpoints {
            #expect(end <= clean.checkpoints[chain] ?? .min, "\(chain): checkpoint past the uninterrupted scan's")
        }
        if run.code != 3 { #expect(faulted == clean) }
        // A run without faults from the faulted state ends where the uninterrupted scan did:
        // the faulted run left nothing marked as checked that it had not checked.
        let finish = try await fixture.world.scan(endpoint: fixture.world.moto, state: state)
        #expect(finish.code != 3, "\(finish.standardError)")
        #expect(try ScanState(state) == clean)
    }

    @Test(arguments: FaultCase.rescan) func aFaultedRescanResolvesNothing(_ fault: FaultCase) async throws {
        let fixture = try await FaultWorld.shared.value
        let state = fixture.world.folder.appendingPathComponent("rescan-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: fixture.scanState, toPath: state)
        let proxy = try await FaultProxy.start(fault.rules, upstream: fixture.world.moto)
        defer { proxy.stop() }
        let run = try await fixture.world.scan(endpoint: proxy.endpoint, state: state)
        try expectFired(fault, proxy)
        #expect([0, 1, 3].contains(run.code))
        if run.code == 3 { #expect(!run.errorLines.isEmpty, "exit 3 without an error line") }
        #expect(run.invalidLines.isEmpty, "a rescan with nothing new claims tampering: \(run.invalidLines)")
        #expect(try ScanState(state) == ScanState(fixture.scanState), "the rescan changed findings or checkpoints")
    }

    /// Fails the test when a rule of the case never fired: such a test proves nothing.
    private func expectFired(_ fault: FaultCase, _ proxy: FaultProxy) throws {
        let stats = try proxy.stats()
        for rule in fault.rules {
            let fired = stats.faults.filter { $0.key.hasPrefix(rule.kind + " " + rule.match) }.values.reduce(0, +)
            #expect(fired > 0, "\(rule) never fired; requests seen: \(stats.requests)")
        }
    }

    /// The rule: the same verdict as without faults, or exit 3 with an error line;
    /// never a claim of tampering that the run without faults does not make.
    private func expectVerdict(_ run: Run, equals baseline: Run) {
        let objectLines = { (run: Run) in Set(run.invalidLines.filter { $0.contains("s3://") }) }
        let added = objectLines(run).subtracting(objectLines(baseline))
        #expect(added.isEmpty, "findings the run without faults does not have: \(added)\n\(run.standardError)")
        if run.code == 3 {
            #expect(!run.errorLines.isEmpty, "exit 3 without an error line: \(run.standardError)")
        } else {
            #expect(run.code == baseline.code, "exit \(run.code), without faults \(baseline.code): \(run.standardError)")
            #expect(run.invalidLines == baseline.invalidLines)
        }
    }
}
