import Security

/// StoredKey and ServerKey from a salted password (AlterUserScramCredentials sends the salted
/// password, RFC 5802's SaltedPassword).
enum ScramKeys {
    static func derive(_ name: ScramMechanismName, saltedPassword: [UInt8]) -> (storedKey: [UInt8], serverKey: [UInt8]) {
        let mechanism: ScramMechanism = name == .sha256 ? .sha256 : .sha512
        return (mechanism.hash(mechanism.clientKey(saltedPassword: saltedPassword)), mechanism.serverKey(saltedPassword: saltedPassword))
    }
}
