internal import CSQLite

extension Database {
    /// Runs `body` in a transaction and returns its result: all of the body's writes commit
    /// together, or none do.
    ///
    /// Outside a transaction this is `BEGIN IMMEDIATE` … `COMMIT`: the write lock is taken up
    /// front (waiting up to the busy timeout, then `SQLiteError.isBusy`), so the body never
    /// fails half-way for lack of it. If `body` throws, or `COMMIT` fails, the transaction is
    /// rolled back and the error rethrown: nothing of the body is written. Called inside
    /// another transaction (nested calls, or after `execute("BEGIN")`), it uses a `SAVEPOINT`
    /// instead: a throwing body rolls back only its own writes, and the outer transaction
    /// decides whether everything commits.
    ///
    /// `body` receives this same `Database`; it runs on the calling thread holding the
    /// connection's lock, so other threads' calls wait until the transaction ends. Keep the
    /// body short and free of network calls.
    @discardableResult
    public func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        try connection.withLock {
            if sqlite3_get_autocommit(connection.handle) != 0 {
                try runTopLevel(body)
            } else {
                try runSavepoint(body)
            }
        }
    }

    private func runTopLevel<T>(_ body: (Database) throws -> T) throws -> T {
        try control("BEGIN IMMEDIATE")
        do {
            let result = try body(self)
            try control("COMMIT")
            return result
        } catch {
            // SQLite may already have rolled back (e.g. after SQLITE_FULL); ROLLBACK only if open.
            if sqlite3_get_autocommit(connection.handle) == 0 {
                try? control("ROLLBACK")
            }
            throw error
        }
    }

    private func runSavepoint<T>(_ body: (Database) throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "swift_savepoint_\(savepointDepth)"
        try control("SAVEPOINT \(name)")
        do {
            let result = try body(self)
            try control("RELEASE \(name)")
            return result
        } catch {
            if sqlite3_get_autocommit(connection.handle) == 0 {
                try? control("ROLLBACK TO \(name)")
                try? control("RELEASE \(name)")
            }
            throw error
        }
    }

    /// Runs a transaction-control statement through the statement cache: compiled once, not
    /// parsed again for every transaction and savepoint. Inside the connection's lock.
    private func control(_ sql: String) throws(SQLiteError) {
        try prepare(sql).run(bindings: [])
    }
}
