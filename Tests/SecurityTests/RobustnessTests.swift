import Security
import Testing

/// Mutated and truncated messages never trap: every parser answers with a value or a
/// `SaslError`. The mutations are systematic (every position × a set of telling bytes), so the
/// inputs are the same on every run; a few thousand in all, well under a second.
@Suite struct RobustnessTests {
    /// Every single-byte edit of `seed`: each position replaced by, or preceded by, each of the
    /// separator, escape, NUL, non-UTF-8 and letter bytes below; each position deleted; every
    /// truncation.
    static func mutations(of seed: [UInt8]) -> [[UInt8]] {
        let telling: [UInt8] = [0x2C, 0x3D, 0x00, 0xFF, 0xC3, 0x80, 0x20, 0x61, 0x6E, 0x72, 0x70, 0x63]
        var result: [[UInt8]] = []
        for index in seed.indices {
            for byte in telling {
                var replaced = seed
                replaced[index] = byte
                var inserted = seed
                inserted.insert(byte, at: index)
                result += [replaced, inserted]
            }
            var deleted = seed
            deleted.remove(at: index)
            result += [deleted, Array(seed.prefix(index))]
        }
        return result
    }

    @Test func scramServerSurvivesMutatedMessages() throws {
        let credential = try ScramTests.rfcCredential()
        for message in Self.mutations(of: utf8(ScramTests.rfcClientFirst)) {
            var server = ScramTests.server(["user": credential])
            _ = try? server.evaluate(message)
        }
        let awaitingFinal = try ScramTests.serverAfterFirst()  // a value: each copy is a fresh exchange
        for message in Self.mutations(of: utf8(ScramTests.rfcClientFinal)) {
            var server = awaitingFinal
            if (try? server.evaluate(message)) != nil {
                #expect(message == utf8(ScramTests.rfcClientFinal), "only the real proof may succeed")
            }
        }
    }

    @Test func scramClientSurvivesMutatedMessages() throws {
        var started = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: ScramTests.rfcClientNonce)
        _ = try started.firstMessage()
        let awaitingFirst = started  // a value: each copy is a fresh exchange
        // A mutation that leaves the message valid costs a PBKDF2 run (~30 ms in debug): those
        // (edits of the nonce tail or the salt) are skipped, the parsing failures all run.
        for message in Self.mutations(of: utf8(ScramTests.rfcServerFirst)) where !Self.passesParsing(message) {
            var client = awaitingFirst
            _ = try? client.respond(toServerFirst: message)
        }
        _ = try started.respond(toServerFirst: utf8(ScramTests.rfcServerFirst))
        let awaitingFinal = started
        for message in Self.mutations(of: utf8(ScramTests.rfcServerFinal)) {
            var client = awaitingFinal
            if (try? client.verify(serverFinal: message)) != nil {
                #expect(message == utf8(ScramTests.rfcServerFinal))
            }
        }
    }

    @Test func plainServerAndBase64SurviveMutatedMessages() {
        for message in Self.mutations(of: PlainServerTests.message("alice", "alice", "wonderland")) {
            var server = PlainServerTests.server()
            _ = try? server.evaluate(message)
        }
        for text in Self.mutations(of: utf8("Zm9vYmFyYg==")) {
            if let decoded = Base64.decode(text) {
                #expect(utf8(Base64.encode(decoded)) == text, "decoding is canonical")
            }
        }
    }

    /// Whether a mutated server-first message would get past parsing into PBKDF2: its nonce
    /// still extends the client's, its salt is base64 and its count is 4096.
    static func passesParsing(_ message: [UInt8]) -> Bool {
        guard let text = String(validating: message, as: UTF8.self) else { return false }
        let fields = text.split(separator: ",", omittingEmptySubsequences: false)
        return fields.count >= 3 && fields[0].hasPrefix("r=" + ScramTests.rfcClientNonce)
            && fields[1].hasPrefix("s=") && Base64.decode(String(fields[1].dropFirst(2))).map { !$0.isEmpty } == true
            && fields[2] == "i=4096"
    }
}
