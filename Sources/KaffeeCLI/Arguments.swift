/// A command's flags and positional arguments, parsed against a declared set of options.
///
/// Accepts `--flag value`, `--flag=value`, boolean `--flag`, and `--` to end options. Unknown
/// flags and missing values are usage errors (exit code 2).
public struct Arguments: Sendable {
    /// One accepted option.
    public struct Option: Sendable {
        public var name: String
        public var valueName: String?
        public var help: String
        public init(_ name: String, value: String? = nil, help: String) {
            self.name = name
            self.valueName = value
            self.help = help
        }
        var takesValue: Bool { valueName != nil }
    }

    public private(set) var values: [String: [String]] = [:]
    public private(set) var positionals: [String] = []

    public init(_ arguments: [String], options: [Option]) throws(CLIError) {
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            var name = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            guard let option = options.first(where: { $0.name == name }) else {
                throw .usage("unknown option \(name) (see --help)")
            }
            if option.takesValue {
                if let inline {
                    values[name, default: []].append(inline)
                } else {
                    guard index < arguments.count else { throw .usage("\(name) needs a value (\(option.valueName ?? "VALUE"))") }
                    values[name, default: []].append(arguments[index])
                    index += 1
                }
            } else {
                guard inline == nil else { throw .usage("\(name) takes no value") }
                values[name, default: []].append("true")
            }
        }
    }

    public func flag(_ name: String) -> Bool { values[name] != nil }
    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// An integer option, or `fallback` when absent; a malformed value is a usage error.
    public func integer(_ name: String, default fallback: Int, range: ClosedRange<Int> = Int.min...Int.max) throws(CLIError) -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw .usage("\(name) needs an integer in \(range.lowerBound)...\(range.upperBound), got \(text.debugDescription)")
        }
        return number
    }

    /// Formats the option list for `--help`.
    public static func help(_ options: [Option]) -> String {
        options.map { option in
            let head = "  \(option.name)\(option.valueName.map { " " + $0 } ?? "")"
            let padded = head.count >= 30 ? head + "  " : head + String(repeating: " ", count: 30 - head.count)
            return padded + option.help
        }.joined(separator: "\n")
    }
}
