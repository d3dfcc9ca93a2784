public import Net

/// Settings shared by producers, consumers and admin clients. A value type; `Sendable`: each
/// client copies it at creation, so changing a config afterwards affects only clients created
/// later.
///
/// ```swift
/// var config = ClientConfig(bootstrapServers: ClientConfig.parseBrokers("kafka1:9092,kafka2:9092")!,
///                           clientId: "billing")
/// config.requestTimeoutMs = 10_000
/// config.sasl = SaslConfig(mechanism: .scramSha512, username: "billing", password: password)
/// ```
public struct ClientConfig: Sendable {
    /// Where to start: any subset of the cluster's brokers.
    public var bootstrapServers: [HostPort]
    /// Sent in every request header; brokers log it and report it in DescribeGroups.
    public var clientId: String = "kaffee"
    /// How long to wait for one response before giving up on the connection.
    public var requestTimeoutMs: Int = 30_000
    /// How many times a retriable failure is retried (with backoff) before it is reported.
    public var retries: Int = 5
    /// First retry backoff; doubles each attempt up to `maxRetryBackoffMs`.
    public var retryBackoffMs: Int = 100
    /// The longest retry backoff: the doubling of `retryBackoffMs` stops here.
    public var maxRetryBackoffMs: Int = 1_000
    /// The SASL login every connection runs (for SASL_PLAINTEXT listeners); nil: none. PLAIN
    /// sends the password in clear, so use it only behind TLS; see ``SaslConfig``.
    public var sasl: SaslConfig?

    /// A configuration for the cluster at `bootstrapServers` with the defaults above; nothing
    /// connects until a client built from it makes its first request.
    public init(bootstrapServers: [HostPort], clientId: String = "kaffee") {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
    }

    /// Parses `host:port[,host:port...]`; nil when any entry is malformed or none is given.
    public static func parseBrokers(_ text: String) -> [HostPort]? {
        let entries = text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { return nil }
        var result: [HostPort] = []
        for entry in entries {
            if let address = HostPort(parsing: entry) { result.append(address) }
            else if !entry.contains(":") { result.append(HostPort(host: entry, port: 9092)) }
            else { return nil }
        }
        return result
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
