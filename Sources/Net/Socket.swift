#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
public import SystemIO

/// A connected TCP socket (blocking), owned by one thread at a time.
///
/// `read` returns what arrived (0 = the peer closed); `writeAll` and `sendFile` loop until
/// everything is out or the connection fails. Closed on deinit if `close()` was not called.
/// Not thread-safe except `shutdown()`, which any thread may call to wake a blocked reader.
public final class TCPConnection: @unchecked Sendable {
    public let descriptor: FileDescriptor
    /// The peer's address, for logs.
    public let peer: String

    /// The peer's host without the port.
    public var peerHost: String {
        guard let colon = peer.lastIndex(of: ":") else { return peer }
        return String(peer[..<colon])
    }
    private var isClosed = false

    init(descriptor: FileDescriptor, peer: String) {
        self.descriptor = descriptor
        self.peer = peer
        var one: Int32 = 1
        setsockopt(descriptor.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close() }

    /// Connects to `host:port` (numeric or a name resolved with getaddrinfo), trying each address.
    public static func connect(to address: HostPort) throws(SystemError) -> TCPConnection {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address.host, String(address.port), &hints, &results)
        guard status == 0, let first = results else {
            throw SystemError(code: ENOENT, operation: "getaddrinfo", path: address.description)
        }
        defer { freeaddrinfo(first) }
        var lastError = SystemError(code: ECONNREFUSED, operation: "connect", path: address.description)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if fd < 0 { lastError = SystemError(code: errno, operation: "socket"); continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                return TCPConnection(descriptor: FileDescriptor(rawValue: fd), peer: address.description)
            }
            lastError = SystemError(code: errno, operation: "connect", path: address.description)
            Glibc.close(fd)
        }
        throw lastError
    }

    /// Reads what is available (blocking until something is), up to `buffer.count` bytes.
    /// Returns 0 when the peer closed the connection.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let n = recv(descriptor.rawValue, base, buffer.count, 0)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw SystemError(code: errno, operation: "recv", path: peer)
        }
    }

    /// Writes all of `buffer`.
    public func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let n = send(descriptor.rawValue, base + done, buffer.count - done, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(code: errno, operation: "send", path: peer)
            }
            done += n
        }
    }

    /// Writes all of `bytes`.
    public func writeAll(_ bytes: [UInt8]) throws(SystemError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in try writeAll(buffer) }
        }
        try result.get()
    }

    /// Sends `count` bytes of `file` starting at `offset` straight from the page cache
    /// (`sendfile`), looping until all are sent. Throws if the file ends early.
    public func sendFile(_ file: FileDescriptor, offset: Int64, count: Int) throws(SystemError) {
        var sent = 0
        while sent < count {
            let n = try file.send(to: descriptor, offset: offset + Int64(sent), count: count - sent)
            if n == 0 { throw SystemError(code: EIO, operation: "sendfile (file ended early)", path: peer) }
            sent += n
        }
    }

    /// Sets a receive timeout (0 = none); a blocked read then fails with EAGAIN.
    public func setReceiveTimeout(milliseconds: Int) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(descriptor.rawValue, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sets a send timeout (0 = none): a write blocked this long on a client that does not read
    /// fails with EAGAIN, so a slow reader cannot hold a thread forever.
    public func setSendTimeout(milliseconds: Int) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(descriptor.rawValue, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Wakes a thread blocked in `read` (it returns 0) and stops further sends. Safe from any thread.
    public func shutdown() {
        Glibc.shutdown(descriptor.rawValue, Int32(SHUT_RDWR))
    }

    /// Stops receiving: a thread blocked in `read` wakes up with 0, while responses being
    /// written still go out. Safe from any thread.
    public func shutdownReads() {
        Glibc.shutdown(descriptor.rawValue, Int32(SHUT_RD))
    }

    /// Closes the socket. Idempotent; only the owning thread may call it.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        try? descriptor.close()
    }
}

/// A listening TCP socket. `accept()` blocks until a client connects; `close()` from another
/// thread makes a blocked `accept()` fail so the accept loop can end.
public final class TCPListener: @unchecked Sendable {
    public let descriptor: FileDescriptor
    /// The port actually bound (useful when asked for port 0).
    public let port: UInt16

    private init(descriptor: FileDescriptor, port: UInt16) {
        self.descriptor = descriptor
        self.port = port
    }

    /// Binds and listens. A wildcard host listens on every IPv4 and IPv6 address (one dual-stack
    /// socket, falling back to IPv4 only when IPv6 is unavailable), so a client that resolves
    /// `localhost` to `::1` still connects.
    public static func listen(on address: HostPort, backlog: Int32 = 1024) throws(SystemError) -> TCPListener {
        if address.isWildcard, let listener = try? bindIPv6Any(port: address.port, backlog: backlog) {
            return listener
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        hints.ai_flags = AI_PASSIVE
        var results: UnsafeMutablePointer<addrinfo>?
        let host = address.isWildcard ? "0.0.0.0" : address.host
        guard getaddrinfo(host, String(address.port), &hints, &results) == 0, let first = results else {
            throw SystemError(code: EADDRNOTAVAIL, operation: "getaddrinfo", path: address.description)
        }
        defer { freeaddrinfo(first) }
        let info = first.pointee
        let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
        guard fd >= 0 else { throw SystemError(code: errno, operation: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.ai_addr, info.ai_addrlen) == 0 else {
            let error = SystemError(code: errno, operation: "bind", path: address.description)
            Glibc.close(fd)
            throw error
        }
        return try finish(fd: fd, backlog: backlog, address: address)
    }

    private static func bindIPv6Any(port: UInt16, backlog: Int32) throws(SystemError) -> TCPListener {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError(code: errno, operation: "socket") }
        var one: Int32 = 1
        var zero: Int32 = 0
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        address.sin6_addr = in6addr_any
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        guard bound == 0 else {
            let error = SystemError(code: errno, operation: "bind", path: "[::]:\(port)")
            Glibc.close(fd)
            throw error
        }
        return try finish(fd: fd, backlog: backlog, address: HostPort(host: "::", port: port))
    }

    private static func finish(fd: Int32, backlog: Int32, address: HostPort) throws(SystemError) -> TCPListener {
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = SystemError(code: errno, operation: "listen", path: address.description)
            Glibc.close(fd)
            throw error
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let port: UInt16 = withUnsafeMutablePointer(to: &storage) { pointer in
            _ = pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            if Int32(pointer.pointee.ss_family) == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        return TCPListener(descriptor: FileDescriptor(rawValue: fd), port: port)
    }

    /// Waits for the next connection. Throws once the listener is closed.
    public func accept() throws(SystemError) -> TCPConnection {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(descriptor.rawValue, $0, &length) }
            }
            if fd >= 0 {
                return TCPConnection(descriptor: FileDescriptor(rawValue: fd), peer: Self.describe(&storage))
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            throw SystemError(code: errno, operation: "accept")
        }
    }

    /// Stops listening; a thread blocked in `accept()` wakes with an error.
    public func close() {
        Glibc.shutdown(descriptor.rawValue, Int32(SHUT_RDWR))
        try? descriptor.close()
    }

    static func describe(_ storage: inout sockaddr_storage) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard status == 0 else { return "unknown" }
        func text(_ chars: [CChar]) -> String {
            String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return text(host) + ":" + text(service)
    }
}
