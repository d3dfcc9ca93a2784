/// What SHA-256 and SHA-512 share around their round functions (FIPS 180-4 §6.2, §6.4): eight
/// state words and a message schedule of one word per round.
///
/// The round functions and `writeDigest` (run twice per PBKDF2 iteration) stay concrete per word
/// size: generic code is not specialized in debug builds, and PBKDF2 at 16384 iterations would
/// be several times slower.
protocol SHA2Compression: CompressionFunction {
    associatedtype Word: FixedWidthInteger & UnsignedInteger
    /// H(0), eight words.
    static var initialHash: [Word] { get }
    /// K, one word per round.
    static var roundConstants: [Word] { get }
    /// Folds `block` into the eight words at `h`, using `w` (one word per round) as the message
    /// schedule and `k` as the round constants.
    static func compress(_ h: UnsafeMutablePointer<Word>, _ block: UnsafeRawPointer, _ w: UnsafeMutablePointer<Word>, _ k: UnsafePointer<Word>)
}

extension SHA2Compression {
    /// Eight words.
    static var stateSize: Int { 8 * MemoryLayout<Word>.size }

    /// Copies H(0) into `state`.
    static func initialize(_ state: UnsafeMutableRawPointer) {
        initialHash.withUnsafeBytes { state.copyMemory(from: $0.baseAddress!, byteCount: stateSize) }
    }

    /// Runs the concrete round function with the round constants and a stack-allocated schedule.
    static func compress(_ state: UnsafeMutableRawPointer, _ block: UnsafeRawPointer) {
        roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: Word.self, capacity: constants.count) { schedule in
                compress(state.assumingMemoryBound(to: Word.self), block, schedule.baseAddress!, constants.baseAddress!)
            }
        }
    }
}
