/// What the console knows about the broker it runs in (from kaffeed, not over Kafka).
public struct ConsoleInfo: Sendable, Equatable {
    /// The broker's version text.
    public var version: String
    /// The listeners as `NAME://host:port`.
    public var listeners: [String]
    /// How the console reaches the broker, e.g. `PLAINTEXT 127.0.0.1:9092` or `SASL_PLAINTEXT
    /// 127.0.0.1:9094 as the signed-in user`.
    public var connection: String

    public init(version: String, listeners: [String], connection: String) {
        self.version = version
        self.listeners = listeners
        self.connection = connection
    }
}

extension ConsolePages {
    /// The overview: facts, throughput cards and charts (`data-live-url` tells the script
    /// where to poll), disk use.
    public static func overview(info: ConsoleInfo, uptimeSeconds: Int64, data: Result<OverviewData, ConsoleFailure>,
                                counters: ConsoleCounters, rates: [ConsoleCounters.Field: Double]) -> String {
        var body = ""
        var facts: [(String, String)] = [("Version", h(info.version)), ("Uptime", h(duration(seconds: uptimeSeconds)))]
        switch data {
        case .success(let overview):
            facts.append(("Cluster id", "<code>\(h(overview.clusterId))</code>"))
            facts.append(("Brokers", h(overview.brokers.joined(separator: ", "))))
        case .failure(let failure):
            body += errorBox(failure.message)
        }
        facts.append(("Listeners", info.listeners.map { "<code>\(h($0))</code>" }.joined(separator: "<br>")))
        facts.append(("Console connects via", h(info.connection)))
        if case .success(let overview) = data {
            facts.append(("Topics", "<a href=\"/topics\">\(number(Int64(overview.topicCount)))</a>"))
            facts.append(("Partitions", number(Int64(overview.partitionCount))))
        }
        body += "<section aria-labelledby=\"facts-heading\">\n<h2 id=\"facts-heading\">Broker</h2>\n<dl class=\"facts\">\n"
        for (name, value) in facts { body += "<dt>\(h(name))</dt><dd>\(value)</dd>\n" }
        body += "</dl>\n</section>\n"

        body += "<section aria-labelledby=\"rates-heading\" data-live-url=\"/api/overview\">\n<h2 id=\"rates-heading\">Throughput now</h2>\n"
        body += "<div class=\"cards\" aria-live=\"polite\" aria-atomic=\"false\">\n"
        let cards: [(ConsoleCounters.Field, String)] = [(.recordsIn, "records/s in"), (.recordsOut, "records/s out"),
                                                        (.bytesIn, "bytes/s in"), (.bytesOut, "bytes/s out"), (.requests, "requests/s")]
        for (field, label) in cards {
            let value = counters.unmeasured.contains(field) ? "not measured" : (rates[field].map { rate($0) } ?? "…")
            body += "<div class=\"card\"><div class=\"value\" id=\"rate-\(field.rawValue)\">\(h(value))</div><div class=\"label\">\(h(label))</div></div>\n"
        }
        body += "</div>\n"
        if let note = counters.note { body += "<p class=\"note\">\(h(note))</p>\n" }
        if !counters.unmeasured.isEmpty {
            let names = ConsoleCounters.Field.allCases.filter { counters.unmeasured.contains($0) }.map(\.rawValue)
            body += "<p class=\"note\">Not measured by this broker yet (shown as “not measured”, charted as gaps): \(h(names.joined(separator: ", "))).</p>\n"
        }
        body += """
        <div class="charts">
        <figure>
        <canvas id="chart-records" width="520" height="180" role="img" aria-label="Records per second in and out over the last two minutes"></canvas>
        <figcaption>Records/s: <span class="legend-in">in</span>, <span class="legend-out">out</span></figcaption>
        </figure>
        <figure>
        <canvas id="chart-bytes" width="520" height="180" role="img" aria-label="Bytes per second in and out over the last two minutes"></canvas>
        <figcaption>Bytes/s: <span class="legend-in">in</span>, <span class="legend-out">out</span></figcaption>
        </figure>
        </div>
        <p class="note" id="live-status" aria-live="off">Charts need JavaScript; the numbers above are from when the page was loaded.</p>
        </section>

        """
        if case .success(let overview) = data {
            body += "<section aria-labelledby=\"disk-heading\">\n<h2 id=\"disk-heading\">Disk use</h2>\n"
            let rows = overview.logDirs.map { dir in
                ["<code>\(h(dir.path))</code>", h(bytes(dir.usedBytes)), h(bytes(dir.usableBytes)), h(bytes(dir.totalBytes))]
            }
            body += table(caption: "Log directories (DescribeLogDirs)", columns: ["Directory", "#Partitions' data", "#Free", "#File system size"],
                          rows: rows, empty: "The broker reported no log directories.")
            body += "</section>\n"
        }
        return layout(title: "Overview", section: .overview, body: body)
    }

    /// The JSON the overview script polls: totals, rates per second, which are unmeasured, and
    /// the recent rates per measured field (oldest first, null where there was none).
    public static func overviewJSON(counters: ConsoleCounters, rates: [ConsoleCounters.Field: Double], uptimeSeconds: Int64,
                                    history: [[ConsoleCounters.Field: Double]] = []) -> String {
        func double(_ value: Double) -> String {
            let milli = Int64((value * 1000).rounded())
            let fraction = String(milli.magnitude % 1000)
            return (milli < 0 ? "-" : "") + "\(milli.magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
        }
        let fields = ConsoleCounters.Field.allCases
        let totals = fields.filter { !counters.unmeasured.contains($0) }.map { "\"\($0.rawValue)\": \(counters[$0])" }
        let rateText = fields.compactMap { field in rates[field].map { "\"\(field.rawValue)\": \(double($0))" } }
        let unmeasured = fields.filter { counters.unmeasured.contains($0) }.map { "\"\($0.rawValue)\"" }
        let series = fields.filter { !counters.unmeasured.contains($0) }.map { field in
            "\"\(field.rawValue)\": [" + history.map { $0[field].map(double) ?? "null" }.joined(separator: ",") + "]"
        }
        return "{\"uptimeSeconds\": \(uptimeSeconds), \"totals\": {\(totals.joined(separator: ", "))}, \"rates\": {\(rateText.joined(separator: ", "))}, "
            + "\"unmeasured\": [\(unmeasured.joined(separator: ", "))], \"history\": {\(series.joined(separator: ", "))}}"
    }
}
