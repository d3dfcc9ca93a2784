public import Broker
public import Net

/// One listener kaffeed binds (`--listeners NAME://HOST:PORT,...`, Kafka's `listeners`): its
/// name, security protocol, bind address and the address clients are told to use
/// (`--advertised-listeners`, default: the bind address, 127.0.0.1 for a wildcard host). A
/// value type.
public struct ListenerSpec: Sendable, Equatable {
    public var name: String
    public var securityProtocol: SecurityProtocol
    public var bind: HostPort
    public var advertised: HostPort?

    public init(name: String, securityProtocol: SecurityProtocol, bind: HostPort, advertised: HostPort? = nil) {
        self.name = name
        self.securityProtocol = securityProtocol
        self.bind = bind
        self.advertised = advertised
    }

    /// The address clients are told about (the bind address's port 0 is replaced by the one
    /// bound, by the caller).
    public var advertisedAddress: HostPort {
        if let advertised { return advertised }
        return bind.isWildcard ? HostPort(host: "127.0.0.1", port: bind.port) : bind
    }

    /// Parses `NAME://HOST:PORT[,NAME://HOST:PORT...]` (an empty host = every address, as in
    /// Kafka; port 0 = any free port, for bind addresses) into name → address, in order; the
    /// error names what is wrong.
    static func parseList(_ text: String, allowPortZero: Bool = false) -> Result<[(name: String, address: HostPort)], ServerConfigError> {
        var result: [(name: String, address: HostPort)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map({ String($0.filter { !$0.isWhitespace }) }) {
            guard let separator = item.firstRange(of: "://") else {
                return .failure(ServerConfigError("expected NAME://HOST:PORT, got \(item.debugDescription)"))
            }
            let name = String(item[..<separator.lowerBound]).uppercased()
            var rest = String(item[separator.upperBound...])
            if rest.hasPrefix(":") { rest = "0.0.0.0" + rest }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                return .failure(ServerConfigError("bad listener name in \(item.debugDescription)"))
            }
            guard let address = Self.address(rest, allowPortZero: allowPortZero) else {
                return .failure(ServerConfigError("expected NAME://HOST:PORT, got \(item.debugDescription)"))
            }
            guard !result.contains(where: { $0.name == name }) else {
                return .failure(ServerConfigError("listener \(name) is named twice"))
            }
            result.append((name, address))
        }
        return .success(result)
    }

    /// `HOST:PORT`, with port 0 (bind any free port; tests) when allowed.
    static func address(_ text: String, allowPortZero: Bool) -> HostPort? {
        if allowPortZero, text.hasSuffix(":0"), var parsed = HostPort(parsing: String(text.dropLast()) + "1") {
            parsed.port = 0
            return parsed
        }
        return HostPort(parsing: text)
    }

    /// Parses `NAME:PROTOCOL[,...]` (`--listener-security-protocol-map`).
    static func parseProtocolMap(_ text: String) -> Result<[String: SecurityProtocol], ServerConfigError> {
        var map: [String: SecurityProtocol] = [:]
        for item in text.split(separator: ",").map({ String($0.filter { !$0.isWhitespace }) }) where !item.isEmpty {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                return .failure(ServerConfigError("expected NAME:PROTOCOL, got \(item.debugDescription)"))
            }
            guard let value = SecurityProtocol(rawValue: parts[1].uppercased()) else {
                return .failure(ServerConfigError("unsupported security protocol \(parts[1].debugDescription) (PLAINTEXT or SASL_PLAINTEXT; TLS goes in a proxy in front)"))
            }
            map[parts[0].uppercased()] = value
        }
        return .success(map)
    }

    /// The listeners from the parsed flags: `--listeners` (or one PLAINTEXT listener at
    /// `listen`), their protocols from the map or from their names, their advertised addresses
    /// from `--advertised-listeners` (or `advertise` for the single PLAINTEXT one).
    static func resolve(listeners: String?, advertisedListeners: String?, protocolMap: String?,
                        listen: HostPort, advertise: HostPort?) -> Result<[ListenerSpec], ServerConfigError> {
        var map: [String: SecurityProtocol] = [:]
        if let protocolMap {
            switch parseProtocolMap(protocolMap) {
            case .success(let parsed): map = parsed
            case .failure(let error): return .failure(error)
            }
        }
        guard let listeners else {
            return .success([ListenerSpec(name: "PLAINTEXT", securityProtocol: .plaintext, bind: listen, advertised: advertise)])
        }
        let binds: [(name: String, address: HostPort)]
        switch parseList(listeners, allowPortZero: true) {
        case .success(let parsed): binds = parsed
        case .failure(let error): return .failure(error)
        }
        var advertisedByName: [String: HostPort] = [:]
        if let advertisedListeners {
            switch parseList(advertisedListeners) {
            case .success(let parsed):
                for (name, address) in parsed {
                    guard binds.contains(where: { $0.name == name }) else {
                        return .failure(ServerConfigError("advertised listener \(name) is not among --listeners"))
                    }
                    guard !address.isWildcard else { return .failure(ServerConfigError("advertised listener \(name) needs a reachable host")) }
                    advertisedByName[name] = address
                }
            case .failure(let error): return .failure(error)
            }
        }
        var specs: [ListenerSpec] = []
        for (name, address) in binds {
            guard let securityProtocol = map[name] ?? SecurityProtocol(rawValue: name) else {
                return .failure(ServerConfigError("listener \(name) has no security protocol: name it PLAINTEXT or SASL_PLAINTEXT, or map it with --listener-security-protocol-map \(name):SASL_PLAINTEXT"))
            }
            specs.append(ListenerSpec(name: name, securityProtocol: securityProtocol, bind: address, advertised: advertisedByName[name]))
        }
        guard !specs.isEmpty else { return .failure(ServerConfigError("no listener given")) }
        return .success(specs)
    }
}
