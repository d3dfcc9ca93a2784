import HTTPServer
import ServiceKit

/// Builds the text of one JSON object field by field, in the order added. Value type.
///
/// Times are written twice: `<name>Ms` as integer Unix milliseconds and `<name>` as RFC 3339
/// UTC text with milliseconds (both `null` when absent), so readers can pick either.
struct JSONObjectText {
    private var text = "{"
    private var isEmpty = true

    /// An empty object.
    init() {}

    /// `"key": "value"`, or `null` when `value` is nil.
    mutating func string(_ key: String, _ value: String?) {
        raw(key, value.map { JSONText.quoted($0) } ?? "null")
    }

    /// `"key": 42`, or `null` when `value` is nil.
    mutating func int(_ key: String, _ value: Int64?) {
        raw(key, value.map { String($0) } ?? "null")
    }

    /// `"key": true|false`.
    mutating func bool(_ key: String, _ value: Bool) {
        raw(key, value ? "true" : "false")
    }

    /// `"<name>": "<RFC 3339>"` and `"<name>Ms": <ms>`, both `null` when `millis` is nil.
    mutating func time(_ name: String, _ millis: Int64?) {
        string(name, millis.map { DeadLetter.rfc3339(unixMillis: $0) })
        int(name + "Ms", millis)
    }

    /// `"key": <json>`, where `json` is already JSON text.
    mutating func raw(_ key: String, _ json: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        text += JSONText.quoted(key)
        text += ":"
        text += json
    }

    /// The finished object.
    var json: String { text + "}" }
}
