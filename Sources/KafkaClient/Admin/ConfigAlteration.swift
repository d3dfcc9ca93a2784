/// One change of an IncrementalAlterConfigs request; entries not named are left alone.
/// A value type; `Sendable`.
public enum ConfigAlteration: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Sets `name` to `value` (operation 0).
    case set(String, String)
    /// Removes the dynamic value, so the next source down applies again (operation 1).
    case delete(String)
    /// Adds `value` to a list config (e.g. `cleanup.policy`) unless already there (operation 2).
    case append(String, String)
    /// Removes `value` from a list config (operation 3).
    case subtract(String, String)

    /// The config name.
    public var name: String {
        switch self {
        case .set(let name, _), .delete(let name), .append(let name, _), .subtract(let name, _): name
        }
    }

    /// The value sent (nil for `.delete`).
    public var value: String? {
        switch self {
        case .set(_, let value), .append(_, let value), .subtract(_, let value): value
        case .delete: nil
        }
    }

    /// The wire `config_operation`: 0 set, 1 delete, 2 append, 3 subtract.
    public var wireOperation: Int8 {
        switch self {
        case .set: 0
        case .delete: 1
        case .append: 2
        case .subtract: 3
        }
    }

    /// E.g. `set retention.ms=60000`, `delete retention.ms`, `append cleanup.policy+=compact`,
    /// `subtract cleanup.policy-=compact`.
    public var description: String {
        switch self {
        case .set(let name, let value): "set \(name)=\(value)"
        case .delete(let name): "delete \(name)"
        case .append(let name, let value): "append \(name)+=\(value)"
        case .subtract(let name, let value): "subtract \(name)-=\(value)"
        }
    }
}
