/// Why a sink could not deliver a notice, naming the target (never a secret
/// part of it), so that a line in a scan report says which alarm failed.
public struct AlarmDeliveryError: Error, Sendable, CustomStringConvertible {
    public var target: String
    public var reason: String

    public init(target: String, reason: String) {
        self.target = target
        self.reason = reason
    }

    public var description: String { "\(target): \(reason)" }
}
