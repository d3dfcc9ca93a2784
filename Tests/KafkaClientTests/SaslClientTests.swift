@testable import KafkaClient
import KafkaProtocol
import Net
import SystemIO
import Testing

/// `ClientConfig.sasl` against an in-process kaffeed with a SASL_PLAINTEXT listener (never the
/// external broker of `KAFFEE_TEST_BROKERS`), and the SCRAM user administration of `KafkaAdmin`.
@Suite struct SaslClientTests {
    static let scram: [SaslConfig.Mechanism] = [.scramSha256, .scramSha512]

    /// Milliseconds `body` took.
    static func elapsedMs(_ body: () -> Void) -> UInt64 {
        let clock = SystemTimeSource()
        let start = clock.monotonicNanos()
        body()
        return (clock.monotonicNanos() - start) / 1_000_000
    }

    /// Produces one record as `config`'s user, then reads it back with a consumer logged in the
    /// same way.
    static func roundTrip(_ config: ClientConfig, topic: String, value: String) throws {
        let producer = try KafkaProducer(config: config)
        defer { producer.close() }
        let metadata = try producer.send(ProducerRecord(topic: topic, partition: 0, value: Array(value.utf8)))
        let consumer = try KafkaConsumer(config: config, consumerConfig: ConsumerConfig(groupId: nil))
        defer { consumer.close() }
        let partition = TopicPartition(topic: topic, partition: 0)
        try consumer.assign([partition])
        try consumer.seek(partition, to: metadata.offset)
        var records: [ConsumerRecord] = []
        let clock = SystemTimeSource()
        let deadline = clock.monotonicNanos() + 10_000_000_000
        while records.isEmpty, clock.monotonicNanos() < deadline {
            records += try consumer.poll(timeoutMs: 200)
        }
        #expect(records.first.map { String(decoding: $0.value ?? [], as: UTF8.self) } == value, "\(config.sasl?.description ?? "")")
    }

    @Test func produceAndConsumeWithEachMechanism() throws {
        let broker = try SaslTestBroker()
        defer { broker.stop() }
        for mechanism in SaslConfig.Mechanism.allCases {
            try Self.roundTrip(broker.config(mechanism, "alice", "alice-secret"), topic: "sasl-\(mechanism.name.lowercased())", value: "hello \(mechanism.name)")
        }
    }

    @Test func wrongPasswordOrUnknownUserFailsFastAndTyped() throws {
        let broker = try SaslTestBroker()
        defer { broker.stop() }
        for mechanism in SaslConfig.Mechanism.allCases {
            for (user, password) in [("alice", "wrong"), ("mallory", "alice-secret")] {
                var config = broker.config(mechanism, user, password)
                config.retries = 5
                let admin = KafkaAdmin(config: config)
                defer { admin.close() }
                var failure: KafkaClientError?
                let ms = Self.elapsedMs { failure = caught { () throws(KafkaClientError) in try admin.listTopics() } }
                guard case .authenticationFailed(let message)? = failure else {
                    Issue.record("\(mechanism) \(user): \(String(describing: failure))")
                    continue
                }
                #expect(failure?.isRetriable == false)
                #expect(message.contains(user) && !message.contains(password), "\(message)")
                // The broker delays a refusal by 100 ms; five retries with backoff (100 ms
                // doubling to 1 s) would take over 3 s.
                #expect(ms < 2_000, "\(mechanism) \(user): \(ms) ms")

                let producer = try KafkaProducer(config: config)
                defer { producer.close() }
                var sendFailure: KafkaClientError?
                let sendMs = Self.elapsedMs { sendFailure = caught { () throws(KafkaClientError) in try producer.send(ProducerRecord(topic: "t", value: [1])) } }
                guard case .authenticationFailed? = sendFailure else {
                    Issue.record("producer, \(mechanism) \(user): \(String(describing: sendFailure))")
                    continue
                }
                #expect(sendMs < 5_000, "producer, \(mechanism) \(user): \(sendMs) ms")
            }
        }
    }

    @Test func aMechanismTheListenerDoesNotEnableIsATypedError() throws {
        let broker = try SaslTestBroker(mechanisms: "PLAIN")
        defer { broker.stop() }
        for mechanism in Self.scram {
            let admin = KafkaAdmin(config: broker.config(mechanism, "alice", "alice-secret"))
            defer { admin.close() }
            let failure = caught { () throws(KafkaClientError) in try admin.listTopics() }
            guard case .broker(.unsupportedSaslMechanism, let context)? = failure else {
                Issue.record("\(mechanism): \(String(describing: failure))")
                continue
            }
            #expect(context.contains(mechanism.name) && context.contains("enables PLAIN"), "\(context)")
            #expect(failure?.isRetriable == false)
        }
        let plain = KafkaAdmin(config: broker.config(.plain, "alice", "alice-secret"))
        defer { plain.close() }
        _ = try plain.listTopics()
    }

    @Test func createdUsersLogInAndDeletedOnesCannot() throws {
        let broker = try SaslTestBroker()
        defer { broker.stop() }
        let admin = KafkaAdmin(config: broker.config(.scramSha256, "alice", "alice-secret"))
        defer { admin.close() }
        // Both mechanisms of one user in one request (each user and mechanism once, Kafka's rule).
        #expect(try admin.alterUserScramCredentials(upsert: [.init(user: "bob", mechanism: .scramSha512, password: "bob-pw", iterations: 8192),
                                                             .init(user: "bob", mechanism: .scramSha256, password: "bob-pw")]) == ["bob": .none])
        let described = try admin.describeUserScramCredentials(["bob"])
        #expect(try described["bob"]?.get() == [ScramCredentialInfo(mechanism: .scramSha256, iterations: 4096),
                                                 ScramCredentialInfo(mechanism: .scramSha512, iterations: 8192)])
        let everyone = try admin.describeUserScramCredentials()
        #expect(everyone.keys.sorted() == ["alice", "bob"])
        #expect(try everyone["alice"]?.get().map(\.mechanism) == Self.scram)

        for mechanism in SaslConfig.Mechanism.allCases {
            try Self.roundTrip(broker.config(mechanism, "bob", "bob-pw"), topic: "bob-\(mechanism.name.lowercased())", value: "from bob")
        }
        #expect(try admin.alterUserScramCredentials(delete: [.init(user: "bob", mechanism: .scramSha512)]) == ["bob": .none])
        func login(_ mechanism: SaslConfig.Mechanism) -> KafkaClientError? {
            let bob = KafkaAdmin(config: broker.config(mechanism, "bob", "bob-pw"))
            defer { bob.close() }
            return caught { () throws(KafkaClientError) in try bob.listTopics() }
        }
        guard case .authenticationFailed? = login(.scramSha512) else { Issue.record("SCRAM-SHA-512 after its deletion"); return }
        #expect(login(.scramSha256) == nil)
        #expect(try admin.alterUserScramCredentials(delete: [.init(user: "bob", mechanism: .scramSha256)]) == ["bob": .none])
        for mechanism in SaslConfig.Mechanism.allCases {
            guard case .authenticationFailed? = login(mechanism) else { Issue.record("\(mechanism) after every deletion"); continue }
        }
        #expect(try admin.describeUserScramCredentials().keys.sorted() == ["alice"])
    }

    @Test func perUserErrorsAreTyped() throws {
        let broker = try SaslTestBroker()
        defer { broker.stop() }
        // Over the PLAINTEXT listener: administration needs no login there.
        let admin = KafkaAdmin(config: ClientConfig(bootstrapServers: [broker.plainAddress]))
        defer { admin.close() }
        func code(_ result: Result<[ScramCredentialInfo], KafkaClientError>?) -> ErrorCode? {
            if case .failure(.broker(let code, _))? = result { code } else { nil }
        }
        func code(_ result: KafkaClientError??) -> ErrorCode? {
            if case .some(.some(.broker(let code, _))) = result { code } else { nil }
        }
        let described = try admin.describeUserScramCredentials(["nobody", "alice", "twice", "twice"])
        #expect(code(described["nobody"]) == .resourceNotFound)
        #expect(code(described["twice"]) == .duplicateResource)
        #expect(try described["alice"]?.get().count == 2)

        let altered = try admin.alterUserScramCredentials(
            upsert: [.init(user: "few", mechanism: .scramSha256, password: "p", iterations: 100),
                     .init(user: "many", mechanism: .scramSha256, password: "p", iterations: 20_000),
                     .init(user: "", mechanism: .scramSha256, password: "p"),
                     .init(user: "dup", mechanism: .scramSha256, password: "p"),
                     .init(user: "dup", mechanism: .scramSha256, password: "q")],
            delete: [.init(user: "ghost", mechanism: .scramSha512)])
        #expect(code(altered["few"]) == .unacceptableCredential)
        #expect(code(altered["many"]) == .unacceptableCredential)
        #expect(code(altered[""]) == .unacceptableCredential)
        #expect(code(altered["dup"]) == .duplicateResource)
        #expect(code(altered["ghost"]) == .resourceNotFound)
        #expect(try admin.describeUserScramCredentials().keys.sorted() == ["alice"], "nothing was stored")

        guard case .invalidArgument? = caught({ () throws(KafkaClientError) in try admin.alterUserScramCredentials(upsert: [.init(user: "x", mechanism: .plain, password: "p")]) }) else {
            Issue.record("a PLAIN credential must be refused before sending")
            return
        }
    }

    @Test func theConfigNeverShowsThePassword() {
        let config = SaslConfig(mechanism: .scramSha512, username: "alice", password: "hunter2")
        var dumped = ""
        dump(config, to: &dumped)
        for text in ["\(config)", String(reflecting: config), dumped, "\(ScramCredentialUpsertion(user: "a", mechanism: .scramSha256, password: "hunter2"))"] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect(SaslConfig.Mechanism(name: "scram-sha-256") == .scramSha256)
        #expect(SaslConfig.Mechanism(name: "GSSAPI") == nil)
    }

    /// A broker that answers SCRAM with a wrong server signature has not proved it knows the
    /// credential: the login fails, not just logs.
    @Test func aWrongServerSignatureFailsTheLogin() {
        for mechanism in Self.scram {
            var round = 0
            let login = SaslLogin(config: SaslConfig(mechanism: mechanism, username: "alice", password: "pw"), address: "fake:9092")
            let failure = caught { () throws(KafkaClientError) in
                try login.run(handshake: { request throws(KafkaClientError) in
                    #expect(request.mechanism == mechanism.name)
                    return SaslHandshakeResponse(errorCode: .none, mechanisms: [mechanism.name])
                }, authenticate: { request throws(KafkaClientError) in
                    round += 1
                    if round == 1 {
                        // Echo the client nonce, extended, with a salt and the minimum count.
                        let text = String(decoding: request.authBytes, as: UTF8.self)
                        let nonce = text.split(separator: ",").first { $0.hasPrefix("r=") }.map { String($0.dropFirst(2)) } ?? ""
                        return SaslAuthenticateResponse(authBytes: Array("r=\(nonce)server,s=c2FsdHNhbHQ=,i=4096".utf8))
                    }
                    return SaslAuthenticateResponse(authBytes: Array("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".utf8))
                })
            }
            guard case .authenticationFailed(let message)? = failure else {
                Issue.record("\(mechanism): \(String(describing: failure))")
                continue
            }
            #expect(message.contains("signature"), "\(message)")
            #expect(round == 2)
        }
    }
}
