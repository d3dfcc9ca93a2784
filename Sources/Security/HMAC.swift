/// HMAC (RFC 2104) over any `HashFunction`: H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ message)), where K'
/// is the key hashed if longer than a block, then zero-padded to `H.blockSize`.
///
/// A value type holding the two keyed hash states; copy a freshly keyed value to authenticate
/// several messages with one key. Not for concurrent mutation; copies are independent.
public struct HMAC<H: HashFunction>: Sendable {
    private var inner: H
    private var outer: H

    /// Keys the MAC. Any key length is accepted (RFC 2104 §3), including empty.
    public init(key: [UInt8]) {
        let (innerPad, outerPad) = Self.pads(for: key)
        inner = H()
        inner.update(innerPad)
        outer = H()
        outer.update(outerPad)
    }

    /// The key padded to a block and XORed with ipad (0x36) and opad (0x5c).
    static func pads(for key: [UInt8]) -> (inner: [UInt8], outer: [UInt8]) {
        var block = key.count > H.blockSize ? H.hash(key) : key
        block.append(contentsOf: repeatElement(0, count: H.blockSize - block.count))
        return (block.map { $0 ^ 0x36 }, block.map { $0 ^ 0x5c })
    }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bytes) }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) { inner.update(bytes) }

    /// The MAC (`H.digestSize` bytes) of the message so far; the value is spent afterwards.
    public mutating func finalize() -> [UInt8] {
        let innerDigest = inner.finalize()
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// The MAC of `message` under `key` in one call.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.finalize()
    }
}
