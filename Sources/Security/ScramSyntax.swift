/// The attribute syntax SCRAM messages share (RFC 5802 §5.1, §7): comma-separated `name=value`
/// fields, `saslname` escaping and printable nonces. Works on bytes, not `Character`s, so a
/// comma or `=` followed by a combining mark is still a separator. Stateless; thread-safe.
enum ScramSyntax {
    typealias Bytes = ArraySlice<UInt8>

    /// Checks a whole SCRAM message: at most `limit` bytes, valid UTF-8, no NUL.
    static func check(_ bytes: [UInt8], limit: Int) throws(SaslError) {
        guard bytes.count <= limit else { throw .messageTooLarge(limit: limit, actual: bytes.count) }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidEncoding("the SCRAM message") }
        guard !bytes.contains(0) else { throw .malformed("NUL byte in a SCRAM message") }
    }

    /// The comma-separated fields of `bytes`, empty ones included.
    static func fields(_ bytes: Bytes) -> [Bytes] {
        bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    }

    /// The value of `field` if it is `<name>=<value>`, else nil.
    static func value(of field: Bytes, named name: Unicode.Scalar) -> Bytes? {
        guard field.count >= 2, field.first == UInt8(ascii: name), field[field.startIndex + 1] == UInt8(ascii: "=") else { return nil }
        return field.dropFirst(2)
    }

    /// The value of `field`, which must be `<name>=<value>`; `what` names it in the error.
    static func required(_ field: Bytes?, named name: Unicode.Scalar, _ what: String) throws(SaslError) -> Bytes {
        guard let field, let value = value(of: field, named: name) else {
            throw .malformed("expected \(what) ('\(name)=')")
        }
        return value
    }

    /// Text of a field of a message `check` accepted (splitting UTF-8 at ASCII keeps it valid).
    static func string(_ bytes: Bytes) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Unescapes a `saslname` (`=2C` → `,`, `=3D` → `=`); any other `=` is malformed, as is an
    /// empty name.
    static func decodeName(_ name: Bytes, _ what: String) throws(SaslError) -> String {
        guard !name.isEmpty else { throw .malformed("the \(what) is empty") }
        var result: [UInt8] = []
        result.reserveCapacity(name.count)
        var index = name.startIndex
        while index < name.endIndex {
            let byte = name[index]
            guard byte == UInt8(ascii: "=") else {
                result.append(byte)
                index += 1
                continue
            }
            let escape = Array(name[index...].prefix(3))
            if escape == Array("=2C".utf8) {
                result.append(UInt8(ascii: ","))
            } else if escape == Array("=3D".utf8) {
                result.append(UInt8(ascii: "="))
            } else {
                throw .malformed("the \(what) has an '=' that is not '=2C' or '=3D'")
            }
            index += 3
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Escapes a name as a `saslname` (`=` → `=3D`, `,` → `=2C`).
    static func encodeName(_ name: String) -> String {
        var result: [UInt8] = []
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "="): result += Array("=3D".utf8)
            case UInt8(ascii: ","): result += Array("=2C".utf8)
            default: result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether `nonce` is a non-empty run of printable ASCII other than `,` (%x21-2B / %x2D-7E).
    static func isValidNonce(_ nonce: Bytes) -> Bool {
        !nonce.isEmpty && nonce.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ",") }
    }

    /// A strictly decoded base64 attribute value; `what` names it in the error.
    static func base64(_ value: Bytes, _ what: String) throws(SaslError) -> [UInt8] {
        guard let bytes = Base64.decode(Array(value)) else { throw .malformed("the \(what) is not valid base64") }
        return bytes
    }

    /// XOR of two equally long byte strings.
    static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        zip(a, b).map { $0 ^ $1 }
    }
}
