/// The configs changed at run time, persisted in `<data>/internal/dynamic-configs` so they
/// survive restarts: cluster-wide broker defaults (BROKER ""), this broker's own (BROKER
/// "<id>"), and per-group configs (GROUP). Topic configs live with their topics.
///
/// File format (text, replaced atomically; names and values are normalized and never hold
/// spaces or newlines; group ids are percent-encoded):
/// ```
/// version 1
/// broker-default log.retention.ms 3600000
/// broker log.cleaner.backoff.ms 1000
/// group orders%20service consumer.session.timeout.ms 50000
/// ```
/// A value type; the broker guards it with a lock.
struct DynamicConfigs: Equatable {
    static let fileName = "dynamic-configs"

    var brokerDefault: [String: String] = [:]
    var broker: [String: String] = [:]
    var groups: [String: [String: String]] = [:]

    func serialized() -> [UInt8] {
        var text = "version 1\n"
        for (name, value) in brokerDefault.sorted(by: { $0.key < $1.key }) { text += "broker-default \(name) \(Self.escape(value))\n" }
        for (name, value) in broker.sorted(by: { $0.key < $1.key }) { text += "broker \(name) \(Self.escape(value))\n" }
        for (group, values) in groups.sorted(by: { $0.key < $1.key }) {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                text += "group \(Self.escape(group)) \(name) \(Self.escape(value))\n"
            }
        }
        return Array(text.utf8)
    }

    /// Parses the file; nil when it is damaged (the caller reports it with the path).
    static func parse(_ bytes: [UInt8]) -> DynamicConfigs? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first == "version 1" else { return nil }
        var configs = DynamicConfigs()
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            switch parts.first {
            case "broker-default" where parts.count == 3:
                guard let value = unescape(parts[2]) else { return nil }
                configs.brokerDefault[parts[1]] = value
            case "broker" where parts.count == 3:
                guard let value = unescape(parts[2]) else { return nil }
                configs.broker[parts[1]] = value
            case "group" where parts.count == 4:
                guard let group = unescape(parts[1]), let value = unescape(parts[3]) else { return nil }
                configs.groups[group, default: [:]][parts[2]] = value
            default:
                return nil
            }
        }
        return configs
    }

    /// Percent-encodes `%`, space, tab, CR and LF, so any text fits one field; `""` is `%`.
    static func escape(_ text: String) -> String {
        if text.isEmpty { return "%" }
        return escapeBytes(Array(text.utf8))
    }

    private static func escapeBytes(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            switch byte {
            case 0x25, 0x20, 0x09, 0x0A, 0x0D:
                out.append(0x25)
                let hex = Array(String(byte, radix: 16, uppercase: true).utf8)
                if hex.count == 1 { out.append(0x30) }
                out += hex
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The inverse of `escape`; nil for a malformed escape.
    static func unescape(_ text: String) -> String? {
        if text == "%" { return "" }
        guard text.contains("%") else { return text }
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == 0x25 else { out.append(byte); continue }
            guard bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            out.append(value)
            bytes = bytes.dropFirst(2)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
