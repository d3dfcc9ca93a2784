import HTTPClient
import KafkaClient
import Net

/// `kaffee healthcheck`: a container health probe for images that have no shell and no curl
/// (the `FROM scratch` images of `deploy/`).
///
/// - HTTP mode (the default): `GET URL` — by default `http://127.0.0.1:$SERVICE_HTTP_PORT/healthz`
///   (port 8080 when the variable is unset), so one `HEALTHCHECK` line fits every service image;
///   healthy only when the answer is `200`.
/// - Broker mode (`--broker HOST:PORT`): the broker answers ApiVersions and a Metadata request
///   (and, with `--topic`, lists every named topic).
///
/// Exit codes follow Docker's `HEALTHCHECK` contract rather than the other commands': 0 healthy,
/// 1 unhealthy for any reason (unreachable, timed out, not 200, a topic missing); 2 bad usage.
/// One line says why, which Docker keeps in the container's health log.
enum HealthcheckCommand {
    static let options: [Arguments.Option] = [
        Arguments.Option("--broker", value: "HOST:PORT", help: "check a Kafka broker (ApiVersions + Metadata) instead of an HTTP URL"),
        Arguments.Option("--topic", value: "TOPIC", help: "with --broker: also require this topic to exist (repeatable)"),
        Arguments.Option("--timeout", value: "MS", help: "how long to wait for an answer (default 3000)"),
    ] + Kaffee.clientOptions.filter { $0.name != "--brokers" } + [
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee healthcheck [URL]                              (default http://127.0.0.1:$SERVICE_HTTP_PORT/healthz)
           kaffee healthcheck --broker HOST:PORT [--topic TOPIC]...

    A health probe for containers without a shell: healthy when the URL answers 200 (HTTP mode),
    or when the broker answers ApiVersions and Metadata and has every --topic (broker mode).
    Exit 0 healthy, 1 unhealthy (the reason is printed), 2 usage error.

    \(Arguments.help(options))
    """

    /// The default port when `SERVICE_HTTP_PORT` is unset (the services' default).
    static let defaultServicePort: UInt16 = 8080

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help") else {
            console.print(usage)
            return .ok
        }
        let timeout = try arguments.integer("--timeout", default: 3000, range: 1...600_000)
        if let broker = arguments.value("--broker") {
            guard arguments.positionals.isEmpty else { throw CLIError.usage("--broker takes no URL\n\n\(usage)") }
            guard let address = HostPort(parsing: broker) else {
                throw CLIError.usage("--broker: expected HOST:PORT, got \(broker.debugDescription)")
            }
            return checkBroker(address, topics: arguments.all("--topic"), timeoutMillis: timeout,
                               sasl: try Kaffee.sasl(arguments, environment: environment), console: console)
        }
        guard arguments.all("--topic").isEmpty else { throw CLIError.usage("--topic needs --broker\n\n\(usage)") }
        guard arguments.positionals.count <= 1 else { throw CLIError.usage("at most one URL\n\n\(usage)") }
        let target: HTTPTarget
        if let url = arguments.positionals.first {
            target = try HTTPTarget(parsing: url)
        } else {
            target = try HTTPTarget.defaultService(environment)
        }
        return checkHTTP(target, timeoutMillis: timeout, console: console)
    }

    /// `GET` the target once; healthy only on 200.
    static func checkHTTP(_ target: HTTPTarget, timeoutMillis: Int, console: Console) -> ExitCode {
        let client = HTTPClient(server: target.server, timeoutMillis: timeoutMillis, maxResponseBytes: 1 << 20)
        defer { client.close() }
        do {
            let response = try client.get(target.path)
            guard response.status == 200 else {
                let reason = response.text.prefix(300).split(whereSeparator: \.isNewline).joined(separator: " ")
                console.error("unhealthy: \(target) answered \(response.status)\(reason.isEmpty ? "" : ": \(reason)")")
                return .failure
            }
            console.print("healthy: \(target) answered 200")
            return .ok
        } catch {
            console.error("unhealthy: \(target): \(error)")
            return .failure
        }
    }

    /// Metadata (after the ApiVersions handshake) from the broker, with every required topic.
    static func checkBroker(_ address: HostPort, topics required: [String], timeoutMillis: Int, sasl: SaslConfig? = nil, console: Console) -> ExitCode {
        var config = ClientConfig(bootstrapServers: [address], clientId: "kaffee-healthcheck")
        config.sasl = sasl
        config.requestTimeoutMs = timeoutMillis
        config.retries = 0
        let admin = KafkaAdmin(config: config)
        defer { admin.close() }
        do {
            let topics = Set(try admin.listTopics())
            let missing = required.filter { !topics.contains($0) }
            guard missing.isEmpty else {
                console.error("unhealthy: broker \(address) has no topic \(missing.joined(separator: ", "))")
                return .failure
            }
            console.print("healthy: broker \(address) answered (\(topics.count) topics)")
            return .ok
        } catch {
            console.error("unhealthy: broker \(address): \(error)")
            return .failure
        }
    }
}

/// An `http://HOST[:PORT][/PATH]` URL, split for `HTTPClient`. Value type.
struct HTTPTarget: Equatable, CustomStringConvertible {
    /// Where to connect.
    var server: HostPort
    /// The request target (path and query), starting with `/`.
    var path: String

    /// Parses `http://HOST[:PORT][/PATH]` (the scheme may be left out; the port defaults to 80,
    /// the path to `/`; IPv6 hosts in brackets). Anything else is a usage error.
    init(parsing url: String) throws(CLIError) {
        var rest = Substring(url)
        if let schemeEnd = rest.firstRange(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else { throw .usage("only http:// URLs are supported, got \(url.debugDescription)") }
            rest = rest[schemeEnd.upperBound...]
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        let path = rest[slash...]
        let hasPort = authority.hasPrefix("[") ? authority.contains("]:") : authority.contains(":")
        guard !authority.isEmpty, let server = HostPort(parsing: hasPort ? authority : authority + ":80") else {
            throw .usage("expected http://HOST[:PORT][/PATH], got \(url.debugDescription)")
        }
        self.server = server
        self.path = path.isEmpty ? "/" : String(path)
    }

    /// `http://127.0.0.1:$SERVICE_HTTP_PORT/healthz` (port 8080 when unset).
    static func defaultService(_ environment: (String) -> String?) throws(CLIError) -> HTTPTarget {
        var port = HealthcheckCommand.defaultServicePort
        if let text = environment("SERVICE_HTTP_PORT") {
            guard let parsed = UInt16(text), parsed > 0 else {
                throw .usage("SERVICE_HTTP_PORT: expected a port 1-65535, got \(text.debugDescription)")
            }
            port = parsed
        }
        return try HTTPTarget(parsing: "http://127.0.0.1:\(port)/healthz")
    }

    var description: String { "http://\(server)\(path)" }
}
