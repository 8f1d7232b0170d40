import Foundation
import Testing
@testable import TrailWardenAWS

@Suite struct SharedConfigTests {
    @Test func parsesLikeConfigParser() throws {
        let text = """
            # comment
            ; another
            [default]
            AWS_Access_Key_ID = AKIADEFAULT
            aws_secret_access_key=secret = with equals
            [profile  audit ]
            region: eu-west-1
            s3 =
              max_concurrent_requests = 20
            [sso-session corp]
            sso_region = us-east-1
            """
        let sections = try SharedConfig.parse(text, path: "config", provider: "test")
        #expect(sections["default"] == ["aws_access_key_id": "AKIADEFAULT", "aws_secret_access_key": "secret = with equals"])
        #expect(sections["profile  audit"]?["region"] == "eu-west-1")
        #expect(sections["profile  audit"]?["s3"] == "\nmax_concurrent_requests = 20")
    }

    @Test func malformedLinesNameTheLineButNotItsContent() {
        let error = #expect(throws: CredentialError.self) {
            try SharedConfig.parse("[default]\nAKIA-SECRET-LOOKING-LINE\n", path: "/x/credentials", provider: "profile")
        }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.message == "/x/credentials line 2 is not a section or a setting")
        #expect(throws: CredentialError.self) { try SharedConfig.parse("key = before any section\n", path: "c", provider: "p") }
    }

    @Test func configFileSectionsAndOverridePaths() throws {
        let home = try TemporaryHome()
        let config = try home.write("elsewhere/config", "[default]\nregion = us-west-2\n[profile audit]\nrole_arn = arn\n[audit]\nignored = yes\n")
        let credentials = try home.write("elsewhere/credentials", "[audit]\naws_access_key_id = AKIA\n")
        let context = CredentialContext(environment: home.environment(["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials]),
                                        http: FakeHTTPClient())
        let loaded = try SharedConfig.load(context, provider: "test")
        #expect(loaded.configFile == ["default": ["region": "us-west-2"], "audit": ["role_arn": "arn"]])
        #expect(loaded.profile("audit") == ["role_arn": "arn", "aws_access_key_id": "AKIA"])
        #expect(loaded.profile("missing") == nil)
    }
}

@Suite struct ProfileCredentialProviderTests {
    @Test func credentialsFileWinsOverProcessWhichWinsOverConfigFile() async throws {
        let home = try TemporaryHome()
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIACREDS\naws_secret_access_key = credsSecret\naws_session_token = tok\n")
        try home.write(".aws/config", "[default]\ncredential_process = /bin/false\naws_access_key_id = AKIACONFIG\naws_secret_access_key = configSecret\n")
        let provider = ProfileCredentialProvider(context: CredentialContext(environment: home.environment(), http: FakeHTTPClient()))
        #expect(try await provider.credentials() == AWSCredentials(accessKeyID: "AKIACREDS", secretAccessKey: "credsSecret", sessionToken: "tok"))

        try home.write(".aws/credentials", "")
        let process = try home.write("bin/creds", """
            #!/bin/sh
            printf '%s' '{"Version": 1, "AccessKeyId": "ASIAPROCESS", "SecretAccessKey": "processSecret", "SessionToken": "processToken", "Expiration": "2026-01-15T10:30:07+00:00"}'
            """, executable: true)
        try home.write(".aws/config", "[default]\ncredential_process = \"\(process)\" --profile 'a b'\naws_access_key_id = AKIACONFIG\naws_secret_access_key = configSecret\n")
        #expect(try await provider.credentials() == AWSCredentials(accessKeyID: "ASIAPROCESS", secretAccessKey: "processSecret",
                                                                   sessionToken: "processToken", expiration: Date(timeIntervalSince1970: 1_768_473_007)))

        try home.write(".aws/config", "[profile other]\nregion = x\n[default]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = configSecret\n")
        #expect(try await provider.credentials().accessKeyID == "AKIACONFIG")
    }

    @Test func profileSelection() async throws {
        let home = try TemporaryHome()
        try home.write(".aws/credentials", "[audit]\naws_access_key_id = AKIAAUDIT\naws_secret_access_key = s\n[half]\naws_access_key_id = AKIAHALF\n")
        func provider(_ environment: [String: String]) -> ProfileCredentialProvider {
            ProfileCredentialProvider(context: CredentialContext(environment: home.environment(environment), http: FakeHTTPClient()))
        }
        #expect(try await provider(["AWS_PROFILE": "audit"]).credentials().accessKeyID == "AKIAAUDIT")
        #expect(try await provider(["AWS_DEFAULT_PROFILE": "audit"]).credentials().accessKeyID == "AKIAAUDIT")
        let missingDefault = await #expect(throws: CredentialError.self) { try await provider([:]).credentials() }
        #expect(missingDefault?.kind == .notConfigured)
        let missingNamed = await #expect(throws: CredentialError.self) { try await provider(["AWS_PROFILE": "nope"]).credentials() }
        #expect(missingNamed?.kind == .invalidConfiguration)
        #expect(missingNamed?.message == "the config profile (nope) could not be found")
        let partial = await #expect(throws: CredentialError.self) { try await provider(["AWS_PROFILE": "half"]).credentials() }
        #expect(partial?.kind == .invalidConfiguration)
    }
}

@Suite struct ProcessCredentialProviderTests {
    @Test func splitsLikeAPOSIXShell() throws {
        #expect(try ProcessCredentialProvider.split(#"  cmd  'single quoted' "double \"q\" \$HOME \x" back\ slash ''"#, provider: "p")
                == ["cmd", "single quoted", #"double "q" $HOME \x"#, "back slash", ""])
        #expect(throws: CredentialError.self) { try ProcessCredentialProvider.split("cmd 'open", provider: "p") }
        #expect(throws: CredentialError.self) { try ProcessCredentialProvider.split(#"cmd "open"#, provider: "p") }
    }

    @Test func failuresNeverEchoTheOutput() async throws {
        let home = try TemporaryHome()
        let secret = "processSecretThatMustNotLeak"
        let cases: [(script: String, message: String)] = [
            ("printf '%s' 'AccessKeyId=AKIA SecretAccessKey=\(secret)'", "did not return a JSON credential document"),
            ("printf '%s' '{\"Version\": 2, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"\(secret)\"}'", "printed Version 2, not 1"),
            ("printf '%s' '{\"Version\": 1, \"SecretAccessKey\": \"\(secret)\"}'", "returned no AccessKeyId or SecretAccessKey"),
            ("printf '%s' '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"\(secret)\", \"Expiration\": \"tomorrow\"}'",
             "returned an Expiration that is not an ISO 8601 time"),
            ("echo 'token expired, run login' >&2; exit 3", "exited with status 3: token expired, run login"),
        ]
        for (index, testCase) in cases.enumerated() {
            let script = try home.write("bin/p\(index)", "#!/bin/sh\n\(testCase.script)\n", executable: true)
            let error = await #expect(throws: CredentialError.self) {
                try await ProcessCredentialProvider(command: script, environment: home.environment()).credentials()
            }
            #expect(error?.kind == .retrievalFailed)
            #expect(error?.message.hasSuffix(testCase.message) == true, "\(String(describing: error))")
            #expect(String(describing: error).containsNone(of: [secret]))
        }
        let missing = await #expect(throws: CredentialError.self) {
            try await ProcessCredentialProvider(command: "trailwarden-no-such-command", environment: home.environment()).credentials()
        }
        #expect(missing?.kind == .retrievalFailed)
    }
}
