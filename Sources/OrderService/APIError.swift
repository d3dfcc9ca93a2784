/// A request the API refuses: the HTTP status and the message of the `{"error": …}` body.
///
/// Thrown inside a transaction body it also rolls the transaction back, so nothing of a
/// rejected request is written. Value type.
struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status (400, 404, 409, 422, …).
    var status: Int
    /// What is wrong, for the client.
    var message: String

    /// 400: the body or a header is not what the API accepts (malformed JSON, wrong types).
    static func badRequest(_ message: String) -> APIError { APIError(status: 400, message: message) }
    /// 404: no such member or order.
    static func notFound(_ message: String) -> APIError { APIError(status: 404, message: message) }
    /// 409: the request conflicts with the order's current status.
    static func conflict(_ message: String) -> APIError { APIError(status: 409, message: message) }
    /// 422: well-formed JSON whose content is invalid (a field out of range, an unknown drink…).
    static func unprocessable(_ message: String) -> APIError { APIError(status: 422, message: message) }

    var description: String { "\(status): \(message)" }
}
