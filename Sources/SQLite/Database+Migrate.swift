extension Database {
    /// Brings the schema up to date with `migrations` and returns how many were applied now.
    ///
    /// Bookkeeping lives in `schema_migrations(version INTEGER PRIMARY KEY, name TEXT,
    /// applied_at TEXT)` (UTC, ISO 8601), created on first use. Before changing anything it
    /// checks that `migrations` is strictly increasing from 1 and that every version the
    /// database records is in `migrations` under the same name; otherwise it throws a
    /// `MigrationError` and applies nothing. Then it applies the missing migrations in version
    /// order, each in its own transaction together with its bookkeeping row: a failing one is
    /// rolled back whole and stops the run (`MigrationError.failed`), earlier ones stay.
    ///
    /// Idempotent: a second call, or a call on reopen, applies nothing and returns 0. Safe
    /// against another process migrating the same file at the same time (each migration
    /// re-checks its version inside its write transaction).
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> Int {
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw MigrationError.versionsNotIncreasing(previous: previous, next: migration.version)
            }
            previous = migration.version
        }
        try createBookkeepingTable()

        var known: [Int: Migration] = [:]
        for migration in migrations { known[migration.version] = migration }
        var applied = Set<Int>()
        for row in try query("SELECT version, name FROM schema_migrations ORDER BY version") {
            let version = try row.int("version")
            let name = try row.text("name")
            guard let migration = known[version] else {
                throw MigrationError.unknownAppliedVersion(version: version, name: name, latestKnown: previous)
            }
            guard migration.name == name else {
                throw MigrationError.nameMismatch(version: version, applied: name, known: migration.name)
            }
            applied.insert(version)
        }

        var count = 0
        for migration in migrations where !applied.contains(migration.version) {
            if try apply(migration) { count += 1 }
        }
        return count
    }

    /// Applies one migration with its bookkeeping row in one transaction; false when another
    /// connection applied it meanwhile.
    private func apply(_ migration: Migration) throws -> Bool {
        do {
            return try transaction { db in
                let already = try db.scalar(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", SQLiteValue(migration.version))
                guard already.isNull else { return false }
                try db.execute(migration.sql)
                guard db.isInTransaction else {
                    throw MigrationError.endedTransaction(version: migration.version, name: migration.name)
                }
                try db.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) "
                        + "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    SQLiteValue(migration.version), .text(migration.name))
                return true
            }
        } catch let error as SQLiteError {
            throw MigrationError.failed(version: migration.version, name: migration.name, error: error)
        }
    }

    private func createBookkeepingTable() throws {
        let exists = try scalar("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists.isNull else { return }
        try execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
    }
}
