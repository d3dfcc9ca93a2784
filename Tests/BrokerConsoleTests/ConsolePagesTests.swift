import HTTPServer
import Synchronization
import SystemIO
import Testing
@testable import BrokerConsole

/// A data source with fixed data whose names and values carry markup.
final class FakeSource: ConsoleDataSource {
    static let evil = "<script>alert(1)</script>"
    let calls = Mutex<[String]>([])
    let groupMembers: Int

    init(groupMembers: Int = 0) { self.groupMembers = groupMembers }

    func overview() throws(ConsoleFailure) -> OverviewData {
        OverviewData(clusterId: "cid-\(Self.evil)", brokers: ["0 at 127.0.0.1:9092"], topicCount: 1, partitionCount: 2,
                     logDirs: [LogDirUsage(path: "/data", usedBytes: 2048, totalBytes: 1 << 30, usableBytes: 1 << 29)])
    }

    func topics() throws(ConsoleFailure) -> [TopicSummary] {
        [TopicSummary(name: "orders", partitions: 2, records: 1234567, sizeBytes: 1536)]
    }

    func topic(_ name: String) throws(ConsoleFailure) -> TopicDetail {
        guard name == "orders" else { throw .notFound("topic \(name) does not exist") }
        return TopicDetail(name: name, topicId: "AAAA", partitions: [
            PartitionSummary(partition: 0, leader: 0, startOffset: 0, endOffset: 10, sizeBytes: 100),
            PartitionSummary(partition: 1, leader: 0, startOffset: 5, endOffset: 7, sizeBytes: nil),
        ], configs: [ConfigSummary(name: "retention.ms", value: "60000", source: "DYNAMIC_TOPIC_CONFIG"),
                     ConfigSummary(name: "sasl.secret", value: nil, source: "STATIC_BROKER_CONFIG", isSensitive: true)])
    }

    func createTopic(name: String, partitions: Int32, configs: [String: String]) throws(ConsoleFailure) {
        calls.withLock { $0.append("create \(name) \(partitions) \(configs.sorted { $0.key < $1.key })") }
        if name == "orders" { throw ConsoleFailure(status: 409, "create topic orders: TOPIC_ALREADY_EXISTS (error code 36)") }
    }

    func deleteTopic(_ name: String) throws(ConsoleFailure) {
        calls.withLock { $0.append("delete \(name)") }
    }

    func records(_ query: BrowseQuery) throws(ConsoleFailure) -> BrowseResult {
        guard query.partition < 2 else { throw .notFound("partition \(query.partition) of topic orders does not exist") }
        return BrowseResult(startOffset: 0, endOffset: 10, firstOffset: 0, records: [
            BrowsedRecord(offset: 0, timestamp: 0, key: Array(Self.evil.utf8), value: Array(#"{"html":"<b>"}"#.utf8),
                          headers: [(key: "h<1>", value: Array("v<2>".utf8))]),
            BrowsedRecord(offset: 1, timestamp: 1000, key: nil, value: [0xff, 0x00, 0x3c]),
        ])
    }

    func groups() throws(ConsoleFailure) -> [GroupSummary] {
        [GroupSummary(id: "g/\(Self.evil)", type: "classic", state: "Empty"), GroupSummary(id: "s", type: "share", state: "Stable")]
    }

    func group(_ id: String) throws(ConsoleFailure) -> GroupDetail {
        let members = (0..<groupMembers).map { GroupMember(memberId: "m\($0)", clientId: "client-\(Self.evil)", host: "/127.0.0.1", assignment: ["orders-0"]) }
        return GroupDetail(id: id, type: "classic", state: members.isEmpty ? "Empty" : "Stable", members: members, partitions: [
            GroupPartitionLag(topic: "orders", partition: 0, committedOffset: 4, endOffset: 10, lag: 6),
            GroupPartitionLag(topic: "orders", partition: 1, committedOffset: -1, endOffset: 7, lag: 2),
        ])
    }

    func resetOffsets(group: String, topic: String?, to target: ResetTarget) throws(ConsoleFailure) -> [PartitionOffset] {
        calls.withLock { $0.append("reset \(group) \(topic ?? "*") \(target)") }
        return []
    }
}

/// The console's routes over a fake data source: pages, escaping, errors, forms, login.
@Suite struct ConsolePagesTests {
    let info = ConsoleInfo(version: "test", listeners: ["PLAINTEXT://127.0.0.1:9092"], connection: "PLAINTEXT 127.0.0.1:9092")

    func router(_ source: FakeSource = FakeSource(), requiresLogin: Bool = false) -> HTTPRouter {
        BrokerConsole.router(info: info, requiresLogin: requiresLogin,
                             counters: { ConsoleCounters(recordsIn: 5, unmeasured: [.bytesOut]) },
                             clock: ManualTimeSource()) { credentials throws(ConsoleFailure) in
            if requiresLogin && credentials != BasicCredentials(username: "alice", password: "pw") {
                throw ConsoleFailure(status: 401, "SASL authentication failed")
            }
            return source
        }
    }

    func get(_ router: HTTPRouter, _ target: String, headers: [(String, String)] = []) -> (status: Int, body: String, response: HTTPResponse) {
        let response = router.handle(HTTPRequest(method: "GET", target: target, headers: HTTPHeaders(headers)))
        return (response.status, String(decoding: response.body, as: UTF8.self), response)
    }

    func post(_ router: HTTPRouter, _ target: String, _ body: String, headers: [(String, String)] = [("Host", "console:9093")]) -> HTTPResponse {
        router.handle(HTTPRequest(method: "POST", target: target, headers: HTTPHeaders(headers), body: Array(body.utf8)))
    }

    @Test func overviewShowsFactsEscaped() {
        let page = get(router(), "/")
        #expect(page.status == 200)
        #expect(page.response.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(page.response.headers["Content-Security-Policy"]?.contains("script-src 'self'") == true)
        #expect(page.body.contains("cid-&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.body.contains("<script>alert"))
        #expect(page.body.contains("<main id=\"main\""))
        #expect(page.body.contains("aria-live=\"polite\""))
        #expect(page.body.contains("data-live-url=\"/api/overview\""))
        #expect(page.body.contains("2.0 KiB"))
    }

    @Test func overviewJSONListsTotalsAndUnmeasured() {
        let json = get(router(), "/api/overview")
        #expect(json.status == 200)
        #expect(json.body.contains("\"recordsIn\": 5"))
        #expect(json.body.contains("\"unmeasured\": [\"bytesOut\"]"))
    }

    @Test func topicPagesRender() {
        let console = router()
        let list = get(console, "/topics")
        #expect(list.body.contains("<a href=\"/topics/orders\">orders</a>"))
        #expect(list.body.contains("1,234,567"))
        #expect(list.body.contains("<th scope=\"col\""))
        let topic = get(console, "/topics/orders")
        #expect(topic.body.contains("DYNAMIC_TOPIC_CONFIG"))
        #expect(topic.body.contains("<em>hidden</em>"))
        #expect(topic.body.contains("/topics/orders/messages?partition=1"))
        #expect(get(console, "/topics/nope").status == 404)
    }

    @Test func messagesRenderJSONTextAndHexEscaped() {
        let page = get(router(), "/topics/orders/messages?partition=0")
        #expect(page.status == 200)
        #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.body.contains("&quot;html&quot;: &quot;&lt;b&gt;&quot;"))
        #expect(page.body.contains("ff 00 3c"))
        #expect(page.body.contains("<code>h&lt;1&gt;</code>: v&lt;2&gt;"))
        #expect(!page.body.contains("<script>alert") && !page.body.contains("<b>"))
        #expect(page.body.contains("1970-01-01T00:00:01.000Z"))
    }

    @Test func badInputsGiveClearStatuses() {
        let console = router()
        let missing = get(console, "/no/such/page")
        #expect(missing.status == 404)
        #expect(missing.body.contains("<h1>Not found</h1>"))
        let bad = get(console, "/topics/orders/messages?offset=abc")
        #expect(bad.status == 400)
        #expect(bad.body.contains("offset must be a whole number"))
        #expect(get(console, "/topics/orders/messages?count=-5").status == 400)
        let partition = get(console, "/topics/orders/messages?partition=9")
        #expect(partition.status == 404)
        #expect(partition.body.contains("partition 9 of topic orders does not exist"))
        #expect(partition.body.contains("<form"))
    }

    @Test func groupPagesShowLagAndResetRule() {
        let console = router()
        let list = get(console, "/groups")
        #expect(list.body.contains("/groups/g%2F%3Cscript%3Ealert%281%29%3C%2Fscript%3E"))
        #expect(list.body.contains("g/&lt;script&gt;"))
        let empty = get(console, "/groups/g1")
        #expect(empty.body.contains("<dd id=\"total-lag\">8</dd>"))
        #expect(empty.body.contains("action=\"/groups/g1/reset\""))
        let busy = get(router(FakeSource(groupMembers: 1)), "/groups/g1")
        #expect(busy.body.contains("only while the group is Empty"))
        #expect(!busy.body.contains("action=\"/groups/g1/reset\""))
        #expect(busy.body.contains("client-&lt;script&gt;"))
    }

    @Test func formsPostWithSameOriginOnly() {
        let source = FakeSource()
        let console = router(source)
        let created = post(console, "/topics", "name=new&partitions=2&retention.ms=1000", headers: [("Host", "console:9093"), ("Origin", "http://console:9093")])
        #expect(created.status == 303)
        #expect(created.headers["Location"] == "/topics/new?created=1")
        let foreign = post(console, "/topics", "name=evil", headers: [("Host", "console:9093"), ("Origin", "http://evil.example")])
        #expect(foreign.status == 403)
        let foreignReferer = post(console, "/topics", "name=evil", headers: [("Host", "console:9093"), ("Referer", "http://evil.example/x")])
        #expect(foreignReferer.status == 403)
        let exists = post(console, "/topics", "name=orders")
        #expect(exists.status == 409)
        #expect(String(decoding: exists.body, as: UTF8.self).contains("TOPIC_ALREADY_EXISTS"))
        let mismatch = post(console, "/topics/orders/delete", "confirm=other")
        #expect(mismatch.status == 400)
        let deleted = post(console, "/topics/orders/delete", "confirm=orders", headers: [("Host", "console:9093"), ("Referer", "http://console:9093/topics/orders/delete")])
        #expect(deleted.status == 303)
        let reset = post(console, "/groups/g1/reset", "to=offset&offset=3&topic=orders")
        #expect(reset.status == 303)
        let badReset = post(console, "/groups/g1/reset", "to=offset&offset=x")
        #expect(badReset.status == 400)
        #expect(source.calls.withLock { $0 } == ["create new 2 [(key: \"retention.ms\", value: \"1000\")]", "create orders 1 []", "delete orders",
                                                  "reset g1 orders offset(3)"])
    }

    @Test func loginIsAskedForAndChecked() {
        let console = router(requiresLogin: true)
        let anonymous = get(console, "/topics")
        #expect(anonymous.status == 401)
        #expect(anonymous.response.headers["WWW-Authenticate"]?.hasPrefix("Basic realm=\"kaffee\"") == true)
        // alice:wrong and alice:pw in base64
        #expect(get(console, "/topics", headers: [("Authorization", "Basic YWxpY2U6d3Jvbmc=")]).status == 401)
        #expect(get(console, "/topics", headers: [("Authorization", "Basic YWxpY2U6cHc=")]).status == 200)
        #expect(get(console, "/api/overview").status == 401)
        #expect(get(console, "/api/overview", headers: [("Authorization", "Basic YWxpY2U6d3Jvbmc=")]).status == 401)
        #expect(get(console, "/api/overview", headers: [("Authorization", "Basic YWxpY2U6cHc=")]).status == 200)
        #expect(get(console, "/topics", headers: [("Authorization", "Basic !!!")]).status == 401)
    }

    @Test func assetsAreCachedWithETags() {
        let console = router()
        let css = get(console, "/assets/console.css")
        #expect(css.status == 200)
        let tag = css.response.headers["ETag"] ?? ""
        #expect(!tag.isEmpty)
        #expect(css.response.headers["Cache-Control"]?.contains("max-age") == true)
        #expect(get(console, "/assets/console.css", headers: [("If-None-Match", tag)]).status == 304)
        let js = get(console, "/assets/console.js")
        #expect(js.response.headers["Content-Type"]?.hasPrefix("text/javascript") == true)
        #expect(!js.body.contains("innerHTML"))
    }
}
