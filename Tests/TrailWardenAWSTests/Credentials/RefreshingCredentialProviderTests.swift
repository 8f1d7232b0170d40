import Foundation
import Testing
@testable import TrailWardenAWS

@Suite struct RefreshingCredentialProviderTests {
    static func session(_ number: Int, expiresAt expiration: Date) -> AWSCredentials {
        AWSCredentials(accessKeyID: "ASIA\(number)", secretAccessKey: "secret-\(number)", sessionToken: "token-\(number)", expiration: expiration)
    }

    @Test func keepsCredentialsWithoutExpirationForGood() async throws {
        let base = ScriptedProvider { _ in AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s") }
        let cache = RefreshingCredentialProvider(base)
        for _ in 0..<5 { _ = try await cache.credentials() }
        #expect(await base.calls.count == 1)
    }

    @Test func renewsFiveMinutesBeforeExpiry() async throws {
        let clock = TestClock()
        let start = clock.now
        let base = ScriptedProvider { call in Self.session(call, expiresAt: start + Double(call) * 3600) }
        let cache = RefreshingCredentialProvider(base, clock: clock.function)
        #expect(try await cache.credentials().accessKeyID == "ASIA1")
        clock.advance(by: 3600 - 301)
        #expect(try await cache.credentials().accessKeyID == "ASIA1")
        clock.advance(by: 2)
        #expect(try await cache.credentials().accessKeyID == "ASIA2")
        #expect(try await cache.credentials().accessKeyID == "ASIA2")
        #expect(await base.calls.count == 2)
    }

    @Test func concurrentCallersShareOneRenewal() async throws {
        let clock = TestClock()
        let start = clock.now
        let base = ScriptedProvider { call in
            try await Task.sleep(for: .milliseconds(50))
            return Self.session(call, expiresAt: start + Double(call) * 3600)
        }
        let cache = RefreshingCredentialProvider(base, clock: clock.function)
        for round in 1...2 {
            let keys = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<64 { group.addTask { try await cache.credentials().accessKeyID } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(keys == ["ASIA\(round)"])
            #expect(await base.calls.count == round)
            clock.advance(by: 3600)
        }
    }

    @Test func failedEarlyRenewalKeepsWorkingCredentialsAndBacksOff() async throws {
        let clock = TestClock()
        let expiry = clock.now + 600
        let log = LogRecorder()
        let base = ScriptedProvider { call in
            if call == 1 { return Self.session(1, expiresAt: expiry) }
            throw CredentialError(.retrievalFailed, provider: "scripted", "STS is down")
        }
        let cache = RefreshingCredentialProvider(base, retryInterval: 10, clock: clock.function, log: log.function)
        _ = try await cache.credentials()
        clock.advance(by: 400)
        #expect(try await cache.credentials().accessKeyID == "ASIA1")
        #expect(await base.calls.count == 2)
        clock.advance(by: 5)
        #expect(try await cache.credentials().accessKeyID == "ASIA1")
        #expect(await base.calls.count == 2)
        clock.advance(by: 10)
        #expect(try await cache.credentials().accessKeyID == "ASIA1")
        #expect(await base.calls.count == 3)
        clock.advance(by: 200)
        let error = await #expect(throws: CredentialError.self) { try await cache.credentials() }
        #expect(error?.message == "STS is down")
        #expect(log.lines.contains("scripted: renewing credentials failed (scripted: STS is down); using the current ones until 2026-01-15T09:40:07Z"))
        #expect(log.lines.joined().containsNone(of: ["secret-1", "token-1"]))
    }
}

@Suite struct CredentialChainTests {
    static let found = AWSCredentials(accessKeyID: "AKIAFOUND", secretAccessKey: "foundSecret")

    static func notConfigured(_ name: String) -> ScriptedProvider {
        ScriptedProvider(name: name) { _ in throw CredentialError(.notConfigured, provider: name, "\(name) is not set up") }
    }

    @Test func firstConfiguredProviderWinsAndStays() async throws {
        let log = LogRecorder()
        let first = Self.notConfigured("first")
        let second = ScriptedProvider(name: "second") { _ in Self.found }
        let third = ScriptedProvider(name: "third") { _ in Issue.record("third provider asked"); return Self.found }
        let chain = CredentialChain([first, second, third], log: log.function)
        #expect(try await chain.credentials() == Self.found)
        #expect(try await chain.credentials() == Self.found)
        #expect(await first.calls.count == 1)
        #expect(await second.calls.count == 2)
        #expect(log.lines == ["Skipping first: first is not set up", "Found credentials from second"])
    }

    @Test func aConfiguredButBrokenProviderStopsTheChain() async throws {
        let broken = ScriptedProvider(name: "broken") { _ in throw CredentialError(.invalidConfiguration, provider: "broken", "bad") }
        let later = ScriptedProvider(name: "later") { _ in Self.found }
        let error = await #expect(throws: CredentialError.self) { try await CredentialChain([broken, later]).credentials() }
        #expect(error?.kind == .invalidConfiguration)
        #expect(await later.calls.count == 0)
    }

    @Test func nothingConfigured() async throws {
        let error = await #expect(throws: CredentialError.self) {
            try await CredentialChain([Self.notConfigured("a"), Self.notConfigured("b")]).credentials()
        }
        #expect(error?.kind == .notConfigured)
        #expect(error?.description == "chain: Unable to locate credentials; tried a, b")
    }
}
