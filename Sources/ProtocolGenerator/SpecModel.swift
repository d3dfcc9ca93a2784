/// An inclusive range of protocol versions; `high` is `Int.max` for an open range (`3+`).
struct VersionRange: Equatable {
    var low: Int
    var high: Int

    static let all = VersionRange(low: 0, high: .max)

    /// Parses `3`, `3+` or `0-3`.
    init?(parsing text: String) {
        if text.hasSuffix("+"), let low = Int(text.dropLast()) {
            self.init(low: low, high: .max)
        } else if let dash = text.firstIndex(of: "-"), let low = Int(text[..<dash]), let high = Int(text[text.index(after: dash)...]), low <= high {
            self.init(low: low, high: high)
        } else if let single = Int(text) {
            self.init(low: single, high: single)
        } else {
            return nil
        }
    }

    init(low: Int, high: Int) {
        self.low = low
        self.high = high
    }

    func contains(_ version: Int) -> Bool { version >= low && version <= high }

    func intersection(_ other: VersionRange) -> VersionRange? {
        let range = VersionRange(low: max(low, other.low), high: min(high, other.high))
        return range.low <= range.high ? range : nil
    }

    /// Whether this range covers every version of `message`.
    func covers(_ message: VersionRange) -> Bool { low <= message.low && high >= message.high }
}

/// The primitive wire types of the spec format.
enum Primitive: String {
    case bool, int8, int16, int32, int64, uint16, float64, string, bytes, uuid, records, error
}

/// A field's type: a primitive, a struct (by name), or an array of either.
indirect enum FieldType: Equatable {
    case primitive(Primitive)
    case structure(String)
    case array(FieldType)

    static func == (a: FieldType, b: FieldType) -> Bool {
        switch (a, b) {
        case (.primitive(let x), .primitive(let y)): x == y
        case (.structure(let x), .structure(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        default: false
        }
    }
}

/// One field of a message or struct.
struct FieldSpec {
    var name: String
    var swiftName: String
    var type: FieldType
    /// The versions the field exists in (already intersected with the message's versions).
    var versions: VersionRange
    /// The versions in which null is allowed; nil = never.
    var nullable: VersionRange?
    /// Tag number for a tagged field.
    var tag: Int?
    /// A Swift literal overriding the type's default.
    var defaultLiteral: String?
    var doc: [String]
    var line: Int

    /// Whether the Swift property is an Optional.
    var isOptional: Bool { nullable != nil }
}

/// A struct: nested type of a request or response.
struct StructSpec {
    var name: String
    var doc: [String]
    var fields: [FieldSpec]
}

/// A request or response body.
struct MessageSpec {
    var typeName: String
    var doc: [String]
    var fields: [FieldSpec]
    /// Every struct used by the message, in definition order (flattened: all are nested directly
    /// in the message type).
    var structs: [StructSpec]
}

/// One API: its key and, unless only the key is declared, its request and response.
struct APISpec {
    var name: String
    var key: Int
    var versions: VersionRange
    /// The first flexible version; nil = never flexible.
    var firstFlexible: Int?
    var doc: [String]
    var request: MessageSpec?
    var response: MessageSpec?
    var sourceFile: String

    /// The `ApiKey` case name.
    var caseName: String { SwiftNames.lowerCamel(name) }

    func isFlexible(_ version: Int) -> Bool { firstFlexible.map { version >= $0 } ?? false }

    /// The flexible versions within `versions`, or nil.
    var flexibleRange: VersionRange? {
        guard let firstFlexible else { return nil }
        return versions.intersection(VersionRange(low: firstFlexible, high: .max))
    }
}

/// A problem in a spec file, with its location.
struct SpecError: Error, CustomStringConvertible {
    var file: String
    var line: Int
    var message: String
    var description: String { "\(file):\(line): \(message)" }
}

/// Swift naming helpers.
enum SwiftNames {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil",
        "super", "self", "Self", "throw", "throws", "true", "try",
    ]

    /// `ThrottleTimeMs` → `throttleTimeMs`; a leading acronym is lowered as a whole
    /// (`URLPath` → `urlPath`).
    static func lowerCamel(_ name: String) -> String {
        let characters = Array(name)
        var upperRun = 0
        while upperRun < characters.count, characters[upperRun].isUppercase { upperRun += 1 }
        if upperRun == 0 { return name }
        let lowered: Int
        if upperRun == characters.count {
            lowered = upperRun
        } else if upperRun > 1 {
            lowered = upperRun - 1
        } else {
            lowered = 1
        }
        return String(characters[0..<lowered]).lowercased() + String(characters[lowered...])
    }

    /// `ReplicaNodes` → `replica_nodes` (the field's name in error messages, as in Kafka's
    /// protocol documentation).
    static func snakeCase(_ name: String) -> String {
        var result = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0,
               !characters[index - 1].isUppercase || (index + 1 < characters.count && characters[index + 1].isLowercase) {
                result += "_"
            }
            result += character.lowercased()
        }
        return result
    }

    /// The identifier as it must be written in code (keywords in backticks).
    static func identifier(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }
}
