public import HTTPServer
import Security
public import SystemIO

/// kaffeed's web console: the routes `BrokerHTTP.install(routes:)` serves next to `/healthz`,
/// `/readyz` and `/metrics`.
///
/// Pages (server-rendered HTML; the one script only adds live charts and auto-refresh):
/// `/` overview, `/topics` (list, create), `/topics/:name` (partitions, configs),
/// `/topics/:name/delete` (confirm, then POST), `/topics/:name/messages` (message browser),
/// `/groups`, `/groups/:id` (members, lag; POST `/groups/:id/reset`), `/api/overview` (JSON
/// polled by the charts), `/assets/console.css`, `/assets/console.js`. Unknown paths get a 404
/// page, malformed parameters a 400 page, broker refusals their page with Kafka's error name.
///
/// Mutating requests are POST forms, refused (403) when `Origin` (or, without it, `Referer`)
/// names another host than `Host`. When the broker is reached over SASL, every request needs
/// HTTP Basic credentials (401 with `WWW-Authenticate: Basic realm="kaffee"` otherwise), which
/// become the console's broker login for that request.
public enum BrokerConsole {
    /// The console's routes.
    /// - Parameters:
    ///   - info: version, listeners and connection text for the overview.
    ///   - requiresLogin: whether requests need Basic credentials.
    ///   - counters: the broker's running totals (the overview's rates).
    ///   - source: the data source for a request's credentials (nil when none were sent).
    ///   - clock: uptime and rates.
    ///   - rates: turns counter readings into rates (and keeps their recent history); sample
    ///     it in the background with `CounterRates.startSampling` for charts that start full.
    public static func router(info: ConsoleInfo, requiresLogin: Bool, counters: @escaping @Sendable () -> ConsoleCounters,
                              clock: any TimeSource = SystemTimeSource(), rates: CounterRates = CounterRates(),
                              source: @escaping @Sendable (BasicCredentials?) throws(ConsoleFailure) -> any ConsoleDataSource) -> HTTPRouter {
        let started = clock.monotonicNanos()
        let context = RequestContext(requiresLogin: requiresLogin, source: source)
        @Sendable func uptime() -> Int64 { Int64((clock.monotonicNanos() &- started) / 1_000_000_000) }

        var router = HTTPRouter()
        router.get(ConsoleAssets.stylesheetPath) { request, _ in
            ConsoleAssets.serve(request, text: ConsoleAssets.stylesheet, tag: ConsoleAssets.stylesheetTag, contentType: "text/css; charset=utf-8")
        }
        router.get(ConsoleAssets.scriptPath) { request, _ in
            ConsoleAssets.serve(request, text: ConsoleAssets.script, tag: ConsoleAssets.scriptTag, contentType: "text/javascript; charset=utf-8")
        }
        router.get("/api/overview") { request, _ in
            if let refusal = context.loginRefusal(request) { return refusal }
            if requiresLogin {
                // The numbers are the broker's: only for users the broker accepts.
                do throws(ConsoleFailure) {
                    _ = try source(RequestContext.credentials(request))
                } catch {
                    return context.challenge(.error(error.message, status: error.status))
                }
            }
            let now = counters()
            let current = rates.record(now, atNanos: clock.monotonicNanos())
            var response = HTTPResponse.json(ConsolePages.overviewJSON(counters: now, rates: current, uptimeSeconds: uptime(), history: rates.history))
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        router.get("/") { request, _ in
            context.page(request, section: .overview) { source throws(ConsoleFailure) in
                let now = counters()
                let current = rates.record(now, atNanos: clock.monotonicNanos())
                let data: Result<OverviewData, ConsoleFailure> = Result { () throws(ConsoleFailure) in try source.overview() }
                return ConsolePages.overview(info: info, uptimeSeconds: uptime(), data: data, counters: now, rates: current)
            }
        }
        router.get("/topics") { request, _ in
            context.page(request, section: .topics) { source throws(ConsoleFailure) in
                let notice = request.query["deleted"].map { "Topic \($0) deleted." }
                return ConsolePages.topics(Result { () throws(ConsoleFailure) in try source.topics() }, notice: notice)
            }
        }
        router.post("/topics") { request, _ in
            context.form(request, section: .topics) { source, form throws(ConsoleFailure) in
                do throws(ConsoleFailure) {
                    let parsed = try ConsoleParameters.createTopic(form)
                    try source.createTopic(name: parsed.name, partitions: parsed.partitions, configs: parsed.configs)
                    return redirect(HTML.link(["topics", parsed.name], query: [("created", "1")]))
                } catch {
                    var page = html(ConsolePages.topics(Result { () throws(ConsoleFailure) in try source.topics() }, formError: error.message, form: form),
                                    status: error.status)
                    if error.status == 401 { page = context.challenge(page) }
                    return page
                }
            }
        }
        router.get("/topics/:name") { request, parameters in
            context.page(request, section: .topics) { source throws(ConsoleFailure) in
                let detail = try source.topic(parameters["name"] ?? "")
                return ConsolePages.topic(detail, notice: request.query["created"] != nil ? "Topic \(detail.name) created." : nil)
            }
        }
        router.get("/topics/:name/delete") { request, parameters in
            context.page(request, section: .topics) { source throws(ConsoleFailure) in
                let detail = try source.topic(parameters["name"] ?? "")
                return ConsolePages.deleteTopic(detail.name)
            }
        }
        router.post("/topics/:name/delete") { request, parameters in
            let name = parameters["name"] ?? ""
            return context.form(request, section: .topics) { source, form throws(ConsoleFailure) in
                guard form["confirm"] == name else {
                    return html(ConsolePages.deleteTopic(name, error: "The name typed does not match \(name); nothing was deleted."), status: 400)
                }
                try source.deleteTopic(name)
                return redirect(HTML.link(["topics"], query: [("deleted", name)]))
            }
        }
        router.get("/topics/:name/messages") { request, parameters in
            let name = parameters["name"] ?? ""
            return context.statusPage(request, section: .topics) { source throws(ConsoleFailure) in
                let query = try ConsoleParameters.browseQuery(topic: name, request.query)
                let detail = try source.topic(name)
                let result = Result { () throws(ConsoleFailure) in try source.records(query) }
                let page = ConsolePages.messages(topic: name, partitions: detail.partitions.map(\.partition), query: query, result: result)
                if case .failure(let failure) = result { return (page, failure.status) }
                return (page, 200)
            }
        }
        router.get("/groups") { request, _ in
            context.page(request, section: .groups) { source throws(ConsoleFailure) in
                ConsolePages.groups(Result { () throws(ConsoleFailure) in try source.groups() })
            }
        }
        router.get("/groups/:id") { request, parameters in
            context.page(request, section: .groups) { source throws(ConsoleFailure) in
                let notice = request.query["reset"] != nil ? "Offsets reset." : nil
                return ConsolePages.group(try source.group(parameters["id"] ?? ""), notice: notice)
            }
        }
        router.post("/groups/:id/reset") { request, parameters in
            let id = parameters["id"] ?? ""
            return context.form(request, section: .groups) { source, form throws(ConsoleFailure) in
                do throws(ConsoleFailure) {
                    let target = try ConsoleParameters.resetTarget(form)
                    let topic = form["topic"].flatMap { $0.isEmpty ? nil : $0 }
                    _ = try source.resetOffsets(group: id, topic: topic, to: target)
                    return redirect(HTML.link(["groups", id], query: [("reset", "1")]))
                } catch {
                    guard let detail = try? source.group(id) else { throw error }
                    return html(ConsolePages.group(detail, error: error.message), status: error.status)
                }
            }
        }
        router.fallback = { request, _ in
            html(ConsolePages.failure(.notFound("no page at \(request.path)")), status: 404)
        }
        return router
    }

    /// An HTML response with the console's security headers: no inline script or style runs
    /// (CSP), no framing, no sniffing, referrers only to the console itself, not cached.
    static func html(_ text: String, status: Int = 200) -> HTTPResponse {
        var response = HTTPResponse.text(text, status: status, contentType: "text/html; charset=utf-8")
        response.headers.set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("X-Frame-Options", "DENY")
        response.headers.set("Referrer-Policy", "same-origin")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// 303 See Other to `location` (already escaped for HTML; unescaped here for the header).
    static func redirect(_ escapedLocation: String) -> HTTPResponse {
        var response = HTTPResponse(status: 303)
        response.headers.set("Location", escapedLocation.split(separator: "&amp;", omittingEmptySubsequences: false).joined(separator: "&"))
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}

/// What every console request shares: the login rule and the way to its data source.
struct RequestContext: Sendable {
    let requiresLogin: Bool
    let source: @Sendable (BasicCredentials?) throws(ConsoleFailure) -> any ConsoleDataSource

    /// The 401 response when a login is needed and the request has no usable Basic
    /// credentials; nil when it may go on.
    func loginRefusal(_ request: HTTPRequest) -> HTTPResponse? {
        guard requiresLogin, Self.credentials(request) == nil else { return nil }
        return challenge(BrokerConsole.html(ConsolePages.failure(ConsoleFailure(status: 401, "sign in with a user of the broker's SASL listener")), status: 401))
    }

    /// `response` with `WWW-Authenticate: Basic realm="kaffee"`.
    func challenge(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.set("WWW-Authenticate", "Basic realm=\"kaffee\", charset=\"UTF-8\"")
        return response
    }

    /// A GET page: the data source for the request's login, then `render`; failures become
    /// their error page (401 with the challenge).
    func page(_ request: HTTPRequest, section: ConsolePages.Section,
              _ render: (any ConsoleDataSource) throws(ConsoleFailure) -> String) -> HTTPResponse {
        statusPage(request, section: section) { source throws(ConsoleFailure) in (try render(source), 200) }
    }

    /// `page` for a render that picks its status (a page that shows its own error, e.g. the
    /// message browser keeping its form around a broker refusal).
    func statusPage(_ request: HTTPRequest, section: ConsolePages.Section,
                    _ render: (any ConsoleDataSource) throws(ConsoleFailure) -> (String, Int)) -> HTTPResponse {
        if let refusal = loginRefusal(request) { return refusal }
        do throws(ConsoleFailure) {
            let source = try source(Self.credentials(request))
            let (text, status) = try render(source)
            return BrokerConsole.html(text, status: status)
        } catch {
            return failurePage(error, section: section)
        }
    }

    /// A POST form: the same-origin check, the login, the decoded form, then `handle`.
    func form(_ request: HTTPRequest, section: ConsolePages.Section,
              _ handle: (any ConsoleDataSource, [String: String]) throws(ConsoleFailure) -> HTTPResponse) -> HTTPResponse {
        if let problem = Self.crossOriginProblem(request) {
            return BrokerConsole.html(ConsolePages.failure(ConsoleFailure(status: 403, problem), section: section), status: 403)
        }
        if let refusal = loginRefusal(request) { return refusal }
        do throws(ConsoleFailure) {
            let source = try source(Self.credentials(request))
            return try handle(source, Self.formFields(request))
        } catch {
            return failurePage(error, section: section)
        }
    }

    private func failurePage(_ error: ConsoleFailure, section: ConsolePages.Section) -> HTTPResponse {
        let response = BrokerConsole.html(ConsolePages.failure(error, section: section), status: error.status)
        return error.status == 401 ? challenge(response) : response
    }

    /// The fields of an `application/x-www-form-urlencoded` body (decoded as a query string).
    static func formFields(_ request: HTTPRequest) -> [String: String] {
        let text = request.bodyText.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).joined()
        return HTTPRequest(method: "GET", target: "/?" + text).query
    }

    /// Why a POST is refused as cross-origin, or nil: its `Origin` (else `Referer`) must name
    /// the host and port of `Host`. Requests with neither (not from a browser) pass.
    static func crossOriginProblem(_ request: HTTPRequest) -> String? {
        guard let host = request.headers["Host"]?.lowercased(), !host.isEmpty else {
            return "the request has no Host header"
        }
        let claimed = request.headers["Origin"] ?? request.headers["Referer"]
        guard let claimed else { return nil }
        guard let origin = Self.authority(of: claimed), origin == host else {
            return "refused a cross-origin form post (from \(claimed) to \(host)); submit the form from this console"
        }
        return nil
    }

    /// The `host[:port]` of an absolute http(s) URL, lowercased; nil when it is not one.
    static func authority(of url: String) -> String? {
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") { rest = lower.dropFirst(7) }
        else if lower.hasPrefix("https://") { rest = lower.dropFirst(8) }
        else { return nil }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        return String(authority)
    }

    /// The user and password of an `Authorization: Basic` header, nil when absent or malformed.
    static func credentials(_ request: HTTPRequest) -> BasicCredentials? {
        guard let header = request.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic", let bytes = Base64.decode(parts[1].trimmedSpaces),
              let text = String(validating: bytes, as: UTF8.self), let colon = text.firstIndex(of: ":") else { return nil }
        let username = String(text[..<colon])
        guard !username.isEmpty else { return nil }
        return BasicCredentials(username: username, password: String(text[text.index(after: colon)...]))
    }
}
