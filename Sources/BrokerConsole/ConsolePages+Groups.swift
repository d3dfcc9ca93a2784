extension ConsolePages {
    /// Every group with its type and state.
    public static func groups(_ list: Result<[GroupSummary], ConsoleFailure>) -> String {
        var body = ""
        switch list {
        case .failure(let failure):
            body += errorBox(failure.message)
        case .success(let groups):
            let rows = groups.map { group in
                ["<a href=\"\(HTML.link(["groups", group.id]))\">\(h(group.id))</a>", h(group.type), h(group.state)]
            }
            body += table(caption: "\(groups.count) group(s): classic and consumer-protocol consumer groups, share groups",
                          columns: ["Group", "Type", "State"], rows: rows, empty: "No groups yet.")
        }
        return layout(title: "Consumer groups", section: .groups, body: body)
    }

    /// A group: members, offsets and lag per partition, total lag, and the reset form (usable
    /// only while the group is empty; otherwise it says why not).
    public static func group(_ detail: GroupDetail, notice: String? = nil, error: String? = nil) -> String {
        var body = ""
        if let notice { body += noticeBox(notice) }
        if let error { body += errorBox(error) }
        body += "<dl class=\"facts\">\n<dt>Type</dt><dd>\(h(detail.type))</dd>\n<dt>State</dt><dd>\(h(detail.state))</dd>\n"
        body += "<dt>Members</dt><dd>\(detail.members.count)</dd>\n<dt>Total lag</dt><dd id=\"total-lag\">\(number(detail.totalLag))</dd>\n</dl>\n"
        body += "<p id=\"auto-refresh-row\" hidden><label><input type=\"checkbox\" id=\"auto-refresh\"> Refresh every 5 seconds</label></p>\n"
        body += "<section aria-labelledby=\"members-heading\">\n<h2 id=\"members-heading\">Members</h2>\n"
        let memberRows = detail.members.map { member in
            [h(member.clientId), "<code>\(h(member.memberId))</code>", h(member.host),
             member.assignment.isEmpty ? "<em>none</em>" : member.assignment.map(h).joined(separator: ", ")]
        }
        body += table(caption: "Members", columns: ["Client id", "Member id", "Host", "Assigned partitions"], rows: memberRows, empty: "No members (the group is not consuming now).")
        body += "</section>\n<section aria-labelledby=\"lag-heading\">\n<h2 id=\"lag-heading\">Offsets and lag</h2>\n"
        let isShare = detail.type == "share"
        let lagRows = detail.partitions.map { p in
            ["<a href=\"\(HTML.link(["topics", p.topic]))\">\(h(p.topic))</a>", String(p.partition),
             p.committedOffset < 0 ? "<em>none</em>" : number(p.committedOffset),
             p.endOffset < 0 ? "<em>unknown</em>" : number(p.endOffset), number(p.lag)]
        }
        body += table(caption: isShare ? "Start offset and lag per partition (DescribeShareGroupOffsets)" : "Committed offset, log end offset and lag per partition",
                      columns: ["Topic", "#Partition", isShare ? "#Start offset" : "#Committed offset", "#Log end offset", "#Lag"], rows: lagRows,
                      empty: "The group has no committed offsets.")
        body += "</section>\n<section aria-labelledby=\"reset-heading\">\n<h2 id=\"reset-heading\">Reset offsets</h2>\n"
        if isShare {
            body += "<p class=\"note\">Share groups keep per-record state; resetting their offsets is not offered here.</p>\n"
        } else if !detail.canResetOffsets {
            body += "<p class=\"note\">Offsets can be reset only while the group is Empty: it is \(h(detail.state)) with \(detail.members.count) member(s). Stop its consumers first, then reload this page.</p>\n"
        } else {
            let topics = Array(Set(detail.partitions.map(\.topic))).sorted()
            body += "<form class=\"inline\" method=\"post\" action=\"\(HTML.link(["groups", detail.id, "reset"]))\">\n"
            body += "<label for=\"reset-topic\">Topic <select id=\"reset-topic\" name=\"topic\"><option value=\"\">every committed topic</option>"
            for topic in topics { body += "<option value=\"\(h(topic))\">\(h(topic))</option>" }
            body += "</select></label>\n<label for=\"reset-to\">Reset to <select id=\"reset-to\" name=\"to\">"
            body += "<option value=\"earliest\">earliest</option><option value=\"latest\">latest</option><option value=\"offset\">offset</option><option value=\"timestamp\">timestamp</option></select></label>\n"
            body += "<label for=\"reset-offset\">Offset <input id=\"reset-offset\" name=\"offset\" type=\"number\" min=\"0\"></label>\n"
            body += "<label for=\"reset-timestamp\">Timestamp (ms or UTC 2026-01-31T12:00) <input id=\"reset-timestamp\" name=\"timestamp\" type=\"text\"></label>\n"
            body += "<button type=\"submit\">Reset offsets</button>\n</form>\n"
        }
        body += "</section>\n"
        return layout(title: "Group \(detail.id)", section: .groups, body: body, bodyAttributes: " data-refresh")
    }
}
