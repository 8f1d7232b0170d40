import Foundation
import Testing
@testable import TrailWardenAWS
import TrailWardenCore
import TrailWardenGzip
@testable import TrailWardenScan

/// Every parser of untrusted text, fed mutated valid inputs: each case must
/// return or throw the parser's own error type, never crash or hang, and keep
/// its output (and the process's memory) within a small multiple of its input.
/// `scripts/fuzz` runs the same cases longer, with other seeds.
@Suite struct ParserFuzzTests {
    /// Runs `check` over `casesPerTarget` mutations of `seeds`, and bounds the memory they leave behind.
    func fuzz(_ seeds: [[UInt8]], salt: UInt64, _ check: ([UInt8]) throws -> Void) throws {
        var mutator = Mutator(seed: FuzzSettings.seed &* 1_000_003 &+ salt)
        let before = FuzzSettings.residentBytes()
        for _ in 0..<FuzzSettings.casesPerTarget {
            let seed = seeds[mutator.below(seeds.count)]
            let input = mutator.mutate(seed, others: seeds)
            try check(input)
        }
        // Other suites share the process in CI, so resident memory is checked only when the fuzzer runs alone.
        if FuzzSettings.checksResidentMemory {
            #expect(FuzzSettings.residentBytes() - before < 64 << 20, "memory grew by more than 64 MiB")
        }
    }

    static let digestSeeds: [String] = [
        #"{"awsAccountId":"111122223333","digestStartTime":"2026-01-01T00:00:00Z","digestEndTime":"2026-01-01T01:00:00Z","digestS3Bucket":"b","digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/01/x.json.gz","digestPublicKeyFingerprint":"7f3f401420072e50a65a141430817ab3","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":"2026-01-01T00:59:00Z","oldestEventTime":"2026-01-01T00:01:00Z","previousDigestS3Bucket":"b","previousDigestS3Object":"p.json.gz","previousDigestHashValue":"aa","previousDigestHashAlgorithm":"SHA-256","previousDigestSignature":"bb","logFiles":[{"s3Bucket":"b","s3Object":"l1.json.gz","hashValue":"cc","hashAlgorithm":"SHA-256","newestEventTime":"2026-01-01T00:05:00Z","oldestEventTime":"2026-01-01T00:00:00Z"},{"s3Bucket":"b","s3Object":"l2.json.gz","hashValue":"dd"}]}"#,
        #"{"digestStartTime":"2026-01-01T00:00:00Z","digestEndTime":"2026-01-01T01:00:00Z","digestS3Bucket":"b","digestS3Object":"k","digestPublicKeyFingerprint":"f","previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestSignature":null,"logFiles":[]}"#,
        "{\n  \"logFiles\" : [ { \"hashValue\" : \"\\u0041\\n\" , \"s3Object\" : \"caf\u{e9} \\ud83d\\ude42\", \"s3Bucket\" : \"b\" } ],\n  \"x\": [1, -2.5e3, true, false, null, {\"y\": [[]]}]\n}",
    ]

    @Test func digestParser() throws {
        try fuzz(Self.digestSeeds.map { Array($0.utf8) }, salt: 1) { input in
            guard case .success(let file)? = DigestFile.decode(input) else { return }
            // The smallest log entry, {"s3Bucket":"","s3Object":"","hashValue":""}, is 45 bytes.
            #expect(file.logFiles.count * 45 <= input.count)
        }
    }

    @Test func gzipReader() throws {
        let texts = Self.digestSeeds.map { Array($0.utf8) } + [Array(repeating: UInt8(ascii: "a"), count: 5000), []]
        let seeds = texts.map { Gzip.compress($0) } + [Gzip.compress(texts[0]) + Gzip.compress(texts[1])]
        let limit = 64 * 1024
        try fuzz(seeds, salt: 2) { input in
            do {
                let output = try Gzip.inflate(input, limit: limit)
                #expect(output.count <= limit)
            } catch is GzipError {
            }
            // Streamed in small pieces, as a store hands bodies over.
            let inflater = GzipInflater(outputBufferSize: 1024)
            var produced = 0
            do {
                var offset = 0
                while offset < input.count {
                    let end = min(offset + 7, input.count)
                    try inflater.update(Array(input[offset..<end])) { piece in
                        produced += piece.count
                        if produced > limit { throw GzipError.outputLimitExceeded(limit) }
                    }
                    offset = end
                }
                try inflater.finish()
            } catch is GzipError {
            }
        }
    }

    static let configurationSeeds: [String] = [
        #"{"organization": {}, "roles": {"default": "TrailWardenAudit"}}"#,
        #"""
        {"partition": "aws", "globalRegion": "us-east-1",
         "organization": {"managementAccountId": "111111111111", "readerRole": "OrganizationAccountReader"},
         "accounts": {"include": ["222222222222"], "exclude": ["333333333333"]},
         "roles": {"default": {"name": "TrailWardenAudit", "externalId": "x"}, "overrides": {"444444444444": "arn:aws:iam::444444444444:role/legacy/LegacyAudit"}},
         "trails": {"include": ["*"]}, "concurrency": 8, "alarms": {"sns": {"topicArn": "arn:aws:sns:us-east-1:111111111111:t"}}}
        """#,
    ]

    @Test func scanConfigurationParser() throws {
        try fuzz(Self.configurationSeeds.map { Array($0.utf8) }, salt: 3) { input in
            do throws(JSONParser.SyntaxError) {
                _ = try JSONParser.parse(input)
            } catch {
                #expect(!error.message.isEmpty && error.line >= 1)
            }
            do throws(ConfigurationError) {
                _ = try ScanConfiguration.parse(Data(input), file: "accounts.json")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    static let sharedConfigSeeds: [String] = [
        "[default]\nregion = us-east-1\noutput=json\n\n[profile audit]\nrole_arn = arn:aws:iam::111122223333:role/Audit\nsource_profile = default\n# comment\n; another\n",
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\ns3 =\n  max_concurrent_requests = 20\n",
        "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\naws_session_token=token\r\n",
    ]

    @Test func awsConfigFileParser() throws {
        try fuzz(Self.sharedConfigSeeds.map { Array($0.utf8) }, salt: 4) { input in
            do {
                _ = try SharedConfig.parse(String(decoding: input, as: UTF8.self), path: "config", provider: "profile")
            } catch {
                #expect(error is CredentialError, "\(error)")
            }
        }
    }
}
