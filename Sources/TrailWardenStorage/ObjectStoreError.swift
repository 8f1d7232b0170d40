/// A failure to reach or read an object, typed so that callers can tell a
/// missing object (a finding) from a store they cannot read (an error).
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The object does not exist (S3 NoSuchKey).
        case notFound
        /// The bucket does not exist.
        case noSuchBucket
        /// The caller may not read it.
        case accessDenied
        /// The store answered with something that is not a valid answer.
        case invalidResponse
        /// The object is larger than the caller allows.
        case tooLarge
        /// The store could not be reached or kept failing.
        case unavailable
    }

    public var kind: Kind
    /// What the error is about: `s3://bucket/key`, a bucket, or a file.
    public var subject: String
    public var message: String
    /// The AWS error code, where the store is S3.
    public var code: String?

    public init(_ kind: Kind, _ subject: String, _ message: String, code: String? = nil) {
        self.kind = kind
        self.subject = subject
        self.message = message
        self.code = code
    }

    /// One line: a subject naming a key with a newline or control character is escaped (`KeyText`).
    public var description: String { "\(KeyText.escaped(subject)): \(message)" }
}
