/// How spec types map to Swift: type names, default values, version conditions.
enum SwiftTypes {
    static func base(_ type: FieldType) -> String {
        switch type {
        case .primitive(let primitive):
            switch primitive {
            case .bool: "Bool"
            case .int8: "Int8"
            case .int16: "Int16"
            case .int32: "Int32"
            case .int64: "Int64"
            case .uint16: "UInt16"
            case .float64: "Double"
            case .string: "String"
            case .bytes, .uuid: "[UInt8]"
            case .records: "RecordsData"
            case .error: "ErrorCode"
            }
        case .structure(let name): name
        case .array(let element): "[\(base(element))]"
        }
    }

    /// Tagged struct fields are always optional (present or absent); others when nullable.
    static func isOptional(_ field: FieldSpec) -> Bool {
        if field.tag != nil, case .structure = field.type { return true }
        return field.isOptional
    }

    static func swiftType(_ field: FieldSpec) -> String {
        base(field.type) + (isOptional(field) ? "?" : "")
    }

    /// The zero value of a non-optional type.
    static func zero(_ type: FieldType) -> String {
        switch type {
        case .primitive(let primitive):
            switch primitive {
            case .bool: "false"
            case .int8, .int16, .int32, .int64, .uint16, .float64: "0"
            case .string: "\"\""
            case .bytes: "[]"
            case .uuid: "[UInt8](repeating: 0, count: 16)"
            case .records: ".empty"
            case .error: ".none"
            }
        case .structure(let name): "\(name)()"
        case .array: "[]"
        }
    }

    static func defaultValue(_ field: FieldSpec) -> String {
        if let literal = field.defaultLiteral { return literal }
        return isOptional(field) ? "nil" : zero(field.type)
    }

    /// A Swift condition on `version` that holds exactly for `range` within `context`, or nil
    /// when it always holds there.
    static func condition(_ range: VersionRange, within context: VersionRange) -> String? {
        if range.covers(context) { return nil }
        let needsLow = range.low > context.low
        let needsHigh = range.high < context.high
        if needsLow && needsHigh {
            return range.low == range.high ? "version == \(range.low)" : "version >= \(range.low) && version <= \(range.high)"
        }
        return needsLow ? "version >= \(range.low)" : "version <= \(range.high)"
    }

    static func versionText(_ range: VersionRange) -> String {
        if range.high == .max { return "\(range.low)+" }
        return range.low == range.high ? "\(range.low)" : "\(range.low)–\(range.high)"
    }
}
