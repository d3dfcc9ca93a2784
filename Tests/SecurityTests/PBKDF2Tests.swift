import Security
import Testing

/// PBKDF2 against published vectors, plus Base64 and the constant-time comparison.
@Suite struct PBKDF2Tests {
    /// RFC 7914 §11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64.
    @Test func rfc7914PasswdSalt() throws {
        let key = try PBKDF2.deriveKey(using: SHA256.self, password: utf8("passwd"), salt: utf8("salt"), iterations: 1, keyLength: 64)
        #expect(key == hex("""
            55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc
            49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31 7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83
            """))
    }

    /// RFC 7914 §11: PBKDF2-HMAC-SHA256, P = "Password", S = "NaCl", c = 80000, dkLen = 64
    /// (two output blocks, so the fast loop runs twice with a fresh U_1).
    @Test func rfc7914PasswordNaCl() throws {
        let key = try PBKDF2.deriveKey(using: SHA256.self, password: utf8("Password"), salt: utf8("NaCl"), iterations: 80000, keyLength: 64)
        #expect(key == hex("""
            4d dc d8 f6 0b 98 be 21 83 0c ee 5e f2 27 01 f9 64 1a 44 18 d0 4c 04 14 ae ff 08 87 6b 34 ab 56
            a1 d4 25 a1 22 58 33 54 9a db 84 1b 51 c9 b3 17 6a 27 2b de bb a1 d0 78 47 8f 62 b3 97 f3 3c 8d
            """))
    }

    /// PBKDF2-HMAC-SHA256 "password"/"salt", c = 4096, dkLen = 32: the widely published
    /// extension of RFC 6070's vectors to SHA-256 (Stack Overflow, "PBKDF2-HMAC-SHA256 test
    /// vectors"), also reproduced with Python's hashlib.pbkdf2_hmac.
    @Test func sha256Password4096() throws {
        let key = try PBKDF2.deriveKey(using: SHA256.self, password: utf8("password"), salt: utf8("salt"), iterations: 4096, keyLength: 32)
        #expect(hex(key) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    /// PBKDF2-HMAC-SHA512 vectors published on Stack Overflow ("PBKDF2-HMAC-SHA-512 test
    /// vectors", the RFC 6070 inputs with dkLen = 64), cross-checked with Python's
    /// hashlib.pbkdf2_hmac('sha512', …).
    @Test(arguments: [
        ("password", "salt", 1, "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce"),
        ("password", "salt", 2, "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e"),
        ("password", "salt", 4096, "d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f87f6902e072f457b5143f30602641b3d55cd335988cb36b84376060ecd532e039b742a239434af2d5"),
        ("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096,
         "8c0511f4c6e597c6ac6315d8f0362e225f3c501495ba23b868c005174dc4ee71115b59f9e60cd9532fa33e0f75aefe30225c583a186cd82bd4daea9724a3d3b8"),
    ])
    func sha512(password: String, salt: String, iterations: Int, expected: String) throws {
        let key = try PBKDF2.deriveKey(using: SHA512.self, password: utf8(password), salt: utf8(salt), iterations: iterations, keyLength: 64)
        #expect(hex(key) == expected)
    }

    /// Edge cases of the fast loop: a key spanning two output blocks, passwords longer than a
    /// block (HMAC hashes them first), an empty salt. Expected values computed with Python's
    /// hashlib.pbkdf2_hmac (no published vectors for these shapes).
    @Test func fastLoopEdgeCases() throws {
        let twoBlocks = try PBKDF2.deriveKey(using: SHA512.self, password: utf8("password"), salt: utf8("salt"), iterations: 3, keyLength: 100)
        #expect(hex(twoBlocks) == "b6b07cb2cebf4ad84468391a543824fccffe0e0769dbe6bddf10a65673c4b648e612d44918f9ce9a19a1294cf5140628084ba994c3b21a4ef4741220b811c633cfc0641fccbcc4164f1bbfcb1f33f595ae9aa4a33ddcce570157775980362c0ee28aa340")
        let longPassword256 = try PBKDF2.deriveKey(using: SHA256.self, password: Array(repeating: UInt8(ascii: "p"), count: 100), salt: utf8("salt"), iterations: 10, keyLength: 32)
        #expect(hex(longPassword256) == "3303d1346208073555be0e8c697a7d18ae0498c96ec22f3070f7a72eaa3925fe")
        let longPassword512 = try PBKDF2.deriveKey(using: SHA512.self, password: Array(repeating: UInt8(ascii: "p"), count: 200), salt: [], iterations: 10, keyLength: 64)
        #expect(hex(longPassword512) == "f3e4c088509554dd26bb7bb19fc6f7a325382ddc06e6c722e287e45c1397ae5caa04bcfc0091d88b1d3e37694a7754e6f5d33e7b0ee908dcbdf9d68c3b8ad396")
    }

    /// The public-API path (a hash type from outside the module) agrees with the fast loop.
    @Test func genericPathAgreesWithFastPath() throws {
        struct Wrapped: HashFunction {
            static var blockSize: Int { SHA256.blockSize }
            static var digestSize: Int { SHA256.digestSize }
            var inner = SHA256()
            init() {}
            mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bytes) }
            mutating func finalize() -> [UInt8] { inner.finalize() }
        }
        let slow = try PBKDF2.deriveKey(using: Wrapped.self, password: utf8("pencil"), salt: utf8("salt"), iterations: 50, keyLength: 40)
        let fast = try PBKDF2.deriveKey(using: SHA256.self, password: utf8("pencil"), salt: utf8("salt"), iterations: 50, keyLength: 40)
        #expect(slow == fast)
    }

    @Test func invalidParametersThrow() {
        #expect(throws: PBKDF2.Failure.invalidIterationCount(0)) {
            try PBKDF2.deriveKey(using: SHA256.self, password: [], salt: [], iterations: 0, keyLength: 32)
        }
        #expect(throws: PBKDF2.Failure.invalidKeyLength(0)) {
            try PBKDF2.deriveKey(using: SHA256.self, password: [], salt: [], iterations: 1, keyLength: 0)
        }
    }

    /// RFC 4648 §10 vectors, and strict decoding.
    @Test func base64() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(utf8(plain)) == encoded)
            #expect(Base64.decode(encoded) == utf8(plain))
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
        for bad in ["Zg", "Zg=", "Zg===", "Z===", "====", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "Zg==Zg==", "Zm=v", "Zm9v_-==", "Zm9vYg=a"] {
            #expect(Base64.decode(bad) == nil, "\(bad) must be refused")
        }
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([], []))
    }
}
