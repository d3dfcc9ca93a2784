#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension TCPConnection {
    /// Waits up to `timeoutMillis` for the peer to close a connection it is not meant to send
    /// on (a Server-Sent Events stream), reading and dropping whatever does arrive; returns
    /// false when the peer closed it (or `shutdownReads` was called) or the socket failed, true
    /// when it is still open.
    ///
    /// Lives here rather than in HTTPServer so that `poll` and `recv` stay in the two modules
    /// that may call the C library. Only the owning thread may call it.
    public func waitWhilePeerIsSilent(timeoutMillis: Int32) -> Bool {
        var entry = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, timeoutMillis)
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return true }
        if entry.revents & (Int16(POLLERR) | Int16(POLLHUP) | Int16(POLLNVAL)) != 0 { return false }
        // Non-blocking read so a spurious readiness cannot stall the caller's wait.
        var scratch = [UInt8](repeating: 0, count: 4096)
        let count = scratch.withUnsafeMutableBytes { recv(descriptor.rawValue, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count == 0 { return false }
        if count < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR }
        return true
    }
}
