/// A scan problem that names what could not be done.
public struct ScanError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
