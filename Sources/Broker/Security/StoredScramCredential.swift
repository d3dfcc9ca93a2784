/// One user's SCRAM credential for one mechanism, as RFC 5802 stores it: never the password,
/// only the salt, the iteration count, StoredKey = H(HMAC(SaltedPassword, "Client Key")) and
/// ServerKey = HMAC(SaltedPassword, "Server Key"). A value type.
public struct StoredScramCredential: Sendable, Equatable {
    public var iterations: Int32
    public var salt: [UInt8]
    public var storedKey: [UInt8]
    public var serverKey: [UInt8]

    public init(iterations: Int32, salt: [UInt8], storedKey: [UInt8], serverKey: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.storedKey = storedKey
        self.serverKey = serverKey
    }
}
