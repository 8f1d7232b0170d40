import Foundation
import TrailWardenVocabulary

/// The JSON credential documents of EC2 instance metadata, the ECS/EKS
/// container endpoint and `credential_process`, which differ only in field
/// names for the token and in their status fields.
struct CredentialDocument: Decodable {
    var version: Int?
    /// IMDS: `Success`, or an error code with `Message`.
    var code: String?
    var message: String?
    var accessKeyID: String?
    var secretAccessKey: String?
    /// `Token` (IMDS, containers) or `SessionToken` (`credential_process`).
    var token: String?
    var sessionToken: String?
    var expiration: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version", code = "Code", message = "Message", accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey", token = "Token", sessionToken = "SessionToken", expiration = "Expiration"
    }

    /// Decodes `bytes`; errors name the source but never repeat the
    /// document, which holds the secret.
    static func decode(_ bytes: [UInt8], provider: String, source: String) throws -> CredentialDocument {
        do {
            return try JSONDecoder().decode(CredentialDocument.self, from: Data(bytes))
        } catch {
            throw CredentialError(.retrievalFailed, provider: provider, "\(source) did not return a JSON credential document")
        }
    }

    /// The credentials; expiration is required when `requireExpiration` (temporary credentials).
    func credentials(provider: String, source: String, requireExpiration: Bool) throws -> AWSCredentials {
        guard let accessKeyID, !accessKeyID.isEmpty, let secretAccessKey, !secretAccessKey.isEmpty else {
            throw CredentialError(.retrievalFailed, provider: provider, "\(source) returned no AccessKeyId or SecretAccessKey")
        }
        var expirationDate: Date?
        if let expiration {
            guard let parsed = CloudTrailTime.parseTimestamp(expiration) else {
                throw CredentialError(.retrievalFailed, provider: provider, "\(source) returned an Expiration that is not an ISO 8601 time")
            }
            expirationDate = parsed
        } else if requireExpiration {
            throw CredentialError(.retrievalFailed, provider: provider, "\(source) returned no Expiration")
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey,
                              sessionToken: token ?? sessionToken, expiration: expirationDate)
    }
}
