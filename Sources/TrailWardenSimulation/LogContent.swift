import Foundation
import TrailWardenCore
import TrailWardenVocabulary

/// Plausible CloudTrail management events, so that simulated log files look
/// and compress like real ones.
enum LogContent {
    private static let calls: [(source: String, name: String, readOnly: Bool)] = [
        ("s3.amazonaws.com", "GetBucketAcl", true), ("ec2.amazonaws.com", "DescribeInstances", true),
        ("iam.amazonaws.com", "ListRoles", true), ("sts.amazonaws.com", "AssumeRole", false),
        ("kms.amazonaws.com", "Decrypt", true), ("cloudtrail.amazonaws.com", "LookupEvents", true),
        ("ec2.amazonaws.com", "RunInstances", false), ("iam.amazonaws.com", "AttachRolePolicy", false),
        ("lambda.amazonaws.com", "ListFunctions20150331", true), ("s3.amazonaws.com", "PutBucketPolicy", false),
    ]

    /// A log file's JSON and its events' time range.
    static func make(accountID: String, region: String, delivery: Date, events: Int,
                     random: inout SeededRandom) -> (json: [UInt8], oldest: String, newest: String) {
        var records = [[String: Any]]()
        var times = [Date]()
        for _ in 0..<events {
            let call = calls.randomElement(using: &random)!
            let time = delivery.addingTimeInterval(-Double(60 + random.next() % 540))
            times.append(time)
            let session = "session-\(random.string(6, from: "0123456789"))"
            records.append([
                "eventVersion": "1.09",
                "userIdentity": [
                    "type": "AssumedRole",
                    "principalId": "AROA\(random.string(17, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")):\(session)",
                    "arn": "arn:aws:sts::\(accountID):assumed-role/Operator/\(session)",
                    "accountId": accountID,
                ],
                "eventTime": CloudTrailTime.display(time),
                "eventSource": call.source,
                "eventName": call.name,
                "awsRegion": region,
                "sourceIPAddress": "203.0.113.\(random.next() % 254 + 1)",
                "userAgent": "aws-cli/2.17.0 Python/3.11.9 Linux/6.1",
                "requestParameters": NSNull(),
                "responseElements": NSNull(),
                "requestID": random.string(32, from: "0123456789abcdef"),
                "eventID": random.string(32, from: "0123456789abcdef"),
                "readOnly": call.readOnly,
                "eventType": "AwsApiCall",
                "managementEvent": true,
                "recipientAccountId": accountID,
                "eventCategory": "Management",
            ])
        }
        let json = (try? JSONSerialization.data(withJSONObject: ["Records": records], options: [.sortedKeys])) ?? Data()
        return ([UInt8](json), CloudTrailTime.display(times.min()!), CloudTrailTime.display(times.max()!))
    }
}
