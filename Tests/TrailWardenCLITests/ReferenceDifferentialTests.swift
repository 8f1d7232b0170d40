import Foundation
import Testing
import TrailWardenCore
import TrailWardenSimulation
import TrailWardenStorage
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// `trailwarden validate` against `aws cloudtrail validate-logs` itself, run on
/// the same tampered worlds through a harness that feeds the reference a local
/// store: identical stdout, stderr and exit code, apart from what only
/// TrailWarden checks.
@Suite(.serialized) struct ReferenceDifferentialTests {
    /// What the reference would print for the same run: TrailWarden's events
    /// without its own checks, and with appended gzip members accepted, as the
    /// pinned reference (awscli 1.45.11) accepts them.
    static func referenceView(_ events: [ValidationEvent]) -> [ValidationEvent] {
        events.compactMap { event in
            switch event {
            case .chainLinkBroken, .digestsMissing, .logUnreferenced: return nil
            case .logInvalid(let location, .dataAfterFirstMember): return .logValid(location)
            default: return event
            }
        }
    }

    static func render(_ events: [ValidationEvent], arn: String, start: Date, end: Date, verbose: Bool) -> Run {
        let output = CapturedOutput()
        let renderer = ReferenceTextRenderer(output: output, verbose: verbose)
        renderer.header(trailARN: arn, start: start, end: end)
        var tally = ValidationTally()
        for event in events {
            tally.record(event, requestedStart: start, requestedEnd: end)
            renderer.event(event)
        }
        renderer.summary(tally, start: start, end: end)
        let invalid = tally.invalidDigests + tally.invalidBackfillDigests + tally.invalidLogs > 0
        return Run(code: invalid ? 1 : 0, standardOutput: output.standardOutput, standardError: output.standardError)
    }

    @Test(arguments: [nil, "o-diff123456"])
    func validateMatchesTheReferenceLineForLine(_ organization: String?) async throws {
        var simulate = ["--accounts", "2", "--hours", "48", "--logs-per-digest", "3", "--tamper", "all", "--seed", "5"]
        if let organization { simulate += ["--org-id", organization] }
        let world = try await SimulatedWorld(simulate)
        defer { world.remove() }
        let store = LocalDirectoryStore(root: world.root)
        let keys = try KeyFiles.load([world.keysFile])
        let manifest = world.manifest
        let ranges = [(manifest.start, manifest.end),
                      (manifest.start.addingTimeInterval(9 * 3600 + 1200), manifest.start.addingTimeInterval(33 * 3600)),
                      (manifest.start.addingTimeInterval(-10 * 86400), manifest.start.addingTimeInterval(-5 * 86400))]
        var compared = 0
        for chain in manifest.chains {
            for (start, end) in ranges {
                var events = [ValidationEvent]()
                _ = try await ChainValidator(store: store, keys: keys).validate(
                    ValidationRequest(chain: chain.chain, start: start, end: end, checkUnreferenced: true)) { events.append($0) }
                for verbose in [false, true] {
                    let flags = ["--check-unreferenced"] + (verbose ? ["--verbose"] : [])
                    let ours = await Run(["validate"] + world.validateArguments(chain, start: start, end: end) + flags)
                    let rendered = Self.render(events, arn: chain.trailARN, start: start, end: end, verbose: verbose)
                    #expect(ours.standardOutput == rendered.standardOutput)
                    #expect(ours.standardError == rendered.standardError)

                    let expected = Self.render(Self.referenceView(events), arn: chain.trailARN, start: start, end: end, verbose: verbose)
                    let reference = try ReferenceValidator.run(world, chain, start: start, end: end, verbose: verbose)
                    let label = "\(chain.chain) \(CloudTrailTime.display(start)) verbose=\(verbose)"
                    #expect(reference.standardOutput == expected.standardOutput, "\(label)")
                    #expect(reference.standardError == expected.standardError, "\(label)")
                    #expect(reference.code == expected.code, "\(label)")
                    compared += 1
                }
            }
        }
        #expect(compared == manifest.chains.count * ranges.count * 2)
        // The worlds hold every tamper kind, so the comparison covered each.
        #expect(Set(manifest.chains.flatMap { $0.expectedFindings.map(\.tamper) }) == Set(TamperKind.allCases))
    }
}
