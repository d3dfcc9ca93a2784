internal import ServiceKit
public import EventContracts
import Foundation
import SystemIO

/// A malformed order-service environment variable. Value type.
public struct OrderServiceSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The variable's name.
    public let variable: String
    /// Its value.
    public let value: String
    /// What was expected instead.
    public let expected: String

    /// `invalid NAME="value": expected …`.
    public var description: String { "invalid \(variable)=\"\(value)\": expected \(expected)" }
}

/// The order-service's settings. Value type; `Sendable` (the closures must be thread-safe).
///
/// Environment variables read by `fromEnvironment` (an empty value counts as unset; the
/// chassis' own `SERVICE_*`/`KAFFEE_*` variables are read by `ServiceConfig`):
///
/// | Variable | Default | Meaning |
/// |---|---|---|
/// | `ORDER_IDEMPOTENCY_RETENTION_HOURS` | `24` | how long an `Idempotency-Key` of `POST /orders` is remembered, in hours (1…8760); older keys count as unused and are purged |
/// | `ORDER_BOARD_NOTIFICATIONS_URL` | unset | the notification-service's base URL as browsers reach it (`http(s)://host[:port][/path]`, see `BoardNotificationsURL`); the coffee board's page then shows delivered notifications, read by the browser from there |
public struct OrderServiceSettings: Sendable {
    /// The drinks orders may contain (anything else is rejected with 422).
    public var menu: Menu
    /// How long an idempotency key is remembered, in milliseconds (> 0).
    public var idempotencyRetentionMillis: Int64
    /// Where the coffee board's page reads delivered notifications; nil: the board says they are
    /// not connected.
    public var boardNotifications: BoardNotificationsURL?
    /// Wall-clock time in Unix milliseconds (injectable for tests).
    public var nowMillis: @Sendable () -> Int64
    /// A new unique id for members, orders and correlation ids (a lower-case time-ordered UUID by
    /// default, see `TimeOrderedUUID`).
    public var newId: @Sendable () -> String

    /// The default retention of idempotency keys: 24 hours.
    public static let defaultIdempotencyRetentionMillis: Int64 = 24 * 3_600_000

    /// Creates settings; every argument has the production default (`nowMillis`: the system
    /// wall clock; `newId`: a time-ordered lower-case UUID; no board notifications). A retention below 1 ms is raised to 1 ms.
    public init(
        menu: Menu = .standard,
        idempotencyRetentionMillis: Int64 = OrderServiceSettings.defaultIdempotencyRetentionMillis,
        boardNotifications: BoardNotificationsURL? = nil,
        nowMillis: (@Sendable () -> Int64)? = nil,
        newId: (@Sendable () -> String)? = nil
    ) {
        self.menu = menu
        self.idempotencyRetentionMillis = max(1, idempotencyRetentionMillis)
        self.boardNotifications = boardNotifications
        self.nowMillis = nowMillis ?? { SystemTimeSource().wallMillis() }
        self.newId = newId ?? { TimeOrderedUUID.next() }
    }

    /// Reads the settings from `environment` (name → value or nil); see the table above.
    /// Throws `OrderServiceSettingsError` naming a malformed variable.
    public static func fromEnvironment(
        _ environment: (String) -> String?
    ) throws(OrderServiceSettingsError) -> OrderServiceSettings {
        var settings = OrderServiceSettings()
        let name = "ORDER_IDEMPOTENCY_RETENTION_HOURS"
        if let raw = environment(name), case let text = raw.trimmingWhitespace, !text.isEmpty {
            guard let hours = Int64(text), (1...8_760).contains(hours) else {
                throw OrderServiceSettingsError(variable: name, value: raw, expected: "an integer in 1...8760 (hours)")
            }
            settings.idempotencyRetentionMillis = hours * 3_600_000
        }
        let urlName = "ORDER_BOARD_NOTIFICATIONS_URL"
        if let raw = environment(urlName), !raw.trimmingWhitespace.isEmpty {
            guard let url = BoardNotificationsURL(raw) else {
                throw OrderServiceSettingsError(
                    variable: urlName, value: raw,
                    expected: "an http:// or https:// URL of the notification-service as browsers reach it, "
                        + "host name or IPv4 address, no user, query or fragment (e.g. http://127.0.0.1:8082)")
            }
            settings.boardNotifications = url
        }
        return settings
    }
}
