/// The words a person reads about a finding wherever it lands (a Security Hub
/// finding, an OCSF event, an EventBridge rule's target): a short title, and what
/// to do, naming the console page or AWS CLI command that shows the evidence.
/// docs/operations.md#triage says the same per category at more length.
extension FindingKind {
    /// A short title, under 80 characters, without the object (which the exports name apart).
    public var title: String {
        switch self {
        case .logNotFound: return "CloudTrail log file deleted"
        case .logHashMismatch: return "CloudTrail log file modified"
        case .logInvalidFormat: return "CloudTrail log file unreadable"
        case .logDataAfterGzipMember: return "Data appended to a CloudTrail log file"
        case .logUnreferenced: return "CloudTrail log file no digest vouches for"
        case .digestNotFound: return "CloudTrail digest file deleted"
        case .digestInvalidFormat: return "CloudTrail digest file unreadable"
        case .digestMoved: return "CloudTrail digest file moved or copied"
        case .digestSignatureInvalid: return "CloudTrail digest signature invalid"
        case .digestPublicKeyNotFound: return "CloudTrail digest signed with an unknown key"
        case .digestPublicKeyUnloadable: return "CloudTrail digest signing key unusable"
        case .digestInvalid: return "CloudTrail digest file invalid"
        case .digestsMissing: return "CloudTrail digest files missing"
        case .chainLinkHashMismatch, .chainLinkSignatureMismatch: return "CloudTrail digest chain broken"
        case .chainNoDigests: return "CloudTrail chain has no digests"
        case .chainCheckpointBreak: return "CloudTrail digest chain rewritten since the last scan"
        case .digestsStale: return "CloudTrail digests no longer delivered"
        case .checkpointDigestMissing: return "CloudTrail digest validated earlier is gone"
        case .trailValidationDisabled: return "CloudTrail log file validation disabled"
        case .trailLoggingStopped: return "CloudTrail trail not logging"
        case .regionUncovered: return "Region without a validated CloudTrail trail"
        case .unrecognized(let word): return "CloudTrail integrity finding (\(word))"
        }
    }

    /// What to check and where: one paragraph, the same for every finding of the kind.
    public var remediation: String {
        Self.firstSteps + " " + specificSteps
    }

    /// What every finding calls for first.
    static let firstSteps = "Do not change the bucket or its objects, and keep this finding. "
        + "Re-check the chain over the finding's hours with `trailwarden validate` (or `aws cloudtrail validate-logs`)."

    private static let writerSteps = "Find who wrote or deleted the object: the S3 console's Versions view of the object, "
        + "`aws s3api list-object-versions --bucket BUCKET --prefix KEY`, S3 server access logs, and CloudTrail data events "
        + "on the bucket (CloudTrail console, Event history or CloudTrail Lake); then who changed the bucket policy "
        + "(`PutBucketPolicy` events). Open an incident."

    private var specificSteps: String {
        switch category {
        case .invalidLog:
            return "The events of that log file cannot be trusted, or are gone. Recover the original from an earlier "
                + "version or Object Lock if either kept it. " + Self.writerSteps
        case .invalidDigest:
            return "Treat it as tampering with the evidence: a digest was deleted, altered, moved or signed with a key AWS "
                + "never published (`aws cloudtrail list-public-keys` shows the published keys). " + Self.writerSteps
        case .chainBreak:
            return "The chain of digests was cut or rewritten. Rescan the chain's whole window "
                + "(`trailwarden scan --config FILE --account ID --region REGION --full`) to see what else changed. "
                + Self.writerSteps
        case .unreferencedLog:
            return "An injected file, or one written by something other than CloudTrail: keep its events out of "
                + "investigations until explained. Check its `LastModified` and writer "
                + "(`aws s3api head-object --bucket BUCKET --key KEY`, S3 server access logs, CloudTrail data events)."
        case .missingDigests:
            return self == .digestsStale
                ? "Check the trail's delivery: `aws cloudtrail get-trail-status --name TRAIL` "
                    + "(`LatestDigestDeliveryTime`, `LatestDigestDeliveryError`) or the CloudTrail console's trail page, "
                    + "the bucket policy, and the KMS key policy if the trail encrypts; then the newest digests in the bucket."
                : "Deleted digests are tampering unless the trail was stopped for those hours: look for `StopLogging`, "
                    + "`UpdateTrail` and `DeleteTrail` in the CloudTrail console's Event history "
                    + "(`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=StopLogging`). "
                    + Self.writerSteps
        case .posture:
            return self == .regionUncovered
                ? "Nothing is recorded with proof for that account and region. Create a multi-region or organization "
                    + "trail with log file validation on (CloudTrail console, Trails; `aws cloudtrail create-trail "
                    + "--is-multi-region-trail --enable-log-file-validation`)."
                : "Nothing is proven for that trail until fixed. Find who changed it (`UpdateTrail`, `StopLogging` in the "
                    + "account's CloudTrail Event history), then `aws cloudtrail update-trail --name TRAIL "
                    + "--enable-log-file-validation` or `aws cloudtrail start-logging --name TRAIL`. Consider a service "
                    + "control policy that denies those calls."
        }
    }
}
