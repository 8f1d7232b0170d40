/// Why a configuration file was refused, as one line that names the file and
/// the JSON path of the key to fix.
///
/// A nightly job that fails after assuming roles in half an organization is
/// expensive to debug; a one-line error before any AWS call is not. The message
/// is the whole interface: it says where, what was expected, and what was found.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as it was given (`accounts.json`, `/etc/trailwarden/accounts.json`).
    public let file: String
    /// The JSON path of the offending key (`roles.default.durationSeconds`,
    /// `trails.explicit[0].arn`); nil when the problem is the file as a whole.
    public let path: String?
    /// The problem, without the file name.
    public let message: String

    public var description: String { "\(file): \(message)" }

    init(file: String, path: String?, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }
}
