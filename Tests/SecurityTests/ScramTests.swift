import Security
import Testing

/// SCRAM server and client: the RFC 7677 §3 example exchange, round trips, every failure path.
@Suite struct ScramTests {
    // RFC 7677 §3: user "user", password "pencil", SCRAM-SHA-256.
    static let rfcClientNonce = "rOprNGfwEbeRWgbNEkqO"
    static let rfcServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    static let rfcClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    static let rfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    static let rfcClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    static let rfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

    static let decoys = ScramDecoyCredentials(secret: Array(repeating: 7, count: 32))

    static func rfcCredential() throws -> ScramCredential {
        try ScramCredential(mechanism: .sha256, password: "pencil", salt: Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ=="), iterations: 4096)
    }

    /// A server knowing only `credentials`, keyed by user name.
    static func server(_ credentials: [String: ScramCredential], mechanism: ScramMechanism = .sha256, nonce: String? = nil) -> ScramServer {
        ScramServer(mechanism: mechanism, credentials: { credentials[$0] }, decoys: decoys, nonce: nonce)
    }

    /// A server for "user"/"pencil" (RFC salt) that has already answered `clientFirst`.
    static func serverAfterFirst(_ clientFirst: String = rfcClientFirst) throws -> ScramServer {
        var server = server(["user": try rfcCredential()], nonce: rfcServerNonce)
        _ = try server.evaluate(utf8(clientFirst))
        return server
    }

    @Test func rfc7677ServerSide() throws {
        var server = Self.server(["user": try Self.rfcCredential()], nonce: Self.rfcServerNonce)
        #expect(try server.evaluate(utf8(Self.rfcClientFirst)) == utf8(Self.rfcServerFirst))
        #expect(!server.isComplete && server.authenticatedUser == nil)
        #expect(try server.evaluate(utf8(Self.rfcClientFinal)) == utf8(Self.rfcServerFinal))
        #expect(server.isComplete && server.authenticatedUser == "user")
    }

    @Test func rfc7677ClientSide() throws {
        var client = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: Self.rfcClientNonce)
        #expect(try client.firstMessage() == utf8(Self.rfcClientFirst))
        #expect(try client.respond(toServerFirst: utf8(Self.rfcServerFirst)) == utf8(Self.rfcClientFinal))
        #expect(!client.isComplete)
        try client.verify(serverFinal: utf8(Self.rfcServerFinal))
        #expect(client.isComplete)
    }

    /// The stored keys of the RFC 7677 credential (the RFC prints none; these were computed
    /// with Python's hashlib/hmac from the RFC's password, salt and count).
    @Test func rfcCredentialKeys() throws {
        let credential = try Self.rfcCredential()
        #expect(credential.iterations == 4096 && credential.salt.count == 16)
        #expect(hex(credential.storedKey) == "586e5df283e6dceb5c3e791d8b8528ec191e664045ce971792e2e6b5bb13e2a6")
        #expect(hex(credential.serverKey) == "c1f3cbc1c13a9d35a14c0990eed97629ea225863e566a4314ab99f3f00e5d9d5")
    }

    /// Client and server, both mechanisms, with an authzid and a user name needing escapes.
    @Test(arguments: ScramMechanism.allCases)
    func roundTrip(mechanism: ScramMechanism) throws {
        let username = "a=b,c ünïcode"
        let credential = try ScramCredential(mechanism: mechanism, password: "s3cret, really", iterations: 8192)
        #expect(credential.salt.count == ScramCredential.defaultSaltLength)
        #expect(credential.storedKey.count == mechanism.digestSize)
        var server = Self.server([username: credential], mechanism: mechanism)
        var client = ScramClient(mechanism: mechanism, username: username, password: "s3cret, really", authorizationId: username)
        let first = try client.firstMessage()
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("n,a=a=3Db=2Cc ünïcode,n=a=3Db=2Cc ünïcode,r="))
        let serverFirst = try server.evaluate(first)
        #expect(String(decoding: serverFirst, as: UTF8.self).hasSuffix(",i=8192"))
        let serverFinal = try server.evaluate(try client.respond(toServerFirst: serverFirst))
        try client.verify(serverFinal: serverFinal)
        #expect(client.isComplete && server.isComplete && server.authenticatedUser == username)
    }

    /// The `y` flag (client could bind, thinks the server cannot) is accepted; `c=` is then "eSws".
    @Test func yFlagIsAccepted() throws {
        var server = Self.server(["user": try Self.rfcCredential()], nonce: "S")
        let serverFirst = try server.evaluate(utf8("y,,n=user,r=C"))
        #expect(serverFirst.starts(with: utf8("r=CS,")))
        #expect(throws: SaslError.authenticationFailed) {
            try server.evaluate(utf8("c=eSws,r=CS,p=\(Base64.encode([UInt8](repeating: 0, count: 32)))"))
        }
    }

    @Test func wrongPasswordAndUnknownUserFailAlike() throws {
        let known = try ScramCredential(mechanism: .sha512, password: "right")
        func attempt(_ username: String, _ password: String) throws -> (serverFirst: String, error: SaslError?) {
            var server = Self.server(["alice": known], mechanism: .sha512)
            var client = ScramClient(mechanism: .sha512, username: username, password: password)
            let serverFirst = try server.evaluate(try client.firstMessage())
            do {
                _ = try server.evaluate(try client.respond(toServerFirst: serverFirst))
                return (String(decoding: serverFirst, as: UTF8.self), nil)
            } catch {
                #expect(server.isFailed && server.authenticatedUser == nil)
                return (String(decoding: serverFirst, as: UTF8.self), error)
            }
        }
        #expect(try attempt("alice", "right").error == nil)
        #expect(try attempt("alice", "wrong").error == .authenticationFailed)
        let unknown = try attempt("mallory", "anything")
        #expect(unknown.error == .authenticationFailed)
        #expect(ScramServer.errorMessage(for: .authenticationFailed) == utf8("e=invalid-proof"))
        // The decoy's server-first looks like a real one, and is stable for one name.
        func saltAndIterations(_ serverFirst: String) -> [Substring] { Array(serverFirst.split(separator: ",").dropFirst()) }
        let again = try attempt("mallory", "other")
        #expect(saltAndIterations(unknown.serverFirst) == saltAndIterations(again.serverFirst))
        #expect(saltAndIterations(unknown.serverFirst) != saltAndIterations(try attempt("trudy", "x").serverFirst))
        #expect(saltAndIterations(unknown.serverFirst)[1] == "i=4096")
        #expect(Base64.decode(String(saltAndIterations(unknown.serverFirst)[0].dropFirst(2)))?.count == ScramCredential.defaultSaltLength)
        // Even the decoy's correct-looking proof is refused: there is no user.
        let decoy = try #require(Self.decoys.credential(for: "mallory", mechanism: .sha512))
        #expect(decoy.iterations == 4096)
    }

    /// A credential for the other mechanism counts as no credential.
    @Test func credentialOfTheOtherMechanismIsUnknown() throws {
        var server = Self.server(["user": try Self.rfcCredential()], mechanism: .sha512)
        var client = ScramClient(mechanism: .sha512, username: "user", password: "pencil")
        let serverFirst = try server.evaluate(try client.firstMessage())
        #expect(throws: SaslError.authenticationFailed) { try server.evaluate(try client.respond(toServerFirst: serverFirst)) }
    }

    /// Client-first messages the server refuses, with the error each must give.
    static let badClientFirsts: [(String, SaslError)] = [
        ("", .malformed("a client-first message needs a gs2 header, a user name and a nonce")),
        ("n,,n=user", .malformed("a client-first message needs a gs2 header, a user name and a nonce")),
        ("p=tls-unique,,n=user,r=abc", .channelBindingNotSupported),
        ("x,,n=user,r=abc", .malformed("the gs2 channel-binding flag must be 'n', 'y' or 'p=…'")),
        ("nn,,n=user,r=abc", .malformed("the gs2 channel-binding flag must be 'n', 'y' or 'p=…'")),
        ("n,b=user,n=user,r=abc", .malformed("expected an authorization id ('a=')")),
        ("n,a=,n=user,r=abc", .malformed("the authorization id is empty")),
        ("n,a=other,n=user,r=abc", .authorizationIdMismatch),
        ("n,,m=ext,n=user,r=abc", .unsupportedExtension("m")),
        ("n,,u=user,r=abc", .malformed("expected the user name ('n=')")),
        ("n,,n=,r=abc", .malformed("the user name is empty")),
        ("n,,n=us=er,r=abc", .malformed("the user name has an '=' that is not '=2C' or '=3D'")),
        ("n,,n=user=2,r=abc", .malformed("the user name has an '=' that is not '=2C' or '=3D'")),
        ("n,,n=user,x=abc", .malformed("expected the client nonce ('r=')")),
        ("n,,n=user,r=", .malformed("the client nonce must be printable ASCII without commas")),
        ("n,,n=user,r=a b", .malformed("the client nonce must be printable ASCII without commas")),
        ("n,,n=user,r=abc,tokenauth=true", .unsupportedExtension("tokenauth")),
        ("n,,n=user,r=abc,=x", .malformed("an extension must be '<name>=<value>'")),
        ("n,,n=user,r=abc,novalue", .malformed("an extension must be '<name>=<value>'")),
        ("n,,n=user,r=abc\u{0}", .malformed("NUL byte in a SCRAM message")),
    ]

    @Test func malformedClientFirstMessages() throws {
        for (message, error) in Self.badClientFirsts {
            var server = Self.server(["user": try Self.rfcCredential()])
            #expect(throws: error, "\(message)") { try server.evaluate(utf8(message)) }
            #expect(server.isFailed)
            #expect(throws: SaslError.unexpectedMessage("the SCRAM exchange has already failed")) {
                try server.evaluate(utf8(Self.rfcClientFirst))
            }
        }
        // Unknown extensions other than tokenauth are ignored.
        var server = Self.server(["user": try Self.rfcCredential()])
        #expect(throws: Never.self) { try server.evaluate(utf8("n,,n=user,r=abc,foo=bar")) }
    }

    /// Client-final messages refused after the RFC client-first.
    static let badClientFinals: [(String, SaslError)] = [
        ("", .malformed("a client-final message needs a channel binding, a nonce and a proof")),
        ("c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .malformed("a client-final message needs a channel binding, a nonce and a proof")),
        ("c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .channelBindingMismatch),
        ("c=biws=,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .malformed("the channel binding is not valid base64")),
        ("x=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .malformed("expected the channel binding ('c=')")),
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k1,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .nonceMismatch),
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .nonceMismatch),
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=,x=1", .malformed("expected the proof as the last attribute ('p=')")),
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ", .malformed("the proof is not valid base64")),
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+", .malformed("the proof must be 32 bytes")),
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=eHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .authenticationFailed),
    ]

    @Test func malformedClientFinalMessages() throws {
        for (message, error) in Self.badClientFinals {
            var server = try Self.serverAfterFirst()
            #expect(throws: error, "\(message)") { try server.evaluate(utf8(message)) }
            #expect(server.isFailed && server.authenticatedUser == nil)
        }
        // An extension between nonce and proof is allowed by the grammar but changes the
        // AuthMessage, so the RFC proof no longer verifies.
        var server = try Self.serverAfterFirst()
        #expect(throws: SaslError.authenticationFailed) {
            try server.evaluate(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,x=1,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
        }
        // With an authzid the channel binding must carry it: c=base64("n,a=user,").
        var withAuthzid = try Self.serverAfterFirst("n,a=user,n=user,r=rOprNGfwEbeRWgbNEkqO")
        #expect(throws: SaslError.channelBindingMismatch) { try withAuthzid.evaluate(utf8(Self.rfcClientFinal)) }
    }

    @Test func aClientFinalNonceThatEndsWithTheCombinedNonceIsAcceptedAsKafkaDoes() throws {
        // librdkafka up to 2.0 (kcat on Debian 12) repeats its client nonce in the
        // client-final message; Kafka's server only checks that the nonce ends with the
        // combined one, and the proof (over the message as sent) still proves the password.
        var server = try Self.serverAfterFirst()
        let mechanism = ScramMechanism.sha256
        let combined = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
        let withoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO" + combined
        let authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO," + Self.rfcServerFirst + "," + withoutProof
        let salted = try mechanism.saltedPassword(utf8("pencil"), salt: try #require(Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")), iterations: 4096)
        let clientKey = mechanism.clientKey(saltedPassword: salted)
        let signature = mechanism.hmac(key: mechanism.hash(clientKey), utf8(authMessage))
        let proof = zip(clientKey, signature).map { $0 ^ $1 }
        _ = try server.evaluate(utf8(withoutProof + ",p=" + Base64.encode(proof)))
        #expect(server.authenticatedUser == "user")
        // A nonce that merely contains the combined one is still refused.
        var other = try Self.serverAfterFirst()
        #expect(throws: SaslError.nonceMismatch) {
            try other.evaluate(utf8("c=biws,r=" + combined + "x,p=" + Base64.encode(proof)))
        }
    }

    @Test func outOfOrderMessages() throws {
        var server = try Self.serverAfterFirst()
        _ = try server.evaluate(utf8(Self.rfcClientFinal))
        #expect(throws: SaslError.unexpectedMessage("the SCRAM exchange has already succeeded")) {
            try server.evaluate(utf8(Self.rfcClientFinal))
        }
        // A client-final sent first is a malformed client-first.
        var fresh = Self.server([:])
        #expect(throws: SaslError.malformed("a client-first message needs a gs2 header, a user name and a nonce")) {
            try fresh.evaluate(utf8(Self.rfcClientFinal))
        }

        var client = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: Self.rfcClientNonce)
        #expect(throws: SaslError.unexpectedMessage("no server-first message was expected")) {
            try client.respond(toServerFirst: utf8(Self.rfcServerFirst))
        }
        #expect(throws: SaslError.unexpectedMessage("no server-final message was expected")) {
            try client.verify(serverFinal: utf8(Self.rfcServerFinal))
        }
        _ = try client.firstMessage()
        #expect(throws: SaslError.unexpectedMessage("the client-first message was already sent")) { try client.firstMessage() }
    }

    @Test func oversizeAndNonUTF8Input() throws {
        var server = Self.server([:])
        let huge = utf8("n,,n=user,r=") + [UInt8](repeating: UInt8(ascii: "x"), count: ScramServer.maximumMessageLength)
        #expect(throws: SaslError.messageTooLarge(limit: 4096, actual: huge.count)) { try server.evaluate(huge) }
        var server2 = Self.server([:])
        #expect(throws: SaslError.invalidEncoding("the SCRAM message")) { try server2.evaluate(utf8("n,,n=") + [0xC3, 0x28] + utf8(",r=abc")) }
        var afterFirst = try Self.serverAfterFirst()
        #expect(throws: SaslError.invalidEncoding("the SCRAM message")) { try afterFirst.evaluate([0xFF]) }
        var client = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: "abc")
        _ = try client.firstMessage()
        #expect(throws: SaslError.invalidEncoding("the SCRAM message")) { try client.respond(toServerFirst: [0x72, 0x3D, 0xFE]) }
    }

    @Test func iterationBounds() throws {
        #expect(throws: SaslError.invalidIterationCount(4095)) { try ScramCredential(mechanism: .sha256, password: "p", iterations: 4095) }
        #expect(throws: SaslError.invalidIterationCount(16385)) { try ScramCredential(mechanism: .sha512, password: "p", iterations: 16385) }
        let good = try ScramCredential(mechanism: .sha256, password: "p", iterations: 16384)
        #expect(throws: SaslError.invalidIterationCount(4095)) {
            try ScramCredential(mechanism: .sha256, salt: good.salt, storedKey: good.storedKey, serverKey: good.serverKey, iterations: 4095)
        }
        #expect(throws: SaslError.malformed("SCRAM-SHA-512 keys must be 64 bytes")) {
            try ScramCredential(mechanism: .sha512, salt: good.salt, storedKey: good.storedKey, serverKey: good.serverKey, iterations: 4096)
        }
        #expect(throws: SaslError.malformed("the salt is empty")) {
            try ScramCredential(mechanism: .sha256, salt: [], storedKey: good.storedKey, serverKey: good.serverKey, iterations: 4096)
        }
        for (count, error) in [("4095", SaslError.invalidIterationCount(4095)), ("16385", .invalidIterationCount(16385)),
                               ("0", .malformed("the iteration count is not a decimal number")),
                               ("04096", .malformed("the iteration count is not a decimal number")),
                               ("", .malformed("the iteration count is not a decimal number")),
                               ("abc", .malformed("the iteration count is not a decimal number")),
                               ("+4096", .malformed("the iteration count is not a decimal number")),
                               ("99999999999999999999", .malformed("the iteration count is not a decimal number"))] {
            var client = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: "abc")
            _ = try client.firstMessage()
            #expect(throws: error, "i=\(count)") { try client.respond(toServerFirst: utf8("r=abcdef,s=c2FsdA==,i=\(count)")) }
        }
    }

    /// Server-first and server-final messages the client refuses.
    @Test func clientRefusesBadServerMessages() throws {
        let cases: [(String, SaslError)] = [
            ("r=xyzdef,s=c2FsdA==,i=4096", .nonceMismatch),
            ("r=abc,s=c2FsdA==,i=4096", .nonceMismatch),
            ("m=x,r=abcdef,s=c2FsdA==,i=4096", .unsupportedExtension("m")),
            ("r=abcdef,s=,i=4096", .malformed("the salt is empty")),
            ("r=abcdef,s=c2FsdA=,i=4096", .malformed("the salt is not valid base64")),
            ("r=abcdef,i=4096,s=c2FsdA==", .malformed("expected the salt ('s=')")),
            ("r=abcdef,s=c2FsdA==", .malformed("a server-first message needs a nonce, a salt and an iteration count")),
        ]
        for (message, error) in cases {
            var client = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: "abc")
            _ = try client.firstMessage()
            #expect(throws: error, "\(message)") { try client.respond(toServerFirst: utf8(message)) }
        }
        func clientAwaitingFinal() throws -> ScramClient {
            var client = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: Self.rfcClientNonce)
            _ = try client.firstMessage()
            _ = try client.respond(toServerFirst: utf8(Self.rfcServerFirst))
            return client
        }
        var tampered = try clientAwaitingFinal()
        #expect(throws: SaslError.invalidServerSignature) { try tampered.verify(serverFinal: utf8("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")) }
        #expect(!tampered.isComplete)
        var refused = try clientAwaitingFinal()
        #expect(throws: SaslError.serverError("invalid-proof")) { try refused.verify(serverFinal: utf8("e=invalid-proof")) }
        var garbled = try clientAwaitingFinal()
        #expect(throws: SaslError.malformed("expected the server signature ('v=')")) { try garbled.verify(serverFinal: utf8("x=1")) }
    }

    @Test func mechanismNames() {
        #expect(ScramMechanism(mechanismName: "SCRAM-SHA-256") == .sha256)
        #expect(ScramMechanism(mechanismName: "SCRAM-SHA-512") == .sha512)
        #expect(ScramMechanism(mechanismName: "scram-sha-256") == nil)
        #expect(ScramMechanism.sha512.mechanismName == "SCRAM-SHA-512")
    }
}
