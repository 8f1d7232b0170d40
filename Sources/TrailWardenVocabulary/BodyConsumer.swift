/// Receives a body (an S3 object, an HTTP answer, a local file) piece by
/// piece, so that a body of any size passes through memory of a fixed size.
///
/// One protocol for every layer: the engine's consumers go unchanged through
/// the object store, the AWS transport and the HTTP client. Pieces are valid
/// only during the call, which may come on a thread of the transport's own
/// while the caller's task is suspended.
public protocol BodyConsumer {
    /// Called once per attempt, before the first piece, with the header fields
    /// the body came with (names as sent); sources without headers never call it.
    mutating func begin(headers: [(name: String, value: String)]) throws

    mutating func consume(_ piece: UnsafeRawBufferPointer) throws

    /// Forgets everything consumed so far: a source that retries a read
    /// interrupted mid-body calls this before streaming the body again.
    mutating func reset()
}

extension BodyConsumer {
    public mutating func begin(headers: [(name: String, value: String)]) throws {}
}

/// Collects a body in memory, refusing more than `limit` bytes: for bodies
/// that are parsed whole (digests, XML, JSON), never for log files.
public struct BodyCollector: BodyConsumer {
    public let limit: Int
    /// Names what is collected in the error (an object, a host; never a query string).
    public let subject: String
    public private(set) var bytes = [UInt8]()

    public init(limit: Int, subject: String) {
        self.limit = limit
        self.subject = subject
    }

    public mutating func consume(_ piece: UnsafeRawBufferPointer) throws {
        guard bytes.count + piece.count <= limit else { throw BodyTooLargeError(subject: subject, limit: limit) }
        bytes.append(contentsOf: piece)
    }

    public mutating func reset() { bytes.removeAll() }
}

/// A body was larger than its collector allows; each layer turns it into its own error kind.
public struct BodyTooLargeError: Error, Sendable, CustomStringConvertible {
    public let subject: String
    public let limit: Int

    public var description: String { "\(subject) is larger than \(limit) bytes" }
}
