/// Who sent a request, as Kafka's ACLs name it (`User:alice`): the SASL user of an
/// authenticated connection, or `User:ANONYMOUS` on a PLAINTEXT listener. A value type.
public struct KafkaPrincipal: Sendable, Hashable, CustomStringConvertible {
    /// The principal type; always "User" here (Kafka's `KafkaPrincipal.USER_TYPE`).
    public var type: String
    public var name: String

    public init(type: String = "User", name: String) {
        self.type = type
        self.name = name
    }

    /// The principal of connections that did not authenticate.
    public static let anonymous = KafkaPrincipal(name: "ANONYMOUS")

    /// `Type:name`.
    public var description: String { "\(type):\(name)" }

    /// Parses `Type:name` (the name may contain colons); nil when malformed.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let type = String(text[..<colon])
        let name = String(text[text.index(after: colon)...])
        guard !type.isEmpty, !name.isEmpty else { return nil }
        self.init(type: type, name: name)
    }
}
