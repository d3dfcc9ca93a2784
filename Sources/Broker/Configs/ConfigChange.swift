/// One change to one config of one resource, as IncrementalAlterConfigs (SET, DELETE, APPEND,
/// SUBTRACT) or AlterConfigs (a SET of every listed config, the rest removed) asks for it.
struct ConfigChange: Equatable {
    /// Kafka's `AlterConfigOp.OpType` ids.
    enum Operation: Int8 {
        case set = 0
        case delete = 1
        case append = 2
        case subtract = 3

        var verb: String {
            switch self {
            case .set: "SET"
            case .delete: "DELETE"
            case .append: "APPEND"
            case .subtract: "SUBTRACT"
            }
        }
    }

    var name: String
    var operation: Operation
    var value: String?
}

/// Why a resource's changes were refused: Kafka's error code (by name, so this file needs no
/// protocol types) and message.
struct ConfigRefusal: Error, Equatable {
    enum Kind { case invalidRequest, invalidConfig, invalidTopic, unknownTopic, storage, unauthorized }
    var kind: Kind
    var message: String?

    static func request(_ message: String) -> ConfigRefusal { ConfigRefusal(kind: .invalidRequest, message: message) }
    static func config(_ message: String) -> ConfigRefusal { ConfigRefusal(kind: .invalidConfig, message: message) }
}

/// APPEND and SUBTRACT on a LIST value (comma-separated; empty parts dropped).
enum ConfigListEdit {
    static func apply(_ operation: ConfigChange.Operation, _ value: String, to current: String) -> String {
        var items = current.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        let given = value.split(separator: ",").map { String($0).filter { $0 != " " } }.filter { !$0.isEmpty }
        switch operation {
        case .append: for item in given where !items.contains(item) { items.append(item) }
        case .subtract: items.removeAll { given.contains($0) }
        case .set, .delete: break
        }
        return items.joined(separator: ",")
    }
}
