/// STS answers as AWS sends them (shapes copied from real responses; values are examples).
enum STSRecordings {
    static let requestID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"

    static let getCallerIdentity = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:sts::111122223333:assumed-role/TrailAuditor/trailwarden</Arn>
            <UserId>AROA3XFRBF535PLBIFPI4:trailwarden</UserId>
            <Account>111122223333</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata>
            <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
          </ResponseMetadata>
        </GetCallerIdentityResponse>
        """

    static func assumeRole(accessKeyID: String = "ASIAIOSFODNN7EXAMPLE", secret: String = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
                           token: String = "FwoGZXIvYXdzEBYaDEXAMPLETOKEN//////////+/=", expiration: String = "2026-01-15T10:30:07Z",
                           session: String = "trailwarden") -> String {
        """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <SourceIdentity>Alice</SourceIdentity>
            <AssumedRoleUser>
              <Arn>arn:aws:sts::111122223333:assumed-role/TrailAuditor/\(session)</Arn>
              <AssumedRoleId>AROA3XFRBF535PLBIFPI4:\(session)</AssumedRoleId>
            </AssumedRoleUser>
            <Credentials>
              <AccessKeyId>\(accessKeyID)</AccessKeyId>
              <SecretAccessKey>\(secret)</SecretAccessKey>
              <SessionToken>\(token)</SessionToken>
              <Expiration>\(expiration)</Expiration>
            </Credentials>
            <PackedPolicySize>6</PackedPolicySize>
          </AssumeRoleResult>
          <ResponseMetadata>
            <RequestId>\(requestID)</RequestId>
          </ResponseMetadata>
        </AssumeRoleResponse>
        """
    }

    static func assumeRoleWithWebIdentity(accessKeyID: String = "ASIAWEBIDENTITYEXAMPLE", secret: String = "webIdentitySecretEXAMPLEKEY",
                                          expiration: String = "2026-01-15T10:30:07.123Z") -> String {
        """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <Audience>sts.amazonaws.com</Audience>
            <AssumedRoleUser>
              <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:pod-session</AssumedRoleId>
              <Arn>arn:aws:sts::111122223333:assumed-role/EksTrailAuditor/pod-session</Arn>
            </AssumedRoleUser>
            <Provider>arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE</Provider>
            <Credentials>
              <SessionToken>IQoJb3JpZ2luX2VjEWEBIDENTITYTOKEN</SessionToken>
              <SecretAccessKey>\(secret)</SecretAccessKey>
              <Expiration>\(expiration)</Expiration>
              <AccessKeyId>\(accessKeyID)</AccessKeyId>
            </Credentials>
            <SubjectFromWebIdentityToken>system:serviceaccount:audit:trailwarden</SubjectFromWebIdentityToken>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata>
            <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
          </ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """
    }

    static let accessDenied = """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error>
            <Type>Sender</Type>
            <Code>AccessDenied</Code>
            <Message>User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/TrailAuditor</Message>
          </Error>
          <RequestId>4e0f5a8c-5d7a-4b8e-9f1e-EXAMPLE00001</RequestId>
        </ErrorResponse>
        """

    static let throttling = """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error>
            <Type>Sender</Type>
            <Code>Throttling</Code>
            <Message>Rate exceeded</Message>
          </Error>
          <RequestId>4e0f5a8c-5d7a-4b8e-9f1e-EXAMPLE00003</RequestId>
        </ErrorResponse>
        """

    static let invalidIdentityToken = """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error>
            <Type>Sender</Type>
            <Code>InvalidIdentityToken</Code>
            <Message>Incorrect token audience</Message>
          </Error>
          <RequestId>4e0f5a8c-5d7a-4b8e-9f1e-EXAMPLE00004</RequestId>
        </ErrorResponse>
        """
}
