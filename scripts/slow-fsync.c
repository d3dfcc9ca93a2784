/* A slow disk for benchmarks, by LD_PRELOAD (scripts/bench-broker, durability section).
 *
 * fsync/fdatasync do the real call, then wait for a "journal commit" of SLOW_FSYNC_US
 * microseconds that started after the call: concurrent syncs (of any files) that arrive while a
 * commit is in progress all wait for the next one and share it, as ext4's and XFS's journals
 * batch concurrent syncs. One sync at a time costs SLOW_FSYNC_US; N concurrent ones cost about
 * 2 x SLOW_FSYNC_US together. Models a device whose cache flush takes that long (a cloud volume,
 * a disk without a battery-backed cache), so group commit can be measured on a machine whose own
 * flush is too fast to show it.
 *
 *   cc -shared -fPIC -O2 -o slow-fsync.so scripts/slow-fsync.c -ldl -lpthread
 *   SLOW_FSYNC_US=2000 LD_PRELOAD=$PWD/slow-fsync.so kaffeed ...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER;
static unsigned long long started, done;
static int busy;

static long delay_us(void) {
    const char *text = getenv("SLOW_FSYNC_US");
    long us = text ? atol(text) : 0;
    return us > 0 ? us : 0;
}

static void journal_commit(void) {
    long us = delay_us();
    if (us == 0) return;
    pthread_mutex_lock(&lock);
    /* The commit in progress (if any) began before this sync: wait for the one after it. */
    unsigned long long need = started + 1;
    while (done < need) {
        if (!busy) {
            busy = 1;
            unsigned long long mine = ++started;
            pthread_mutex_unlock(&lock);
            struct timespec pause = { us / 1000000, (us % 1000000) * 1000 };
            while (nanosleep(&pause, &pause) != 0) {}
            pthread_mutex_lock(&lock);
            busy = 0;
            done = mine;
            pthread_cond_broadcast(&finished);
        } else {
            pthread_cond_wait(&finished, &lock);
        }
    }
    pthread_mutex_unlock(&lock);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int result = real(fd);
    if (result == 0) journal_commit();
    return result;
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int result = real(fd);
    if (result == 0) journal_commit();
    return result;
}
