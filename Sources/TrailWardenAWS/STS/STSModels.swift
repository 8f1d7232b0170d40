/// Who the credentials belong to, as STS GetCallerIdentity reports it.
public struct CallerIdentity: Sendable, Equatable {
    public var account: String
    public var arn: String
    public var userID: String

    public init(account: String, arn: String, userID: String) {
        self.account = account
        self.arn = arn
        self.userID = userID
    }
}

/// The parameters of AssumeRole (and, without `externalID`, AssumeRoleWithWebIdentity).
public struct AssumeRoleRequest: Sendable, Equatable {
    public var roleARN: String
    public var roleSessionName: String
    /// The external ID the role's trust policy requires, if any.
    public var externalID: String?
    /// The session's lifetime; STS defaults to one hour.
    public var durationSeconds: Int?

    public init(roleARN: String, roleSessionName: String, externalID: String? = nil, durationSeconds: Int? = nil) {
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.externalID = externalID
        self.durationSeconds = durationSeconds
    }
}

/// Temporary credentials for an assumed role, and who they act as.
public struct AssumedRole: Sendable, Equatable {
    /// Always carries a session token and an expiration.
    public var credentials: AWSCredentials
    /// `arn:aws:sts::111122223333:assumed-role/RoleName/session-name`.
    public var assumedRoleARN: String
    /// `AROA…:session-name`.
    public var assumedRoleID: String

    public init(credentials: AWSCredentials, assumedRoleARN: String, assumedRoleID: String) {
        self.credentials = credentials
        self.assumedRoleARN = assumedRoleARN
        self.assumedRoleID = assumedRoleID
    }
}
