#ifndef KAFFEE_CCRC32C_H
#define KAFFEE_CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Returns 1 when this CPU has a CRC-32C instruction the library can use (SSE4.2 on x86_64), else 0.
int kaffee_crc32c_hw_available(void);

/// The value of the environment variable `KAFFEE_CRC32C` (`software` forces the table-driven
/// path, e.g. to test or measure it on a CPU that has the instruction), or NULL when unset.
const char *kaffee_crc32c_requested_implementation(void);

/// Continues a CRC-32C (Castagnoli) over `length` bytes at `data`.
/// `crc` is the running value *without* the final inversion (start with 0xFFFFFFFF and
/// invert the result yourself). Must only be called when `kaffee_crc32c_hw_available()` is 1.
uint32_t kaffee_crc32c_hw_update(uint32_t crc, const void *data, size_t length);

#endif
