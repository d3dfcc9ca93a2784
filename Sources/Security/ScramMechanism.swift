/// The SCRAM mechanisms Kafka offers (KIP-84): SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802 with
/// the hash of RFC 7677 / the SHA-512 analogue), with Kafka's iteration bounds 4096…16384.
///
/// Also the SCRAM key schedule (RFC 5802 §3) for the mechanism's hash. A plain value; thread-safe.
public enum ScramMechanism: String, CaseIterable, Sendable {
    /// SCRAM with SHA-256 / HMAC-SHA-256; keys and proofs are 32 bytes.
    case sha256 = "SCRAM-SHA-256"
    /// SCRAM with SHA-512 / HMAC-SHA-512; keys and proofs are 64 bytes.
    case sha512 = "SCRAM-SHA-512"

    /// The fewest PBKDF2 iterations a credential may use (Kafka's minimum for both mechanisms).
    public static let minimumIterations = 4096
    /// The most PBKDF2 iterations a credential may use (Kafka's maximum).
    public static let maximumIterations = 16384

    /// The SASL mechanism name as sent in SaslHandshake, e.g. "SCRAM-SHA-256".
    public var mechanismName: String { rawValue }

    /// The mechanism with this SASL name (exact, upper case), or nil.
    public init?(mechanismName: String) { self.init(rawValue: mechanismName) }

    /// The size in bytes of the hash output, hence of keys, signatures and proofs.
    public var digestSize: Int {
        switch self {
        case .sha256: SHA256.digestSize
        case .sha512: SHA512.digestSize
        }
    }

    /// Whether `iterations` lies in Kafka's allowed range for this mechanism.
    public func allows(iterations: Int) -> Bool {
        (Self.minimumIterations...Self.maximumIterations).contains(iterations)
    }

    /// H(bytes).
    public func hash(_ bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .sha256: SHA256.hash(bytes)
        case .sha512: SHA512.hash(bytes)
        }
    }

    /// HMAC(key, message).
    public func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        switch self {
        case .sha256: HMAC<SHA256>.authenticationCode(for: message, key: key)
        case .sha512: HMAC<SHA512>.authenticationCode(for: message, key: key)
        }
    }

    /// SaltedPassword := Hi(password, salt, i), Hi being PBKDF2 with this mechanism's HMAC and a
    /// key as long as the digest. Kafka applies no SASLprep: the password is its UTF-8 bytes.
    /// Throws `invalidIterationCount` outside 4096…16384.
    public func saltedPassword(_ password: [UInt8], salt: [UInt8], iterations: Int) throws(SaslError) -> [UInt8] {
        guard allows(iterations: iterations) else { throw .invalidIterationCount(iterations) }
        do {
            switch self {
            case .sha256:
                return try PBKDF2.deriveKey(using: SHA256.self, password: password, salt: salt, iterations: iterations, keyLength: digestSize)
            case .sha512:
                return try PBKDF2.deriveKey(using: SHA512.self, password: password, salt: salt, iterations: iterations, keyLength: digestSize)
            }
        } catch {
            // Unreachable: the iterations were checked and the key length is the digest size.
            throw .invalidIterationCount(iterations)
        }
    }

    /// ClientKey := HMAC(SaltedPassword, "Client Key").
    public func clientKey(saltedPassword: [UInt8]) -> [UInt8] {
        hmac(key: saltedPassword, Array("Client Key".utf8))
    }

    /// ServerKey := HMAC(SaltedPassword, "Server Key").
    public func serverKey(saltedPassword: [UInt8]) -> [UInt8] {
        hmac(key: saltedPassword, Array("Server Key".utf8))
    }
}
