/// `MemberRegistered` v1: A customer registered as a member (order-service); keyed by `memberId`.
public struct MemberRegistered: EventPayload {
    /// The contract name, `"MemberRegistered"`.
    public static let eventType = "MemberRegistered"
    /// The schema version, 1.
    public static let schemaVersion = 1
    /// Carried on `coffee.members`.
    public static let topic = CoffeeTopic.members

    /// The new member's id; also the record key.
    public var memberId: String
    /// Display name.
    public var name: String
    /// Contact e-mail address.
    public var email: String
    /// Contact phone number, if given.
    public var phone: String?

    /// Creates the payload.
    public init(memberId: String, name: String, email: String, phone: String? = nil) {
        self.memberId = memberId
        self.name = name
        self.email = email
        self.phone = phone
    }

    /// The record key: `memberId`.
    public var recordKey: String { memberId }
}
