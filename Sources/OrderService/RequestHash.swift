/// The fingerprint of a request stored with its idempotency key: FNV-1a 64 over the UTF-8 of
/// the request's canonical JSON, as `fnv1a64:` and 16 lower-case hex digits.
///
/// The canonical JSON is built from the validated request (fixed key order, normalised
/// values), not from the raw body, so two bodies that differ only in whitespace, key order or
/// unknown fields count as the same request. FNV-1a is not cryptographic; it only has to tell
/// a retried request from a different one sent with the same key by the same client (no
/// CryptoKit on Linux, and no secret is involved). Pure; thread-safe.
enum RequestHash {
    /// The fingerprint of `canonical`.
    static func fingerprint(_ canonical: JSONValue) -> String {
        let hex = String(fnv1a64(canonical.text.utf8), radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// FNV-1a 64 of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
