import Security

extension Broker {
    /// The login state machine for a new connection on a SASL_PLAINTEXT listener.
    public func saslAuthenticator(context: RequestContext) -> SaslAuthenticator {
        let mechanisms = saslMechanisms
        return SaslAuthenticator(enabled: config.saslMechanisms, context: context, failureDelayMillis: config.failedAuthenticationDelayMs) {
            mechanisms.make($0)
        }
    }

    /// Puts `users` (name, password) into the credential store for SCRAM-SHA-256 and -512 (and
    /// so PLAIN), hashed with a fresh random salt and 4096 iterations (`--sasl-users`). A user
    /// whose stored credentials already match the password is left as it is, so restarting
    /// with the same file writes nothing. Returns how many users were (re)written.
    @discardableResult
    public func bootstrapSaslUsers(_ users: [(name: String, password: String)]) throws -> Int {
        var upsertions: [(user: String, mechanism: ScramMechanismName, credential: StoredScramCredential)] = []
        var written = Set<String>()
        for (name, password) in users {
            for stored in ScramMechanismName.allCases {
                let current = scramCredentials.credential(user: name, mechanism: stored)
                if let current, let mechanism = ScramMechanism(mechanismName: stored.description),
                   let salted = try? mechanism.saltedPassword(Array(password.utf8), salt: current.salt, iterations: Int(current.iterations)),
                   ConstantTime.equals(mechanism.hash(mechanism.clientKey(saltedPassword: salted)), current.storedKey) {
                    continue
                }
                guard let mechanism = ScramMechanism(mechanismName: stored.description) else { continue }
                let credential = try ScramCredential(mechanism: mechanism, password: password)
                upsertions.append((name, stored, StoredScramCredential(iterations: Int32(credential.iterations), salt: credential.salt,
                                                                        storedKey: credential.storedKey, serverKey: credential.serverKey)))
                written.insert(name)
            }
        }
        try scramCredentials.apply(deletions: [], upsertions: upsertions)
        return written.count
    }

    /// Parses a `--sasl-users` file: one `name:password` per line (the password is everything
    /// after the first colon), blank lines and `#` comments ignored. Throws a message naming
    /// the line for anything else.
    public static func parseSaslUsers(_ text: String) throws(SaslUsersFileError) -> [(name: String, password: String)] {
        var users: [(name: String, password: String)] = []
        // isNewline: "\r\n" is one Character in Swift, so splitting at "\n" would miss it.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { throw SaslUsersFileError(line: index + 1, reason: "expected name:password") }
            let name = String(line[..<colon])
            let password = String(line[line.index(after: colon)...])
            guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw SaslUsersFileError(line: index + 1, reason: "the user name is empty or contains blanks")
            }
            guard !password.isEmpty else { throw SaslUsersFileError(line: index + 1, reason: "the password of \(name) is empty") }
            guard !users.contains(where: { $0.name == name }) else { throw SaslUsersFileError(line: index + 1, reason: "user \(name) is listed twice") }
            users.append((name, password))
        }
        return users
    }
}

/// A `--sasl-users` file that does not parse; never holds a password.
public struct SaslUsersFileError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "line \(line): \(reason)" }
}
