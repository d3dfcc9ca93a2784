/// The filters of `GET /notifications`, parsed from its query string. Value type.
///
/// | parameter | meaning |
/// |---|---|
/// | `memberId` | only this member's notifications |
/// | `orderId` | only this order's notifications |
/// | `status` | `waiting` or `delivered` (default: both) |
/// | `afterId` | only notifications with a larger `notificationId` (paging) |
/// | `limit` | at most this many, 1…10000, default 100 |
public struct NotificationQuery: Sendable, Equatable {
    /// The default `limit`.
    public static let defaultLimit = 100
    /// The largest `limit` accepted.
    public static let maxLimit = 10_000

    /// Only this member's notifications.
    public var memberId: String?
    /// Only this order's notifications.
    public var orderId: String?
    /// Only notifications in this status.
    public var status: NotificationStatus?
    /// Only notifications with a larger id.
    public var afterId: Int64?
    /// At most this many (1…`maxLimit`).
    public var limit: Int

    /// Creates a query.
    public init(memberId: String? = nil, orderId: String? = nil, status: NotificationStatus? = nil,
                afterId: Int64? = nil, limit: Int = NotificationQuery.defaultLimit) {
        self.memberId = memberId
        self.orderId = orderId
        self.status = status
        self.afterId = afterId
        self.limit = limit
    }

    /// Parses the decoded query parameters; the error text names the bad parameter and what
    /// it accepts. Empty values count as absent; unknown parameters are ignored.
    public static func parse(_ parameters: [String: String]) -> Result<NotificationQuery, NotificationQueryError> {
        func value(_ name: String) -> String? {
            guard let text = parameters[name], !text.isEmpty else { return nil }
            return text
        }
        var query = NotificationQuery(memberId: value("memberId"), orderId: value("orderId"))
        if let text = value("status") {
            guard let status = NotificationStatus(rawValue: text) else {
                return .failure(NotificationQueryError("status must be 'waiting' or 'delivered', not '\(text)'"))
            }
            query.status = status
        }
        if let text = value("afterId") {
            guard let afterId = Int64(text) else {
                return .failure(NotificationQueryError("afterId must be an integer, not '\(text)'"))
            }
            query.afterId = afterId
        }
        if let text = value("limit") {
            guard let limit = Int(text), (1...maxLimit).contains(limit) else {
                return .failure(NotificationQueryError("limit must be an integer in 1...\(maxLimit), not '\(text)'"))
            }
            query.limit = limit
        }
        return .success(query)
    }
}

/// A malformed `GET /notifications` query parameter (answered with 400).
public struct NotificationQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the parameter.
    public var message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
