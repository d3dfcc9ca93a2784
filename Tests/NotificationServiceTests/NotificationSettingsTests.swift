import Testing
import NotificationService

@Suite struct NotificationSettingsTests {
    @Test func readsTheEnvironment() throws {
        let none = try NotificationSettings.fromEnvironment { _ in nil }
        #expect(none == NotificationSettings(sinkFilePath: nil, sinkIntervalMillis: 1000))
        let set = try NotificationSettings.fromEnvironment {
            ["NOTIFY_SINK_FILE": " /var/log/n.jsonl ", "NOTIFY_SINK_INTERVAL_MS": "250"][$0]
        }
        #expect(set == NotificationSettings(sinkFilePath: "/var/log/n.jsonl", sinkIntervalMillis: 250))
        let empty = try NotificationSettings.fromEnvironment { ["NOTIFY_SINK_FILE": ""][$0] }
        #expect(empty.sinkFilePath == nil)
    }

    @Test func malformedValuesNameTheVariable() {
        #expect(throws: NotificationSettingsError(
            variable: "NOTIFY_SINK_INTERVAL_MS", value: "fast", expected: "an integer in 10...60000")) {
            try NotificationSettings.fromEnvironment { ["NOTIFY_SINK_INTERVAL_MS": "fast"][$0] }
        }
        #expect(throws: NotificationSettingsError.self) {
            try NotificationSettings.fromEnvironment { ["NOTIFY_SINK_INTERVAL_MS": "0"][$0] }
        }
    }
}
