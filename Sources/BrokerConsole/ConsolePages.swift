/// The console's HTML: pure functions from data to page text, so tests render them with a
/// fake data source. Every piece of data goes through `HTML.escape` (`h`) or `HTML.link`.
/// Pages work without JavaScript; the script only adds live charts and auto-refresh.
public enum ConsolePages {
    /// The navigation sections.
    public enum Section: String, Sendable {
        case overview, topics, groups, none
    }

    static func h(_ text: String) -> String { HTML.escape(text) }

    /// A whole page: skip link, header with navigation, main with the title as `<h1>`.
    public static func layout(title: String, section: Section, body: String, bodyAttributes: String = "") -> String {
        func item(_ label: String, _ href: String, _ item: Section) -> String {
            let current = item == section ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(href)\"\(current)>\(label)</a></li>"
        }
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(h(title)) · Kaffee console</title>
        <link rel="stylesheet" href="\(ConsoleAssets.stylesheetPath)">
        <script src="\(ConsoleAssets.scriptPath)" defer></script>
        </head>
        <body\(bodyAttributes)>
        <a class="skip" href="#main">Skip to content</a>
        <header>
        <a class="brand" href="/">Kaffee console</a>
        <nav aria-label="Main">
        <ul>
        \(item("Overview", "/", .overview))
        \(item("Topics", "/topics", .topics))
        \(item("Consumer groups", "/groups", .groups))
        </ul>
        </nav>
        </header>
        <main id="main" tabindex="-1">
        <h1>\(h(title))</h1>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// An error box (role=alert) with the message.
    static func errorBox(_ message: String) -> String {
        "<div class=\"error\" role=\"alert\"><strong>Error:</strong> \(h(message))</div>"
    }

    /// A success box (role=status).
    static func noticeBox(_ message: String) -> String {
        "<div class=\"notice\" role=\"status\">\(h(message))</div>"
    }

    /// A page for a failure: its status as title and the message.
    public static func failure(_ failure: ConsoleFailure, section: Section = .none) -> String {
        let title = switch failure.status {
        case 400: "Bad request"
        case 401: "Login needed"
        case 403: "Not authorized"
        case 404: "Not found"
        case 409: "Conflict"
        default: "Broker error"
        }
        return layout(title: title, section: section, body: errorBox(failure.message) + "<p><a href=\"/\">Back to the overview</a></p>")
    }

    /// A table with a caption, column headers (`scope=col`; names starting with `#` are numeric
    /// columns) and rows of already-escaped cells; the first cell of each row is its header.
    static func table(caption: String, columns: [String], rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "<p class=\"note\">\(h(empty))</p>" }
        var html = "<table>\n<caption class=\"note\">\(h(caption))</caption>\n<thead><tr>"
        let numeric = columns.map { $0.hasPrefix("#") }
        for (column, isNumber) in zip(columns, numeric) {
            let name = isNumber ? String(column.dropFirst()) : column
            html += "<th scope=\"col\"\(isNumber ? " class=\"num\"" : "")>\(h(name))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                let numberClass = index < numeric.count && numeric[index] ? " class=\"num\"" : ""
                html += index == 0 ? "<th scope=\"row\"\(numberClass)>\(cell)</th>" : "<td\(numberClass)>\(cell)</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// `1234567` → `1,234,567`.
    static func number(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Bytes in binary units (`1.5 MiB`); `unknown` for nil.
    static func bytes(_ value: Int64?) -> String {
        guard let value else { return "unknown" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        if unit == 0 { return "\(value) B" }
        let tenths = Int((amount * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// Seconds as `2d 3h 4m 5s` (leading zero units left out).
    static func duration(seconds: Int64) -> String {
        let days = seconds / 86_400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60, secs = seconds % 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days)d") }
        if days > 0 || hours > 0 { parts.append("\(hours)h") }
        if days > 0 || hours > 0 || minutes > 0 { parts.append("\(minutes)m") }
        parts.append("\(secs)s")
        return parts.joined(separator: " ")
    }

    /// A rate for the page: `12.5`, or `not measured`.
    static func rate(_ value: Double?) -> String {
        guard let value else { return "not measured" }
        if value >= 10 || value == value.rounded() { return number(Int64(value.rounded())) }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
