import Foundation

/// What one alarm target did after one run.
public struct AlarmOutcomeRecord: Sendable, Equatable, Codable {
    /// The words `alarm_outcomes.status` stores.
    public enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        case delivered
        /// Nothing was pending and the target wants no empty notices.
        case nothingNew = "nothing-new"
        case failed
        /// --no-alarms: the findings stay pending.
        case skipped
    }

    public var run: Int64
    public var target: String
    public var status: Status
    /// How many findings it carried, or left pending.
    public var findings: Int
    public var attempts: Int
    public var error: String?

    public init(run: Int64, target: String, status: Status, findings: Int, attempts: Int, error: String?) {
        self.run = run
        self.target = target
        self.status = status
        self.findings = findings
        self.attempts = attempts
        self.error = error
    }
}
