@testable import Broker
import KafkaProtocol
import LogStorage
import Security
import SystemIO
import Testing

/// SASL login without sockets: the per-connection `SaslAuthenticator` (handshake v0 and v1,
/// order, unsupported mechanisms, failures), the mechanisms over the credential store, the
/// credential store's file and the user-credential APIs.
@Suite struct SaslAuthenticationTests {
    static let listener = ListenerEndpoint(name: "SASL_PLAINTEXT", securityProtocol: .saslPlaintext, advertisedHost: "h", advertisedPort: 9094)

    func frame<R: KafkaRequest>(_ request: R, version: Int16, correlationId: Int32 = 1) -> [UInt8] {
        Array(FrameCodec.encodeRequest(request, version: version, correlationId: correlationId, clientId: "t").dropFirst(4))
    }

    func decode<R: ProtocolMessage>(_ bytes: [UInt8], as type: R.Type, apiKey: ApiKey, version: Int16) throws -> R {
        try FrameCodec.decodeResponse(Array(bytes.dropFirst(4)), as: R.self, apiKey: apiKey, version: version).body
    }

    /// A broker with users alice/alice-secret and bob/bob-secret, and an authenticator for one connection.
    func setUp(enabled: [String] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]) throws -> (BrokerHarness, SaslAuthenticator) {
        let harness = try BrokerHarness { config in
            config.saslMechanisms = enabled
            config.failedAuthenticationDelayMs = 250
        }
        try harness.broker.bootstrapSaslUsers([("alice", "alice-secret"), ("bob", "bob-secret")])
        let context = RequestContext(clientHost: "10.0.0.9", listener: Self.listener)
        return (harness, harness.broker.saslAuthenticator(context: context))
    }

    func handshake(_ auth: SaslAuthenticator, _ mechanism: String, version: Int16 = 1) throws -> SaslHandshakeResponse? {
        guard case .reply(let bytes) = auth.handle(frame: frame(SaslHandshakeRequest(mechanism: mechanism), version: version)) else { return nil }
        return try decode(bytes, as: SaslHandshakeResponse.self, apiKey: .saslHandshake, version: version)
    }

    func authenticate(_ auth: SaslAuthenticator, _ token: [UInt8], version: Int16 = 2) -> SaslAuthenticator.Outcome {
        auth.handle(frame: frame(SaslAuthenticateRequest(authBytes: token), version: version, correlationId: 2))
    }

    static func plain(_ user: String, _ password: String) -> [UInt8] { [0] + Array(user.utf8) + [0] + Array(password.utf8) }

    @Test func plainLoginThenRequestsCarryThePrincipal() throws {
        let (_, auth) = try setUp()
        // ApiVersions is allowed before the login and goes to the broker.
        guard case .process(let before) = auth.handle(frame: frame(ApiVersionsRequest(), version: 3)) else { Issue.record("ApiVersions"); return }
        #expect(before.principal == .anonymous)
        let handshake = try #require(try handshake(auth, "PLAIN"))
        #expect(handshake.errorCode == .none)
        #expect(handshake.mechanisms == ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
        guard case .reply(let bytes) = authenticate(auth, Self.plain("alice", "alice-secret")) else { Issue.record("login"); return }
        let answer = try decode(bytes, as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2)
        #expect(answer.errorCode == .none && answer.sessionLifetimeMs == 0)
        #expect(auth.principal == KafkaPrincipal(name: "alice"))
        guard case .process(let context) = auth.handle(frame: frame(MetadataRequest(topics: []), version: 12)) else { Issue.record("metadata"); return }
        #expect(context.principal.description == "User:alice")
        #expect(context.clientHost == "10.0.0.9" && context.listener == Self.listener)
    }

    @Test func scramLoginsWithBothHashes() throws {
        for (mechanism, name) in [(ScramMechanism.sha256, "SCRAM-SHA-256"), (.sha512, "SCRAM-SHA-512")] {
            let (_, auth) = try setUp()
            #expect(try handshake(auth, name)?.errorCode == ErrorCode.none)
            var client = ScramClient(mechanism: mechanism, username: "bob", password: "bob-secret")
            guard case .reply(let first) = authenticate(auth, try client.firstMessage()) else { Issue.record("first"); return }
            let serverFirst = try decode(first, as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2).authBytes
            guard case .reply(let final) = authenticate(auth, try client.respond(toServerFirst: serverFirst)) else { Issue.record("final"); return }
            let serverFinal = try decode(final, as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2)
            #expect(serverFinal.errorCode == .none)
            try client.verify(serverFinal: serverFinal.authBytes)
            #expect(auth.principal?.name == "bob")
        }
    }

    @Test func aRecordedScramExchangeCannotBeReplayed() throws {
        // An eavesdropper replays alice's recorded client messages on a new connection: the
        // server's fresh nonce makes the recorded client-final worthless.
        let (_, first) = try setUp()
        _ = try handshake(first, "SCRAM-SHA-256")
        var client = ScramClient(mechanism: .sha256, username: "alice", password: "alice-secret")
        let clientFirst = try client.firstMessage()
        guard case .reply(let serverFirst) = authenticate(first, clientFirst) else { Issue.record("first"); return }
        let clientFinal = try client.respond(toServerFirst: try decode(serverFirst, as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2).authBytes)
        guard case .reply = authenticate(first, clientFinal), first.principal?.name == "alice" else { Issue.record("the real login failed"); return }

        let (_, replayed) = try setUp()
        _ = try handshake(replayed, "SCRAM-SHA-256")
        guard case .reply = authenticate(replayed, clientFirst) else { Issue.record("replayed first"); return }
        guard case .replyThenClose(let bytes, _, _) = authenticate(replayed, clientFinal) else { Issue.record("a replayed client-final was accepted"); return }
        let answer = try decode(try #require(bytes), as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2)
        #expect(answer.errorCode == .saslAuthenticationFailed)
        #expect(replayed.principal == nil)
    }

    @Test func malformedAndHugeTokensAreRefused() throws {
        for token in [[UInt8](repeating: 0x41, count: 100_000), [0xFF, 0xFE], Array("n,,n=alice".utf8), []] {
            for mechanism in ["PLAIN", "SCRAM-SHA-512"] {
                let (_, auth) = try setUp()
                _ = try handshake(auth, mechanism)
                guard case .replyThenClose(let bytes, _, _) = authenticate(auth, token) else {
                    Issue.record("\(mechanism) accepted a malformed token of \(token.count) bytes"); continue
                }
                let answer = try decode(try #require(bytes), as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2)
                #expect(answer.errorCode == .saslAuthenticationFailed)
                #expect((answer.errorMessage ?? "").count < 300, "the answer does not echo the token")
            }
        }
    }

    @Test func theV0HandshakeIsFollowedByRawTokens() throws {
        let (_, auth) = try setUp()
        #expect(try handshake(auth, "PLAIN", version: 0)?.errorCode == ErrorCode.none)
        // The next frame is the bare token, and the answer a bare (empty) token.
        guard case .reply(let bytes) = auth.handle(frame: Self.plain("alice", "alice-secret")) else { Issue.record("raw"); return }
        #expect(bytes == [0, 0, 0, 0])
        #expect(auth.principal?.name == "alice")
        // A wrong raw token: no error channel in v0, the connection closes after the delay.
        let (_, other) = try setUp()
        _ = try handshake(other, "PLAIN", version: 0)
        guard case .replyThenClose(let nothing, let delay, _) = other.handle(frame: Self.plain("alice", "nope")) else { Issue.record("raw failure"); return }
        #expect(nothing == nil && delay == 250)
    }

    @Test func failedLoginsAreAnsweredLateAndCloseAndLookAlike() throws {
        var messages: [String] = []
        for (user, password) in [("alice", "wrong"), ("mallory", "alice-secret")] {
            let (_, auth) = try setUp()
            _ = try handshake(auth, "PLAIN")
            guard case .replyThenClose(let bytes, let delay, let reason) = authenticate(auth, Self.plain(user, password)) else {
                Issue.record("\(user) was not refused"); continue
            }
            #expect(delay == 250)
            #expect(reason.contains("10.0.0.9"))
            let answer = try decode(try #require(bytes), as: SaslAuthenticateResponse.self, apiKey: .saslAuthenticate, version: 2)
            #expect(answer.errorCode == .saslAuthenticationFailed)
            messages.append(answer.errorMessage ?? "")
            #expect(auth.principal == nil)
            // Nothing more is accepted on that connection.
            guard case .replyThenClose = auth.handle(frame: frame(MetadataRequest(topics: []), version: 12)) else { Issue.record("after failure"); continue }
        }
        #expect(messages.count == 2 && messages[0] == messages[1], "an unknown user and a wrong password get the same answer: \(messages)")
    }

    @Test func outOfOrderAndUnknownRequestsClose() throws {
        let (_, auth) = try setUp()
        guard case .replyThenClose(nil, 0, let reason) = auth.handle(frame: frame(MetadataRequest(topics: []), version: 12)) else {
            Issue.record("metadata before login"); return
        }
        #expect(reason.contains("ILLEGAL_SASL_STATE"))
        let (_, early) = try setUp()
        guard case .replyThenClose = authenticate(early, Self.plain("alice", "alice-secret")) else { Issue.record("authenticate before handshake"); return }
        let (_, garbage) = try setUp()
        guard case .replyThenClose = garbage.handle(frame: [0, 1, 2]) else { Issue.record("garbage"); return }
    }

    @Test func aMechanismNotEnabledIsRefusedWithTheList() throws {
        let (_, auth) = try setUp(enabled: ["SCRAM-SHA-512"])
        guard case .replyThenClose(let bytes, _, let reason) = auth.handle(frame: frame(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)) else {
            Issue.record("PLAIN accepted"); return
        }
        let answer = try decode(try #require(bytes), as: SaslHandshakeResponse.self, apiKey: .saslHandshake, version: 1)
        #expect(answer.errorCode == .unsupportedSaslMechanism && answer.mechanisms == ["SCRAM-SHA-512"])
        #expect(reason.contains("not enabled"))
        let (_, gssapi) = try setUp()
        guard case .replyThenClose = gssapi.handle(frame: frame(SaslHandshakeRequest(mechanism: "GSSAPI"), version: 1)) else { Issue.record("GSSAPI"); return }
    }

    @Test func saslRequestsOutsideALoginAreIllegal() throws {
        var harness = try BrokerHarness()
        #expect(try harness.send(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1).errorCode == .illegalSaslState)
        #expect(try harness.send(SaslAuthenticateRequest(authBytes: []), version: 1).errorCode == .illegalSaslState)
    }

    @Test func usersFileParsing() throws {
        let users = try Broker.parseSaslUsers("# users\nalice:a:b:c\n\n  \nbob:pw\r\n")
        #expect(users.map(\.name) == ["alice", "bob"])
        #expect(users.map(\.password) == ["a:b:c", "pw"])
        for (text, line) in [("nocolon", 1), ("ok:1\n:pw", 2), ("a b:pw", 1), ("a:", 1), ("a:1\na:2", 2)] {
            #expect { try Broker.parseSaslUsers(text) } throws: { ($0 as? SaslUsersFileError)?.line == line }
        }
    }

    @Test func credentialsSurviveARestartAndTheFileNeverHoldsAPassword() throws {
        let fileSystem = MemoryFileSystem()
        let harness = try BrokerHarness(fileSystem: fileSystem)
        #expect(try harness.broker.bootstrapSaslUsers([("alice", "alice-secret")]) == 1)
        // The same file again writes nothing; a changed password rewrites the user.
        #expect(try harness.broker.bootstrapSaslUsers([("alice", "alice-secret")]) == 0)
        let stored = try #require(try harness.store.readInternalFile(ScramCredentialStore.fileName))
        #expect(!String(decoding: stored, as: UTF8.self).contains("alice-secret"))
        try harness.broker.close()
        try harness.store.close()
        let reopened = try BrokerHarness(fileSystem: fileSystem)
        #expect(reopened.broker.scramCredentials.users.map(\.user) == ["alice"])
        #expect(reopened.broker.saslMechanisms.verifyPassword("alice", "alice-secret"))
        #expect(!reopened.broker.saslMechanisms.verifyPassword("alice", "alice-secreT"))
        #expect(try reopened.broker.bootstrapSaslUsers([("alice", "new-secret")]) == 1)
        #expect(reopened.broker.saslMechanisms.verifyPassword("alice", "new-secret"))
    }

    @Test func aDamagedCredentialFileStopsTheStartWithAClearError() throws {
        let fileSystem = MemoryFileSystem()
        let harness = try BrokerHarness(fileSystem: fileSystem)
        try harness.store.writeInternalFile(ScramCredentialStore.fileName, Array("version 1\ncredential alice SCRAM-SHA-256 4096 zz 00 00\n".utf8))
        #expect(throws: LogStorageError.self) { _ = try ScramCredentialStore(store: harness.store) }
    }

    @Test func userCredentialApisFollowKafka() throws {
        var harness = try BrokerHarness()
        let salt: [UInt8] = Array(repeating: 1, count: 16)
        let salted = try ScramMechanism.sha256.saltedPassword(Array("carol-pw".utf8), salt: salt, iterations: 4096)
        typealias Upsert = AlterUserScramCredentialsRequest.ScramCredentialUpsertion
        typealias Delete = AlterUserScramCredentialsRequest.ScramCredentialDeletion
        let altered = try harness.send(AlterUserScramCredentialsRequest(deletions: [Delete(name: "nobody", mechanism: 1)], upsertions: [
            Upsert(name: "carol", mechanism: 1, iterations: 4096, salt: salt, saltedPassword: salted),
            Upsert(name: "few", mechanism: 1, iterations: 1000, salt: salt, saltedPassword: salted),
            Upsert(name: "many", mechanism: 2, iterations: 20000, salt: salt, saltedPassword: Array(repeating: 0, count: 64)),
            Upsert(name: "odd", mechanism: 3, iterations: 4096, salt: salt, saltedPassword: salted),
            Upsert(name: "", mechanism: 1, iterations: 4096, salt: salt, saltedPassword: salted),
            Upsert(name: "twice", mechanism: 1, iterations: 4096, salt: salt, saltedPassword: salted),
            Upsert(name: "twice", mechanism: 1, iterations: 8192, salt: salt, saltedPassword: salted),
            Upsert(name: "both", mechanism: 1, iterations: 4096, salt: salt, saltedPassword: salted),
            Upsert(name: "both", mechanism: 2, iterations: 4096, salt: salt, saltedPassword: Array(repeating: 0, count: 64)),
            Upsert(name: "short", mechanism: 1, iterations: 4096, salt: salt, saltedPassword: [1, 2, 3]),
        ]), version: 0)
        let codes = Dictionary(uniqueKeysWithValues: altered.results.map { ($0.user, $0.errorCode) })
        #expect(codes == ["nobody": .resourceNotFound, "carol": .none, "few": .unacceptableCredential, "many": .unacceptableCredential,
                          "odd": .unsupportedSaslMechanism, "": .unacceptableCredential, "twice": .duplicateResource, "short": .unacceptableCredential,
                          "both": .none])
        // carol logs in with the password behind the salted one.
        #expect(harness.broker.saslMechanisms.verifyPassword("carol", "carol-pw"))
        let all = try harness.send(DescribeUserScramCredentialsRequest(users: nil), version: 0)
        #expect(all.results.map(\.user) == ["both", "carol"])
        #expect(all.results.last?.credentialInfos.map { [$0.mechanism, Int8($0.iterations / 1024)] } == [[1, 4]])
        let named = try harness.send(DescribeUserScramCredentialsRequest(users: [.init(name: "carol"), .init(name: "dave"), .init(name: "x"), .init(name: "x")]), version: 0)
        #expect(named.results.map(\.errorCode) == [.none, .resourceNotFound, .duplicateResource])
        let deleted = try harness.send(AlterUserScramCredentialsRequest(deletions: [Delete(name: "carol", mechanism: 1)], upsertions: []), version: 0)
        #expect(deleted.results.map(\.errorCode) == [.none])
        #expect(!harness.broker.saslMechanisms.verifyPassword("carol", "carol-pw"))
        #expect(try harness.send(DescribeUserScramCredentialsRequest(users: []), version: 0).results.map(\.user) == ["both"])
    }
}
