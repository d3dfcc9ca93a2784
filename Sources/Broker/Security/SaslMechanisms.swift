import Security

/// Makes the server side of each SASL mechanism kaffeed offers, checking passwords against the
/// SCRAM credential store (PLAIN included: its password is salted and hashed with the stored
/// SCRAM-SHA-256 credential's salt and iterations, or SCRAM-SHA-512's when that is the only one,
/// and compared with the StoredKey in constant time; no password is ever kept). Unknown users
/// cost as much as known ones (decoy credentials), so timing does not tell them apart.
/// Thread-safe.
struct SaslMechanisms: Sendable {
    let credentials: ScramCredentialStore
    let decoys: ScramDecoyCredentials

    init(credentials: ScramCredentialStore) {
        self.credentials = credentials
        decoys = ScramDecoyCredentials()
    }

    /// A fresh exchange of mechanism `name`, or nil for a name kaffeed does not implement.
    func make(_ name: String) -> (any SaslServerMechanism)? {
        if name == PlainServer.mechanismName {
            let check = verifyPassword
            return SaslExchange(mechanismName: name, PlainServer(verify: { check($0, $1) }))
        }
        guard let mechanism = ScramMechanism(mechanismName: name), let stored = ScramMechanismName(saslName: name) else { return nil }
        let credentials = credentials
        return SaslExchange(mechanismName: name, ScramServer(mechanism: mechanism, credentials: { user in
            credentials.credential(user: user, mechanism: stored).flatMap { try? $0.scramCredential(mechanism) }
        }, decoys: decoys))
    }

    /// Whether `password` is `user`'s (PLAIN): derived with the stored credential's salt and
    /// iterations, compared in constant time; an unknown user is checked against a decoy.
    var verifyPassword: @Sendable (String, String) -> Bool {
        let credentials = credentials
        let decoys = decoys
        return { user, password in
            for name in ScramMechanismName.allCases {
                guard let stored = credentials.credential(user: user, mechanism: name), let mechanism = ScramMechanism(mechanismName: name.description),
                      let salted = try? mechanism.saltedPassword(Array(password.utf8), salt: stored.salt, iterations: Int(stored.iterations))
                else { continue }
                return ConstantTime.equals(mechanism.hash(mechanism.clientKey(saltedPassword: salted)), stored.storedKey)
            }
            // Spend the same work on an unknown user, then refuse.
            if let decoy = decoys.credential(for: user, mechanism: .sha256) {
                _ = try? ScramMechanism.sha256.saltedPassword(Array(password.utf8), salt: decoy.salt, iterations: decoy.iterations)
            }
            return false
        }
    }
}

extension StoredScramCredential {
    /// The Security module's credential for `mechanism`; throws when the stored parts break
    /// its invariants (a damaged store).
    func scramCredential(_ mechanism: ScramMechanism) throws(SaslError) -> ScramCredential {
        try ScramCredential(mechanism: mechanism, salt: salt, storedKey: storedKey, serverKey: serverKey, iterations: Int(iterations))
    }
}
