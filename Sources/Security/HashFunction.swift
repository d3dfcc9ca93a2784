/// A cryptographic hash function with the streaming shape `init` → `update`* → `finalize`.
///
/// Conforming types are values: copying one mid-stream forks the computation (HMAC relies on
/// this). A value is not meant to be shared between threads while it is being updated; copies
/// are independent. After `finalize()` the value must not be updated again (start a new one).
public protocol HashFunction: Sendable {
    /// The size in bytes of the blocks the compression function consumes (64 for SHA-256,
    /// 128 for SHA-512); HMAC pads its key to this size.
    static var blockSize: Int { get }
    /// The size in bytes of the digest `finalize()` returns.
    static var digestSize: Int { get }
    /// A fresh computation over the empty message.
    init()
    /// Appends `bytes` to the message.
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// Pads the message and returns its digest (`digestSize` bytes).
    mutating func finalize() -> [UInt8]
}

extension HashFunction {
    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = Self()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
