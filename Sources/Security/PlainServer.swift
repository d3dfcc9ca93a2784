/// The server side of SASL PLAIN (RFC 4616) with Kafka's rules: one message
/// `[authzid] NUL authcid NUL passwd`, UTF-8, the user name and password non-empty, each field
/// at most `maximumFieldLength` bytes, and an authzid either empty or equal to the user name.
///
/// The password check is the caller's closure (compare in constant time, e.g. with
/// `ConstantTime.equals`). PLAIN sends the password in the clear: use it only over TLS.
/// A value for a single exchange on a single connection: not to be shared, never reused.
public struct PlainServer: Sendable {
    /// The SASL mechanism name.
    public static let mechanismName = "PLAIN"
    /// The longest authzid, user name or password accepted, in bytes (RFC 4616 asks for at
    /// least 255).
    public static let maximumFieldLength = 1024

    private let verify: @Sendable (_ username: String, _ password: String) -> Bool
    private var finished = false

    /// The authenticated user name once the exchange has succeeded, else nil.
    public private(set) var authenticatedUser: String?

    /// An exchange checking passwords with `verify(username, password)`, called at most once.
    public init(verify: @escaping @Sendable (_ username: String, _ password: String) -> Bool) {
        self.verify = verify
    }

    /// Whether the exchange ended in success.
    public var isComplete: Bool { authenticatedUser != nil }

    /// Checks the client's only message; returns the (empty) final server data on success.
    /// Throws on a second message, a malformed one, an authzid naming someone else, or a wrong
    /// password (`authenticationFailed`).
    public mutating func evaluate(_ message: [UInt8]) throws(SaslError) -> [UInt8] {
        guard !finished else { throw .unexpectedMessage("PLAIN takes a single message") }
        finished = true
        let limit = 3 * Self.maximumFieldLength + 2
        guard message.count <= limit else { throw .messageTooLarge(limit: limit, actual: message.count) }
        let parts = message.split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("PLAIN needs exactly two NUL separators") }
        var fields: [String] = []
        for (part, name) in zip(parts, ["authorization id", "user name", "password"]) {
            guard part.count <= Self.maximumFieldLength else { throw .malformed("the \(name) is longer than \(Self.maximumFieldLength) bytes") }
            guard let text = String(validating: part, as: UTF8.self) else { throw .invalidEncoding("the \(name)") }
            fields.append(text)
        }
        let (authorizationId, username, password) = (fields[0], fields[1], fields[2])
        guard !username.isEmpty else { throw .malformed("the user name is empty") }
        guard !password.isEmpty else { throw .malformed("the password is empty") }
        guard authorizationId.isEmpty || authorizationId.utf8.elementsEqual(username.utf8) else { throw .authorizationIdMismatch }
        guard verify(username, password) else { throw .authenticationFailed }
        authenticatedUser = username
        return []
    }
}
