import Foundation

/// What one alarm target did after one run.
public struct AlarmOutcomeRecord: Sendable, Equatable, Codable {
    public static let delivered = "delivered"
    /// Nothing was pending and the target wants no empty notices.
    public static let nothingNew = "nothing-new"
    public static let failed = "failed"
    /// --no-alarms: the findings stay pending.
    public static let skipped = "skipped"

    public var run: Int64
    public var target: String
    /// "delivered", "nothing-new", "failed" or "skipped".
    public var status: String
    /// How many findings it carried, or left pending.
    public var findings: Int
    public var attempts: Int
    public var error: String?

    public init(run: Int64, target: String, status: String, findings: Int, attempts: Int, error: String?) {
        self.run = run
        self.target = target
        self.status = status
        self.findings = findings
        self.attempts = attempts
        self.error = error
    }
}
