import Foundation
import Testing
@testable import TrailWardenCrypto

@Suite struct HexTests {
    @Test func roundTrips() throws {
        let bytes: [UInt8] = [0, 1, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "0001abff")
        var appended = Array("x".utf8)
        bytes.withUnsafeBytes { Hex.append($0, to: &appended) }
        #expect(appended == Array("x0001abff".utf8))
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

    @Test func appendedHexEqualsOneShot() {
        for length in [0, 3, 55, 56, 64, 431, 1000] {
            let data = (0..<length).map { UInt8($0 % 251) }
            var out = Array("prefix\n".utf8)
            data.withUnsafeBytes { Digests.appendSHA256Hex(of: $0, to: &out) }
            #expect(String(decoding: out, as: UTF8.self) == "prefix\n" + Digests.sha256Hex(data))
        }
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

    @Test func aResetDigestStartsOver() {
        let digest = MessageDigest(.sha256)
        digest.update(Data("partial".utf8))
        digest.reset()
        digest.update(Data("abc".utf8))
        #expect(digest.finalizeHex() == Digests.sha256Hex(Data("abc".utf8)))
        digest.reset()
        digest.update(Data("abc".utf8))
        #expect(digest.finalizeHex() == Digests.sha256Hex(Data("abc".utf8)))
        digest.reset()
        #expect(digest.finalizeHex() == Digests.sha256Hex(Data()))
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

@Suite struct HMACTests {
    /// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (HMAC-SHA-256).
    @Test(arguments: [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ((1...25).map { UInt8($0) }, [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(Hex.encode(HMAC.sha256(key: key, message: message)) == expected)
        #expect(Hex.encode(HMACKey(key).authenticate(message)) == expected)
    }

    /// A prepared key agrees with one-shot `HMAC()` around the block size, for keys (hashed first beyond 64 bytes)
    /// and for messages, and signs message after message from the same prepared state.
    @Test func preparedKeyEqualsOneShot() {
        for keyLength in [0, 1, 31, 32, 63, 64, 65, 127, 128, 200] {
            let key = (0..<keyLength).map { UInt8(($0 * 37 + keyLength) % 256) }
            let prepared = HMACKey(key)
            for messageLength in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 131, 1000] {
                let message = (0..<messageLength).map { UInt8(($0 * 11 + messageLength) % 256) }
                #expect(prepared.authenticate(message) == HMAC.sha256(key: key, message: message), "key \(keyLength), message \(messageLength)")
            }
        }
    }

    @Test func stringMessageIsItsUTF8() {
        #expect(HMAC.sha256(key: Array("Jefe".utf8), message: "what do ya want for nothing?")
                == HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
    }

    @Test func emptyKeyAndMessage() {
        #expect(Hex.encode(HMAC.sha256(key: [UInt8](), message: [UInt8]()))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}
