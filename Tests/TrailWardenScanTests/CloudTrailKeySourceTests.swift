import Foundation
import Testing
import TrailWardenAWS
import TrailWardenCore
import TrailWardenHTTP
import TrailWardenScan
import TrailWardenSimulation
import TrailWardenVocabulary

/// `CloudTrailKeySource`: a region's chains, each asking ListPublicKeys for the window of its
/// own range, get exactly the keys a call for their window would return, from a few calls.
struct CloudTrailKeySourceTests {
    /// ListPublicKeys answered in process from a simulated world's two keys (rotated in the
    /// middle of the world), filtered by validity as AWS does; the windows asked are recorded.
    final class PublicKeysAWS: HTTPClient, @unchecked Sendable {
        let list: [[String: Any]]
        // Touched only under the lock.
        private let lock = NSLock()
        private var asked: [ClosedRange<Double>] = []

        init(_ json: Data) throws {
            list = (try JSONSerialization.jsonObject(with: json) as? [String: Any])?["PublicKeyList"] as? [[String: Any]] ?? []
        }

        var windows: [ClosedRange<Double>] { lock.withLock { asked } }

        func send<Consumer: BodyConsumer>(_ request: HTTPRequest, streamingInto consumer: inout Consumer) async throws -> HTTPResponse {
            let input = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            let from = input["StartTime"] as? Double ?? 0, to = input["EndTime"] as? Double ?? 0
            lock.withLock { asked.append(from...to) }
            try await Task.sleep(for: .milliseconds(20))
            let keys = list.filter { ($0["ValidityStartTime"] as? Double ?? 0) <= to && ($0["ValidityEndTime"] as? Double ?? .infinity) >= from }
            let body = [UInt8](try JSONSerialization.data(withJSONObject: ["PublicKeyList": keys]))
            let response = HTTPResponse(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: [])
            try consumer.begin(headers: response.headers)
            try body.withUnsafeBytes { try consumer.consume($0) }
            return response
        }
    }

    @Test func windowsInsideOneAskedAreAnsweredFromItAndTheRestWidenIt() async throws {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let world = try WorldBuilder(spec: WorldSpec(accounts: 1, regions: ["us-east-1"], hours: 48, logsPerDigest: 1, seed: 3, start: start)).build()
        let aws = try PublicKeysAWS(world.publicKeysJSON)
        let transport = AWSTransport(http: aws, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test")),
                                     endpointOverride: "http://aws.invalid")
        let source = CloudTrailKeySource(client: CloudTrailClient(transport: transport, region: "us-east-1"))
        let direct = StaticPublicKeySource(keys: try PublicKeyList.decode(world.publicKeysJSON, file: "world"))
        func hours(_ from: Double, _ to: Double) -> (Date, Date) { (start.addingTimeInterval(from * 3600), start.addingTimeInterval(to * 3600)) }
        func fingerprints(_ keys: [PublicKey]) -> [String] { keys.map(\.fingerprint).sorted() }

        // Ten chains of the region at once, with the same window: one call.
        let whole = hours(0, 50)
        let answers = try await withThrowingTaskGroup(of: [PublicKey].self) { group in
            for _ in 0..<10 { group.addTask { try await source.publicKeys(from: whole.0, to: whole.1) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(aws.windows.count == 1)
        #expect(Set(answers.map(fingerprints)) == [fingerprints(try await direct.publicKeys(from: whole.0, to: whole.1))])

        // Windows inside it: no call, and each gets only the keys valid in it (the first key before
        // the rotation at hour 23, both around it, the second after).
        var counts = [Int]()
        for (from, to) in [(0.0, 2.0), (20.0, 26.0), (40.0, 50.0)] {
            let window = hours(from, to)
            let keys = try await source.publicKeys(from: window.0, to: window.1)
            #expect(fingerprints(keys) == fingerprints(try await direct.publicKeys(from: window.0, to: window.1)))
            counts.append(keys.count)
        }
        #expect(counts == [1, 2, 1])
        #expect(aws.windows.count == 1)

        // A window reaching earlier is asked as the union of both, after which both are answered without a call.
        let earlier = hours(-24 * 40, 1)
        #expect(fingerprints(try await source.publicKeys(from: earlier.0, to: earlier.1)) == fingerprints(try await direct.publicKeys(from: earlier.0, to: earlier.1)))
        #expect(aws.windows.count == 2 && aws.windows[1] == earlier.0.timeIntervalSince1970...whole.1.timeIntervalSince1970)
        _ = try await source.publicKeys(from: hours(-24 * 35, 0).0, to: whole.1)
        #expect(aws.windows.count == 2)
    }
}
