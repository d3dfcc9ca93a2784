import Security
import Testing

/// SASL PLAIN (RFC 4616) with Kafka's authzid rule, as a table.
@Suite struct PlainServerTests {
    static let users = ["alice": "wonderland", "bob": "builder"]

    static func server() -> PlainServer {
        PlainServer { username, password in
            users[username].map { ConstantTime.equals(utf8($0), utf8(password)) } ?? false
        }
    }

    static func message(_ authzid: String, _ username: String, _ password: String) -> [UInt8] {
        utf8(authzid) + [0] + utf8(username) + [0] + utf8(password)
    }

    static let cases: [([UInt8], Result<String, SaslError>)] = [
        (message("", "alice", "wonderland"), .success("alice")),
        (message("alice", "alice", "wonderland"), .success("alice")),
        (message("", "bob", "builder"), .success("bob")),
        (message("bob", "alice", "wonderland"), .failure(.authorizationIdMismatch)),
        (message("", "alice", "wrong"), .failure(.authenticationFailed)),
        (message("", "carol", "wonderland"), .failure(.authenticationFailed)),
        (message("", "", "wonderland"), .failure(.malformed("the user name is empty"))),
        (message("", "alice", ""), .failure(.malformed("the password is empty"))),
        (utf8("alice") + [0] + utf8("wonderland"), .failure(.malformed("PLAIN needs exactly two NUL separators"))),
        (message("", "alice", "wonder") + [0] + utf8("land"), .failure(.malformed("PLAIN needs exactly two NUL separators"))),
        ([], .failure(.malformed("PLAIN needs exactly two NUL separators"))),
        ([0] + utf8("alice") + [0, 0xFF, 0xFE], .failure(.invalidEncoding("the password"))),
        ([0, 0xC0, 0x80, 0] + utf8("x"), .failure(.invalidEncoding("the user name"))),
        (message("", String(repeating: "u", count: 1025), "p"), .failure(.malformed("the user name is longer than 1024 bytes"))),
        ([UInt8](repeating: 0x41, count: 3075), .failure(.messageTooLarge(limit: 3074, actual: 3075))),
    ]

    @Test func table() {
        for (number, (input, expected)) in Self.cases.enumerated() {
            var server = Self.server()
            let outcome: Result<String, SaslError>
            do {
                let reply = try server.evaluate(input)
                #expect(reply.isEmpty)
                outcome = .success(server.authenticatedUser ?? "<none>")
            } catch {
                outcome = .failure(error)
                #expect(server.authenticatedUser == nil && !server.isComplete)
            }
            #expect(outcome == expected, "case \(number)")
        }
    }

    @Test func secondMessageIsRefused() throws {
        var server = Self.server()
        _ = try server.evaluate(Self.message("", "alice", "wonderland"))
        #expect(server.isComplete)
        #expect(throws: SaslError.unexpectedMessage("PLAIN takes a single message")) {
            try server.evaluate(Self.message("", "alice", "wonderland"))
        }
        var failed = Self.server()
        _ = try? failed.evaluate(Self.message("", "alice", "wrong"))
        #expect(throws: SaslError.unexpectedMessage("PLAIN takes a single message")) {
            try failed.evaluate(Self.message("", "alice", "wonderland"))
        }
    }

    @Test func unicodeNamesAreComparedByBytes() throws {
        // "é" precomposed vs decomposed: equal as Swift Strings, different bytes; Kafka compares exactly.
        var server = PlainServer { _, _ in true }
        #expect(throws: SaslError.authorizationIdMismatch) {
            try server.evaluate(Self.message("\u{E9}", "e\u{301}", "pw"))
        }
    }
}
