import KafkaProtocol
import Security

extension KafkaAdmin {
    /// The SCRAM credentials (mechanism and iteration count) of `users`, or of every user that
    /// has any when `users` is nil or empty (DescribeUserScramCredentials, KIP-554).
    ///
    /// - Returns: for each user, its credentials sorted by mechanism, or its failure:
    ///   `.broker(.resourceNotFound, …)` for a named user without credentials,
    ///   `.broker(.duplicateResource, …)` for a user named twice.
    /// - Throws: `.unsupported` when the broker lacks the API, a message-level broker error,
    ///   connection failures once retries are spent, `.closed`.
    public func describeUserScramCredentials(_ users: [String]? = nil) throws(KafkaClientError) -> [String: Result<[ScramCredentialInfo], KafkaClientError>] {
        let request = DescribeUserScramCredentialsRequest(users: users.flatMap { $0.isEmpty ? nil : $0.map { .init(name: $0) } })
        return try cluster.withRetries("DescribeUserScramCredentials") { () throws(KafkaClientError) -> [String: Result<[ScramCredentialInfo], KafkaClientError>] in
            let connection = try anyBroker()
            let version = try negotiatedVersion(.describeUserScramCredentials, on: connection, for: "describing SCRAM credentials")
            let response = try connection.send(request, version: version).0
            guard response.errorCode == .none else {
                throw .broker(response.errorCode, context: Self.context("DescribeUserScramCredentials", response.errorMessage))
            }
            var results: [String: Result<[ScramCredentialInfo], KafkaClientError>] = [:]
            for result in response.results {
                if result.errorCode != .none {
                    results[result.user] = .failure(.broker(result.errorCode, context: Self.context("describe SCRAM credentials of \(result.user.debugDescription)", result.errorMessage)))
                } else {
                    // A mechanism this client does not know (wire code 0 = UNKNOWN) is left out.
                    results[result.user] = .success(result.credentialInfos.compactMap { info in
                        Self.scramMechanism(wire: info.mechanism).map { ScramCredentialInfo(mechanism: $0, iterations: Int(info.iterations)) }
                    }.sorted { $0.mechanism.name < $1.mechanism.name })
                }
            }
            return results
        }
    }

    /// Creates or replaces (`upsert`) and deletes (`delete`) SCRAM credentials in one
    /// AlterUserScramCredentials request (KIP-554) to the controller. Each password is salted
    /// and hashed here with a fresh 32-byte random salt; only the salted password travels.
    ///
    /// Kafka allows each user and mechanism only once per request (kaffeed, like Kafka's
    /// controller, answers DUPLICATE_RESOURCE for that user otherwise); both mechanisms of one
    /// user may go in one request.
    ///
    /// - Returns: for each user named, nil when applied, else its failure with the broker's
    ///   message: `.broker(.resourceNotFound, …)` deleting a credential that does not exist,
    ///   `.broker(.duplicateResource, …)`, `.broker(.unacceptableCredential, …)` (empty name,
    ///   iterations outside 4096…16384), `.broker(.unsupportedSaslMechanism, …)`.
    /// - Throws: before sending: `.invalidArgument` for a PLAIN credential or an iteration
    ///   count the hash cannot be computed with; `.unsupported` when the broker lacks the API;
    ///   connection failures once retries are spent (a retry after a lost answer can report a
    ///   deletion that did happen as RESOURCE_NOT_FOUND); `.closed`.
    public func alterUserScramCredentials(upsert: [ScramCredentialUpsertion] = [],
                                          delete: [ScramCredentialDeletion] = []) throws(KafkaClientError) -> [String: KafkaClientError?] {
        var upsertions: [AlterUserScramCredentialsRequest.ScramCredentialUpsertion] = []
        for credential in upsert {
            let (mechanism, wire) = try Self.scram(credential.mechanism)
            guard let iterations = Int32(exactly: credential.iterations) else {
                throw .invalidArgument("\(credential): the iteration count must lie in \(ScramMechanism.minimumIterations)...\(ScramMechanism.maximumIterations)")
            }
            // Out-of-range counts go to the broker with a placeholder hash, so that its
            // UNACCEPTABLE_CREDENTIAL answer (Kafka's behaviour) reaches the caller per user.
            let salt = SecureRandom.bytes(32)
            let salted = (try? mechanism.saltedPassword(Array(credential.password.utf8), salt: salt, iterations: credential.iterations))
                ?? [UInt8](repeating: 0, count: mechanism.digestSize)
            upsertions.append(.init(name: credential.user, mechanism: wire, iterations: iterations, salt: salt, saltedPassword: salted))
        }
        var deletions: [AlterUserScramCredentialsRequest.ScramCredentialDeletion] = []
        for credential in delete {
            deletions.append(.init(name: credential.user, mechanism: try Self.scram(credential.mechanism).wire))
        }
        let request = AlterUserScramCredentialsRequest(deletions: deletions, upsertions: upsertions)
        let names = delete.map(\.user) + upsert.map(\.user)
        return try cluster.withRetries("AlterUserScramCredentials") { () throws(KafkaClientError) -> [String: KafkaClientError?] in
            let connection = try controller()
            let version = try negotiatedVersion(.alterUserScramCredentials, on: connection, for: "changing SCRAM credentials")
            let response = try connection.send(request, version: version).0
            var results: [String: KafkaClientError?] = [:]
            // updateValue, since assigning nil through the subscript would remove the entry.
            for result in response.results {
                results.updateValue(result.errorCode == .none ? nil
                    : .broker(result.errorCode, context: Self.context("alter SCRAM credentials of \(result.user.debugDescription)", result.errorMessage)),
                    forKey: result.user)
            }
            for name in names where results.index(forKey: name) == nil {
                results.updateValue(.connection(address: connection.address.description, reason: "AlterUserScramCredentials answer does not mention \(name.debugDescription)"), forKey: name)
            }
            return results
        }
    }

    /// The Security mechanism and the wire code (1, 2) of a SCRAM mechanism; PLAIN is refused.
    private static func scram(_ mechanism: SaslConfig.Mechanism) throws(KafkaClientError) -> (mechanism: ScramMechanism, wire: Int8) {
        switch mechanism {
        case .scramSha256: (.sha256, 1)
        case .scramSha512: (.sha512, 2)
        case .plain: throw .invalidArgument("PLAIN has no credential of its own (PLAIN logins are checked against the SCRAM credential); use SCRAM-SHA-256 or SCRAM-SHA-512")
        }
    }

    /// The mechanism of a wire code of DescribeUserScramCredentials, or nil for an unknown one.
    private static func scramMechanism(wire: Int8) -> SaslConfig.Mechanism? {
        switch wire {
        case 1: .scramSha256
        case 2: .scramSha512
        default: nil
        }
    }
}
