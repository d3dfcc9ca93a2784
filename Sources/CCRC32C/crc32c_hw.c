// Hardware CRC-32C. The Swift side keeps a portable table-driven fallback and decides which
// one to call, so this file only has to be correct where the instruction exists. Everything
// x86-specific sits under __x86_64__, so the target still compiles (to the stubs below) on
// aarch64 and elsewhere, where the Swift slicing-by-8 code does the work.
#include "ccrc32c.h"
#include <stdlib.h>
#include <string.h>

// Read here rather than in Swift because KafkaRecords imports no C library module; the
// Swift side reads it once (a `static let`), so later setenv calls change nothing.
const char *kaffee_crc32c_requested_implementation(void) {
    return getenv("KAFFEE_CRC32C");
}

#if defined(__x86_64__)
#include <nmmintrin.h>
#include <pthread.h>

int kaffee_crc32c_hw_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

// Three independent streams hide the 3-cycle latency of `crc32q`; they are combined through a
// table that advances a CRC register over STRIPE zero bytes (the register update is linear).
#define STRIPE 4096

static uint32_t shift_table[4][256];
static pthread_once_t shift_once = PTHREAD_ONCE_INIT;

__attribute__((target("sse4.2")))
// Multiplies `crc` by x^(8*STRIPE) mod P using the classic "crc of zeros" trick implemented with
// four byte tables, so that crc(A||B) can be built from crc(A) and crc(B) of equal-length stripes.
static uint32_t crc_zeros_update(uint32_t crc, size_t n) {
    for (size_t i = 0; i + 8 <= n; i += 8) crc = (uint32_t)_mm_crc32_u64(crc, 0);
    return crc;
}

__attribute__((target("sse4.2")))
static void build_shift_table(void) {
    for (int byte = 0; byte < 4; byte++) {
        for (uint32_t v = 0; v < 256; v++) {
            uint32_t crc = v << (8 * byte);
            shift_table[byte][v] = crc_zeros_update(crc, STRIPE);
        }
    }
}

static inline uint32_t shift_crc(uint32_t crc) {
    return shift_table[0][crc & 0xff] ^ shift_table[1][(crc >> 8) & 0xff]
         ^ shift_table[2][(crc >> 16) & 0xff] ^ shift_table[3][crc >> 24];
}

__attribute__((target("sse4.2")))
uint32_t kaffee_crc32c_hw_update(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    if (length >= 3 * STRIPE) {
        pthread_once(&shift_once, build_shift_table);
        while (length >= 3 * STRIPE) {
            uint64_t c0 = crc, c1 = 0, c2 = 0;
            const unsigned char *p1 = p + STRIPE, *p2 = p + 2 * STRIPE;
            for (size_t i = 0; i < STRIPE; i += 8) {
                uint64_t w0, w1, w2;
                memcpy(&w0, p + i, 8);
                memcpy(&w1, p1 + i, 8);
                memcpy(&w2, p2 + i, 8);
                c0 = _mm_crc32_u64(c0, w0);
                c1 = _mm_crc32_u64(c1, w1);
                c2 = _mm_crc32_u64(c2, w2);
            }
            // crc(A||B||C) = shift(shift(cA) ^ cB) ^ cC, where the streams B and C started from 0.
            uint32_t combined = shift_crc((uint32_t)c0) ^ (uint32_t)c1;
            crc = shift_crc(combined) ^ (uint32_t)c2;
            p += 3 * STRIPE;
            length -= 3 * STRIPE;
        }
    }
    uint64_t c = crc;
    while (length >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
        p += 8;
        length -= 8;
    }
    crc = (uint32_t)c;
    while (length > 0) {
        crc = _mm_crc32_u8(crc, *p);
        p++;
        length--;
    }
    return crc;
}

#else

int kaffee_crc32c_hw_available(void) { return 0; }

uint32_t kaffee_crc32c_hw_update(uint32_t crc, const void *data, size_t length) {
    (void)data;
    (void)length;
    return crc; // never called: the Swift side checks kaffee_crc32c_hw_available() first
}

#endif
