/// The server side of one SCRAM exchange (RFC 5802 §3, §5, §7 as Kafka uses it, KIP-84):
///
///     client-first  "n,,n=<user>,r=<c-nonce>[,<ext>…]"       → server-first  "r=<c-nonce><s-nonce>,s=<salt>,i=<n>"
///     client-final  "c=biws,r=<nonce>[,<ext>…],p=<proof>"     → server-final  "v=<signature>"
///
/// Rules: the gs2 flag must be `n` or `y` (channel binding `p=` is refused); an authzid `a=`
/// must equal the user name; `=2C`/`=3D` are unescaped in names; the reserved `m=` attribute and
/// Kafka's `tokenauth` extension (delegation tokens) are refused, other extensions ignored;
/// `c=` must be the base64 of the client's gs2 header; the nonce must be repeated exactly; the
/// proof is checked in constant time. An unknown user goes on with a decoy credential and fails
/// at the proof with `authenticationFailed`, like a wrong password. Messages are bounded by
/// `maximumMessageLength`.
///
/// Any error ends the exchange (`isFailed`); `errorMessage(for:)` gives the RFC `e=` answer if
/// the caller wants to send one. A value for a single exchange on a single connection: not to
/// be shared, never reused.
public struct ScramServer: Sendable {
    /// The longest client message accepted, in bytes.
    public static let maximumMessageLength = 4096

    /// The mechanism this exchange runs.
    public let mechanism: ScramMechanism
    private let credentials: @Sendable (String) -> ScramCredential?
    private let decoys: ScramDecoyCredentials
    private let serverNonce: String
    private var state: State = .awaitingClientFirst

    private enum State: Sendable {
        case awaitingClientFirst
        case awaitingClientFinal(Pending)
        case succeeded
        case failed
    }

    /// What the server remembers between its two answers.
    private struct Pending: Sendable {
        var username: String
        var credential: ScramCredential
        var isKnownUser: Bool
        var gs2Header: ArraySlice<UInt8>
        var clientFirstBare: ArraySlice<UInt8>
        var serverFirst: [UInt8]
        var nonce: ArraySlice<UInt8>
    }

    /// The authenticated user name once the exchange has succeeded, else nil.
    public private(set) var authenticatedUser: String?

    /// One exchange for `mechanism`. `credentials` looks a user name up (nil: unknown user);
    /// it is called once, during the client-first message, on the caller's thread. `decoys`
    /// stands in for unknown users. `nonce` is the server's nonce part, random (24 printable
    /// characters) unless a test injects one; it must be printable ASCII without commas.
    public init(
        mechanism: ScramMechanism,
        credentials: @escaping @Sendable (String) -> ScramCredential?,
        decoys: ScramDecoyCredentials,
        nonce: String? = nil
    ) {
        self.mechanism = mechanism
        self.credentials = credentials
        self.decoys = decoys
        self.serverNonce = nonce ?? SecureRandom.nonce()
    }

    /// Whether the exchange ended in success.
    public var isComplete: Bool {
        if case .succeeded = state { true } else { false }
    }

    /// Whether the exchange ended in an error; it accepts no more messages.
    public var isFailed: Bool {
        if case .failed = state { true } else { false }
    }

    /// The answer to the next client message: the server-first message after the client-first,
    /// the server-final `v=` message after the client-final. Throws, and fails the exchange, on
    /// any malformed, refused or out-of-order message or a wrong proof.
    public mutating func evaluate(_ message: [UInt8]) throws(SaslError) -> [UInt8] {
        let current = state
        state = .failed
        switch current {
        case .awaitingClientFirst:
            let pending = try receiveClientFirst(message)
            state = .awaitingClientFinal(pending)
            return pending.serverFirst
        case let .awaitingClientFinal(pending):
            let answer = try receiveClientFinal(message, pending)
            authenticatedUser = pending.username
            state = .succeeded
            return answer
        case .succeeded:
            throw .unexpectedMessage("the SCRAM exchange has already succeeded")
        case .failed:
            throw .unexpectedMessage("the SCRAM exchange has already failed")
        }
    }

    /// The server-final error message `e=<server-error-value>` for `error` (RFC 5802 §7).
    public static func errorMessage(for error: SaslError) -> [UInt8] {
        Array("e=\(error.scramServerErrorValue)".utf8)
    }

    private func receiveClientFirst(_ message: [UInt8]) throws(SaslError) -> Pending {
        try ScramSyntax.check(message, limit: Self.maximumMessageLength)
        let fields = ScramSyntax.fields(message[...])
        guard fields.count >= 4 else { throw .malformed("a client-first message needs a gs2 header, a user name and a nonce") }
        // gs2-header = gs2-cbind-flag "," [authzid] ","
        switch Array(fields[0]) {
        case [UInt8(ascii: "n")], [UInt8(ascii: "y")]: break
        case let flag where flag.starts(with: Array("p=".utf8)): throw .channelBindingNotSupported
        default: throw .malformed("the gs2 channel-binding flag must be 'n', 'y' or 'p=…'")
        }
        var authorizationId: String?
        if !fields[1].isEmpty {
            authorizationId = try ScramSyntax.decodeName(ScramSyntax.required(fields[1], named: "a", "an authorization id"), "authorization id")
        }
        let gs2End = fields[1].endIndex + 1
        let gs2Header = message[..<gs2End]
        let clientFirstBare = message[gs2End...]
        if ScramSyntax.value(of: fields[2], named: "m") != nil { throw .unsupportedExtension("m") }
        let username = try ScramSyntax.decodeName(ScramSyntax.required(fields[2], named: "n", "the user name"), "user name")
        let clientNonce = try ScramSyntax.required(fields[3], named: "r", "the client nonce")
        guard ScramSyntax.isValidNonce(clientNonce) else { throw .malformed("the client nonce must be printable ASCII without commas") }
        for field in fields.dropFirst(4) {
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")), equals > field.startIndex,
                  field[..<equals].allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) })
            else { throw .malformed("an extension must be '<name>=<value>'") }
            if field[..<equals].elementsEqual("tokenauth".utf8) { throw .unsupportedExtension("tokenauth") }
        }
        if let authorizationId, !authorizationId.utf8.elementsEqual(username.utf8) { throw .authorizationIdMismatch }

        // The decoy is computed for every user so both paths cost the same.
        let decoy = decoys.credential(for: username, mechanism: mechanism)
        let found = credentials(username).flatMap { $0.mechanism == mechanism ? $0 : nil }
        guard let credential = found ?? decoy else { throw .authenticationFailed }
        let nonce = Array(clientNonce) + Array(serverNonce.utf8)
        let serverFirst = Array("r=".utf8) + nonce + Array(",s=\(Base64.encode(credential.salt)),i=\(credential.iterations)".utf8)
        return Pending(
            username: username, credential: credential, isKnownUser: found != nil,
            gs2Header: gs2Header, clientFirstBare: clientFirstBare, serverFirst: serverFirst, nonce: nonce[...])
    }

    private func receiveClientFinal(_ message: [UInt8], _ pending: Pending) throws(SaslError) -> [UInt8] {
        try ScramSyntax.check(message, limit: Self.maximumMessageLength)
        let fields = ScramSyntax.fields(message[...])
        guard fields.count >= 3, let proofField = fields.last else {
            throw .malformed("a client-final message needs a channel binding, a nonce and a proof")
        }
        let binding = try ScramSyntax.base64(ScramSyntax.required(fields[0], named: "c", "the channel binding"), "channel binding")
        guard binding.elementsEqual(pending.gs2Header) else { throw .channelBindingMismatch }
        let nonce = try ScramSyntax.required(fields[1], named: "r", "the nonce")
        // Kafka's ScramSaslServer only requires the nonce to end with the combined nonce, and
        // librdkafka up to 2.0 sends its client nonce twice here ("r=<c><c><s>"); the proof
        // covers the message as sent, so accepting that costs nothing.
        guard nonce.count >= pending.nonce.count, nonce.suffix(pending.nonce.count).elementsEqual(pending.nonce) else { throw .nonceMismatch }
        let proof = try ScramSyntax.base64(ScramSyntax.required(proofField, named: "p", "the proof as the last attribute"), "proof")
        guard proof.count == mechanism.digestSize else { throw .malformed("the proof must be \(mechanism.digestSize) bytes") }

        // AuthMessage := client-first-message-bare "," server-first-message "," client-final-message-without-proof
        let withoutProof = message[..<(proofField.startIndex - 1)]
        let authMessage = Array(pending.clientFirstBare) + [UInt8(ascii: ",")] + pending.serverFirst + [UInt8(ascii: ",")] + Array(withoutProof)
        let credential = pending.credential
        let clientSignature = mechanism.hmac(key: credential.storedKey, authMessage)
        let clientKey = ScramSyntax.xor(proof, clientSignature)
        let proofMatches = ConstantTime.equals(mechanism.hash(clientKey), credential.storedKey)
        guard proofMatches, pending.isKnownUser else { throw .authenticationFailed }
        let serverSignature = mechanism.hmac(key: credential.serverKey, authMessage)
        return Array("v=\(Base64.encode(serverSignature))".utf8)
    }
}
