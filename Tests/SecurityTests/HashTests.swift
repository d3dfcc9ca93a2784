import Security
import Testing

/// SHA-256 and SHA-512 against the FIPS 180-4 example messages (NIST "Examples with
/// intermediate values", also FIPS 180-2 Appendix B/C), and HMAC against RFC 4231 §4.2–4.8.
@Suite struct HashTests {
    static let message448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    static let message896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (message448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (message896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func sha256(message: String, digest: String) {
        #expect(hex(SHA256.hash(utf8(message))) == digest)
    }

    @Test(arguments: [
        ("", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        ("abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        (message448, "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"),
        (message896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
    ])
    func sha512(message: String, digest: String) {
        #expect(hex(SHA512.hash(utf8(message))) == digest)
    }

    /// One million 'a', fed in uneven pieces so every buffering path runs.
    @Test func oneMillionAInPieces() {
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        var sha256 = SHA256()
        var sha512 = SHA512()
        var fed = 0
        var size = 1
        while fed < 1_000_000 {
            let count = min(size, 1_000_000 - fed, piece.count)
            sha256.update(Array(piece[..<count]))
            sha512.update(Array(piece[..<count]))
            fed += count
            size = size % 997 + 13
        }
        #expect(hex(sha256.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(hex(sha512.finalize()) == "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b")
    }

    /// Messages around the padding boundaries (55/56/64 bytes for SHA-256, 111/112/128 for
    /// SHA-512) hashed whole and byte by byte agree.
    @Test func streamingMatchesOneShotAroundPaddingBoundaries() {
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129, 300] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            var sha256 = SHA256()
            var sha512 = SHA512()
            for byte in message {
                sha256.update([byte])
                sha512.update([byte])
            }
            #expect(sha256.finalize() == SHA256.hash(message), "length \(length)")
            #expect(sha512.finalize() == SHA512.hash(message), "length \(length)")
        }
    }

    /// RFC 4231 test cases 1–7: (key, data, HMAC-SHA-256, HMAC-SHA-512). Case 5 compares the
    /// first 128 bits only, as the RFC does.
    static let rfc4231: [([UInt8], [UInt8], String, String)] = [
        ([UInt8](repeating: 0x0b, count: 20), utf8("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        (utf8("Jefe"), utf8("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
        ([UInt8](repeating: 0x0c, count: 20), utf8("Test With Truncation"),
         "a3b6167473100ee06e0c796c2955552b",
         "415fad6271580a531d4179bc891d87a6"),
        ([UInt8](repeating: 0xaa, count: 131), utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
        ([UInt8](repeating: 0xaa, count: 131),
         utf8("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
    ]

    @Test func hmacRFC4231() {
        for (number, (key, data, sha256, sha512)) in Self.rfc4231.enumerated() {
            let mac256 = HMAC<SHA256>.authenticationCode(for: data, key: key)
            let mac512 = HMAC<SHA512>.authenticationCode(for: data, key: key)
            #expect(hex(mac256).hasPrefix(sha256), "test case \(number + 1)")
            #expect(hex(mac512).hasPrefix(sha512), "test case \(number + 1)")
            #expect(mac256.count == 32 && mac512.count == 64)
        }
    }

    @Test func hmacStreamingAndCopiesAreIndependent() {
        let keyed = HMAC<SHA256>(key: utf8("Jefe"))
        var whole = keyed
        whole.update(utf8("what do ya want for nothing?"))
        var pieces = keyed
        pieces.update(utf8("what do ya "))
        pieces.update(utf8("want for nothing?"))
        #expect(whole.finalize() == pieces.finalize())
        var untouched = keyed
        #expect(untouched.finalize() == HMAC<SHA256>.authenticationCode(for: [], key: utf8("Jefe")))
    }
}
