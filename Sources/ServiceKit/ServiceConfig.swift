internal import SystemIO
import Net
public import KafkaClient

/// A malformed configuration variable.
public struct ServiceConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable.
    public let variable: String
    /// Its value.
    public let value: String
    /// What was expected instead.
    public let expected: String

    public var description: String {
        "invalid \(variable)=\"\(value)\": expected \(expected)"
    }
}

/// A broker address `host:port`.
public struct BrokerAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
    public var description: String { "\(host):\(port)" }
}

/// A service's typed configuration, read from environment variables with defaults.
///
/// | Variable | Default | Meaning |
/// |---|---|---|
/// | `KAFFEE_BROKERS` | `localhost:9092` | comma-separated `host:port` bootstrap brokers |
/// | `SERVICE_HTTP_PORT` | `8080` | health/metrics HTTP port (0 = any free port) |
/// | `SERVICE_DB_PATH` | `<service>.sqlite` | the SQLite database file |
/// | `SERVICE_GROUP_ID` | `<service>` | the consumer group id |
/// | `SERVICE_POLL_MS` | `100` | consumer poll timeout in ms (1…60000) |
/// | `SERVICE_BATCH_SIZE` | `500` | most records handled per transaction (≥ 1) |
/// | `SERVICE_RETRY_ATTEMPTS` | `5` | handler tries before dead-lettering (≥ 1) |
/// | `SERVICE_RETRY_BACKOFF_MS` | `100` | first retry wait, doubling |
/// | `SERVICE_RETRY_MAX_BACKOFF_MS` | `5000` | longest retry wait |
/// | `SERVICE_OUTBOX_INTERVAL_MS` | `100` | outbox relay poll interval |
/// | `SERVICE_INSTANCE_ID` | unset | static group membership id (KIP-345): a restarted instance gets its partitions back at once |
/// | `SERVICE_SESSION_TIMEOUT_MS` | `10000` | consumer group session timeout (3000…300000); under the consumer protocol set as the group's `consumer.session.timeout.ms` at start |
/// | `KAFFEE_SASL_MECHANISM` | unset | log in to a SASL_PLAINTEXT listener with `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512` |
/// | `KAFFEE_SASL_USERNAME` | the service name | the SASL user (its ACLs come from `kaffee acls apply Topics/`) |
/// | `KAFFEE_SASL_PASSWORD`, `KAFFEE_SASL_PASSWORD_FILE` | unset | the password, or a file holding it (Docker secrets); needed with a mechanism |
/// | `SERVICE_GROUP_PROTOCOL` | `auto` | `auto` (Kafka 4's consumer protocol where the broker offers it, else classic), `consumer` or `classic` |
/// | `SERVICE_LOG_LEVEL` | `info` | `debug`, `info`, `warning` or `error` |
///
/// An empty value counts as unset. A malformed value throws `ServiceConfigError` naming it.
public struct ServiceConfig: Sendable, Equatable {
    public var serviceName: String
    public var brokers: [BrokerAddress]
    public var httpPort: Int
    public var databasePath: String
    public var groupId: String
    public var pollInterval: Duration
    public var batchSize: Int
    public var retry: RetryPolicy
    public var outboxInterval: Duration
    public var instanceId: String?
    public var sessionTimeoutMs: Int
    public var groupProtocol: ConsumerConfig.GroupProtocol
    /// The SASL login, when `KAFFEE_SASL_MECHANISM` is set.
    public var sasl: SaslConfig?
    public var logLevel: String

    /// Reads the configuration for `serviceName` through `environment` (name → value or nil).
    public init(serviceName: String, environment: (String) -> String?) throws(ServiceConfigError) {
        func value(_ name: String) -> String? {
            guard let v = environment(name)?.trimmingWhitespace, !v.isEmpty else { return nil }
            return v
        }
        func int(_ name: String, default def: Int, range: ClosedRange<Int>) throws(ServiceConfigError) -> Int {
            guard let text = value(name) else { return def }
            guard let n = Int(text), range.contains(n) else {
                throw ServiceConfigError(
                    variable: name, value: text,
                    expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        self.serviceName = serviceName
        if let text = value("KAFFEE_BROKERS") {
            var brokers: [BrokerAddress] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let broker = Self.parseBroker(part.trimmingWhitespace) else {
                    throw ServiceConfigError(
                        variable: "KAFFEE_BROKERS", value: text,
                        expected: "comma-separated host:port with port 1...65535")
                }
                brokers.append(broker)
            }
            self.brokers = brokers
        } else {
            self.brokers = [BrokerAddress(host: "localhost", port: 9092)]
        }
        httpPort = try int("SERVICE_HTTP_PORT", default: 8080, range: 0...65535)
        databasePath = value("SERVICE_DB_PATH") ?? "\(serviceName).sqlite"
        groupId = value("SERVICE_GROUP_ID") ?? serviceName
        pollInterval = .milliseconds(try int("SERVICE_POLL_MS", default: 100, range: 1...60_000))
        batchSize = try int("SERVICE_BATCH_SIZE", default: 500, range: 1...100_000)
        let attempts = try int("SERVICE_RETRY_ATTEMPTS", default: 5, range: 1...1000)
        let base = try int("SERVICE_RETRY_BACKOFF_MS", default: 100, range: 0...3_600_000)
        let maxBackoff = try int("SERVICE_RETRY_MAX_BACKOFF_MS", default: 5000, range: 0...3_600_000)
        guard maxBackoff >= base else {
            throw ServiceConfigError(
                variable: "SERVICE_RETRY_MAX_BACKOFF_MS", value: String(maxBackoff),
                expected: "at least SERVICE_RETRY_BACKOFF_MS (\(base))")
        }
        retry = RetryPolicy(attempts: attempts, baseBackoff: .milliseconds(base), maxBackoff: .milliseconds(maxBackoff))
        outboxInterval = .milliseconds(try int("SERVICE_OUTBOX_INTERVAL_MS", default: 100, range: 1...60_000))
        instanceId = value("SERVICE_INSTANCE_ID")
        sessionTimeoutMs = try int("SERVICE_SESSION_TIMEOUT_MS", default: 10_000, range: 3_000...300_000)
        let protocolName = value("SERVICE_GROUP_PROTOCOL") ?? "auto"
        guard let groupProtocol = ConsumerConfig.GroupProtocol(rawValue: protocolName) else {
            throw ServiceConfigError(variable: "SERVICE_GROUP_PROTOCOL", value: protocolName, expected: "auto, consumer or classic")
        }
        self.groupProtocol = groupProtocol
        sasl = try Self.saslConfig(value, serviceName: serviceName)
        let level = value("SERVICE_LOG_LEVEL") ?? "info"
        guard ["debug", "info", "warning", "error"].contains(level) else {
            throw ServiceConfigError(variable: "SERVICE_LOG_LEVEL", value: level, expected: "debug, info, warning or error")
        }
        logLevel = level
    }

    /// The client configuration for the brokers, named `clientId`, with the SASL login.
    public func clientConfig(clientId: String) -> ClientConfig {
        var config = ClientConfig(bootstrapServers: brokers.map { HostPort(host: $0.host, port: UInt16($0.port)) }, clientId: clientId)
        config.sasl = sasl
        return config
    }

    /// The SASL login of `KAFFEE_SASL_*`; nil without a mechanism. The password comes from
    /// `KAFFEE_SASL_PASSWORD` or the first line of the file `KAFFEE_SASL_PASSWORD_FILE` names.
    static func saslConfig(_ value: (String) -> String?, serviceName: String) throws(ServiceConfigError) -> SaslConfig? {
        guard let name = value("KAFFEE_SASL_MECHANISM") else { return nil }
        guard let mechanism = SaslConfig.Mechanism(name: name) else {
            throw ServiceConfigError(variable: "KAFFEE_SASL_MECHANISM", value: name, expected: "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
        }
        var password = value("KAFFEE_SASL_PASSWORD")
        if password == nil, let path = value("KAFFEE_SASL_PASSWORD_FILE") {
            guard let line = SmallFile.firstLine(path) else {
                throw ServiceConfigError(variable: "KAFFEE_SASL_PASSWORD_FILE", value: path, expected: "a readable file whose first line is the password")
            }
            password = line
        }
        guard let password else {
            throw ServiceConfigError(variable: "KAFFEE_SASL_PASSWORD", value: "", expected: "a password (or KAFFEE_SASL_PASSWORD_FILE) with KAFFEE_SASL_MECHANISM")
        }
        return SaslConfig(mechanism: mechanism, username: value("KAFFEE_SASL_USERNAME") ?? serviceName, password: password)
    }

    /// Reads the configuration from the process environment.
    public static func fromProcessEnvironment(serviceName: String) throws(ServiceConfigError) -> ServiceConfig {
        try ServiceConfig(serviceName: serviceName, environment: { Environment.get($0) })
    }

    /// Parses `host:port` (IPv6 as `[addr]:port`); nil when malformed.
    static func parseBroker(_ text: String) -> BrokerAddress? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "," }),
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        return BrokerAddress(host: host, port: port)
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, line breaks): how every
    /// service reads configuration values and free-text fields.
    public var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
