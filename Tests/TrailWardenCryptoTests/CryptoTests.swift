import Foundation
import Testing
@testable import TrailWardenCrypto

@Suite struct HexTests {
    @Test func roundTrips() throws {
        let bytes: [UInt8] = [0, 1, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "0001abff")
        #expect(try Hex.decode("0001ABff") == bytes)
    }

    @Test func rejectsLikePythonBinascii() {
        #expect(throws: Hex.DecodingError.oddLength) { try Hex.decode("abc") }
        #expect(throws: Hex.DecodingError.nonHexDigit) { try Hex.decode("zz") }
        #expect(Hex.DecodingError.oddLength.description == "Odd-length string")
        #expect(Hex.DecodingError.nonHexDigit.description == "Non-hexadecimal digit found")
    }
}

@Suite struct MessageDigestTests {
    @Test func sha256KnownAnswers() {
        #expect(Digests.sha256Hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digests.sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func streamingEqualsOneShot() {
        let data = Data((0..<100_000).map { UInt8($0 % 251) })
        let digest = MessageDigest(.sha256)
        var offset = 0
        while offset < data.count {
            let end = min(offset + 7_919, data.count)
            digest.update(data[offset..<end])
            offset = end
        }
        #expect(digest.finalizeHex() == Digests.sha256Hex(data))
    }

    @Test func md5KnownAnswer() {
        #expect(Digests.md5Hex(Data("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
    }
}

@Suite struct RSATests {
    @Test func signsAndVerifiesWithBothPublicKeyForms() throws {
        let key = try RSAPrivateKey(pem: TestKeys.rsaPrivateKeyPEM)
        let message = Array("2026-01-01T01:00:00Z\nbucket/key\nabc\nnull".utf8)
        let signature = key.sign(message)
        for der in [key.publicKeyPKCS1DER, key.publicKeySPKIDER] {
            let publicKey = try RSAPublicKey(der: der)
            #expect(publicKey.verify(signature: signature, message: message))
            #expect(!publicKey.verify(signature: signature, message: message + [0x20]))
            var tampered = signature
            tampered[10] ^= 1
            #expect(!publicKey.verify(signature: tampered, message: message))
            #expect(!publicKey.verify(signature: [], message: message))
        }
        #expect(key.publicKeyPKCS1DER != key.publicKeySPKIDER)
    }

    @Test func fingerprintIsMD5OfDER() throws {
        // The example key and fingerprint from awscli's examples/cloudtrail/list-public-keys.rst.
        let der = [UInt8](Data(base64Encoded: TestKeys.awsExamplePublicKeyBase64)!)
        #expect(Digests.md5Hex(der) == TestKeys.awsExampleFingerprint)
        _ = try RSAPublicKey(der: der)
    }

    @Test func rejectsGarbageAndNonRSAKeys() {
        #expect(throws: RSAKeyError.undecodablePublicKey) { try RSAPublicKey(der: []) }
        #expect(throws: RSAKeyError.undecodablePublicKey) { try RSAPublicKey(der: [0x30, 0x03, 0x02, 0x01]) }
        let ec = [UInt8](Data(base64Encoded: TestKeys.ecPublicKeyBase64)!)
        #expect(throws: RSAKeyError.notRSA) { try RSAPublicKey(der: ec) }
        #expect(throws: RSAKeyError.undecodablePrivateKey) { try RSAPrivateKey(pem: "not a key") }
    }
}
