/// Accumulates generated source with indentation (four spaces per level).
struct CodeWriter {
    private(set) var text = ""
    private var level = 0

    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: level) + content + "\n"
        }
    }

    /// Writes `opening`, the body one level deeper, then `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodeWriter) -> Void) {
        line(opening)
        level += 1
        body(&self)
        level -= 1
        line(closing)
    }

    /// `if condition { then } else { otherwise }`.
    mutating func ifElse(_ condition: String, then: (inout CodeWriter) -> Void, else otherwise: (inout CodeWriter) -> Void) {
        line("if \(condition) {")
        level += 1
        then(&self)
        level -= 1
        line("} else {")
        level += 1
        otherwise(&self)
        level -= 1
        line("}")
    }

    /// `///` lines for each documentation line.
    mutating func doc(_ lines: [String]) {
        for entry in lines { line(entry.isEmpty ? "///" : "/// " + entry) }
    }
}
