import KafkaProtocol

extension Broker {
    /// DescribeUserScramCredentials (KIP-554): each user's mechanisms and iteration counts,
    /// never a credential. Null or empty users = every user with credentials; a named user
    /// without any → RESOURCE_NOT_FOUND; a user named twice → DUPLICATE_RESOURCE (Kafka's
    /// messages).
    func handleDescribeUserScramCredentials(_ request: DescribeUserScramCredentialsRequest,
                                            context: RequestContext) -> DescribeUserScramCredentialsResponse {
        // Kafka: DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED at the top and for
        // each named user (its name left empty, as Kafka's error response does).
        guard isAuthorizedOnCluster(context, .describe) else {
            let message = Self.authorizationMessage(.clusterAuthorizationFailed)
            return DescribeUserScramCredentialsResponse(errorCode: .clusterAuthorizationFailed, errorMessage: message,
                                                        results: (request.users ?? []).map { _ in
                .init(errorCode: .clusterAuthorizationFailed, errorMessage: message)
            })
        }
        let known = Dictionary(uniqueKeysWithValues: scramCredentials.users.map { ($0.user, $0.mechanisms) })
        func infos(_ user: String) -> [DescribeUserScramCredentialsResponse.CredentialInfo] {
            (known[user] ?? []).map { .init(mechanism: $0.0.rawValue, iterations: $0.1) }
        }
        guard let names = request.users?.map(\.name), !names.isEmpty else {
            return DescribeUserScramCredentialsResponse(errorCode: .none, results: known.keys.sorted().map {
                .init(user: $0, errorCode: .none, credentialInfos: infos($0))
            })
        }
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        var seen = Set<String>()
        var results: [DescribeUserScramCredentialsResponse.DescribeUserScramCredentialsResult] = []
        for name in names where seen.insert(name).inserted {
            if counts[name, default: 0] > 1 {
                results.append(.init(user: name, errorCode: .duplicateResource,
                                     errorMessage: "Cannot describe SCRAM credentials for the same user twice in a single request: \(name)"))
            } else if known[name] == nil {
                results.append(.init(user: name, errorCode: .resourceNotFound, errorMessage: "Attempt to describe a user credential that does not exist: \(name)"))
            } else {
                results.append(.init(user: name, errorCode: .none, credentialInfos: infos(name)))
            }
        }
        return DescribeUserScramCredentialsResponse(errorCode: .none, results: results)
    }

    /// AlterUserScramCredentials (KIP-554): deletions and upsertions, validated per user as
    /// Kafka's controller does (empty name or salted password → UNACCEPTABLE_CREDENTIAL; an
    /// unknown mechanism → UNSUPPORTED_SASL_MECHANISM; iterations outside 4096–16384 →
    /// UNACCEPTABLE_CREDENTIAL; a user and mechanism named twice in one request →
    /// DUPLICATE_RESOURCE;
    /// deleting a credential that does not exist → RESOURCE_NOT_FOUND). The valid ones are
    /// stored together, durably (a storage failure answers KAFKA_STORAGE_ERROR for them).
    /// Stored: the salt, iterations, StoredKey and ServerKey derived from the salted password.
    func handleAlterUserScramCredentials(_ request: AlterUserScramCredentialsRequest,
                                         context: RequestContext) -> AlterUserScramCredentialsResponse {
        typealias Result = AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult
        // Kafka: ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED for every named user
        // (once each, sorted).
        guard isAuthorizedOnCluster(context, .alter) else {
            let users = Set(request.deletions.map(\.name) + request.upsertions.map(\.name)).sorted()
            return AlterUserScramCredentialsResponse(results: users.map {
                Result(user: $0, errorCode: .clusterAuthorizationFailed, errorMessage: Self.authorizationMessage(.clusterAuthorizationFailed))
            })
        }
        // Kafka's rule: the same user and mechanism twice in one request (any mix of deletion
        // and upsertion) fails that user.
        struct Pair: Hashable { var user: String; var mechanism: Int8 }
        var counts: [Pair: Int] = [:]
        for pair in request.deletions.map({ Pair(user: $0.name, mechanism: $0.mechanism) })
            + request.upsertions.map({ Pair(user: $0.name, mechanism: $0.mechanism) }) {
            counts[pair, default: 0] += 1
        }
        var failures: [String: (ErrorCode, String)] = [:]
        func fail(_ user: String, _ code: ErrorCode, _ message: String) {
            if failures[user] == nil { failures[user] = (code, message) }
        }
        var deletions: [(user: String, mechanism: ScramMechanismName)] = []
        var upsertions: [(user: String, mechanism: ScramMechanismName, credential: StoredScramCredential)] = []
        for deletion in request.deletions {
            guard !deletion.name.isEmpty else { fail(deletion.name, .unacceptableCredential, "Username must not be empty"); continue }
            guard let mechanism = ScramMechanismName(rawValue: deletion.mechanism) else {
                fail(deletion.name, .unsupportedSaslMechanism, "Unknown SCRAM mechanism"); continue
            }
            guard scramCredentials.credential(user: deletion.name, mechanism: mechanism) != nil else {
                fail(deletion.name, .resourceNotFound, "Attempt to delete a user credential that does not exist"); continue
            }
            deletions.append((deletion.name, mechanism))
        }
        for upsertion in request.upsertions {
            guard !upsertion.name.isEmpty else { fail(upsertion.name, .unacceptableCredential, "Username must not be empty"); continue }
            guard let mechanism = ScramMechanismName(rawValue: upsertion.mechanism) else {
                fail(upsertion.name, .unsupportedSaslMechanism, "Unknown SCRAM mechanism"); continue
            }
            guard upsertion.iterations >= ScramMechanismName.minIterations else {
                fail(upsertion.name, .unacceptableCredential, "Too few iterations"); continue
            }
            guard upsertion.iterations <= ScramMechanismName.maxIterations else {
                fail(upsertion.name, .unacceptableCredential, "Too many iterations"); continue
            }
            guard !upsertion.salt.isEmpty, upsertion.saltedPassword.count == mechanism.hashLength else {
                fail(upsertion.name, .unacceptableCredential, "The salt must not be empty and the salted password must be \(mechanism.hashLength) bytes"); continue
            }
            let keys = ScramKeys.derive(mechanism, saltedPassword: upsertion.saltedPassword)
            upsertions.append((upsertion.name, mechanism,
                               StoredScramCredential(iterations: upsertion.iterations, salt: upsertion.salt,
                                                     storedKey: keys.storedKey, serverKey: keys.serverKey)))
        }
        for (pair, count) in counts where count > 1 && failures[pair.user] == nil {
            failures[pair.user] = (.duplicateResource, "A user credential cannot be altered twice in the same request")
        }
        deletions.removeAll { failures[$0.user] != nil }
        upsertions.removeAll { failures[$0.user] != nil }
        var storageError: String?
        do {
            try scramCredentials.apply(deletions: deletions, upsertions: upsertions)
        } catch {
            storageError = "\(error)"
            logger.error("storing SCRAM credentials failed: \(error)")
        }
        var seen = Set<String>()
        var results: [Result] = []
        for name in request.deletions.map(\.name) + request.upsertions.map(\.name) where seen.insert(name).inserted {
            if let (code, message) = failures[name] {
                results.append(Result(user: name, errorCode: code, errorMessage: message))
            } else if let storageError {
                results.append(Result(user: name, errorCode: .kafkaStorageError, errorMessage: storageError))
            } else {
                results.append(Result(user: name, errorCode: .none))
            }
        }
        return AlterUserScramCredentialsResponse(results: results)
    }
}
