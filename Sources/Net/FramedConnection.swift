internal import CEpoll
internal import Glibc
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
    public var peerHost: String {
        guard let colon = peer.lastIndex(of: ":") else { return peer }
        return String(peer[..<colon])
    }

    let descriptor: Int32
    let loop: EventLoop
    private unowned let server: FramedServer
    // Loop thread only, from here on.
    private var buffer: [UInt8] = []
    private var muted = false
    private var outbound: [OutboundChunk] = []
    /// Bytes of `outbound[0]` already written.
    private var written = 0
    private var interest: UInt32 = 0
    private(set) var isClosed = false
    /// Whether a frame is being handled or its answer is being written.
    var isBusy: Bool { muted }

    init(descriptor: Int32, peer: String, loop: EventLoop, server: FramedServer) {
        self.descriptor = descriptor
        self.peer = peer
        self.loop = loop
        self.server = server
    }

    /// Hands over the answer to the frame being handled; the connection writes it, then takes
    /// the next frame. Thread-safe.
    public func respond(_ chunks: [OutboundChunk]) {
        loop.execute { [self] in
            guard !isClosed else { return }
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
            if count > 0 { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count])) }
            return count
        }
        if got == 0 {
            closeNow()
            return
        }
        if got < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            server.logger.debug("read from \(peer) failed: \(SystemError(code: errno, operation: "recv"))")
            closeNow()
            return
        }
        takeFrame()
    }

    /// Delivers the next whole frame in the buffer, if there is one, and mutes the connection;
    /// otherwise waits for more bytes.
    private func takeFrame() {
        guard !muted, !isClosed else { return }
        guard buffer.count >= 4 else { return setInterest(EventLoop.readable) }
        let length = Int(Int32(bitPattern: UInt32(buffer[0]) << 24 | UInt32(buffer[1]) << 16 | UInt32(buffer[2]) << 8 | UInt32(buffer[3])))
        guard length >= 0 && length <= server.maxFrameSize else {
            server.logger.warning("closing connection from \(peer): frame of \(length) bytes (limit \(server.maxFrameSize))")
            closeNow()
            return
        }
        // Not reserved up front: a client announcing a large frame and sending it slowly must
        // not make the broker allocate it all at once.
        guard buffer.count >= 4 + length else { return setInterest(EventLoop.readable) }
        let frame = Array(buffer[4..<(4 + length)])
        if buffer.count == 4 + length {
            buffer = []  // idle connections keep no buffer
        } else {
            buffer.removeFirst(4 + length)
        }
        muted = true
        setInterest(0)
        server.deliver(frame, from: self)
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
        // Everything is out: take the next request.
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
        outbound.removeAll()
        buffer = []
        loop.unregister(descriptor: descriptor)
        Glibc.close(descriptor)
        server.closed(self)
    }
}
