extension ConsolePages {
    /// The topic list with the create form (`error` shown above the form, values kept).
    public static func topics(_ list: Result<[TopicSummary], ConsoleFailure>, notice: String? = nil, formError: String? = nil,
                              form: [String: String] = [:]) -> String {
        var body = ""
        if let notice { body += noticeBox(notice) }
        switch list {
        case .failure(let failure):
            body += errorBox(failure.message)
        case .success(let topics):
            let rows = topics.map { topic in
                ["<a href=\"\(HTML.link(["topics", topic.name]))\">\(h(topic.name))</a>", number(Int64(topic.partitions)),
                 number(topic.records), h(bytes(topic.sizeBytes))]
            }
            body += table(caption: "\(topics.count) topic(s)", columns: ["Topic", "#Partitions", "#Records", "#Size"], rows: rows,
                          empty: "No topics yet.")
        }
        body += createForm(error: formError, values: form)
        return layout(title: "Topics", section: .topics, body: body)
    }

    static func createForm(error: String?, values: [String: String]) -> String {
        func field(_ name: String, _ label: String, type: String = "text", placeholder: String = "", extra: String = "") -> String {
            let id = "create-" + name.split(separator: ".").joined(separator: "-")
            return "<label for=\"\(id)\">\(h(label)) <input id=\"\(id)\" name=\"\(h(name))\" type=\"\(type)\" value=\"\(h(values[name] ?? ""))\" placeholder=\"\(h(placeholder))\"\(extra)></label>\n"
        }
        var html = "<section aria-labelledby=\"create-heading\">\n<h2 id=\"create-heading\">Create a topic</h2>\n"
        if let error { html += errorBox(error) }
        html += "<form class=\"inline\" method=\"post\" action=\"/topics\">\n"
        html += field("name", "Name", placeholder: "orders", extra: " required maxlength=\"249\" pattern=\"[A-Za-z0-9._\\-]+\"")
        html += field("partitions", "Partitions", type: "number", placeholder: "1", extra: " min=\"1\" max=\"10000\"")
        let policy = values["cleanup.policy"] ?? ""
        html += "<label for=\"create-cleanup-policy\">cleanup.policy <select id=\"create-cleanup-policy\" name=\"cleanup.policy\">"
        for option in ["", "delete", "compact", "compact,delete"] {
            html += "<option value=\"\(h(option))\"\(option == policy ? " selected" : "")>\(option.isEmpty ? "(broker default)" : h(option))</option>"
        }
        html += "</select></label>\n"
        html += field("retention.ms", "retention.ms", type: "number", placeholder: "default")
        html += field("retention.bytes", "retention.bytes", type: "number", placeholder: "default")
        html += field("segment.bytes", "segment.bytes", type: "number", placeholder: "default")
        html += field("max.message.bytes", "max.message.bytes", type: "number", placeholder: "default")
        html += "<button type=\"submit\">Create topic</button>\n</form>\n</section>\n"
        return html
    }

    /// A topic: partitions with offsets and sizes (each linking to its messages), configs with
    /// their sources, and the way to delete it.
    public static func topic(_ detail: TopicDetail, notice: String? = nil) -> String {
        var body = ""
        if let notice { body += noticeBox(notice) }
        body += "<p>Topic id <code>\(h(detail.topicId))</code>. <a href=\"\(HTML.link(["topics", detail.name, "messages"]))\">Browse messages</a></p>\n"
        body += "<section aria-labelledby=\"partitions-heading\">\n<h2 id=\"partitions-heading\">Partitions</h2>\n"
        let rows = detail.partitions.map { p in
            [String(p.partition), String(p.leader), number(p.startOffset), number(p.endOffset), number(max(0, p.endOffset - p.startOffset)),
             h(bytes(p.sizeBytes)),
             "<a href=\"\(HTML.link(["topics", detail.name, "messages"], query: [("partition", String(p.partition))]))\">messages<span class=\"skip\"> of partition \(p.partition)</span></a>"]
        }
        body += table(caption: "\(detail.partitions.count) partition(s)", columns: ["#Partition", "#Leader", "#Log start offset", "#Log end offset", "#Records", "#Size", "Browse"],
                      rows: rows, empty: "No partitions.")
        body += "</section>\n<section aria-labelledby=\"configs-heading\">\n<h2 id=\"configs-heading\">Configs</h2>\n"
        let configRows = detail.configs.map { config in
            [h(config.name), config.isSensitive ? "<em>hidden</em>" : (config.value.map { "<code>\(h($0))</code>" } ?? "<em>null</em>"), h(config.source)]
        }
        body += table(caption: "DescribeConfigs", columns: ["Name", "Value", "Source"], rows: configRows, empty: "No configs reported.")
        body += "</section>\n<section aria-labelledby=\"danger-heading\">\n<h2 id=\"danger-heading\">Delete</h2>\n"
        body += "<p><a href=\"\(HTML.link(["topics", detail.name, "delete"]))\">Delete this topic…</a> (asks for confirmation)</p>\n</section>\n"
        return layout(title: "Topic \(detail.name)", section: .topics, body: body)
    }

    /// The confirmation step of deleting a topic: type its name, then POST.
    public static func deleteTopic(_ name: String, error: String? = nil) -> String {
        var body = ""
        if let error { body += errorBox(error) }
        body += """
        <p>Deleting <strong>\(h(name))</strong> removes all its partitions and records. It cannot be undone.</p>
        <form class="inline" method="post" action="\(HTML.link(["topics", name, "delete"]))">
        <label for="confirm-name">Type the topic name to confirm <input id="confirm-name" name="confirm" type="text" required autocomplete="off"></label>
        <button type="submit" class="danger">Delete topic</button>
        </form>
        <p><a href="\(HTML.link(["topics", name]))">Cancel</a></p>

        """
        return layout(title: "Delete topic \(name)", section: .topics, body: body)
    }

    /// The message browser: the form (partition, start, count) and the records read.
    public static func messages(topic: String, partitions: [Int32], query: BrowseQuery, result: Result<BrowseResult, ConsoleFailure>) -> String {
        var body = "<p><a href=\"\(HTML.link(["topics", topic]))\">Back to topic \(h(topic))</a></p>\n"
        body += browseForm(topic: topic, partitions: partitions, query: query)
        switch result {
        case .failure(let failure):
            body += errorBox(failure.message)
        case .success(let found):
            body += "<p>Partition \(query.partition): offsets \(number(found.startOffset)) to \(number(found.endOffset)) (end, exclusive). "
            body += "Showing \(found.records.count) record(s) from offset \(number(found.firstOffset)).</p>\n"
            if let note = found.note { body += "<p class=\"note\" role=\"status\">\(h(note))</p>\n" }
            body += recordsTable(found.records)
            if let last = found.records.last, last.offset + 1 < found.endOffset {
                body += "<p><a href=\"\(HTML.link(["topics", topic, "messages"], query: [("partition", String(query.partition)), ("offset", String(last.offset + 1)), ("count", String(query.count))]))\">Next \(query.count) records</a></p>\n"
            }
        }
        return layout(title: "Messages of \(topic)", section: .topics, body: body)
    }

    static func browseForm(topic: String, partitions: [Int32], query: BrowseQuery) -> String {
        var html = "<form class=\"inline\" method=\"get\" action=\"\(HTML.link(["topics", topic, "messages"]))\" aria-label=\"Choose records\">\n"
        html += "<label for=\"browse-partition\">Partition <select id=\"browse-partition\" name=\"partition\">"
        for partition in partitions.isEmpty ? [query.partition] : partitions {
            html += "<option\(partition == query.partition ? " selected" : "")>\(partition)</option>"
        }
        html += "</select></label>\n"
        let (from, offset, time): (String, String, String) = switch query.start {
        case .earliest: ("earliest", "", "")
        case .latest: ("latest", "", "")
        case .offset(let value): ("offset", String(value), "")
        case .timestamp(let value): ("timestamp", "", String(value))
        }
        html += "<label for=\"browse-from\">Start at <select id=\"browse-from\" name=\"from\">"
        for (value, label) in [("earliest", "earliest"), ("latest", "latest (last N)"), ("offset", "offset"), ("timestamp", "timestamp")] {
            html += "<option value=\"\(value)\"\(value == from ? " selected" : "")>\(label)</option>"
        }
        html += "</select></label>\n"
        html += "<label for=\"browse-offset\">Offset <input id=\"browse-offset\" name=\"offset\" type=\"number\" min=\"0\" value=\"\(h(offset))\"></label>\n"
        html += "<label for=\"browse-timestamp\">Timestamp (ms or UTC 2026-01-31T12:00) <input id=\"browse-timestamp\" name=\"timestamp\" type=\"text\" value=\"\(h(time))\"></label>\n"
        html += "<label for=\"browse-count\">Records (1–\(ConsoleParameters.maxCount)) <input id=\"browse-count\" name=\"count\" type=\"number\" min=\"1\" max=\"\(ConsoleParameters.maxCount)\" value=\"\(query.count)\"></label>\n"
        html += "<button type=\"submit\">Show</button>\n</form>\n"
        return html
    }

    /// Records with offset, timestamp, key, value and headers, each value rendered as JSON,
    /// text or hex (and labelled which).
    static func recordsTable(_ records: [BrowsedRecord]) -> String {
        func cell(_ bytes: [UInt8]?) -> String {
            let rendered = RenderedBytes(bytes)
            let cut = (bytes?.count ?? 0) > RenderedBytes.displayLimit ? " (first \(RenderedBytes.displayLimit) of \(bytes?.count ?? 0) bytes)" : ""
            return "<span class=\"kind\">\(rendered.kind)\(cut)</span><pre class=\"value \(rendered.kind)\">\(h(rendered.display))</pre>"
        }
        let rows = records.map { record in
            let headers = record.headers.isEmpty ? "" : "<ul class=\"headers\">" + record.headers.map { header in
                "<li><code>\(h(header.key))</code>: \(h(RenderedBytes(header.value).display))</li>"
            }.joined() + "</ul>"
            return [number(record.offset), "<time datetime=\"\(h(ConsoleParameters.formatTimestamp(record.timestamp)))\">\(h(ConsoleParameters.formatTimestamp(record.timestamp)))</time>",
                    cell(record.key), cell(record.value), headers]
        }
        return table(caption: "Records", columns: ["#Offset", "Timestamp", "Key", "Value", "Headers"], rows: rows,
                     empty: "No records here.")
    }
}
