#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H

// Linux APIs that Swift's Glibc module does not expose: epoll, eventfd and accept4 are
// declared under _GNU_SOURCE or in headers the module map leaves out.
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC, so an accepted socket is never briefly blocking
/// or inheritable.
int sts_accept_nonblocking(int fd, struct sockaddr *address, socklen_t *length);

/// The number of CPUs this process may run on (sched_getaffinity), at least 1.
int sts_available_cpu_count(void);

/// Names the calling thread (shown by top -H and in /proc); Linux keeps the first 15 bytes.
void sts_set_current_thread_name(const char *name);

/// 32 random bits from the kernel's CSPRNG (getrandom(2)); 0 if it is unavailable.
uint32_t sts_random_uint32(void);

/// The version and git revision baked in at build time with
/// -Xcc -DSIMPLE_TIME_SERVICE_VERSION='"1.2.3"' -Xcc -DSIMPLE_TIME_SERVICE_REVISION='"abc1234"'.
const char *sts_build_version(void);
const char *sts_build_revision(void);

#endif
