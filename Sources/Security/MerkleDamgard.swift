/// The compression function of a Merkle–Damgård hash (SHA-2 family, FIPS 180-4 §5–6), working
/// on a chaining state the caller owns as raw memory of `stateSize` bytes (native-endian words).
///
/// Only this module conforms; PBKDF2 drives it directly to iterate HMAC without allocating.
protocol CompressionFunction {
    /// Bytes per message block.
    static var blockSize: Int { get }
    /// Bytes of the digest written by `writeDigest`.
    static var digestSize: Int { get }
    /// Bytes of the chaining state (8 words).
    static var stateSize: Int { get }
    /// Bytes of the big-endian message-length field that ends the padding (8 or 16).
    static var lengthFieldSize: Int { get }
    /// Writes the initial hash value H(0) into `state`.
    static func initialize(_ state: UnsafeMutableRawPointer)
    /// Folds one `blockSize`-byte block into `state`.
    static func compress(_ state: UnsafeMutableRawPointer, _ block: UnsafeRawPointer)
    /// Writes the digest (the state's words big-endian, truncated to `digestSize`) to `output`.
    static func writeDigest(_ state: UnsafeRawPointer, to output: UnsafeMutableRawPointer)
}

/// The buffering and padding around a `CompressionFunction` (FIPS 180-4 §5.1): a streaming hash.
///
/// Message lengths are counted in bytes in a `UInt64`, enough for any message this module sees
/// (the bit length field is written from it, so messages stay below 2^61 bytes).
struct MerkleDamgard<Core: CompressionFunction>: Sendable {
    private var state: [UInt8]
    private var buffer: [UInt8]
    private var buffered = 0
    private var byteCount: UInt64 = 0

    /// A computation over the empty message, the state set to H(0).
    init() {
        state = [UInt8](repeating: 0, count: Core.stateSize)
        buffer = [UInt8](repeating: 0, count: Core.blockSize)
        state.withUnsafeMutableBytes { Core.initialize($0.baseAddress!) }
    }

    /// Appends `bytes`: whole blocks are compressed straight from `bytes`, the rest is buffered.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        byteCount &+= UInt64(bytes.count)
        let blockSize = Core.blockSize
        var offset = 0
        var pending = buffered
        state.withUnsafeMutableBytes { statePointer in
            buffer.withUnsafeMutableBytes { bufferPointer in
                let chaining = statePointer.baseAddress!
                let held = bufferPointer.baseAddress!
                if pending > 0 {
                    let take = min(blockSize - pending, bytes.count)
                    (held + pending).copyMemory(from: base, byteCount: take)
                    pending += take
                    offset = take
                    guard pending == blockSize else { return }
                    Core.compress(chaining, held)
                    pending = 0
                }
                while bytes.count - offset >= blockSize {
                    Core.compress(chaining, base + offset)
                    offset += blockSize
                }
                let rest = bytes.count - offset
                if rest > 0 {
                    held.copyMemory(from: base + offset, byteCount: rest)
                    pending = rest
                }
            }
        }
        buffered = pending
    }

    /// Appends the padding and returns the digest; the value is spent afterwards.
    mutating func finalize() -> [UInt8] {
        let blockSize = Core.blockSize
        let lengthFieldSize = Core.lengthFieldSize
        let bitLength = byteCount << 3
        // 0x80, zeros, then the bit length big-endian in the last `lengthFieldSize` bytes.
        let zeros = (blockSize - (buffered + 1 + lengthFieldSize) % blockSize) % blockSize
        var padding = [UInt8](repeating: 0, count: 1 + zeros + lengthFieldSize)
        padding[0] = 0x80
        var shift: UInt64 = 0
        var index = padding.count - 1
        while shift < 64 {
            padding[index] = UInt8(truncatingIfNeeded: bitLength &>> shift)
            shift += 8
            index -= 1
        }
        let total = byteCount
        padding.withUnsafeBytes { update($0) }
        byteCount = total
        var digest = [UInt8](repeating: 0, count: Core.digestSize)
        state.withUnsafeBytes { statePointer in
            digest.withUnsafeMutableBytes { Core.writeDigest(statePointer.baseAddress!, to: $0.baseAddress!) }
        }
        return digest
    }
}
