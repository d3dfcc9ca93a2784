public import Broker
public import LogStorage
public import Net
public import SystemIO

/// Everything `kaffeed` can be told, from flags and `KAFFEE_*` environment variables (flags win).
public struct ServerConfig: Sendable {
    public var listen = HostPort(host: "0.0.0.0", port: 9092)
    public var advertise: HostPort?
    /// `--listeners`, `--advertised-listeners`, `--listener-security-protocol-map` as given
    /// (resolved with `listen`/`advertise` by `listenerSpecs`).
    public var listenersText: String?
    public var advertisedListenersText: String?
    public var protocolMapText: String?
    /// The SASL mechanisms SASL_PLAINTEXT listeners offer (`--sasl-enabled-mechanisms`).
    public var saslMechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
    /// `--sasl-users`: a `name:password` file hashed into the credential store at start.
    public var saslUsersFile: String?
    /// `connections.max.idle.ms`: connections without traffic for this long are closed.
    public var connectionsMaxIdleMs = 600_000
    /// `max.connections.per.ip`: more connections from one address are refused.
    public var maxConnectionsPerIp = Int(Int32.max)
    /// `sasl.server.max.receive.size`: the largest frame before a SASL login succeeded.
    public var saslMaxReceiveBytes = 524_288
    /// `connection.failed.authentication.delay.ms`: how long a failed login waits.
    public var failedAuthenticationDelayMs = 100
    /// `--authorizer acl`: durable ACLs, managed with the ACL APIs and checked by every API.
    public var aclAuthorizer = false
    /// `--super-users`: principals allowed everything (Kafka's `super.users`).
    public var superUsers: [KafkaPrincipal] = []
    /// `--service-acls`: with `--topics` and `--authorizer acl`, grant each declared service
    /// its least-privilege ACLs at start (as `kaffee acls apply`).
    public var serviceAcls = false
    /// `--allow-everyone-if-no-acl-found` (Kafka's `allow.everyone.if.no.acl.found`).
    public var allowEveryoneIfNoAclFound = false
    public var dataDirectory = "./kaffee-data"
    public var defaultPartitions: Int32 = 1
    public var autoCreateTopics = true
    /// Serve the share-group APIs (`--share-groups`, default true).
    public var shareGroups = true
    /// Serve the consumer group protocol of Kafka 4 (`--consumer-group-protocol`, default true).
    public var consumerGroupProtocol = true
    public var durability: DurabilityPolicy = .default
    public var retentionMillis: Int64 = 7 * 24 * 3_600_000
    public var retentionBytes: Int64 = -1
    public var segmentBytes: Int = 1 << 30
    public var maxMessageBytes: Int = 1_048_588
    public var maxRequestBytes: Int = 100 * 1024 * 1024
    /// Most segment files kept open at once, whatever the number of partitions (`SegmentFileCache`).
    public var maxOpenSegmentFiles = SegmentFileCache.defaultCapacity
    /// Event-loop threads moving bytes for every connection (`num.network.threads`).
    public var networkThreads: Int = 2
    /// Threads running request handlers (`num.io.threads`).
    public var handlerThreads: Int = 8
    public var topicsDirectory: String?
    public var logLevel: LogLevel = .info
    public var groups = GroupSettings()
    /// Transaction coordinator limits (`--transaction-*` flags).
    public var transactions = TransactionSettings()
    /// Broker configs set by the flags given (and `--config`), by Kafka name: what DescribeConfigs
    /// reports as static broker configs and what topics fall back on.
    public var staticConfigs: [String: String] = [:]
    /// `--http-listen`: where the HTTP port (metrics, health, console) listens; nil = the
    /// default (next to the first Kafka listener), `off` = no HTTP port.
    public var httpListenText: String?
    /// `--metrics`: collect request, traffic and storage metrics (default true). Off, `/metrics`
    /// still answers with the gauges read at scrape time.
    public var metrics = true
    /// `--console`: serve the web console on the HTTP port (default true).
    public var console = true

    public init() {}

    /// One option: its flag, environment variable, value name and help text.
    struct Option: Sendable {
        let flag: String
        let environment: String
        let value: String
        let help: String
        let apply: @Sendable (inout ServerConfig, String) -> String?  // returns an error message
    }

    static let options: [Option] = [
        Option(flag: "--listen", environment: "KAFFEE_LISTEN", value: "HOST:PORT", help: "address to listen on (default 0.0.0.0:9092, all IPv4 and IPv6 addresses)") { config, text in
            guard let address = HostPort(parsing: text) else { return "expected HOST:PORT, got \(text.debugDescription)" }
            config.listen = address
            return nil
        },
        Option(flag: "--advertise", environment: "KAFFEE_ADVERTISE", value: "HOST:PORT", help: "address clients are told to connect to (default: the listen address, 127.0.0.1 for a wildcard)") { config, text in
            guard let address = HostPort(parsing: text), !address.isWildcard else { return "expected a reachable HOST:PORT, got \(text.debugDescription)" }
            config.advertise = address
            return nil
        },
        Option(flag: "--listeners", environment: "KAFFEE_LISTENERS", value: "NAME://HOST:PORT,...", help: "listeners, Kafka-style, e.g. PLAINTEXT://0.0.0.0:9092,SASL_PLAINTEXT://0.0.0.0:9094 (replaces --listen)") { config, text in
            if case .failure(let error) = ListenerSpec.parseList(text, allowPortZero: true) { return error.description }
            config.listenersText = text
            return nil
        },
        Option(flag: "--advertised-listeners", environment: "KAFFEE_ADVERTISED_LISTENERS", value: "NAME://HOST:PORT,...", help: "what clients of each listener are told to connect to (default: its bind address, 127.0.0.1 for a wildcard)") { config, text in
            if case .failure(let error) = ListenerSpec.parseList(text) { return error.description }
            config.advertisedListenersText = text
            return nil
        },
        Option(flag: "--listener-security-protocol-map", environment: "KAFFEE_LISTENER_SECURITY_PROTOCOL_MAP", value: "NAME:PROTOCOL,...", help: "security protocol of listeners not named after one, e.g. INTERNAL:SASL_PLAINTEXT") { config, text in
            if case .failure(let error) = ListenerSpec.parseProtocolMap(text) { return error.description }
            config.protocolMapText = text
            return nil
        },
        Option(flag: "--sasl-enabled-mechanisms", environment: "KAFFEE_SASL_ENABLED_MECHANISMS", value: "LIST", help: "SASL mechanisms of SASL_PLAINTEXT listeners (default PLAIN,SCRAM-SHA-256,SCRAM-SHA-512)") { config, text in
            let names = text.split(separator: ",").map { String($0.filter { !$0.isWhitespace }).uppercased() }
            let known = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
            let unknown = names.filter { !known.contains($0) }
            guard !names.isEmpty, unknown.isEmpty else {
                return "expected a list of \(known.joined(separator: ", ")), got \(text.debugDescription)"
            }
            config.saslMechanisms = names
            config.staticConfigs["sasl.enabled.mechanisms"] = names.joined(separator: ",")
            return nil
        },
        Option(flag: "--sasl-users", environment: "KAFFEE_SASL_USERS_FILE", value: "FILE", help: "users to create at start, one name:password per line, stored salted and hashed (SCRAM-SHA-256/512, PLAIN)") { config, text in
            guard !text.isEmpty else { return "expected a file" }
            config.saslUsersFile = text
            return nil
        },
        Option(flag: "--connections-max-idle-ms", environment: "KAFFEE_CONNECTIONS_MAX_IDLE_MS", value: "MS", help: "close connections idle this long (default 600000)") { config, text in
            guard let n = Int(text), n >= 1_000, n <= Int(Int32.max) else { return "expected 1000-\(Int32.max), got \(text.debugDescription)" }
            config.connectionsMaxIdleMs = n
            config.staticConfigs["connections.max.idle.ms"] = String(n)
            return nil
        },
        Option(flag: "--max-connections-per-ip", environment: "KAFFEE_MAX_CONNECTIONS_PER_IP", value: "N", help: "refuse more connections than this from one client address (default unlimited)") { config, text in
            guard let n = Int(text), n >= 1, n <= Int(Int32.max) else { return "expected 1-\(Int32.max), got \(text.debugDescription)" }
            config.maxConnectionsPerIp = n
            config.staticConfigs["max.connections.per.ip"] = String(n)
            return nil
        },
        Option(flag: "--sasl-max-receive-bytes", environment: "KAFFEE_SASL_MAX_RECEIVE_BYTES", value: "BYTES", help: "largest request before a SASL login succeeded (default 524288)") { config, text in
            guard let n = Int(text), n >= 512, n <= Int(Int32.max) else { return "expected 512-\(Int32.max), got \(text.debugDescription)" }
            config.saslMaxReceiveBytes = n
            config.staticConfigs["sasl.server.max.receive.size"] = String(n)
            return nil
        },
        Option(flag: "--authorizer", environment: "KAFFEE_AUTHORIZER", value: "acl|none", help: "acl: every request is checked against ACLs stored in the data directory (managed with Create/Describe/DeleteAcls, kaffee acls); none: everything is allowed and the ACL APIs answer SECURITY_DISABLED (default none)") { config, text in
            switch text {
            case "acl": config.aclAuthorizer = true
            case "none": config.aclAuthorizer = false
            default: return "expected acl or none, got \(text.debugDescription)"
            }
            return nil
        },
        Option(flag: "--super-users", environment: "KAFFEE_SUPER_USERS", value: "LIST", help: "principals allowed everything, semicolon-separated as Kafka's super.users, e.g. 'User:admin;User:ops'") { config, text in
            var users: [KafkaPrincipal] = []
            for entry in text.split(separator: ";") {
                // Kafka trims each entry; spaces inside a name are the name's.
                let trimmed = String(entry.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                if trimmed.isEmpty { continue }
                guard let principal = KafkaPrincipal(parsing: trimmed) else {
                    return "expected principals like User:name separated by ';', got \(String(entry).debugDescription)"
                }
                users.append(principal)
            }
            config.superUsers = users
            return nil
        },
        Option(flag: "--service-acls", environment: "KAFFEE_SERVICE_ACLS", value: "true|false", help: "with --topics and --authorizer acl: at start, grant each service the declarations name exactly what they say it produces and consumes (default false)") { config, text in
            guard let value = parseBool(text) else { return "expected true or false, got \(text.debugDescription)" }
            config.serviceAcls = value
            return nil
        },
        Option(flag: "--allow-everyone-if-no-acl-found", environment: "KAFFEE_ALLOW_EVERYONE_IF_NO_ACL_FOUND", value: "true|false", help: "with --authorizer acl, allow requests on resources no ACL names (default false)") { config, text in
            guard let value = parseBool(text) else { return "expected true or false, got \(text.debugDescription)" }
            config.allowEveryoneIfNoAclFound = value
            return nil
        },
        Option(flag: "--data-dir", environment: "KAFFEE_DATA_DIR", value: "DIR", help: "where topics are stored (default ./kaffee-data)") { config, text in
            guard !text.isEmpty else { return "expected a directory" }
            config.dataDirectory = text
            return nil
        },
        Option(flag: "--default-partitions", environment: "KAFFEE_DEFAULT_PARTITIONS", value: "N", help: "partitions of auto-created topics (default 1)") { config, text in
            guard let n = Int32(text), n > 0, n <= 10_000 else { return "expected 1-10000, got \(text.debugDescription)" }
            config.defaultPartitions = n
            config.staticConfigs["num.partitions"] = String(n)
            return nil
        },
        Option(flag: "--auto-create-topics", environment: "KAFFEE_AUTO_CREATE_TOPICS", value: "true|false", help: "create unknown topics on metadata and produce (default true)") { config, text in
            guard let value = parseBool(text) else { return "expected true or false, got \(text.debugDescription)" }
            config.autoCreateTopics = value
            config.staticConfigs["auto.create.topics.enable"] = String(value)
            return nil
        },
        Option(flag: "--durability", environment: "KAFFEE_DURABILITY", value: "POLICY", help: "default durability: always, interval, interval:MS, never (default interval:100)") { config, text in
            guard let policy = DurabilityPolicy(parsing: text) else { return "expected always, interval, interval:MS or never, got \(text.debugDescription)" }
            config.durability = policy
            switch policy {
            case .always: config.staticConfigs["log.durability"] = "always"
            case .never: config.staticConfigs["log.durability"] = "never"
            case .interval(let ms):
                config.staticConfigs["log.durability"] = "interval"
                config.staticConfigs["log.flush.interval.ms"] = String(ms)
            }
            return nil
        },
        Option(flag: "--retention-ms", environment: "KAFFEE_RETENTION_MS", value: "MS", help: "default retention time, -1 = forever (default 7 days)") { config, text in
            guard let n = Int64(text), n >= -1 else { return "expected -1 or a duration in ms, got \(text.debugDescription)" }
            config.retentionMillis = n
            config.staticConfigs["log.retention.ms"] = String(n)
            return nil
        },
        Option(flag: "--retention-bytes", environment: "KAFFEE_RETENTION_BYTES", value: "BYTES", help: "default retention size per partition, -1 = none (default -1)") { config, text in
            guard let n = Int64(text), n >= -1 else { return "expected -1 or a size in bytes, got \(text.debugDescription)" }
            config.retentionBytes = n
            config.staticConfigs["log.retention.bytes"] = String(n)
            return nil
        },
        Option(flag: "--segment-bytes", environment: "KAFFEE_SEGMENT_BYTES", value: "BYTES", help: "segment size (default 1 GiB)") { config, text in
            guard let n = Int(text), n >= 1_048_576, n <= Int(Int32.max) else { return "expected 1048576-\(Int32.max), got \(text.debugDescription)" }
            config.segmentBytes = n
            config.staticConfigs["log.segment.bytes"] = String(n)
            return nil
        },
        Option(flag: "--max-message-bytes", environment: "KAFFEE_MAX_MESSAGE_BYTES", value: "BYTES", help: "largest record batch accepted (default 1048588)") { config, text in
            guard let n = Int(text), n >= 61, n <= Int(Int32.max) else { return "expected 61-\(Int32.max), got \(text.debugDescription)" }
            config.maxMessageBytes = n
            config.staticConfigs["message.max.bytes"] = String(n)
            return nil
        },
        Option(flag: "--max-request-bytes", environment: "KAFFEE_MAX_REQUEST_BYTES", value: "BYTES", help: "largest request frame; larger ones close the connection (default 100 MiB)") { config, text in
            guard let n = Int(text), n >= 1024, n <= Int(Int32.max) else { return "expected 1024-\(Int32.max), got \(text.debugDescription)" }
            config.maxRequestBytes = n
            config.staticConfigs["socket.request.max.bytes"] = String(n)
            return nil
        },
        Option(flag: "--network-threads", environment: "KAFFEE_NETWORK_THREADS", value: "N", help: "event-loop threads serving every connection (default 2)") { config, text in
            guard let n = Int(text), n >= 1, n <= 64 else { return "expected 1-64, got \(text.debugDescription)" }
            config.networkThreads = n
            config.staticConfigs["num.network.threads"] = String(n)
            return nil
        },
        Option(flag: "--handler-threads", environment: "KAFFEE_HANDLER_THREADS", value: "N", help: "threads running request handlers (default 8)") { config, text in
            guard let n = Int(text), n >= 1, n <= 256 else { return "expected 1-256, got \(text.debugDescription)" }
            config.handlerThreads = n
            config.staticConfigs["num.io.threads"] = String(n)
            return nil
        },
        Option(flag: "--max-open-segment-files", environment: "KAFFEE_MAX_OPEN_SEGMENT_FILES", value: "N", help: "segment files kept open at once whatever the number of partitions; others are opened when used (default 256)") { config, text in
            guard let n = Int(text), n >= 1, n <= 1_000_000 else { return "expected 1-1000000, got \(text.debugDescription)" }
            config.maxOpenSegmentFiles = n
            return nil
        },
        Option(flag: "--topics", environment: "KAFFEE_TOPICS", value: "DIR", help: "create or update the topics declared in DIR (Topics/) at start-up") { config, text in
            config.topicsDirectory = text
            return nil
        },
        Option(flag: "--group-min-session-timeout-ms", environment: "KAFFEE_GROUP_MIN_SESSION_TIMEOUT_MS", value: "MS", help: "shortest consumer session timeout accepted (default 6000)") { config, text in
            guard let n = Int32(text), n >= 1 else { return "expected a positive number of ms, got \(text.debugDescription)" }
            config.groups.minSessionTimeoutMs = n
            config.staticConfigs["group.min.session.timeout.ms"] = String(n)
            return nil
        },
        Option(flag: "--group-max-session-timeout-ms", environment: "KAFFEE_GROUP_MAX_SESSION_TIMEOUT_MS", value: "MS", help: "longest consumer session timeout accepted (default 1800000)") { config, text in
            guard let n = Int32(text), n >= 1 else { return "expected a positive number of ms, got \(text.debugDescription)" }
            config.groups.maxSessionTimeoutMs = n
            config.staticConfigs["group.max.session.timeout.ms"] = String(n)
            return nil
        },
        Option(flag: "--consumer-group-protocol", environment: "KAFFEE_CONSUMER_GROUP_PROTOCOL", value: "true|false", help: "serve the consumer group protocol of Kafka 4 (KIP-848; default true)") { config, text in
            guard let value = parseBool(text) else { return "expected true or false, got \(text.debugDescription)" }
            config.consumerGroupProtocol = value
            return nil
        },
        Option(flag: "--share-groups", environment: "KAFFEE_SHARE_GROUPS", value: "true|false", help: "serve share groups (KIP-932; default true)") { config, text in
            guard let value = parseBool(text) else { return "expected true or false, got \(text.debugDescription)" }
            config.shareGroups = value
            return nil
        },
        Option(flag: "--transaction-max-timeout-ms", environment: "KAFFEE_TRANSACTION_MAX_TIMEOUT_MS", value: "MS", help: "longest transaction.timeout.ms a producer may ask for (default 900000)") { config, text in
            guard let n = Int32(text), n >= 1 else { return "expected a positive number of ms, got \(text.debugDescription)" }
            config.transactions.maxTimeoutMs = n
            config.staticConfigs["transaction.max.timeout.ms"] = String(n)
            return nil
        },
        Option(flag: "--transaction-abort-interval-ms", environment: "KAFFEE_TRANSACTION_ABORT_INTERVAL_MS", value: "MS", help: "how often transactions past their timeout are looked for and aborted (default 10000)") { config, text in
            guard let n = Int64(text), n >= 1 else { return "expected a positive number of ms, got \(text.debugDescription)" }
            config.transactions.abortCheckIntervalMs = n
            config.staticConfigs["transaction.abort.timed.out.transaction.cleanup.interval.ms"] = String(n)
            return nil
        },
        Option(flag: "--transactional-id-expiration-ms", environment: "KAFFEE_TRANSACTIONAL_ID_EXPIRATION_MS", value: "MS", help: "forget a transactional id idle this long (default 604800000, 7 days)") { config, text in
            guard let n = Int64(text), n >= 1 else { return "expected a positive number of ms, got \(text.debugDescription)" }
            config.transactions.idExpirationMs = n
            config.staticConfigs["transactional.id.expiration.ms"] = String(n)
            return nil
        },
        Option(flag: "--group-initial-rebalance-delay-ms", environment: "KAFFEE_GROUP_INITIAL_REBALANCE_DELAY_MS", value: "MS", help: "wait for more members when a group forms (default 3000)") { config, text in
            guard let n = Int32(text), n >= 0 else { return "expected 0 or more ms, got \(text.debugDescription)" }
            config.groups.initialRebalanceDelayMs = n
            config.staticConfigs["group.initial.rebalance.delay.ms"] = String(n)
            return nil
        },
        Option(flag: "--config", environment: "KAFFEE_CONFIG", value: "NAME=VALUE",
               help: "set any broker config at start, as server.properties would (repeat the flag; in the variable, separate with spaces), e.g. log.cleaner.io.max.bytes.per.second=10485760") { config, text in
            for item in text.split(separator: " ").map(String.init) where !item.isEmpty {
                guard let equals = item.firstIndex(of: "=") else { return "expected NAME=VALUE, got \(item.debugDescription)" }
                let name = String(item[..<equals])
                let value = String(item[item.index(after: equals)...])
                guard let entry = BrokerConfigDefinitions.definition(name) else { return "unknown broker config \(name.debugDescription)" }
                do throws(LogStorageError) { config.staticConfigs[name] = try entry.definition.normalize(value) } catch {
                    return Broker.storageMessage(error)
                }
                config.applyConnectionConfig(name)
            }
            return nil
        },
        Option(flag: "--http-listen", environment: "KAFFEE_HTTP_LISTEN", value: "HOST:PORT|off", help: "the HTTP port: /metrics, /healthz, /readyz and the web console (default: the first listener's host and port + 1, e.g. 0.0.0.0:9093; off = none)") { config, text in
            if text.lowercased() == "off" || text.isEmpty {
                config.httpListenText = "off"
                return nil
            }
            guard ListenerSpec.address(text, allowPortZero: true) != nil else { return "expected HOST:PORT or off, got \(text.debugDescription)" }
            config.httpListenText = text
            return nil
        },
        Option(flag: "--console", environment: "KAFFEE_CONSOLE", value: "true|false", help: "serve the web console (topics, messages, groups) on the HTTP port (default true)") { config, text in
            guard let value = parseBool(text) else { return "expected true or false, got \(text.debugDescription)" }
            config.console = value
            return nil
        },
        Option(flag: "--metrics", environment: "KAFFEE_METRICS", value: "true|false", help: "count requests, latencies, traffic and fsyncs for /metrics (default true)") { config, text in
            guard let value = parseBool(text) else { return "expected true or false, got \(text.debugDescription)" }
            config.metrics = value
            return nil
        },
        Option(flag: "--log-level", environment: "KAFFEE_LOG_LEVEL", value: "LEVEL", help: "debug, info, warn or error (default info)") { config, text in
            guard let level = LogLevel(name: text) else { return "expected debug, info, warn or error, got \(text.debugDescription)" }
            config.logLevel = level
            return nil
        },
    ]

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }

    /// The result of reading the command line.
    public enum Parsed: Sendable {
        case run(ServerConfig)
        case help(String)
        case error(String)
    }

    /// Reads `KAFFEE_*` variables (through `environment`) and then `arguments` (without the
    /// program name). Accepts `--flag value` and `--flag=value`.
    public static func parse(arguments: [String], environment: (String) -> String? = Environment.get) -> Parsed {
        var config = ServerConfig()
        for option in options {
            guard let value = environment(option.environment) else { continue }
            if let problem = option.apply(&config, value) { return .error("\(option.environment): \(problem)") }
        }
        var index = 0
        while index < arguments.count {
            var flag = arguments[index]
            var value: String?
            if flag == "--help" || flag == "-h" { return .help(usage) }
            if let equals = flag.firstIndex(of: "=") {
                value = String(flag[flag.index(after: equals)...])
                flag = String(flag[..<equals])
            }
            guard let option = options.first(where: { $0.flag == flag }) else {
                return .error("unknown option \(flag.debugDescription) (see --help)")
            }
            if value == nil {
                index += 1
                guard index < arguments.count else { return .error("\(flag) needs a value (\(option.value))") }
                value = arguments[index]
            }
            if let problem = option.apply(&config, value ?? "") { return .error("\(flag): \(problem)") }
            index += 1
        }
        if case .failure(let error) = config.listenerSpecs { return .error(error.description) }
        if config.serviceAcls && (config.topicsDirectory == nil || !config.aclAuthorizer) {
            return .error("--service-acls needs --topics DIR and --authorizer acl")
        }
        return .run(config)
    }

    /// Takes a connection or SASL setting given with `--config NAME=VALUE` into its field (the
    /// value was validated by its definition), so both spellings have the same effect.
    mutating func applyConnectionConfig(_ name: String) {
        guard let value = staticConfigs[name] else { return }
        switch name {
        case "connections.max.idle.ms": if let n = Int(value) { connectionsMaxIdleMs = n }
        case "max.connections.per.ip": if let n = Int(value) { maxConnectionsPerIp = n }
        case "sasl.server.max.receive.size": if let n = Int(value) { saslMaxReceiveBytes = n }
        case "connection.failed.authentication.delay.ms": if let n = Int(value) { failedAuthenticationDelayMs = n }
        case "sasl.enabled.mechanisms":
            saslMechanisms = value.split(separator: ",").map { String($0.filter { !$0.isWhitespace }).uppercased() }
        default: break
        }
    }

    /// The listeners to bind, from `--listeners`/`--advertised-listeners`/the protocol map, or
    /// the single PLAINTEXT listener of `--listen`/`--advertise`.
    public var listenerSpecs: Result<[ListenerSpec], ServerConfigError> {
        ListenerSpec.resolve(listeners: listenersText, advertisedListeners: advertisedListenersText, protocolMap: protocolMapText,
                             listen: listen, advertise: advertise)
    }

    public static var usage: String {
        var text = "usage: kaffeed [options]\n\nA Kafka-compatible broker. Every option can also be set by the environment variable shown.\n\n"
        for option in options {
            let head = "  \(option.flag) \(option.value)"
            text += head.padding(to: 34) + option.help + "\n" + String(repeating: " ", count: 34) + "[\(option.environment)]\n"
        }
        text += "  --help".padding(to: 34) + "show this help\n"
        return text
    }

    /// Where the HTTP port listens for these listeners: the address given, none for `off`, or by
    /// default the first listener's bind host on the next port no listener uses (port 0 stays 0).
    /// `explicit` tells whether a failure to bind it should stop the broker.
    public func httpAddress(listeners: [ListenerSpec]) -> (address: HostPort, explicit: Bool)? {
        if let text = httpListenText {
            guard text != "off", let address = ListenerSpec.address(text, allowPortZero: true) else { return nil }
            return (address, true)
        }
        guard let first = listeners.first else { return nil }
        guard first.bind.port != 0 else { return (HostPort(host: first.bind.host, port: 0), false) }
        let taken = Set(listeners.map(\.bind.port))
        var port = first.bind.port
        repeat { port = port == UInt16.max ? 1024 : port + 1 } while taken.contains(port)
        return (HostPort(host: first.bind.host, port: port), false)
    }

    /// The address clients are told about.
    public var advertisedAddress: HostPort {
        if let advertise { return advertise }
        return listen.isWildcard ? HostPort(host: "127.0.0.1", port: listen.port) : listen
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
