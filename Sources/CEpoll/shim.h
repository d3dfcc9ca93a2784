// Linux readiness notification for the broker's event loops (Net): epoll and eventfd, which
// Swift's Glibc module does not expose. Headers only; nothing to link.
//
// Linux-only on purpose. A macOS port replaces what Net builds on these headers and nothing
// else: EventLoop (epoll_wait plus an eventfd wake-up -> kqueue with EVFILT_READ/EVFILT_WRITE
// and EVFILT_USER), the registrations in FramedServer/FramedConnection (EPOLLIN/EPOLLOUT/
// EPOLLRDHUP -> kevent filters) and TCPConnection.sendFile (Linux sendfile -> Darwin's, whose
// arguments differ). The #error makes the first compile on another system say so.
#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#else
#error "CEpoll (epoll, eventfd, Linux sendfile) is Linux-only; a port replaces Net's EventLoop, see README, Platforms"
#endif
