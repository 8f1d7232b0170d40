import Foundation
import Testing
@testable import TrailWardenAWS

@Suite struct AWSCredentialsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
    static let token = "IQoJb3JpZ2luX2VjSESSIONTOKEN"
    static let credentials = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: secret, sessionToken: token,
                                            expiration: Date(timeIntervalSince1970: 1_768_473_007))

    @Test func everyTextualFormRedactsSecretAndToken() {
        var dumped = ""
        dump(Self.credentials, to: &dumped)
        let role = AssumedRole(credentials: Self.credentials, assumedRoleARN: "arn:aws:sts::1:assumed-role/R/s", assumedRoleID: "AROA:s")
        let forms = [
            Self.credentials.description, Self.credentials.debugDescription, "\(Self.credentials)",
            String(describing: Self.credentials), String(reflecting: Self.credentials), dumped,
            "\([Self.credentials])", "\(Optional(Self.credentials) as Any)", String(describing: role), String(reflecting: role),
            "\(Mirror(reflecting: Self.credentials).children.map { "\($0.label ?? ""): \($0.value)" })",
        ]
        for form in forms {
            #expect(form.containsNone(of: [Self.secret, Self.token]), "\(form)")
            #expect(form.contains("ASIAEXAMPLE"))
        }
        #expect(Self.credentials.description
                == "AWSCredentials(accessKeyID: ASIAEXAMPLE, secretAccessKey: <redacted>, sessionToken: <redacted>, expiration: 2026-01-15T10:30:07Z)")
        #expect(AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s").description
                == "AWSCredentials(accessKeyID: AKIA, secretAccessKey: <redacted>)")
    }
}
