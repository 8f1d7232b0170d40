import Foundation
import Testing
import TrailWardenHTTP
@testable import TrailWardenAWS
import TrailWardenVocabulary

@Suite struct SigV4Tests {
    static let example = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    /// The worked example of AWS's "Create a signed AWS API request" guide (IAM ListUsers).
    @Test func theDateOfEachSecondIsFormattedOnceAndNeverStale() {
        let start = 1_767_225_600.0  // 2026-01-01T00:00:00Z
        for offset in [0.0, 0.25, 0.999, 1, 1.5, 0.5, 59, 3600.75, 3600.1, 86_399.9, 0] {
            let date = Date(timeIntervalSince1970: start + offset)
            #expect(SigV4Signer.amzDate(date) == CloudTrailTime.keyStamp(date), "\(offset)")
        }
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: start + 3600.5)) == "20260101T010000Z")
    }

    @Test func awsDocumentationIAMExample() throws {
        let request = HTTPRequest(method: "GET", url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
                                  headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")])
        let date = try #require(CloudTrailTime.parseTimestamp("2015-08-30T12:36:00Z"))
        let (signed, signature) = try SigV4Signer(service: "iam", region: "us-east-1")
            .signature(of: request, credentials: Self.example, at: date)
        #expect(signature.canonicalRequest.text == """
            GET
            /
            Action=ListUsers&Version=2010-05-08
            content-type:application/x-www-form-urlencoded; charset=utf-8
            host:iam.amazonaws.com
            x-amz-date:20150830T123600Z

            content-type;host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signed.header(named: "authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
        #expect(signed.header(named: "x-amz-content-sha256") == nil)
    }

    /// The GET Object example of the S3 SigV4 documentation.
    @Test func awsDocumentationS3Example() throws {
        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let request = HTTPRequest(method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt", headers: [("Range", "bytes=0-9")])
        let signed = try SigV4Signer(service: "s3", region: "us-east-1")
            .sign(request, credentials: credentials, at: try #require(CloudTrailTime.parseTimestamp("2013-05-24T00:00:00Z")))
        #expect(signed.header(named: "Authorization") == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.header(named: "X-Amz-Content-SHA256") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(signed.header(named: "X-Amz-Date") == "20130524T000000Z")
    }

    /// The derived signing key is cached: the documented signature must come out the same whether its key was
    /// derived or found, after other secrets, days and regions, and after the cache filled and started afresh.
    @Test func cachedSigningKeysNeverMixSecretsDaysOrRegions() throws {
        let documented = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let request = HTTPRequest(method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt", headers: [("Range", "bytes=0-9")])
        let day = try #require(CloudTrailTime.parseTimestamp("2013-05-24T00:00:00Z"))
        func signature(_ credentials: AWSCredentials, region: String = "us-east-1", at date: Date) throws -> String {
            let signed = try SigV4Signer(service: "s3", region: region).signature(of: request, credentials: credentials, at: date)
            return signed.signature.signature
        }
        #expect(try signature(credentials, at: day) == documented)
        #expect(try signature(credentials, at: day) == documented)
        let other = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "another secret")
        #expect(try signature(other, at: day) != documented)
        #expect(try signature(credentials, region: "eu-west-1", at: day) != documented)
        #expect(try signature(credentials, at: day.addingTimeInterval(86_400)) != documented)
        #expect(try signature(credentials, at: day) == documented)
        for index in 0...SigningKeyCache.capacity {
            _ = try signature(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret \(index)"), at: day)
        }
        #expect(try signature(credentials, at: day) == documented)
    }

    @Test func resigningReplacesEarlierSignatureHeaders() throws {
        let signer = SigV4Signer(service: "s3", region: "eu-west-1")
        let session = AWSCredentials(accessKeyID: "ASIA1", secretAccessKey: "secret", sessionToken: "token-1")
        let request = HTTPRequest(method: "GET", url: "https://b.s3.eu-west-1.amazonaws.com/k")
        let first = try signer.sign(request, credentials: session, at: Date(timeIntervalSince1970: 1_800_000_000))
        let renewed = AWSCredentials(accessKeyID: "ASIA2", secretAccessKey: "secret2", sessionToken: "token-2")
        let again = try signer.sign(first, credentials: renewed, at: Date(timeIntervalSince1970: 1_800_000_600))
        let fresh = try signer.sign(request, credentials: renewed, at: Date(timeIntervalSince1970: 1_800_000_600))
        #expect(again.headers.map(\.name) == fresh.headers.map(\.name))
        #expect(again.headers.map(\.value) == fresh.headers.map(\.value))
        #expect(again.header(named: "x-amz-security-token") == "token-2")
        #expect(again.headers.filter { $0.name == "Authorization" }.count == 1)
    }

    @Test func callerChosenPayloadHashIsSigned() throws {
        let request = HTTPRequest(method: "PUT", url: "https://b.s3.amazonaws.com/big",
                                  headers: [("x-amz-content-sha256", SigV4Signer.unsignedPayload)], body: [1, 2, 3])
        let (signed, signature) = try SigV4Signer(service: "s3", region: "us-east-1")
            .signature(of: request, credentials: Self.example, at: Date(timeIntervalSince1970: 0))
        #expect(signature.canonicalRequest.payloadHash == "UNSIGNED-PAYLOAD")
        #expect(signed.headers.filter { $0.name.lowercased() == "x-amz-content-sha256" }.map(\.value) == ["UNSIGNED-PAYLOAD"])
    }

    /// AWS rebuilds the query from decoded names and values, so escapes the
    /// unreserved set does not need are signed decoded, and lower-case hex upper-cased.
    @Test func queryIsReEncodedCanonically() {
        #expect(CanonicalRequest.canonicalQuery("b=%7e&a=%7E&c=%2f&d=!&e") == "a=~&b=~&c=%2F&d=%21&e=")
        #expect(CanonicalRequest.canonicalQuery("x=%FF%") == "x=%FF%25")
        #expect(CanonicalRequest.canonicalQuery("") == "")
    }

    @Test func pathNormalisationForServicesOtherThanS3() {
        #expect(CanonicalRequest.removingDotSegments("") == "/")
        #expect(CanonicalRequest.removingDotSegments("/a//b/./c/../d/") == "/a/b/d/")
        #expect(CanonicalRequest.removingDotSegments("/../..") == "/")
        #expect(CanonicalRequest.removingDotSegments("//") == "/")
    }

    @Test func rejectsRelativeURLs() {
        #expect(throws: SigningError.self) {
            try SigV4Signer(service: "sts", region: "us-east-1")
                .sign(HTTPRequest(method: "GET", url: "/relative"), credentials: Self.example, at: Date())
        }
    }

    @Test func urlParts() throws {
        let parts = try #require(URLParts("HTTPS://user:pw@Example.COM:443/a%20b?x=1#frag"))
        #expect(parts == URLParts("https://example.com:443/a%20b?x=1"))
        #expect(parts.hostHeader == "example.com")
        #expect(parts.path == "/a%20b")
        #expect(parts.query == "x=1")
        #expect(URLParts("http://[::1]:8080")?.hostHeader == "[::1]:8080")
        #expect(URLParts("http://[fd00:ec2::23]/creds")?.hostName == "[fd00:ec2::23]")
        #expect(URLParts("http://localhost?q")?.path == "")
        #expect(URLParts("http://:80/") == nil)
        #expect(URLParts("localhost/x") == nil)
    }
}

@Suite struct PercentEncodingTests {
    @Test func encodesAllButUnreserved() {
        #expect(PercentEncoding.encode("aZ09-_.~ /+=%ü") == "aZ09-_.~%20%2F%2B%3D%25%C3%BC")
        #expect(PercentEncoding.encode("a/b c", keepingSlashes: true) == "a/b%20c")
        #expect(PercentEncoding.query([("Action", "AssumeRole"), ("RoleSessionName", "a b")]) == "Action=AssumeRole&RoleSessionName=a%20b")
    }

    @Test func decodeRoundTripsAndKeepsMalformedEscapes() {
        let text = "ünï code/+%=&?"
        #expect(PercentEncoding.decode(PercentEncoding.encode(text)) == text)
        #expect(PercentEncoding.decode("a+b%2x%4") == "a+b%2x%4")
    }
}
