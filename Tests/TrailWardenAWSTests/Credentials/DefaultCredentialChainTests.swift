import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS

@Suite struct DefaultCredentialChainTests {
    static let imds = "http://imds.test"
    let home: TemporaryHome
    let http = FakeHTTPClient()
    let log = LogRecorder()

    init() throws {
        home = try TemporaryHome()
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profileSecret\n")
        try home.write(".aws/config", "[profile audit]\nrole_arn = arn:aws:iam::444455556666:role/TrailAuditor\nsource_profile = default\n")
    }

    func chain(_ environment: [String: String]) -> DefaultCredentialChain {
        DefaultCredentialChain(context: CredentialContext(environment: home.environment(environment), http: http,
                                                          clock: { Date(timeIntervalSince1970: 1_768_469_407) },
                                                          instanceMetadataEndpoint: Self.imds, log: log.function))
    }

    @Test func environmentComesFirst() async throws {
        let credentials = try await chain(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret",
                                           "AWS_SESSION_TOKEN": "envToken", "AWS_PROFILE": "audit"]).credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "AKIAENV", secretAccessKey: "envSecret", sessionToken: "envToken"))
        #expect(log.lines == ["Found credentials from env"])
        #expect(await http.requests.isEmpty)
    }

    @Test func legacySecurityToken() async throws {
        let credentials = try await chain(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret",
                                           "AWS_SECURITY_TOKEN": "legacyToken"]).credentials()
        #expect(credentials.sessionToken == "legacyToken")
    }

    @Test func roleProfileBeatsWebIdentityWhichBeatsProfileKeys() async throws {
        let tokenFile = try home.write("token", "jwt")
        let webIdentity = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/EksTrailAuditor"]
        await http.on("POST", "https://sts.us-east-1.amazonaws.com/",
                      .response(HTTPResponse(status: 200, body: Array(STSRecordings.assumeRole(accessKeyID: "ASIAROLE").utf8))),
                      .response(HTTPResponse(status: 200, body: Array(STSRecordings.assumeRoleWithWebIdentity().utf8))))
        #expect(try await chain(webIdentity.merging(["AWS_PROFILE": "audit"]) { _, new in new }).credentials().accessKeyID == "ASIAROLE")
        #expect(try await chain(webIdentity).credentials().accessKeyID == "ASIAWEBIDENTITYEXAMPLE")
        #expect(try await chain([:]).credentials().accessKeyID == "AKIAPROFILE")
        #expect(log.lines.filter { $0.hasPrefix("Found") }
                == ["Found credentials from assume-role", "Found credentials from assume-role-with-web-identity", "Found credentials from profile"])
    }

    @Test func fallsThroughToInstanceMetadataAndCachesIt() async throws {
        try home.write(".aws/credentials", "")
        await http.on("PUT", Self.imds + "/latest/api/token", body: "token")
        await http.on("GET", Self.imds + "/latest/meta-data/iam/security-credentials/", body: "Role")
        await http.on("GET", Self.imds + "/latest/meta-data/iam/security-credentials/Role", body: """
            {"Code":"Success","AccessKeyId":"ASIAINSTANCE","SecretAccessKey":"instanceSecret","Token":"instanceToken","Expiration":"2026-01-15T15:30:07Z"}
            """)
        let chain = chain([:])
        for _ in 0..<3 { #expect(try await chain.credentials().accessKeyID == "ASIAINSTANCE") }
        #expect(await http.requests.count == 3)
        #expect(log.lines == [
            "Skipping env: AWS_ACCESS_KEY_ID is not set",
            "Skipping assume-role: the config profile (default) could not be found",
            "Skipping assume-role-with-web-identity: no web identity token file is configured",
            "Skipping sso: the config profile (default) could not be found",
            "Skipping profile: the config profile (default) could not be found",
            "Skipping container-role: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set",
            "Found credentials from iam-role",
            "chain: credentials valid until 2026-01-15T15:30:07Z",
        ])
    }

    @Test func nothingAnywhere() async throws {
        try home.write(".aws/credentials", "")
        let error = await #expect(throws: CredentialError.self) { try await chain(["AWS_EC2_METADATA_DISABLED": "true"]).credentials() }
        #expect(error?.message == "Unable to locate credentials; tried env, assume-role, assume-role-with-web-identity, sso, profile, container-role, iam-role")
        #expect(await http.requests.isEmpty)
    }
}

/// No secret or session token may appear in any description, error or log
/// line the credential code produces, whichever way it fails.
@Suite struct CredentialRedactionTests {
    static let secrets = ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "FwoGZXIvYXdzEBYaDEXAMPLETOKEN", "profileSecretValue",
                          "processSecretValue", "containerSecretValue", "envSecretValue", "envTokenValue"]

    @Test func nothingLeaks() async throws {
        let home = try TemporaryHome()
        let log = LogRecorder()
        let http = FakeHTTPClient()
        var texts = [String]()
        func record(_ value: Any) {
            texts.append(String(describing: value))
            texts.append(String(reflecting: value))
        }
        let process = try home.write("bin/creds", """
            #!/bin/sh
            printf '%s' 'not json but has processSecretValue'
            """, executable: true)
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profileSecretValue\n"
            + "[broken]\ncredential_process = \(process)\n[half]\naws_secret_access_key = profileSecretValue\naws_access_key_id =\n")
        try home.write(".aws/config", "[profile audit]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = default\n"
            + "[profile garbage]\nprofileSecretValue\n")
        await http.on("POST", "https://sts.us-east-1.amazonaws.com/",
                      .response(HTTPResponse(status: 200, body: Array(STSRecordings.assumeRole().utf8))),
                      .response(HTTPResponse(status: 400, body: Array(STSRecordings.assumeRole().utf8))),
                      .response(HTTPResponse(status: 200, body: Array(STSRecordings.assumeRole(expiration: "garbage").utf8))))
        await http.on("GET", "https://creds.test/broken", status: 500, body: #"{"AccessKeyId":"A","SecretAccessKey":"containerSecretValue"}"#)
        await http.on("GET", "https://creds.test/nodate", body: #"{"AccessKeyId":"A","SecretAccessKey":"containerSecretValue"}"#)

        let environments: [[String: String]] = [
            ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecretValue", "AWS_SESSION_TOKEN": "envTokenValue"],
            ["AWS_PROFILE": "audit"], ["AWS_PROFILE": "audit"], ["AWS_PROFILE": "audit"],
            ["AWS_PROFILE": "broken"], ["AWS_PROFILE": "garbage"], [:],
            ["AWS_PROFILE": "half", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.test/broken"],
            ["AWS_PROFILE": "nope", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.test/nodate"],
        ]
        for environment in environments {
            let context = CredentialContext(environment: home.environment(environment), http: http, log: log.function)
            do {
                record(try await DefaultCredentialChain(context: context).credentials())
            } catch {
                record(error)
            }
            do {
                record(try await ContainerCredentialProvider(context: context, attempts: 1).credentials())
            } catch {
                record(error)
            }
        }
        record(try await STSClient(http: http, region: "us-east-1").assumeRole(AssumeRoleRequest(roleARN: "r", roleSessionName: "s"),
                                                                               credentials: AWSCredentials(accessKeyID: "A", secretAccessKey: "s")))
        #expect(texts.count > 20)
        #expect(log.lines.count > 5)
        for text in texts + log.lines {
            #expect(text.containsNone(of: Self.secrets), "\(text)")
        }
    }
}
