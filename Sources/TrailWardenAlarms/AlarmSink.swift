/// Somewhere findings are announced: an SNS topic, CloudWatch metrics, a webhook,
/// Security Hub, an EventBridge bus.
///
/// The seam between deciding what to announce (the scan, with the state's
/// record of what each target already received) and saying it. A sink either
/// delivers the whole notice or throws; it never half-delivers silently, so the
/// caller can keep the notice's findings pending and offer them again.
public protocol AlarmSink: Sendable {
    /// A stable name of the target ("sns:ARN", "cloudwatch:NAMESPACE@REGION",
    /// "webhook:" + scheme, host and a hash of the whole URL, never its secret
    /// path or query, "securityhub:PRODUCT@REGION", "eventbridge:BUS@REGION"): what the state records deliveries against, so renaming
    /// it makes the target receive every pending finding again.
    var target: String { get }

    /// Whether a scan with no new finding is still announced (metrics, whose
    /// zeros and heartbeat alarms rely on); messages to people are not.
    var announcesQuietScans: Bool { get }

    /// Whether `finding` is for this target now; one it does not take stays pending
    /// for it (and is offered again after later scans). Every finding by default; a
    /// target that announces resolutions takes only resolved findings, so each
    /// finding reaches it once, when it is resolved.
    func takes(_ finding: AlarmFinding) -> Bool

    /// Delivers the notice, or throws an error that says why not in one line.
    func deliver(_ notice: AlarmNotice) async throws
}

extension AlarmSink {
    public var announcesQuietScans: Bool { false }

    public func takes(_ finding: AlarmFinding) -> Bool { true }
}
