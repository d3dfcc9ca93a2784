// Every file of this module that calls the C library imports it as
//     #if canImport(Glibc) / internal import Glibc / #elseif canImport(Darwin) / internal import Darwin
// and epoll/eventfd come from CEpoll, which is Linux-only (its shim.h lists what a macOS port
// replaces: EventLoop, the registrations in FramedServer/FramedConnection, sendfile). This
// file stops any other C library at the first compile with a sentence.
#if !canImport(Glibc) && !canImport(Darwin)
#error("Net calls the C library through Glibc (Linux) or Darwin (macOS) only; see README, Platforms")
#endif
