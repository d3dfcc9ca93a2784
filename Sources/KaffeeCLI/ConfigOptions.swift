import KafkaClient

/// The config flags `topics alter-config` and `cluster config` share (`--set`, `--delete`,
/// `--append`, `--subtract`, `--validate-only`), and how config entries are printed.
enum ConfigOptions {
    /// The change flags, in the order their help is shown.
    static let changeOptions: [Arguments.Option] = [
        Arguments.Option("--set", value: "KEY=VALUE", help: "set a config (repeatable)"),
        Arguments.Option("--delete", value: "KEY", help: "remove a config's dynamic value, so its default applies again (repeatable)"),
        Arguments.Option("--append", value: "KEY=VALUE", help: "add VALUE to a list config such as cleanup.policy (repeatable)"),
        Arguments.Option("--subtract", value: "KEY=VALUE", help: "remove VALUE from a list config (repeatable)"),
        Arguments.Option("--validate-only", help: "only ask the broker whether it would accept the change"),
    ]

    /// The changes the flags ask for: every `--set`, then `--delete`, `--append`, `--subtract`.
    /// - Throws: `.usage` for a malformed `KEY=VALUE` or a key named by two flags (the broker
    ///   would refuse the request as a whole).
    static func alterations(_ arguments: Arguments) throws(CLIError) -> [ConfigAlteration] {
        var changes: [ConfigAlteration] = []
        for entry in arguments.all("--set") {
            let (key, value) = try keyValue(entry, flag: "--set")
            changes.append(.set(key, value))
        }
        for key in arguments.all("--delete") {
            guard !key.isEmpty, !key.contains("=") else { throw .usage("--delete expects a config KEY, got \(key.debugDescription)") }
            changes.append(.delete(key))
        }
        for entry in arguments.all("--append") {
            let (key, value) = try keyValue(entry, flag: "--append")
            changes.append(.append(key, value))
        }
        for entry in arguments.all("--subtract") {
            let (key, value) = try keyValue(entry, flag: "--subtract")
            changes.append(.subtract(key, value))
        }
        var seen: Set<String> = []
        for change in changes where !seen.insert(change.name).inserted {
            throw .usage("config \(change.name) is named by more than one change flag; give each key once")
        }
        return changes
    }

    /// Splits `KEY=VALUE` at the first `=` (the value may be empty or contain `=`).
    static func keyValue(_ entry: String, flag: String) throws(CLIError) -> (String, String) {
        guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
            throw .usage("\(flag) expects KEY=VALUE, got \(entry.debugDescription)")
        }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }

    /// One line per entry: `name=value  (SOURCE[, read-only][, sensitive])`; a hidden value
    /// prints as `(hidden)`.
    static func lines(_ entries: [ConfigEntry], indent: String) -> [String] {
        entries.map { entry in
            var notes = ["\(entry.source)"]
            if entry.isReadOnly { notes.append("read-only") }
            if entry.isSensitive { notes.append("sensitive") }
            let value = entry.value ?? (entry.isSensitive ? "(hidden)" : "null")
            return "\(indent)\(entry.name)=\(value)  (\(notes.joined(separator: ", ")))"
        }
    }

    /// An entry as a JSON object: name, value, source, readOnly, sensitive, type, synonyms.
    static func json(_ entry: ConfigEntry) -> JSONValue {
        .object([
            ("name", .string(entry.name)),
            ("value", .optional(entry.value)),
            ("source", .string(entry.source.description)),
            ("isDefault", .bool(entry.isDefault)),
            ("readOnly", .bool(entry.isReadOnly)),
            ("sensitive", .bool(entry.isSensitive)),
            ("type", .string(entry.type.description)),
            ("synonyms", .array(entry.synonyms.map { synonym in
                .object([("name", .string(synonym.name)), ("value", .optional(synonym.value)), ("source", .string(synonym.source.description))])
            })),
        ])
    }

    /// What a successful change printed: `altered <resource>: set a=1, delete b` (or
    /// `validated ...` with `--validate-only`).
    static func summary(_ resource: String, _ changes: [ConfigAlteration], validateOnly: Bool) -> String {
        "\(validateOnly ? "validated (nothing changed)" : "altered") \(resource): " + changes.map(\.description).joined(separator: ", ")
    }
}
