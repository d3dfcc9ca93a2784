/// The client side of one SCRAM exchange (RFC 5802, Kafka KIP-84), mirroring `ScramServer`:
///
///     firstMessage()             → "n,[a=<authzid>],n=<user>,r=<c-nonce>"
///     respond(toServerFirst:)    → "c=<base64 gs2 header>,r=<nonce>,p=<proof>"
///     verify(serverFinal:)       checks "v=<signature>" (or reports "e=<error>")
///
/// The client checks that the server's nonce extends its own, that the salt is base64 and the
/// iteration count lies in 4096…16384, and that the server's signature is right. The password
/// is kept only until the server-first message has been answered. A value for one exchange on
/// one connection: not to be shared, never reused. No channel binding (gs2 flag `n`).
public struct ScramClient: Sendable {
    /// The longest server message accepted, in bytes.
    public static let maximumMessageLength = 4096

    /// The mechanism this exchange runs.
    public let mechanism: ScramMechanism
    private let gs2Header: [UInt8]
    private let clientFirstBare: [UInt8]
    private let clientNonce: [UInt8]
    private var state: State

    private enum State: Sendable {
        case initial(password: [UInt8])
        case awaitingServerFirst(password: [UInt8])
        case awaitingServerFinal(expectedSignature: [UInt8])
        case succeeded
        case failed
    }

    /// An exchange logging in as `username` with `password` (its UTF-8 bytes). `authorizationId`
    /// is sent as `a=` (Kafka requires it to equal the user name). `nonce` is random (24
    /// printable characters) unless a test injects one; it must be printable ASCII without commas.
    public init(mechanism: ScramMechanism, username: String, password: String, authorizationId: String? = nil, nonce: String? = nil) {
        self.mechanism = mechanism
        let authzid = authorizationId.map { "a=" + ScramSyntax.encodeName($0) } ?? ""
        gs2Header = Array("n,\(authzid),".utf8)
        clientNonce = Array((nonce ?? SecureRandom.nonce()).utf8)
        clientFirstBare = Array("n=\(ScramSyntax.encodeName(username)),r=".utf8) + clientNonce
        state = .initial(password: Array(password.utf8))
    }

    /// Whether the server has proved it knows the credential: the exchange succeeded.
    public var isComplete: Bool {
        if case .succeeded = state { true } else { false }
    }

    /// The client-first message. Throws `unexpectedMessage` if called twice.
    public mutating func firstMessage() throws(SaslError) -> [UInt8] {
        guard case let .initial(password) = state else { throw .unexpectedMessage("the client-first message was already sent") }
        state = .awaitingServerFirst(password: password)
        return gs2Header + clientFirstBare
    }

    /// The client-final message answering `serverFirst`. Throws, and fails the exchange, on a
    /// malformed message, a nonce that does not extend the client's, or a bad iteration count.
    public mutating func respond(toServerFirst serverFirst: [UInt8]) throws(SaslError) -> [UInt8] {
        guard case let .awaitingServerFirst(password) = state else { throw .unexpectedMessage("no server-first message was expected") }
        state = .failed
        try ScramSyntax.check(serverFirst, limit: Self.maximumMessageLength)
        let fields = ScramSyntax.fields(serverFirst[...])
        guard fields.count >= 3 else { throw .malformed("a server-first message needs a nonce, a salt and an iteration count") }
        if ScramSyntax.value(of: fields[0], named: "m") != nil { throw .unsupportedExtension("m") }
        let nonce = try ScramSyntax.required(fields[0], named: "r", "the nonce")
        guard ScramSyntax.isValidNonce(nonce), nonce.count > clientNonce.count, nonce.starts(with: clientNonce) else {
            throw .nonceMismatch
        }
        let salt = try ScramSyntax.base64(ScramSyntax.required(fields[1], named: "s", "the salt"), "salt")
        guard !salt.isEmpty else { throw .malformed("the salt is empty") }
        let countText = try ScramSyntax.required(fields[2], named: "i", "the iteration count")
        // posit-number = %x31-39 *DIGIT (no sign, no leading zero); nine digits bound the value.
        guard (1...9).contains(countText.count), countText.first != UInt8(ascii: "0"),
              countText.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let iterations = Int(ScramSyntax.string(countText))
        else { throw .malformed("the iteration count is not a decimal number") }

        let salted = try mechanism.saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = mechanism.clientKey(saltedPassword: salted)
        let withoutProof = Array("c=\(Base64.encode(gs2Header)),r=".utf8) + Array(nonce)
        let authMessage = clientFirstBare + [UInt8(ascii: ",")] + serverFirst + [UInt8(ascii: ",")] + withoutProof
        let proof = ScramSyntax.xor(clientKey, mechanism.hmac(key: mechanism.hash(clientKey), authMessage))
        let serverSignature = mechanism.hmac(key: mechanism.serverKey(saltedPassword: salted), authMessage)
        state = .awaitingServerFinal(expectedSignature: serverSignature)
        return withoutProof + Array(",p=\(Base64.encode(proof))".utf8)
    }

    /// Checks the server-final message. Throws `serverError` for `e=`, `invalidServerSignature`
    /// for a wrong `v=`; either way, or on a malformed message, the exchange fails.
    public mutating func verify(serverFinal: [UInt8]) throws(SaslError) {
        guard case let .awaitingServerFinal(expected) = state else { throw .unexpectedMessage("no server-final message was expected") }
        state = .failed
        try ScramSyntax.check(serverFinal, limit: Self.maximumMessageLength)
        let first = ScramSyntax.fields(serverFinal[...])[0]
        if let error = ScramSyntax.value(of: first, named: "e") { throw .serverError(ScramSyntax.string(error)) }
        let signature = try ScramSyntax.base64(ScramSyntax.required(first, named: "v", "the server signature"), "server signature")
        guard ConstantTime.equals(signature, expected) else { throw .invalidServerSignature }
        state = .succeeded
    }
}
