public import KafkaProtocol
public import Net
import SystemIO
import Synchronization

/// One TCP connection to one broker, with API versions negotiated on connect.
///
/// Requests on a connection are strictly one at a time (a lock is held from write to read), so
/// responses always match; open separate connections for work that must not wait behind a long
/// poll (fetches vs. heartbeats). A broken or timed-out connection is closed and re-opened by the
/// next request. Thread-safe.
public final class BrokerConnection: Sendable {
    public let address: HostPort
    let clientId: String
    let requestTimeoutMs: Int

    private struct State: @unchecked Sendable {
        var socket: TCPConnection?
        var versions: [ApiKey: ApiVersionRange] = [:]
        var correlationId: Int32 = 0
        var decoder = FrameDecoder()
    }

    private let state = Mutex(State())

    public init(address: HostPort, clientId: String, requestTimeoutMs: Int) {
        self.address = address
        self.clientId = clientId
        self.requestTimeoutMs = requestTimeoutMs
    }

    deinit { close() }

    /// Closes the socket (the next request reconnects).
    public func close() {
        state.withLock { state in
            state.socket?.close()
            state.socket = nil
        }
    }

    /// The broker's advertised ranges (connecting first if needed).
    public func apiVersions() throws(KafkaClientError) -> [ApiKey: ApiVersionRange] {
        try state.withLock { state throws(KafkaClientError) in
            try ensureConnected(&state)
            return state.versions
        }
    }

    /// Sends `request` at the best common version (or `version`) and waits for the response.
    public func send<R: KafkaRequest>(_ request: R, version: Int16? = nil, timeoutMs: Int? = nil) throws(KafkaClientError) -> (R.Response, Int16) {
        try state.withLock { state throws(KafkaClientError) -> (R.Response, Int16) in
            try ensureConnected(&state)
            guard let chosen = version ?? ClientVersions.negotiate(R.apiKey, broker: state.versions) else {
                throw .unsupported(R.apiKey, reason: "no common version (broker offers \(state.versions[R.apiKey].map { "\($0.minVersion)-\($0.maxVersion)" } ?? "none"))")
            }
            let frame = try exchange(&state, request, version: chosen, expectResponse: true, timeoutMs: timeoutMs ?? requestTimeoutMs)
            do {
                let (correlation, body) = try FrameCodec.decodeResponse(frame, as: R.Response.self, apiKey: R.apiKey, version: chosen)
                guard correlation == state.correlationId else {
                    drop(&state)
                    throw KafkaClientError.connection(address: address.description, reason: "response out of order (correlation \(correlation), expected \(state.correlationId))")
                }
                return (body, chosen)
            } catch let error as KafkaClientError {
                throw error
            } catch {
                drop(&state)
                throw .connection(address: address.description, reason: "cannot decode \(R.apiKey) v\(chosen) response: \(error)")
            }
        }
    }

    /// Sends a request that gets no response (Produce with acks = 0).
    public func sendOneWay<R: KafkaRequest>(_ request: R) throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            try ensureConnected(&state)
            guard let chosen = ClientVersions.negotiate(R.apiKey, broker: state.versions) else {
                throw .unsupported(R.apiKey, reason: "no common version")
            }
            _ = try exchange(&state, request, version: chosen, expectResponse: false, timeoutMs: requestTimeoutMs)
        }
    }

    // MARK: internals (called with the lock held)

    private func drop(_ state: inout State) {
        state.socket?.close()
        state.socket = nil
        state.decoder = FrameDecoder()
    }

    private func ensureConnected(_ state: inout State) throws(KafkaClientError) {
        guard state.socket == nil else { return }
        do {
            state.socket = try TCPConnection.connect(to: address)
        } catch {
            throw .notReachable(address: address.description, reason: "\(error)")
        }
        state.decoder = FrameDecoder()
        // ApiVersions v3 first; a broker that does not know v3 answers error 35 in the v0 layout.
        let frame = try exchange(&state, ApiVersionsRequest(clientSoftwareName: "kaffee-swift", clientSoftwareVersion: "0.1"),
                                 version: 3, expectResponse: true, timeoutMs: requestTimeoutMs)
        var response: ApiVersionsResponse
        do {
            let errorCode = frame.count >= 6 ? Int16(frame[4]) << 8 | Int16(frame[5]) : 0
            let version: Int16 = errorCode == ErrorCode.unsupportedVersion.rawValue ? 0 : 3
            response = try FrameCodec.decodeResponse(frame, as: ApiVersionsResponse.self, apiKey: .apiVersions, version: version).body
            if response.errorCode == .unsupportedVersion {
                let retry = try exchange(&state, ApiVersionsRequest(), version: 0, expectResponse: true, timeoutMs: requestTimeoutMs)
                response = try FrameCodec.decodeResponse(retry, as: ApiVersionsResponse.self, apiKey: .apiVersions, version: 0).body
            }
        } catch let error as KafkaClientError {
            throw error
        } catch {
            drop(&state)
            throw .connection(address: address.description, reason: "cannot decode ApiVersions: \(error)")
        }
        guard response.errorCode == .none else {
            drop(&state)
            throw .broker(response.errorCode, context: "ApiVersions from \(address)")
        }
        state.versions = Dictionary(response.apiKeys.map { ($0.apiKey, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Writes one request and (unless one-way) reads its response frame.
    private func exchange<R: KafkaRequest>(_ state: inout State, _ request: R, version: Int16, expectResponse: Bool, timeoutMs: Int) throws(KafkaClientError) -> [UInt8] {
        guard let socket = state.socket else { throw .connection(address: address.description, reason: "not connected") }
        state.correlationId &+= 1
        let bytes = FrameCodec.encodeRequest(request, version: version, correlationId: state.correlationId, clientId: clientId)
        do {
            try socket.writeAll(bytes)
        } catch {
            drop(&state)
            throw .connection(address: address.description, reason: "\(error)")
        }
        guard expectResponse else { return [] }
        socket.setReceiveTimeout(milliseconds: max(1, timeoutMs))
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do {
                if let frame = try state.decoder.nextFrame() { return frame }
            } catch {
                drop(&state)
                throw .connection(address: address.description, reason: "\(error)")
            }
            let read = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try socket.read(into: raw) }
            }
            let count: Int
            do {
                count = try read.get()
            } catch {
                drop(&state)
                if error.code == 11 /* EAGAIN: SO_RCVTIMEO expired */ { throw .timedOut(operation: "\(R.apiKey) to \(address)", milliseconds: timeoutMs) }
                throw .connection(address: address.description, reason: "\(error)")
            }
            if count == 0 {
                drop(&state)
                throw .connection(address: address.description, reason: "closed by the broker")
            }
            state.decoder.append(buffer[0..<count])
        }
    }
}
