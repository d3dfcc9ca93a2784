/// Parses one `.kspec` file (format: `protocol/README.md`) into an `APISpec`.
///
/// Errors name the file and line. The parser first builds an indentation tree of the lines,
/// carrying the `#` comment lines directly above each line as its documentation, then reads the
/// tree.
struct SpecParser {
    let file: String

    /// A line of the file with its indentation level, tokens, doc comments and children.
    final class Node {
        let line: Int
        let level: Int
        let tokens: [String]
        let doc: [String]
        var children: [Node] = []

        init(line: Int, level: Int, tokens: [String], doc: [String]) {
            self.line = line
            self.level = level
            self.tokens = tokens
            self.doc = doc
        }
    }

    func fail(_ line: Int, _ message: String) -> SpecError { SpecError(file: file, line: line, message: message) }

    func parse(_ text: String) throws(SpecError) -> APISpec {
        let roots = try tree(text)
        guard let first = roots.first, first.tokens.first == "api" else {
            throw fail(roots.first?.line ?? 1, "the file must start with an `api` line")
        }
        var api = try parseAPILine(first)
        for node in roots.dropFirst() {
            switch node.tokens.first {
            case "request":
                guard api.request == nil else { throw fail(node.line, "second `request` section") }
                api.request = try parseMessage(node, typeName: api.name + "Request", api: api)
            case "response":
                guard api.response == nil else { throw fail(node.line, "second `response` section") }
                api.response = try parseMessage(node, typeName: api.name + "Response", api: api)
            default:
                throw fail(node.line, "expected `request` or `response`, got `\(node.tokens.joined(separator: " "))`")
            }
        }
        if (api.request == nil) != (api.response == nil) {
            throw fail(first.line, "an API declares both `request` and `response`, or neither")
        }
        return api
    }

    // MARK: lines → tree

    private func tree(_ text: String) throws(SpecError) -> [Node] {
        var roots: [Node] = []
        var stack: [Node] = []
        var pendingDoc: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = String(rawLine)
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty {
                pendingDoc = []
                continue
            }
            if trimmed.hasPrefix("#") {
                pendingDoc.append(String(trimmed.dropFirst().drop { $0 == " " }))
                continue
            }
            if line.contains("\t") { throw fail(lineNumber, "tabs are not allowed; indent with two spaces") }
            let spaces = line.count - trimmed.count
            guard spaces % 2 == 0 else { throw fail(lineNumber, "indentation must be a multiple of two spaces") }
            let level = spaces / 2
            let node = Node(line: lineNumber, level: level, tokens: try tokens(String(trimmed), line: lineNumber), doc: pendingDoc)
            pendingDoc = []
            while let last = stack.last, last.level >= level { stack.removeLast() }
            if let parent = stack.last {
                guard level == parent.level + 1 else { throw fail(lineNumber, "indented too deeply") }
                parent.children.append(node)
            } else {
                guard level == 0 else { throw fail(lineNumber, "indented line without a parent") }
                roots.append(node)
            }
            stack.append(node)
        }
        return roots
    }

    /// Splits on spaces, keeping `"quoted text"` together (quotes kept) and dropping a trailing
    /// `# comment`.
    private func tokens(_ text: String, line: Int) throws(SpecError) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if !quoted && character == "#" { break }
            if !quoted && character == " " {
                if !current.isEmpty { result.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if quoted { throw fail(line, "unterminated quote") }
        if !current.isEmpty { result.append(current) }
        return result
    }

    // MARK: api line

    private func parseAPILine(_ node: Node) throws(SpecError) -> APISpec {
        guard node.tokens.count >= 2 else { throw fail(node.line, "expected `api <Name> key=... versions=... flexible=...`") }
        let name = node.tokens[1]
        guard name.first?.isUppercase == true, name.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw fail(node.line, "bad API name \(name)")
        }
        var key: Int?
        var versions: VersionRange?
        var flexible: Int??
        for token in node.tokens.dropFirst(2) {
            let (attribute, value) = try split(token, line: node.line)
            switch attribute {
            case "key": key = Int(value)
            case "versions":
                guard let range = VersionRange(parsing: value), range.high != .max else { throw fail(node.line, "versions must be `a-b`") }
                versions = range
            case "flexible":
                if value == "none" {
                    flexible = .some(nil)
                } else if value.hasSuffix("+"), let first = Int(value.dropLast()) {
                    flexible = .some(first)
                } else {
                    throw fail(node.line, "flexible must be `<n>+` or `none`")
                }
            default: throw fail(node.line, "unknown api attribute \(attribute)")
            }
        }
        guard let key, let versions, let flexible else { throw fail(node.line, "the api line needs key=, versions= and flexible=") }
        return APISpec(name: name, key: key, versions: versions, firstFlexible: flexible, doc: node.doc,
                       request: nil, response: nil, sourceFile: file)
    }

    private func split(_ token: String, line: Int) throws(SpecError) -> (String, String) {
        guard let equals = token.firstIndex(of: "=") else { throw fail(line, "expected attribute=value, got \(token)") }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    // MARK: messages, structs, fields

    /// Struct definitions collected while reading one message.
    private final class StructTable {
        var structs: [StructSpec] = []
        func find(_ name: String) -> StructSpec? { structs.first { $0.name == name } }
    }

    private func parseMessage(_ node: Node, typeName: String, api: APISpec) throws(SpecError) -> MessageSpec {
        guard node.tokens.count == 1 else { throw fail(node.line, "`\(node.tokens[0])` takes no attributes") }
        let table = StructTable()
        // Common structs first, so fields may refer to them wherever they appear.
        for child in node.children where child.tokens.first == "struct" {
            guard child.tokens.count == 2 else { throw fail(child.line, "expected `struct <Name>`") }
            let name = child.tokens[1]
            guard table.find(name) == nil else { throw fail(child.line, "struct \(name) defined twice") }
            table.structs.append(StructSpec(name: name, doc: child.doc, fields: []))
        }
        for child in node.children where child.tokens.first == "struct" {
            let fields = try parseFields(child.children, messageVersions: api.versions, table: table)
            if let index = table.structs.firstIndex(where: { $0.name == child.tokens[1] }) { table.structs[index].fields = fields }
        }
        let fields = try parseFields(node.children.filter { $0.tokens.first != "struct" }, messageVersions: api.versions, table: table)
        try checkTags(fields, line: node.line)
        for spec in table.structs { try checkTags(spec.fields, line: node.line) }
        return MessageSpec(typeName: typeName, doc: node.doc, fields: fields, structs: table.structs)
    }

    private func parseFields(_ nodes: [Node], messageVersions: VersionRange, table: StructTable) throws(SpecError) -> [FieldSpec] {
        var fields: [FieldSpec] = []
        for node in nodes {
            let field = try parseField(node, messageVersions: messageVersions, table: table)
            guard !fields.contains(where: { $0.swiftName == field.swiftName }) else {
                throw fail(node.line, "field \(field.name) declared twice")
            }
            fields.append(field)
        }
        return fields
    }

    private func parseField(_ node: Node, messageVersions: VersionRange, table: StructTable) throws(SpecError) -> FieldSpec {
        guard node.tokens.count >= 2 else { throw fail(node.line, "expected `<Name> <type> [attributes]`") }
        let name = node.tokens[0]
        guard name.first?.isUppercase == true, name.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw fail(node.line, "bad field name \(name) (Kafka's PascalCase names)")
        }
        var typeText = node.tokens[1]
        let allNullable = typeText.hasSuffix("?")
        if allNullable { typeText.removeLast() }
        let type = try parseType(typeText, line: node.line)

        var versions = messageVersions
        var nullable: VersionRange? = allNullable ? VersionRange.all : nil
        var tag: Int?
        var defaultLiteral: String?
        var swiftName = SwiftNames.lowerCamel(name)
        for token in node.tokens.dropFirst(2) {
            let (attribute, value) = try split(token, line: node.line)
            switch attribute {
            case "v":
                guard let range = VersionRange(parsing: value) else { throw fail(node.line, "bad versions \(value)") }
                guard let within = range.intersection(messageVersions) else {
                    throw fail(node.line, "field \(name) exists in no implemented version")
                }
                versions = within
            case "null":
                guard !allNullable, let range = VersionRange(parsing: value) else { throw fail(node.line, "bad null= \(value)") }
                nullable = range
            case "tag":
                guard let number = Int(value), number >= 0 else { throw fail(node.line, "bad tag \(value)") }
                tag = number
            case "default": defaultLiteral = value
            case "swift": swiftName = value
            default: throw fail(node.line, "unknown field attribute \(attribute)")
            }
        }
        if case .primitive(let primitive) = type, [.bool, .int8, .int16, .int32, .int64, .uint16, .float64, .uuid, .error].contains(primitive), nullable != nil {
            throw fail(node.line, "\(primitive.rawValue) cannot be nullable")
        }

        // A struct-typed field with children defines its struct; without, it refers to one.
        let structName: String? = switch type {
        case .structure(let name): name
        case .array(.structure(let name)): name
        default: nil
        }
        if let structName {
            if node.children.isEmpty {
                guard table.find(structName) != nil else { throw fail(node.line, "unknown struct \(structName) (define it with fields or a `struct` block)") }
            } else {
                guard table.find(structName) == nil else { throw fail(node.line, "struct \(structName) defined twice") }
                let index = table.structs.count
                table.structs.append(StructSpec(name: structName, doc: [], fields: []))
                let fields = try parseFields(node.children, messageVersions: messageVersions, table: table)
                table.structs[index].fields = fields
            }
        } else if !node.children.isEmpty {
            throw fail(node.line, "only struct-typed fields may have indented fields")
        }
        return FieldSpec(name: name, swiftName: swiftName, type: type, versions: versions, nullable: nullable, tag: tag,
                         defaultLiteral: defaultLiteral, doc: node.doc, line: node.line)
    }

    private func parseType(_ text: String, line: Int) throws(SpecError) -> FieldType {
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let inner = String(text.dropFirst().dropLast())
            let element = try parseType(inner, line: line)
            if case .array = element { throw fail(line, "arrays of arrays are not supported") }
            return .array(element)
        }
        if let primitive = Primitive(rawValue: text) { return .primitive(primitive) }
        guard text.first?.isUppercase == true, text.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw fail(line, "unknown type \(text)")
        }
        return .structure(text)
    }

    private func checkTags(_ fields: [FieldSpec], line: Int) throws(SpecError) {
        var seen = Set<Int>()
        for field in fields {
            guard let tag = field.tag else { continue }
            guard seen.insert(tag).inserted else { throw fail(field.line, "tag \(tag) used twice") }
        }
    }
}
