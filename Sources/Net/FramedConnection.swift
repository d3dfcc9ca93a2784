internal import CEpoll
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import SystemIO
import Synchronization

/// One client connection of a `FramedServer`: a non-blocking socket whose bytes are cut into
/// frames (`INT32 length` + that many bytes), one request at a time.
///
/// Once a whole frame has arrived the connection is *muted* — nothing more is read — until the
/// frame's answer was handed over with `respond` (or `resume` when there is none) and written
/// out; only then is the next frame taken. So a connection's responses leave in request order,
/// a client cannot make the broker buffer more than one request of its, and a slow client costs
/// only its socket (Kafka's muting). Idle connections hold no buffer at all.
///
/// Frames longer than the limit, or with a negative length, close the connection. A peer that
/// closes or fails is closed; an answer for a closed connection is dropped.
///
/// Thread-safety: `respond`, `resume` and `close` may be called from any thread (they hand the
/// work to the connection's loop); everything else runs on that loop's thread.
public final class FramedConnection: EventSource, @unchecked Sendable {
    /// The peer's `host:port`, for logs.
    public let peer: String
    /// The peer's host without the port.
    public var peerHost: String { Self.host(of: peer) }

    /// The host of a `host:port` peer description.
    static func host(of peer: String) -> String {
        guard let colon = peer.lastIndex(of: ":") else { return peer }
        return String(peer[..<colon])
    }

    /// Which of the server's listeners accepted this connection (`FramedServer.listeners`).
    public let listenerIndex: Int
    /// Whatever the server's user keeps per connection (e.g. its authentication state); it
    /// goes with the connection. Thread-safe.
    public var attachment: (any Sendable)? {
        get { attached.withLock { $0 } }
        set { attached.withLock { $0 = newValue } }
    }
    private let attached = Mutex<(any Sendable)?>(nil)

    let descriptor: Int32
    let loop: EventLoop
    private unowned let server: FramedServer
    // Loop thread only, from here on.
    /// The length prefix being read (big-endian) and how many of its 4 bytes arrived.
    private var prefixValue: UInt32 = 0
    private var prefixCount = 0
    /// The frame being assembled and its announced length (nil while reading the prefix).
    private var frame: [UInt8] = []
    private var frameLength: Int?
    /// Bytes that arrived after a complete frame, kept until its answer is out.
    private var surplus: [UInt8] = []
    private var muted = false
    /// Set by `respondThenClose`: close once `outbound` is written.
    private var closeAfterWrite = false
    /// The largest frame this connection may send now (the server's limit, or its
    /// `maxFrameSizeBeforeLogin` until `setMaxFrameSize` raises it).
    private var maxFrameSize: Int
    /// Monotonic nanoseconds of the last byte read or written, or of the last answer handed
    /// over; with `muted` it tells whether the connection is idle (`closeIfIdle`).
    private var lastActivityNanos: UInt64
    private var outbound: [OutboundChunk] = []
    /// Called once the answer being written is out (`true`) or was dropped by a close (`false`).
    private var whenWritten: (@Sendable (Bool) -> Void)?
    /// Bytes of `outbound[0]` already written.
    private var written = 0
    private var interest: UInt32 = 0
    private(set) var isClosed = false
    /// Whether a frame is being handled or its answer is being written.
    var isBusy: Bool { muted }

    init(descriptor: Int32, peer: String, listenerIndex: Int, maxFrameSize: Int, loop: EventLoop, server: FramedServer) {
        self.descriptor = descriptor
        self.peer = peer
        self.listenerIndex = listenerIndex
        self.maxFrameSize = maxFrameSize
        self.lastActivityNanos = SystemTimeSource().monotonicNanos()
        self.loop = loop
        self.server = server
    }

    /// Hands over the answer to the frame being handled; the connection writes it, then takes
    /// the next frame. `whenWritten`, if given, runs on the loop thread once the last byte is
    /// handed to the kernel (`true`), or when the connection closes first (`false`) — the
    /// broker's send-time metric. Thread-safe.
    public func respond(_ chunks: [OutboundChunk], whenWritten: (@Sendable (Bool) -> Void)? = nil) {
        loop.execute { [self] in
            guard !isClosed else {
                whenWritten?(false)
                return
            }
            if let whenWritten { self.whenWritten = whenWritten }
            outbound += chunks
            flush()
        }
    }

    /// Sets the largest frame accepted from now on (e.g. raised once a SASL login succeeded;
    /// call before answering the frame being handled, so it applies to the next). Thread-safe.
    public func setMaxFrameSize(_ bytes: Int) {
        loop.execute { [self] in maxFrameSize = bytes }
    }

    /// Closes the connection if it has neither a request in hand nor traffic for longer than
    /// `idleNanos` (`connections.max.idle.ms`). Loop thread.
    func closeIfIdle(now: UInt64, idleNanos: UInt64) -> Bool {
        guard !isClosed, !muted, now &- lastActivityNanos > idleNanos else { return false }
        server.logger.info("closing connection from \(peer): idle for more than \(idleNanos / 1_000_000) ms")
        closeNow()
        return true
    }

    /// Writes the answer to the frame being handled, then closes the connection (e.g. after a
    /// failed login: the client reads why before the connection goes). Thread-safe.
    public func respondThenClose(_ chunks: [OutboundChunk]) {
        loop.execute { [self] in
            guard !isClosed else { return }
            closeAfterWrite = true
            outbound += chunks
            flush()
        }
    }

    /// The frame being handled has no answer (Produce with acks=0): take the next one. Thread-safe.
    public func resume() {
        respond([])
    }

    /// Closes the connection (whatever is queued is dropped). Thread-safe.
    public func close() {
        loop.execute { [self] in closeNow() }
    }

    // MARK: loop thread

    func opened() {
        interest = EventLoop.readable
        loop.register(self, descriptor: descriptor, events: interest)
    }

    func handle(events: UInt32) {
        if events & EventLoop.writable != 0 { flush() }
        if isClosed { return }
        if events & EventLoop.readable != 0 && !muted {
            readAvailable()
        } else if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            closeNow()
        }
    }

    private func readAvailable() {
        let got = loop.withScratch { scratch -> Int in
            let count = recv(descriptor, scratch.baseAddress, scratch.count, Int32(MSG_DONTWAIT))
            if count > 0 { consume(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) }
            return count
        }
        if got > 0 { lastActivityNanos = SystemTimeSource().monotonicNanos() }
        if got == 0 {
            closeNow()
            return
        }
        if got < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            server.logger.debug("read from \(peer) failed: \(SystemError(code: errno, operation: "recv"))")
            closeNow()
        }
    }

    /// Feeds arrived bytes to the frame being assembled: the 4-byte length first, then the
    /// frame's bytes straight into its own array (one copy, no re-slicing). A whole frame is
    /// delivered and the connection muted; bytes after it wait in `surplus` until the answer is
    /// out.
    private func consume(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count && !isClosed {
            if muted {
                surplus.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                return
            }
            if frameLength == nil {
                while prefixCount < 4 && offset < bytes.count {
                    prefixValue = prefixValue << 8 | UInt32(bytes[offset])
                    prefixCount += 1
                    offset += 1
                }
                guard prefixCount == 4 else { return }
                let length = Int(Int32(bitPattern: prefixValue))
                prefixCount = 0
                prefixValue = 0
                guard length >= 0 && length <= maxFrameSize else {
                    server.logger.warning("closing connection from \(peer): frame of \(length) bytes (limit \(maxFrameSize))")
                    closeNow()
                    return
                }
                frameLength = length
                // Reserved up to 1 MiB only: a client announcing a huge frame and sending it
                // slowly must not make the broker allocate it all at once.
                frame.reserveCapacity(min(length, 1 << 20))
            }
            let length = frameLength ?? 0
            let take = min(length - frame.count, bytes.count - offset)
            if take > 0 {
                frame.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
                offset += take
            }
            if frame.count == length {
                let whole = frame
                frame = []
                frameLength = nil
                muted = true
                setInterest(0)
                server.deliver(whole, from: self)
            }
        }
    }

    /// After an answer went out: takes the next frame from bytes that already arrived, then
    /// listens for more.
    private func takeFrame() {
        guard !muted, !isClosed else { return }
        if !surplus.isEmpty {
            let pending = surplus
            surplus = []
            pending.withUnsafeBytes { consume($0) }
        }
        if !muted && !isClosed { setInterest(EventLoop.readable) }
    }

    private func flush() {
        while let chunk = outbound.first {
            let result: Int
            switch chunk {
            case .bytes(let bytes):
                result = bytes.withUnsafeBytes { raw in
                    send(descriptor, raw.baseAddress.map { $0 + written }, raw.count - written, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
            case .file(let file, let offset, let count, _):
                var position = off_t(offset) + off_t(written)
                result = Glibc.sendfile(descriptor, file.rawValue, &position, count - written)
                if result == 0 && count > written {
                    server.logger.warning("sendfile to \(peer): the file ended early; closing")
                    closeNow()
                    return
                }
            }
            if result < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    setInterest(EventLoop.writable)
                    return
                }
                server.logger.debug("write to \(peer) failed: \(SystemError(code: errno, operation: "send"))")
                closeNow()
                return
            }
            written += result
            if written >= chunk.count {
                outbound.removeFirst()
                written = 0
            }
        }
        if closeAfterWrite {
            closeNow()
            return
        }
        // Everything is out: take the next request.
        if let written = whenWritten {
            whenWritten = nil
            written(true)
        }
        lastActivityNanos = SystemTimeSource().monotonicNanos()
        muted = false
        server.answered(self)
        if !isClosed { takeFrame() }
    }

    /// Level-triggered interest: readable while waiting for a request, writable while an answer
    /// is stuck, nothing while muted (a peer's FIN is then noticed once unmuted).
    private func setInterest(_ events: UInt32) {
        let wanted = events
        guard wanted != interest, !isClosed else { return }
        interest = wanted
        loop.modify(descriptor: descriptor, events: wanted)
    }

    func closeNow() {
        guard !isClosed else { return }
        isClosed = true
        if let written = whenWritten {
            whenWritten = nil
            written(false)
        }
        outbound.removeAll()
        frame = []
        surplus = []
        loop.unregister(descriptor: descriptor)
        Glibc.close(descriptor)
        server.closed(self)
    }
}
