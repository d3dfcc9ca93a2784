internal import ServiceKit
/// A malformed notification-service environment variable.
public struct NotificationSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable.
    public let variable: String
    /// Its value.
    public let value: String
    /// What was expected instead.
    public let expected: String

    /// Creates the error.
    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }

    public var description: String { "invalid \(variable)=\"\(value)\": expected \(expected)" }
}

/// The notification-service's own settings (the chassis' `ServiceConfig` covers brokers, HTTP
/// port, database path, group id and retries). Value type.
///
/// | Variable | Default | Meaning |
/// |---|---|---|
/// | `NOTIFY_SINK_FILE` | unset | when set, every delivered notification is also appended as one JSON line to this file (a background writer; fsynced before it is marked written; a crash in between can repeat a line, so readers dedupe by `notificationId`) |
/// | `NOTIFY_SINK_INTERVAL_MS` | `1000` | the file writer's longest sleep between passes when nothing wakes it, 10…60000 ms |
///
/// An empty value counts as unset.
public struct NotificationSettings: Sendable, Equatable {
    /// The JSON-lines file every delivered notification is appended to, or nil for none.
    public var sinkFilePath: String?
    /// The file writer's longest sleep between passes, in milliseconds (it is normally woken
    /// by `ServiceContext.eventsCommitted` right after a delivery commits).
    public var sinkIntervalMillis: Int

    /// Creates settings; the defaults are "no file sink, 1 s writer interval".
    public init(sinkFilePath: String? = nil, sinkIntervalMillis: Int = 1000) {
        self.sinkFilePath = sinkFilePath
        self.sinkIntervalMillis = sinkIntervalMillis
    }

    /// Reads `NOTIFY_SINK_FILE` and `NOTIFY_SINK_INTERVAL_MS` through `env` (name → value or
    /// nil). Throws `NotificationSettingsError` naming the variable when a value is malformed.
    public static func fromEnvironment(_ env: (String) -> String?) throws(NotificationSettingsError) -> NotificationSettings {
        func value(_ name: String) -> String? {
            guard let text = env(name)?.trimmingWhitespace, !text.isEmpty else { return nil }
            return text
        }
        var settings = NotificationSettings()
        settings.sinkFilePath = value("NOTIFY_SINK_FILE")
        if let text = value("NOTIFY_SINK_INTERVAL_MS") {
            guard let millis = Int(text), (10...60_000).contains(millis) else {
                throw NotificationSettingsError(
                    variable: "NOTIFY_SINK_INTERVAL_MS", value: text, expected: "an integer in 10...60000")
            }
            settings.sinkIntervalMillis = millis
        }
        return settings
    }
}
