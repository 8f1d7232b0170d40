/// Tries providers in order and uses the first one that is configured.
///
/// A provider that is not configured (`CredentialError.Kind.notConfigured`)
/// passes to the next; any other failure stops the chain, because a source
/// that is set up but broken should be fixed, not silently replaced by a
/// different identity. Once a provider has answered, later calls go straight
/// to it, as the CLI keeps the source it resolved for the whole session.
public actor CredentialChain: CredentialProvider {
    public let providers: [any CredentialProvider]
    private let log: CredentialLog?
    private var resolved: (any CredentialProvider)?

    public nonisolated var name: String { "chain" }

    public init(_ providers: [any CredentialProvider], log: CredentialLog? = nil) {
        self.providers = providers
        self.log = log
    }

    public func credentials() async throws -> AWSCredentials {
        if let resolved { return try await resolved.credentials() }
        var skipped = [String]()
        for provider in providers {
            do {
                let credentials = try await provider.credentials()
                log?("Found credentials from \(provider.name)")
                resolved = provider
                return credentials
            } catch let error as CredentialError where error.kind == .notConfigured {
                log?("Skipping \(error)")
                skipped.append(provider.name)
            }
        }
        throw CredentialError(.notConfigured, provider: name,
                              "Unable to locate credentials; tried \(skipped.joined(separator: ", "))")
    }
}
