/// What a SCRAM server stores for one user and mechanism (RFC 5802 §3, Kafka KIP-84/KIP-554):
/// salt, iteration count, StoredKey = H(ClientKey) and ServerKey. Never the password, and
/// nothing from which a client proof can be forged without the password.
///
/// Invariants (checked by the initializers): the iteration count lies in 4096…16384, the salt
/// is not empty, and both keys are `mechanism.digestSize` bytes. An immutable value; thread-safe.
public struct ScramCredential: Equatable, Sendable {
    /// The mechanism these keys belong to.
    public let mechanism: ScramMechanism
    /// The salt given to PBKDF2 (sent base64-encoded in server-first-message).
    public let salt: [UInt8]
    /// StoredKey := H(HMAC(SaltedPassword, "Client Key")).
    public let storedKey: [UInt8]
    /// ServerKey := HMAC(SaltedPassword, "Server Key").
    public let serverKey: [UInt8]
    /// The PBKDF2 iteration count.
    public let iterations: Int

    /// The length of the random salt `init(mechanism:password:iterations:)` draws.
    public static let defaultSaltLength = 32

    /// A credential from stored parts (e.g. read back from a credential store or an
    /// AlterUserScramCredentials request). Throws `malformed` / `invalidIterationCount` when an
    /// invariant does not hold.
    public init(mechanism: ScramMechanism, salt: [UInt8], storedKey: [UInt8], serverKey: [UInt8], iterations: Int) throws(SaslError) {
        guard mechanism.allows(iterations: iterations) else { throw .invalidIterationCount(iterations) }
        guard !salt.isEmpty else { throw .malformed("the salt is empty") }
        guard storedKey.count == mechanism.digestSize, serverKey.count == mechanism.digestSize else {
            throw .malformed("\(mechanism.mechanismName) keys must be \(mechanism.digestSize) bytes")
        }
        self.mechanism = mechanism
        self.salt = salt
        self.storedKey = storedKey
        self.serverKey = serverKey
        self.iterations = iterations
    }

    /// Derives a credential from `password` (its UTF-8 bytes, no SASLprep, as Kafka does) with
    /// `salt`, or `defaultSaltLength` bytes from the system's secure random generator if nil.
    /// The password is not kept.
    public init(mechanism: ScramMechanism, password: String, salt: [UInt8]? = nil, iterations: Int = ScramMechanism.minimumIterations) throws(SaslError) {
        let salt = salt ?? SecureRandom.bytes(Self.defaultSaltLength)
        let salted = try mechanism.saltedPassword(Array(password.utf8), salt: salt, iterations: iterations)
        try self.init(
            mechanism: mechanism, salt: salt,
            storedKey: mechanism.hash(mechanism.clientKey(saltedPassword: salted)),
            serverKey: mechanism.serverKey(saltedPassword: salted),
            iterations: iterations)
    }
}
