public import KafkaProtocol
public import Net
import SystemIO
import Synchronization

/// One TCP connection to one broker, with API versions negotiated on connect.
///
/// Two ways to talk over it:
/// - ``send(_:version:timeoutMs:)``: request/response; the caller waits for the answer.
/// - ``submit(_:version:timeoutMs:completion:)``: pipelined; the request is written and the call
///   returns, so several requests can be outstanding at once. The first `submit` on a socket
///   starts a reader thread for it (an OS thread, never Swift's cooperative pool) that matches
///   each response to the oldest outstanding request — Kafka brokers answer the requests of a
///   connection in the order they arrived — checks its correlation id, decodes it and runs that
///   request's completion. While a socket has a reader, `send` is `submit` plus a wait, so both
///   kinds can be mixed.
///
/// Every submitted request gets exactly one completion: its response, or the failure that broke
/// the connection (then every request outstanding on it fails with the same error, in order), or
/// a timeout (`timeoutMs` after it was written without an answer; the connection is then
/// dropped, since later answers could no longer be matched). A broken or timed-out connection is
/// closed and re-opened by the next request. Responses are matched in order, so open separate
/// connections for work that must not wait behind a long poll (fetches vs. heartbeats).
///
/// Thread-safety: every method may be called from any thread. Writes are serialised by one lock
/// (frames never interleave and correlation ids follow the write order); the bookkeeping of
/// outstanding requests sits behind a second lock that no thread holds while blocked on the
/// socket, so the reader thread never waits for a writer. Completions run on the reader thread
/// (or, for a request that could not be written, on the submitting thread before `submit`
/// returns) without any lock held; they must not block for long.
public final class BrokerConnection: Sendable {
    /// The broker this connection talks to (fixed for the connection's life; reconnects go to
    /// the same address).
    public let address: HostPort
    let clientId: String
    let requestTimeoutMs: Int
    /// The login run on every new socket after ApiVersions; nil: none.
    let sasl: SaslConfig?

    /// A request written on the current socket and not answered yet.
    private struct Pending: Sendable {
        let correlationId: Int32
        let apiKey: ApiKey
        let timeoutMs: Int
        /// Monotonic time by which the answer must have arrived.
        let deadlineNanos: UInt64
        /// Gets the raw response frame (without its length prefix) or the failure.
        let complete: @Sendable (Result<[UInt8], KafkaClientError>) -> Void
    }

    private struct State: @unchecked Sendable {
        var socket: TCPConnection?
        var versions: [ApiKey: ApiVersionRange] = [:]
        var correlationId: Int32 = 0
        /// Whether `socket` has a reader thread (pipelined mode; set by the first `submit`).
        var hasReader = false
        /// Requests written on `socket` and not answered yet, oldest first (pipelined mode).
        var pending: [Pending] = []
    }

    /// Held while writing a frame (and, in request/response mode, until its answer is read) and
    /// while (re)connecting. Lock order: `writeLock` before `state`.
    private let writeLock = Mutex(())
    private let state = Mutex(State())
    /// Bumped when a request is queued or the socket goes away (wakes an idle reader thread).
    private let readerWakeup = ConditionSignal()
    private let clock = SystemTimeSource()

    /// A connection (opened by the first request) to `address`. With `sasl`, every socket logs
    /// in right after ApiVersions, before any request goes out (see ``SaslConfig``); a refused
    /// login fails that request with the non-retriable `.authenticationFailed`.
    public init(address: HostPort, clientId: String, requestTimeoutMs: Int, sasl: SaslConfig? = nil) {
        self.address = address
        self.clientId = clientId
        self.requestTimeoutMs = requestTimeoutMs
        self.sasl = sasl
    }

    deinit { close() }

    /// Closes the socket (the next request reconnects). Requests still outstanding on it fail
    /// with a connection error.
    public func close() {
        let failed = writeLock.withLock { _ -> [Pending] in
            guard let socket = state.withLock({ $0.socket }) else { return [] }
            return detach(socket)
        }
        Self.fail(failed, .connection(address: address.description, reason: "connection closed by the client"))
    }

    /// The broker's advertised ranges (connecting first if needed).
    public func apiVersions() throws(KafkaClientError) -> [ApiKey: ApiVersionRange] {
        try writeLock.withLock { _ throws(KafkaClientError) in
            _ = try ensureConnected()
            return state.withLock { $0.versions }
        }
    }

    /// Number of submitted requests still waiting for their answer.
    public var outstandingRequests: Int { state.withLock { $0.pending.count } }

    /// Sends `request` at the best common version (or `version`) and waits for the response.
    public func send<R: KafkaRequest>(_ request: R, version: Int16? = nil, timeoutMs: Int? = nil) throws(KafkaClientError) -> (R.Response, Int16) {
        let direct = try writeLock.withLock { _ throws(KafkaClientError) -> (R.Response, Int16)? in
            let socket = try ensureConnected()
            let (versions, pipelined) = state.withLock { ($0.versions, $0.hasReader) }
            // A socket with a reader thread: the reader gets the answer (see below).
            if pipelined { return nil }
            let chosen = try choose(R.self, version: version, versions: versions)
            let correlationId = nextCorrelationId()
            let frame = try exchange(socket, request, version: chosen, correlationId: correlationId, timeoutMs: timeoutMs ?? requestTimeoutMs)
            return try decode(frame, as: R.self, version: chosen, correlationId: correlationId, socket: socket)
        }
        if let direct { return direct }
        let waiter = ResponseWaiter<(R.Response, Int16)>()
        submit(request, version: version, timeoutMs: timeoutMs) { waiter.fulfill($0) }
        return try waiter.wait().get()
    }

    /// Writes `request` (at the best common version, or `version`) and returns without waiting;
    /// `completion` later gets the decoded response and the version used, or the failure. It
    /// runs exactly once: on the connection's reader thread, or — when the request could not be
    /// written (no connection, no common version, write error) — on the calling thread before
    /// `submit` returns. A request that was written but got no answer within `timeoutMs`
    /// (default: the client's request timeout) fails with `timedOut`.
    ///
    /// With `reconnect` false and no open socket (the last one broke), nothing is done and
    /// `submit` returns false without calling `completion`: a caller whose earlier requests'
    /// failures it has not seen yet can so avoid sending later requests on a new connection
    /// ahead of the retries of the earlier ones. Otherwise it returns true.
    ///
    /// Record data given as `RecordsData.external(token:length:)` comes from the chunks of
    /// `payloads[token]` (together `length` bytes), which are not assembled into one frame
    /// array: chunks of at least ``directWriteBytes`` are written straight from their buffers,
    /// everything else is gathered into one buffer per run (so a small request is still one
    /// `send`). For Produce batches (header and records area).
    @discardableResult
    public func submit<R: KafkaRequest>(_ request: R, version: Int16? = nil, timeoutMs: Int? = nil, reconnect: Bool = true,
                                        payloads: [[[UInt8]]] = [],
                                        completion: @escaping @Sendable (Result<(R.Response, Int16), KafkaClientError>) -> Void) -> Bool {
        let timeout = max(1, timeoutMs ?? requestTimeoutMs)
        let outcome = writeLock.withLock { _ -> SubmitOutcome in
            do throws(KafkaClientError) {
                if !reconnect, state.withLock({ $0.socket == nil }) { return .notSent }
                let socket = try ensureConnected()
                let chosen = try choose(R.self, version: version, versions: state.withLock { $0.versions })
                let address = address
                let correlationId = nextCorrelationId()
                let frame = try encodeFrame(request, version: chosen, correlationId: correlationId, payloads: payloads)
                let pending = Pending(correlationId: correlationId, apiKey: R.apiKey, timeoutMs: timeout,
                                      deadlineNanos: clock.monotonicNanos() &+ UInt64(timeout) &* 1_000_000) { [weak self] frame in
                    switch frame {
                    case .failure(let error):
                        completion(.failure(error))
                    case .success(let frame):
                        do {
                            completion(.success((try FrameCodec.decodeResponse(frame, as: R.Response.self, apiKey: R.apiKey, version: chosen).body, chosen)))
                        } catch {
                            // This request fails first, then the ones behind it (order kept).
                            let failure = KafkaClientError.connection(address: address.description, reason: "cannot decode \(R.apiKey) v\(chosen) response: \(error)")
                            completion(.failure(failure))
                            self?.drop(socket, failure)
                        }
                    }
                }
                // Queued before the write, so the reader knows the request when its answer comes;
                // only on a socket that is still current (the reader may have just dropped it,
                // and then nobody would ever complete the request).
                let registered = state.withLock { state -> (current: Bool, startReader: Bool) in
                    guard state.socket === socket else { return (false, false) }
                    state.pending.append(pending)
                    defer { state.hasReader = true }
                    return (true, !state.hasReader)
                }
                guard registered.current else {
                    if !reconnect { return .notSent }
                    throw .connection(address: address.description, reason: "the connection was lost before the request was written")
                }
                if registered.startReader {
                    do {
                        try SystemThread.spawn(name: "kafka-connection-reader") { [weak self] in
                            // Weak, so that an abandoned connection can still be deinitialised
                            // (which closes the socket and so ends this thread).
                            var reader = Reader()
                            while let connection = self, connection.readStep(socket, &reader) {}
                        }
                    } catch {
                        return .broken(detach(socket), .connection(address: address.description, reason: "cannot start a reader thread: \(error)"))
                    }
                }
                readerWakeup.signal()
                do {
                    try Self.writeGathered(socket, frame, payloads)
                } catch {
                    // Fails every request outstanding on the socket, this one included (once
                    // the lock is released).
                    return .broken(detach(socket), .connection(address: address.description, reason: "\(error)"))
                }
                return .written
            } catch {
                return .failed(error)
            }
        }
        switch outcome {
        case .written:
            return true
        case .notSent:
            return false
        case .failed(let error):
            completion(.failure(error))
            return true
        case .broken(let requests, let error):
            Self.fail(requests, error)
            return true
        }
    }

    /// Chunks at least this large are written from their own buffers (one `send` each) rather
    /// than gathered with the rest of the frame.
    public static let directWriteBytes = 64 * 1024

    /// Writes `frame`, its external segments from `payloads`: big chunks directly, the rest
    /// gathered into one buffer per run.
    private static func writeGathered(_ socket: TCPConnection, _ frame: [OutputSegment], _ payloads: [[[UInt8]]]) throws(SystemError) {
        guard frame.count > 1 || payloads.isEmpty else {
            if case .bytes(let bytes)? = frame.first { try socket.writeAll(bytes) }
            return
        }
        var gatheredSize = 0
        for segment in frame {
            switch segment {
            case .bytes(let bytes): gatheredSize += bytes.count
            case .external(let token, _): for chunk in payloads[token] where chunk.count < directWriteBytes { gatheredSize += chunk.count }
            }
        }
        var gathered: [UInt8] = []
        gathered.reserveCapacity(gatheredSize)
        for segment in frame {
            switch segment {
            case .bytes(let bytes):
                gathered.append(contentsOf: bytes)
            case .external(let token, _):
                for chunk in payloads[token] {
                    if chunk.count < directWriteBytes {
                        gathered.append(contentsOf: chunk)
                    } else {
                        if !gathered.isEmpty { try socket.writeAll(gathered) }
                        gathered.removeAll(keepingCapacity: true)
                        try socket.writeAll(chunk)
                    }
                }
            }
        }
        if !gathered.isEmpty { try socket.writeAll(gathered) }
    }

    /// The request frame (length prefix included) as segments to write in order; external
    /// segments name entries of `payloads`, checked here. One contiguous segment without payloads.
    private func encodeFrame<R: KafkaRequest>(_ request: R, version: Int16, correlationId: Int32, payloads: [[[UInt8]]]) throws(KafkaClientError) -> [OutputSegment] {
        guard !payloads.isEmpty else {
            return [.bytes(FrameCodec.encodeRequest(request, version: version, correlationId: correlationId, clientId: clientId))]
        }
        var writer = ProtocolWriter(flexible: R.apiKey.isFlexible(version))
        writer.writeInt32(0)
        RequestHeader(apiKey: R.apiKey, apiVersion: version, correlationId: correlationId, clientId: clientId).encode(to: &writer)
        request.encode(to: &writer, version: version)
        var segments = writer.segments()
        var total = -4
        for segment in segments {
            if case .external(let token, let length) = segment,
               !(payloads.indices.contains(token) && payloads[token].reduce(0, { $0 + $1.count }) == length) {
                throw .invalidArgument("\(R.apiKey) request: external record data \(token) of \(length) bytes has no matching payload")
            }
            total += segment.count
        }
        // The header comes first, so the first segment holds the length prefix.
        guard case .bytes(var first) = segments.first, first.count >= 4, let length = Int32(exactly: total) else {
            throw .invalidArgument("\(R.apiKey) request cannot be framed")
        }
        withUnsafeBytes(of: length.bigEndian) { first.replaceSubrange(0..<4, with: $0) }
        segments[0] = .bytes(first)
        return segments
    }

    /// What the locked part of `submit` came to.
    private enum SubmitOutcome {
        case written
        case notSent
        case failed(KafkaClientError)
        /// The write broke the socket: fail these (that request included) once unlocked.
        case broken([Pending], KafkaClientError)
    }

    /// Sends a request that gets no response (Produce with acks = 0).
    public func sendOneWay<R: KafkaRequest>(_ request: R) throws(KafkaClientError) {
        let broken = try writeLock.withLock { _ throws(KafkaClientError) -> (requests: [Pending], error: KafkaClientError)? in
            let socket = try ensureConnected()
            let chosen = try choose(R.self, version: nil, versions: state.withLock { $0.versions })
            let bytes = FrameCodec.encodeRequest(request, version: chosen, correlationId: nextCorrelationId(), clientId: clientId)
            do {
                try socket.writeAll(bytes)
            } catch {
                // Requests outstanding on a pipelined socket fail too, once unlocked.
                return (detach(socket), .connection(address: address.description, reason: "\(error)"))
            }
            return nil
        }
        if let broken {
            Self.fail(broken.requests, broken.error)
            throw broken.error
        }
    }

    // MARK: internals

    private func choose<R: KafkaRequest>(_ type: R.Type, version: Int16?, versions: [ApiKey: ApiVersionRange]) throws(KafkaClientError) -> Int16 {
        guard let chosen = version ?? ClientVersions.negotiate(R.apiKey, broker: versions) else {
            throw .unsupported(R.apiKey, reason: "no common version (broker offers \(versions[R.apiKey].map { "\($0.minVersion)-\($0.maxVersion)" } ?? "none"))")
        }
        return chosen
    }

    private func nextCorrelationId() -> Int32 {
        state.withLock { state in
            state.correlationId = state.correlationId == Int32.max ? 1 : state.correlationId + 1
            return state.correlationId
        }
    }

    private func decode<R: KafkaRequest>(_ frame: [UInt8], as type: R.Type, version: Int16, correlationId: Int32, socket: TCPConnection) throws(KafkaClientError) -> (R.Response, Int16) {
        do {
            let (correlation, body) = try FrameCodec.decodeResponse(frame, as: R.Response.self, apiKey: R.apiKey, version: version)
            guard correlation == correlationId else {
                let error = KafkaClientError.connection(address: address.description, reason: "response out of order (correlation \(correlation), expected \(correlationId))")
                drop(socket, error)
                throw error
            }
            return (body, version)
        } catch let error as KafkaClientError {
            throw error
        } catch {
            let failure = KafkaClientError.connection(address: address.description, reason: "cannot decode \(R.apiKey) v\(version) response: \(error)")
            drop(socket, failure)
            throw failure
        }
    }

    /// Forgets `socket` if it is still the current one and shuts it down (a reader blocked on it
    /// wakes up; the descriptor is closed once the last reference goes). Returns the requests
    /// that were outstanding on it, oldest first, for ``fail(_:_:)``.
    private func detach(_ socket: TCPConnection) -> [Pending] {
        let failed = state.withLock { state -> [Pending] in
            guard state.socket === socket else { return [] }
            state.socket = nil
            state.hasReader = false
            defer { state.pending.removeAll() }
            return state.pending
        }
        socket.shutdown()
        readerWakeup.signal()
        return failed
    }

    /// Completes `requests` with `error`, in order. Never called with a lock held.
    private static func fail(_ requests: [Pending], _ error: KafkaClientError) {
        for pending in requests { pending.complete(.failure(error)) }
    }

    /// ``detach(_:)`` and ``fail(_:_:)``: only where no lock is held, or where the socket is in
    /// request/response mode (nothing outstanding to complete).
    private func drop(_ socket: TCPConnection, _ error: KafkaClientError) {
        Self.fail(detach(socket), error)
    }

    /// The current socket, connecting (negotiating versions, then logging in when `sasl` is
    /// set) first if there is none. Called with `writeLock` held.
    private func ensureConnected() throws(KafkaClientError) -> TCPConnection {
        if let socket = state.withLock({ $0.socket }) { return socket }
        let socket: TCPConnection
        do {
            socket = try TCPConnection.connect(to: address)
        } catch {
            throw .notReachable(address: address.description, reason: "\(error)")
        }
        // ApiVersions v3 first; a broker that does not know v3 answers error 35 in the v0 layout.
        let frame = try exchange(socket, ApiVersionsRequest(clientSoftwareName: "kaffee-swift", clientSoftwareVersion: "0.1"),
                                 version: 3, correlationId: nextCorrelationId(), timeoutMs: requestTimeoutMs)
        var response: ApiVersionsResponse
        do {
            let errorCode = frame.count >= 6 ? Int16(frame[4]) << 8 | Int16(frame[5]) : 0
            let version: Int16 = errorCode == ErrorCode.unsupportedVersion.rawValue ? 0 : 3
            response = try FrameCodec.decodeResponse(frame, as: ApiVersionsResponse.self, apiKey: .apiVersions, version: version).body
            if response.errorCode == .unsupportedVersion {
                let retry = try exchange(socket, ApiVersionsRequest(), version: 0, correlationId: nextCorrelationId(), timeoutMs: requestTimeoutMs)
                response = try FrameCodec.decodeResponse(retry, as: ApiVersionsResponse.self, apiKey: .apiVersions, version: 0).body
            }
        } catch let error as KafkaClientError {
            socket.close()
            throw error
        } catch {
            socket.close()
            throw .connection(address: address.description, reason: "cannot decode ApiVersions: \(error)")
        }
        guard response.errorCode == .none else {
            socket.close()
            throw .broker(response.errorCode, context: "ApiVersions from \(address)")
        }
        let versions = Dictionary(response.apiKeys.map { ($0.apiKey, $0) }, uniquingKeysWith: { a, _ in a })
        if let sasl {
            do {
                try login(socket, sasl, versions: versions)
            } catch {
                // The broker closes the connection after a failed login anyway.
                socket.close()
                throw error
            }
        }
        state.withLock { state in
            state.socket = socket
            state.versions = versions
            state.hasReader = false
            state.pending = []
        }
        return socket
    }

    /// The SASL login on a fresh `socket` (not yet current, so nothing else uses it).
    private func login(_ socket: TCPConnection, _ sasl: SaslConfig, versions: [ApiKey: ApiVersionRange]) throws(KafkaClientError) {
        let handshakeVersion = try choose(SaslHandshakeRequest.self, version: nil, versions: versions)
        let authenticateVersion = try choose(SaslAuthenticateRequest.self, version: nil, versions: versions)
        try SaslLogin(config: sasl, address: address.description).run(
            handshake: { request throws(KafkaClientError) in try roundTrip(socket, request, version: handshakeVersion) },
            authenticate: { request throws(KafkaClientError) in try roundTrip(socket, request, version: authenticateVersion) })
    }

    /// ``exchange(_:_:version:correlationId:timeoutMs:)`` and the decoding of its answer.
    private func roundTrip<R: KafkaRequest>(_ socket: TCPConnection, _ request: R, version: Int16) throws(KafkaClientError) -> R.Response {
        let correlationId = nextCorrelationId()
        let frame = try exchange(socket, request, version: version, correlationId: correlationId, timeoutMs: requestTimeoutMs)
        return try decode(frame, as: R.self, version: version, correlationId: correlationId, socket: socket).0
    }

    /// Writes one request on `socket` and reads its response frame, in the calling thread
    /// (request/response mode: `writeLock` held, and no reader thread on `socket`, so closing it
    /// here is safe). Any failure drops and closes the socket.
    private func exchange<R: KafkaRequest>(_ socket: TCPConnection, _ request: R, version: Int16, correlationId: Int32,
                                           timeoutMs: Int) throws(KafkaClientError) -> [UInt8] {
        func fail(_ error: KafkaClientError) -> KafkaClientError {
            drop(socket, error)
            socket.close()
            return error
        }
        let bytes = FrameCodec.encodeRequest(request, version: version, correlationId: correlationId, clientId: clientId)
        do {
            try socket.writeAll(bytes)
        } catch {
            throw fail(.connection(address: address.description, reason: "\(error)"))
        }
        socket.setReceiveTimeout(milliseconds: max(1, timeoutMs))
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do {
                if let frame = try decoder.nextFrame() { return frame }
            } catch {
                throw fail(.connection(address: address.description, reason: "\(error)"))
            }
            let read = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try socket.read(into: raw) }
            }
            let count: Int
            do {
                count = try read.get()
            } catch {
                if error.code == 11 /* EAGAIN: SO_RCVTIMEO expired */ { throw fail(.timedOut(operation: "\(R.apiKey) to \(address)", milliseconds: timeoutMs)) }
                throw fail(.connection(address: address.description, reason: "\(error)"))
            }
            if count == 0 { throw fail(.connection(address: address.description, reason: "closed by the broker")) }
            decoder.append(buffer[0..<count])
        }
    }

    /// What the reader thread of a socket keeps between steps.
    private struct Reader {
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var appliedTimeoutMs = -1
    }

    /// One step of the reader thread of a pipelined socket: while requests are outstanding,
    /// reads what arrived and completes the oldest request with each whole response frame;
    /// idle, waits (at most a second) for the next request. Returns false once the thread must
    /// end: the socket was dropped, broke, or an answer is overdue (then the socket is dropped).
    private func readStep(_ socket: TCPConnection, _ reader: inout Reader) -> Bool {
        let seen = readerWakeup.generation
        let status = state.withLock { state -> (current: Bool, deadline: UInt64?) in
            guard state.socket === socket else { return (false, nil) }
            return (true, state.pending.lazy.map(\.deadlineNanos).min())
        }
        guard status.current else { return false }
        guard let deadline = status.deadline else {
            // Idle: woken by the next submit or by a drop.
            readerWakeup.wait(after: seen, timeoutNanos: 1_000_000_000)
            return true
        }
        let now = clock.monotonicNanos()
        guard now < deadline else {
            let overdue = state.withLock { $0.pending.first { $0.deadlineNanos <= now } }
            drop(socket, .timedOut(operation: "\(overdue.map { "\($0.apiKey)" } ?? "request") to \(address)", milliseconds: overdue?.timeoutMs ?? requestTimeoutMs))
            return false
        }
        // SO_RCVTIMEO only wakes the thread up to look at the deadline again; it is re-applied
        // when it would overshoot by more than a tenth, not on every read.
        let remainingMs = Int(min((deadline - now) / 1_000_000 + 1, 1 << 30))
        let applied = reader.appliedTimeoutMs
        if applied < 0 || remainingMs > applied + 1_000 || remainingMs + max(10, applied / 10) <= applied {
            socket.setReceiveTimeout(milliseconds: remainingMs)
            reader.appliedTimeoutMs = remainingMs
        }
        let read = reader.buffer.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) in try socket.read(into: raw) }
        }
        let count: Int
        do {
            count = try read.get()
        } catch {
            if error.code == 11 /* EAGAIN: SO_RCVTIMEO expired; the deadline is checked next step */ { return true }
            drop(socket, .connection(address: address.description, reason: "\(error)"))
            return false
        }
        if count == 0 {
            drop(socket, .connection(address: address.description, reason: "closed by the broker"))
            return false
        }
        reader.decoder.append(reader.buffer[0..<count])
        while true {
            let frame: [UInt8]
            do {
                guard let next = try reader.decoder.nextFrame() else { return true }
                frame = next
            } catch {
                drop(socket, .connection(address: address.description, reason: "\(error)"))
                return false
            }
            let correlation = frame.count >= 4 ? Int32(bitPattern: UInt32(frame[0]) << 24 | UInt32(frame[1]) << 16 | UInt32(frame[2]) << 8 | UInt32(frame[3])) : nil
            let match = state.withLock { state -> Match in
                guard state.socket === socket else { return .gone }
                guard let oldest = state.pending.first else {
                    return .unexpected("a response (correlation \(correlation.map { String($0) } ?? "?")) to no outstanding request")
                }
                guard correlation == oldest.correlationId else {
                    return .unexpected("response out of order (correlation \(correlation.map { String($0) } ?? "?"), expected \(oldest.correlationId))")
                }
                state.pending.removeFirst()
                return .matched(oldest)
            }
            switch match {
            case .matched(let pending):
                pending.complete(.success(frame))
            case .gone:
                return false
            case .unexpected(let reason):
                drop(socket, .connection(address: address.description, reason: reason))
                return false
            }
        }
    }

    /// What an arrived response frame belongs to.
    private enum Match {
        case matched(Pending)
        /// The socket was dropped meanwhile (its requests were failed by whoever dropped it).
        case gone
        case unexpected(String)
    }
}

/// A one-shot slot a thread blocks on until a submitted request completes (``BrokerConnection``'s
/// `send` on a pipelined socket). Thread-safe.
private final class ResponseWaiter<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, KafkaClientError>?>(nil)
    private let signal = ConditionSignal()

    func fulfill(_ value: Result<Value, KafkaClientError>) {
        result.withLock { if $0 == nil { $0 = value } }
        signal.signal()
    }

    func wait() -> Result<Value, KafkaClientError> {
        while true {
            let seen = signal.generation
            if let value = result.withLock({ $0 }) { return value }
            signal.wait(after: seen, timeoutNanos: 1_000_000_000)
        }
    }
}
