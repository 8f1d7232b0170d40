import Foundation

extension ScanConfiguration {
    /// A role TrailWarden assumes: in every scanned account, in the management
    /// account to list the organization, or in a log-archive account to read a bucket.
    ///
    /// A name is enough when the role has the same name everywhere (the usual
    /// StackSet deployment); an ARN template covers roles with paths, other
    /// partitions, or a fixed account.
    public struct RoleSpec: Sendable, Hashable {
        /// How the role's ARN is formed.
        public enum Target: Sendable, Hashable {
            /// `arn:{partition}:iam::{account}:role/{name}`.
            case name(String)
            /// A role ARN in which `{account}` and `{partition}` are replaced.
            case arnTemplate(String)
        }

        public static let defaultSessionName = "trailwarden"
        public static let defaultDurationSeconds = 3600
        /// STS's limits: 15 minutes to 12 hours (and no more than the role's maximum).
        public static let durationRange = 900...43200

        public let target: Target
        /// Passed as `ExternalId`. Passing one to a role whose trust policy does not
        /// ask for it is harmless, so overrides inherit the default's.
        public let externalId: String?
        /// `RoleSessionName`, which CloudTrail records in the accessed account.
        public let sessionName: String
        public let durationSeconds: Int

        /// The ARN to assume for `account` in `partition`.
        public func roleARN(account: String, partition: String) -> String {
            switch target {
            case .name(let name):
                return "arn:\(partition):iam::\(account):role/\(name)"
            case .arnTemplate(let template):
                return template.replacingOccurrences(of: "{account}", with: account)
                    .replacingOccurrences(of: "{partition}", with: partition)
            }
        }

        /// False only for a template that names its account, which therefore
        /// needs no account from elsewhere.
        var needsAccount: Bool {
            switch target {
            case .name: return true
            case .arnTemplate(let template): return template.contains("{account}")
            }
        }
    }
}

extension ScanConfiguration.RoleSpec {
    static let keys = ["name", "arn", "externalId", "sessionName", "durationSeconds"]

    /// Reads a role given as a string (a name, or an ARN if it starts with
    /// `arn:`) or as an object; whatever the node leaves out comes from `base`
    /// (the default role, for per-account overrides) or the defaults.
    init(_ node: ConfigNode, over base: Self?, partition: String) throws(ConfigurationError) {
        if case .string = node.value {
            self.init(target: try Self.target(text: node, partition: partition),
                      externalId: base?.externalId,
                      sessionName: base?.sessionName ?? Self.defaultSessionName,
                      durationSeconds: base?.durationSeconds ?? Self.defaultDurationSeconds)
            return
        }
        guard case .object = node.value else { throw node.mismatch("a role name, a role ARN, or an object") }
        let object = try node.object(keys: Self.keys)
        let target: Target
        switch (object["name"], object["arn"]) {
        case (let name?, nil): target = .name(try Self.name(name))
        case (nil, let arn?): target = .arnTemplate(try Self.arnTemplate(arn, partition: partition))
        case (_?, _?): throw node.error("has both \"name\" and \"arn\"; give one")
        case (nil, nil):
            guard let base else { throw node.error("needs \"name\" or \"arn\"") }
            target = base.target
        }
        var externalId = base?.externalId
        if let node = object["externalId"] {
            let text = try node.string()
            guard ConfigFormat.isIAMText(text, length: 2...1224, extra: [":", "/"]) else {
                throw node.mismatch("2 to 1224 letters, digits or _+=,.@:/- characters")
            }
            externalId = text
        }
        var sessionName = base?.sessionName ?? Self.defaultSessionName
        if let node = object["sessionName"] {
            sessionName = try node.string()
            guard ConfigFormat.isIAMText(sessionName, length: 2...64) else {
                throw node.mismatch("2 to 64 letters, digits or _+=,.@- characters")
            }
        }
        let durationSeconds = try object["durationSeconds"]?.integer(in: Self.durationRange)
            ?? base?.durationSeconds ?? Self.defaultDurationSeconds
        self.init(target: target, externalId: externalId, sessionName: sessionName, durationSeconds: durationSeconds)
    }

    private static func target(text node: ConfigNode, partition: String) throws(ConfigurationError) -> Target {
        let text = try node.string()
        return text.hasPrefix("arn:") ? .arnTemplate(try arnTemplate(node, partition: partition)) : .name(try name(node))
    }

    private static func name(_ node: ConfigNode) throws(ConfigurationError) -> String {
        let text = try node.string("a role name")
        guard ConfigFormat.isIAMText(text, length: 1...64) else {
            throw node.mismatch("a role name (1 to 64 letters, digits or _+=,.@- characters; use \"arn\" for a role with a path)")
        }
        return text
    }

    /// `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`, where PARTITION may be
    /// `{partition}` and ACCOUNT may be `{account}`.
    private static func arnTemplate(_ node: ConfigNode, partition: String) throws(ConfigurationError) -> String {
        let expected = "a role ARN like \"arn:\(partition):iam::{account}:role/NAME\""
        let text = try node.string(expected)
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[3].isEmpty,
              parts[1] == "{partition}" || ConfigFormat.isPartition(parts[1]),
              parts[4] == "{account}" || ConfigFormat.isAccountID(parts[4]),
              parts[5].hasPrefix("role/"), !parts[5].hasSuffix("/"),
              ConfigFormat.isIAMText(String(parts[5].dropFirst(5)), length: 1...576, extra: ["/"]) else {
            throw node.mismatch(expected)
        }
        guard parts[1] == "{partition}" || parts[1] == partition else {
            throw node.error("is in the partition \"\(parts[1])\", but the configuration's partition is \"\(partition)\"")
        }
        return text
    }
}
