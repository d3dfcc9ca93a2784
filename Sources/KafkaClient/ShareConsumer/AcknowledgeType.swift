/// What a share consumer says about a record it was delivered (KIP-932 acknowledge types).
/// `Sendable`.
public enum AcknowledgeType: Int8, Sendable, Equatable, CaseIterable {
    /// Processed: the record is done for the group.
    case accept = 1
    /// Not processed now: the record becomes available again (its delivery count goes up on
    /// the next delivery).
    case release = 2
    /// Unprocessable: the record is archived and never delivered again.
    case reject = 3

    /// Parses "accept", "release" or "reject".
    public init?(name: String) {
        switch name {
        case "accept": self = .accept
        case "release": self = .release
        case "reject": self = .reject
        default: return nil
        }
    }
}
