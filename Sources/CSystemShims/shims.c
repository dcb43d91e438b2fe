#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include "CSystemShims.h"

#ifndef SIMPLE_TIME_SERVICE_VERSION
#define SIMPLE_TIME_SERVICE_VERSION "0.0.0-dev"
#endif
#ifndef SIMPLE_TIME_SERVICE_REVISION
#define SIMPLE_TIME_SERVICE_REVISION "unknown"
#endif

int sts_accept_nonblocking(int fd, struct sockaddr *address, socklen_t *length) {
    return accept4(fd, address, length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int sts_available_cpu_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) {
        return 1;
    }
    int count = CPU_COUNT(&set);
    return count > 0 ? count : 1;
}

void sts_set_current_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof(truncated) - 1);
    truncated[sizeof(truncated) - 1] = 0;
    pthread_setname_np(pthread_self(), truncated);
}

uint32_t sts_random_uint32(void) {
    uint32_t value = 0;
    if (getrandom(&value, sizeof(value), 0) != sizeof(value)) {
        return 0;
    }
    return value;
}

const char *sts_build_version(void) { return SIMPLE_TIME_SERVICE_VERSION; }
const char *sts_build_revision(void) { return SIMPLE_TIME_SERVICE_REVISION; }
