import Foundation

/// A source of AWS credentials: the environment, a profile, a role, a metadata service.
///
/// Providers are asked again whenever credentials are needed; wrap one in
/// `RefreshingCredentialProvider` to cache its answer until shortly before
/// the credentials expire.
public protocol CredentialProvider: Sendable {
    /// Credentials from this source. Throws a `CredentialError` of kind
    /// `.notConfigured` when this source is not set up at all, so a chain
    /// moves on to the next; any other error means it is set up but failed.
    func credentials() async throws -> AWSCredentials

    /// A short name for logs and errors, such as `env` or `assume-role`.
    var name: String { get }
}

extension CredentialProvider {
    public var name: String { String(describing: Self.self) }
}

/// Why no credentials came from a provider. Messages name variables, files
/// and profiles, never credential values.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The source is not set up; a chain tries the next one.
        case notConfigured
        /// The source is set up, but wrongly (missing keys, a loop of source profiles).
        case invalidConfiguration
        /// The source is set up correctly but did not deliver credentials.
        case retrievalFailed
    }

    public var kind: Kind
    /// The provider's `name`.
    public var provider: String
    public var message: String

    public init(_ kind: Kind, provider: String, _ message: String) {
        self.kind = kind
        self.provider = provider
        self.message = message
    }

    public var description: String { "\(provider): \(message)" }
}

/// Long-term or otherwise fixed credentials, such as ones given on a command line.
public struct StaticCredentialProvider: CredentialProvider {
    public let fixed: AWSCredentials
    public var name: String { "static" }

    public init(_ credentials: AWSCredentials) { fixed = credentials }

    public func credentials() async throws -> AWSCredentials { fixed }
}

/// Receives one human-readable line about credential resolution; lines
/// never contain secrets.
public typealias CredentialLog = @Sendable (String) -> Void

/// The current time, injectable so expiry and signing are testable.
public typealias WallClock = @Sendable () -> Date
