/// Emits `forEachErrorCode(_:)` for response types: a method calling `body` with every
/// `error`-typed field's value, its own and those of nested structs and arrays, in field order
/// (fields outside the encoded version hold their default, `.none`). Types holding no error
/// code, directly or nested, get no method (the `ProtocolMessage` default visits nothing).
struct ErrorCodeVisitor {
    /// The message's structs by name.
    let structs: [String: StructSpec]

    init(structs: [StructSpec]) {
        self.structs = Dictionary(structs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether any of `fields` is, or nests, an error code.
    func containsError(_ fields: [FieldSpec], visiting: Set<String> = []) -> Bool {
        fields.contains { containsError($0.type, visiting: visiting) }
    }

    private func containsError(_ type: FieldType, visiting: Set<String>) -> Bool {
        switch type {
        case .primitive(let primitive): return primitive == .error
        case .array(let element): return containsError(element, visiting: visiting)
        case .structure(let name):
            guard !visiting.contains(name), let spec = structs[name] else { return false }
            return containsError(spec.fields, visiting: visiting.union([name]))
        }
    }

    /// The method over `fields` (which must contain an error code).
    func emit(fields: [FieldSpec], into out: inout CodeWriter) {
        out.doc(["Calls `body` with every error code this value carries, nested ones included, in field order."])
        out.block("public func forEachErrorCode(_ body: (ErrorCode) -> Void) {") { out in
            for field in fields where containsError(field.type, visiting: []) {
                statements(field.type, value: "self." + field.swiftName, optional: SwiftTypes.isOptional(field), depth: 0, into: &out)
            }
        }
    }

    private func statements(_ type: FieldType, value: String, optional: Bool, depth: Int, into out: inout CodeWriter) {
        switch type {
        case .primitive:
            if optional {
                out.line("if let code = \(value) { body(code) }")
            } else {
                out.line("body(\(value))")
            }
        case .structure:
            out.line(optional ? "\(value)?.forEachErrorCode(body)" : "\(value).forEachErrorCode(body)")
        case .array(let element):
            let item = depth == 0 ? "item" : "item\(depth)"
            out.block("for \(item) in \(optional ? "\(value) ?? []" : value) {") { out in
                statements(element, value: item, optional: false, depth: depth + 1, into: &out)
            }
        }
    }
}
