// The system SQLite 3 C API for the Swift `SQLite` module (the only module that imports it).
// Debian package: libsqlite3-dev.
#ifndef CSQLITE_H
#define CSQLITE_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: "SQLite copies the bound bytes
// before the bind call returns", so Swift buffers may be released right after binding.
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
