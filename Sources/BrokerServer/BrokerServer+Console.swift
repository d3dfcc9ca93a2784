public import Net

/// A listener of this broker as an in-process client (the web console) reaches it.
public struct LocalListener: Sendable, Equatable {
    /// The loopback (or bind) address to connect to.
    public var address: HostPort
    /// The SASL mechanisms the listener enables; nil for a PLAINTEXT listener.
    public var saslMechanisms: [String]?
    /// `PLAINTEXT` or `SASL_PLAINTEXT`.
    public var securityProtocol: String
}

extension BrokerServer {
    /// The broker's version as the console shows it (`version`, as `kaffee_build_info` reports it).
    public static var softwareVersion: String { "kaffee \(version)" }

    /// The broker's own traffic counters since start (records and bytes appended by Produce and
    /// sent by Fetch, over every topic; requests answered), or nil with `--metrics false`.
    public var trafficTotals: (recordsIn: Int64, bytesIn: Int64, recordsOut: Int64, bytesOut: Int64, requests: Int64)? {
        guard let metrics = broker.metrics else { return nil }
        var totals: (recordsIn: Int64, bytesIn: Int64, recordsOut: Int64, bytesOut: Int64, requests: Int64) = (0, 0, 0, 0, 0)
        for traffic in metrics.topics.all.values {
            totals.recordsIn &+= Int64(clamping: traffic.recordsIn)
            totals.bytesIn &+= Int64(clamping: traffic.bytesIn)
            totals.recordsOut &+= Int64(clamping: traffic.recordsOut)
            totals.bytesOut &+= Int64(clamping: traffic.bytesOut)
        }
        totals.requests = Int64(clamping: metrics.requests.totalRequests)
        return totals
    }

    /// The listener a client inside this process should use: the first PLAINTEXT one, else the
    /// first SASL_PLAINTEXT one; its bind address, or loopback for a wildcard bind.
    public var localListener: LocalListener? {
        guard case .success(let specs) = config.listenerSpecs else { return nil }
        let chosen = specs.first { $0.securityProtocol == .plaintext } ?? specs.first { $0.securityProtocol == .saslPlaintext }
        guard let spec = chosen, let port = listenerPorts[spec.name] else { return nil }
        let host = spec.bind.isWildcard ? (spec.bind.host == "::" ? "::1" : "127.0.0.1") : spec.bind.host
        return LocalListener(address: HostPort(host: host, port: port),
                             saslMechanisms: spec.securityProtocol == .saslPlaintext ? config.saslMechanisms : nil,
                             securityProtocol: spec.securityProtocol.rawValue)
    }

    /// The listeners as clients are told to reach them, `NAME://host:port`.
    public var advertisedListeners: [String] { endpoints.map(\.advertisedText) }

    /// Stand-ins for traffic counters until the broker counts them: records appended (the sum
    /// of every partition's log end offset) and bytes stored (the sum of partition sizes).
    /// Both only grow with appends, so their rates approximate records/s and bytes/s in
    /// (retention and compaction make them dip, which a rate shows as 0).
    public var storedTotals: (records: Int64, bytes: Int64) {
        var records: Int64 = 0, bytes: Int64 = 0
        for entry in store.allPartitions {
            records += entry.log.offsets.logEndOffset
            bytes += entry.log.sizeInBytes
        }
        return (records, bytes)
    }
}
