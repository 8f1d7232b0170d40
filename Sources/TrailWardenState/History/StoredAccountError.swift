import Foundation

/// An account error as stored, with the run that met it.
public struct StoredAccountError: Sendable, Equatable {
    public var run: Int64
    public var accountID: String
    public var message: String
}
