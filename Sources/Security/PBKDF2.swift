/// PBKDF2 (RFC 8018 §5.2) with HMAC as the pseudorandom function: the key derivation SCRAM
/// calls Hi() (RFC 5802 §2.2).
///
/// SHA-256 and SHA-512 take a fast path that iterates the compression function on
/// preallocated buffers (two compressions per iteration, no allocation), so Kafka's 16384
/// iterations stay quick even in debug builds. Stateless; safe from any thread.
public enum PBKDF2 {
    /// Why a derivation was refused.
    public enum Failure: Error, Equatable, Sendable {
        /// The iteration count was below 1.
        case invalidIterationCount(Int)
        /// The requested key length was below 1 or above (2^32 − 1) × digest size.
        case invalidKeyLength(Int)
    }

    /// DK = T_1 ‖ T_2 ‖ … truncated to `keyLength` bytes, T_i = U_1 ⊕ … ⊕ U_c,
    /// U_1 = HMAC(password, salt ‖ INT_32_BE(i)), U_j = HMAC(password, U_{j−1}).
    public static func deriveKey<H: HashFunction>(
        using hash: H.Type, password: [UInt8], salt: [UInt8], iterations: Int, keyLength: Int
    ) throws(Failure) -> [UInt8] {
        guard iterations >= 1 else { throw .invalidIterationCount(iterations) }
        guard keyLength >= 1, keyLength / H.digestSize < Int(UInt32.max) else { throw .invalidKeyLength(keyLength) }
        let (innerPad, outerPad) = HMAC<H>.pads(for: password)
        var key: [UInt8] = []
        key.reserveCapacity(keyLength + H.digestSize)
        var blockIndex: UInt32 = 1
        while key.count < keyLength {
            var first = HMAC<H>(key: password)
            first.update(salt)
            first.update([UInt8(blockIndex >> 24), UInt8(truncatingIfNeeded: blockIndex >> 16),
                          UInt8(truncatingIfNeeded: blockIndex >> 8), UInt8(truncatingIfNeeded: blockIndex)])
            let u1 = first.finalize()
            if let engine = H.self as? any FastPBKDF2.Type {
                key += engine.iterate(u1, innerPad: innerPad, outerPad: outerPad, iterations: iterations)
            } else {
                key += slowIterate(H.self, u1, password: password, iterations: iterations)
            }
            blockIndex += 1
        }
        return Array(key.prefix(keyLength))
    }

    /// T = U_1 ⊕ … ⊕ U_c through the public `HMAC` API (hash functions from outside this module).
    private static func slowIterate<H: HashFunction>(_: H.Type, _ u1: [UInt8], password: [UInt8], iterations: Int) -> [UInt8] {
        let keyed = HMAC<H>(key: password)
        var u = u1
        var t = u1
        var remaining = iterations - 1
        while remaining > 0 {
            var mac = keyed
            mac.update(u)
            u = mac.finalize()
            for index in t.indices { t[index] ^= u[index] }
            remaining -= 1
        }
        return t
    }
}

/// The allocation-free PBKDF2 loop for this module's SHA-2 hashes.
protocol FastPBKDF2 {
    /// T = U_1 ⊕ … ⊕ U_c given U_1 and the HMAC key pads.
    static func iterate(_ u1: [UInt8], innerPad: [UInt8], outerPad: [UInt8], iterations: Int) -> [UInt8]
}

extension SHA256: FastPBKDF2 {
    static func iterate(_ u1: [UInt8], innerPad: [UInt8], outerPad: [UInt8], iterations: Int) -> [UInt8] {
        PBKDF2Loop<SHA256Compression>.iterate(u1, innerPad: innerPad, outerPad: outerPad, iterations: iterations)
    }
}

extension SHA512: FastPBKDF2 {
    static func iterate(_ u1: [UInt8], innerPad: [UInt8], outerPad: [UInt8], iterations: Int) -> [UInt8] {
        PBKDF2Loop<SHA512Compression>.iterate(u1, innerPad: innerPad, outerPad: outerPad, iterations: iterations)
    }
}

/// U_{j+1} = HMAC(P, U_j) needs exactly one compression for the inner hash and one for the
/// outer: both hash a padded-key block (precomputed once) followed by `digestSize` bytes, which
/// with their padding fit one block whose padding never changes. So one block buffer is set up
/// once and only its first `digestSize` bytes are rewritten each round.
enum PBKDF2Loop<Core: CompressionFunction> {
    /// T = U_1 ⊕ … ⊕ U_c for the HMAC keyed by the block-sized `innerPad` / `outerPad`.
    static func iterate(_ u1: [UInt8], innerPad: [UInt8], outerPad: [UInt8], iterations: Int) -> [UInt8] {
        let blockSize = Core.blockSize, digestSize = Core.digestSize, stateSize = Core.stateSize
        var innerState = [UInt8](repeating: 0, count: stateSize)
        var outerState = [UInt8](repeating: 0, count: stateSize)
        var work = [UInt8](repeating: 0, count: stateSize)
        var block = [UInt8](repeating: 0, count: blockSize)
        var t = u1
        // The padded one-block message: digest, 0x80, zeros, bit length of (block + digest).
        block[digestSize] = 0x80
        let bitLength = (blockSize + digestSize) * 8
        block[blockSize - 2] = UInt8(truncatingIfNeeded: bitLength >> 8)
        block[blockSize - 1] = UInt8(truncatingIfNeeded: bitLength)
        innerState.withUnsafeMutableBytes { innerPointer in
            outerState.withUnsafeMutableBytes { outerPointer in
                work.withUnsafeMutableBytes { workPointer in
                    block.withUnsafeMutableBytes { blockPointer in
                        t.withUnsafeMutableBytes { tPointer in
                            let inner = innerPointer.baseAddress!, outer = outerPointer.baseAddress!
                            let state = workPointer.baseAddress!, message = blockPointer.baseAddress!
                            let sum = tPointer.baseAddress!.assumingMemoryBound(to: UInt8.self)
                            let u = message.assumingMemoryBound(to: UInt8.self)
                            Core.initialize(inner)
                            innerPad.withUnsafeBytes { Core.compress(inner, $0.baseAddress!) }
                            Core.initialize(outer)
                            outerPad.withUnsafeBytes { Core.compress(outer, $0.baseAddress!) }
                            message.copyMemory(from: sum, byteCount: digestSize)
                            var remaining = iterations &- 1
                            while remaining > 0 {
                                state.copyMemory(from: inner, byteCount: stateSize)
                                Core.compress(state, message)
                                Core.writeDigest(state, to: message)
                                state.copyMemory(from: outer, byteCount: stateSize)
                                Core.compress(state, message)
                                Core.writeDigest(state, to: message)
                                var index = 0
                                while index < digestSize {
                                    sum[index] ^= u[index]
                                    index &+= 1
                                }
                                remaining &-= 1
                            }
                        }
                    }
                }
            }
        }
        return t
    }
}
