/// Random bytes from `SystemRandomNumberGenerator` (getrandom(2) on Linux), for salts and nonces.
/// Stateless; thread-safe.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A SCRAM nonce: 18 random bytes in base64 (24 printable characters, never a comma).
    public static func nonce() -> String {
        Base64.encode(bytes(18))
    }
}
