/// Stand-in SCRAM credentials for user names the store does not know, so that an unknown user
/// gets a server-first message that looks like a real one (a stable salt per name, the usual
/// iteration count) and fails at the proof exactly like a wrong password: no user enumeration.
///
/// The decoys are HMAC-SHA-256 values of the user name under a secret: stable for the life of
/// one value, unpredictable without the secret. Create one per broker (not per exchange) and
/// share it; it is an immutable value and thread-safe.
public struct ScramDecoyCredentials: Sendable {
    private let secret: [UInt8]
    /// The iteration count decoys announce; set it to what real credentials mostly use.
    public let iterations: Int

    /// Decoys under `secret` (32 random bytes if nil) announcing `iterations` (clamped into
    /// Kafka's 4096…16384).
    public init(secret: [UInt8]? = nil, iterations: Int = ScramMechanism.minimumIterations) {
        self.secret = secret ?? SecureRandom.bytes(32)
        self.iterations = min(max(iterations, ScramMechanism.minimumIterations), ScramMechanism.maximumIterations)
    }

    /// The decoy for `username` under `mechanism`: a `defaultSaltLength`-byte salt and keys no
    /// password is known to match.
    public func credential(for username: String, mechanism: ScramMechanism) -> ScramCredential? {
        let label = Array(mechanism.mechanismName.utf8) + [0] + Array(username.utf8)
        let salt = HMAC<SHA256>.authenticationCode(for: Array("salt".utf8) + [0] + label, key: secret)
        let stored = expand(Array("stored".utf8) + [0] + label, count: mechanism.digestSize)
        let server = expand(Array("server".utf8) + [0] + label, count: mechanism.digestSize)
        return try? ScramCredential(
            mechanism: mechanism, salt: Array(salt.prefix(ScramCredential.defaultSaltLength)),
            storedKey: stored, serverKey: server, iterations: iterations)
    }

    /// `count` bytes of HMAC-SHA-256 output over `label` with a counter.
    private func expand(_ label: [UInt8], count: Int) -> [UInt8] {
        var output: [UInt8] = []
        var counter: UInt8 = 0
        while output.count < count {
            output += HMAC<SHA256>.authenticationCode(for: label + [counter], key: secret)
            counter &+= 1
        }
        return Array(output.prefix(count))
    }
}
