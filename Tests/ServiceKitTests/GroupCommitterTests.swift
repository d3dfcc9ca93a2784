import Testing
import SQLite
import SystemIO
@testable import ServiceKit

private struct Refused: Error, Equatable {}

@Suite struct GroupCommitterTests {
    private func database() throws -> (Database, String) {
        let path = "/tmp/group-commit-\(UInt64.random(in: 0...UInt64.max)).sqlite"
        let db = try Database(path: path)
        try db.run("CREATE TABLE t (thread INTEGER, n INTEGER, UNIQUE (thread, n))")
        return (db, path)
    }

    @Test func concurrentWritesAllCommitInFewerTransactions() throws {
        let (db, path) = try database()
        defer { try? FileSystemCalls.removeFile(path) }
        let committer = GroupCommitter(database: db)
        let threads = 16, perThread = 40
        let done = Locked(0)
        let failures = Locked<[String]>([])
        for t in 0..<threads {
            try SystemThread.spawn(name: "writer-\(t)") {
                for n in 0..<perThread {
                    do {
                        let value = try committer.write { db in
                            try db.run("INSERT INTO t (thread, n) VALUES (?, ?)", .integer(Int64(t)), .integer(Int64(n)))
                            return n
                        }
                        if value != n { failures.withLock { $0.append("thread \(t) got \(value) for \(n)") } }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                done.withLock { $0 += 1 }
            }
        }
        let deadline = SystemTimeSource().monotonicNanos() + 60_000_000_000
        while done.withLock({ $0 }) < threads && SystemTimeSource().monotonicNanos() < deadline {
            _ = ConditionSignal().wait(after: 0, timeoutNanos: 5_000_000)
        }
        #expect(done.withLock { $0 } == threads)
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(try db.scalar("SELECT COUNT(*) FROM t").intValue == threads * perThread)
        let transactions = committer.transactions.load(ordering: .relaxed)
        #expect(transactions < threads * perThread, "no batching happened (\(transactions) transactions)")
    }

    @Test func aFailingBodyUndoesOnlyItsOwnWrites() throws {
        let (db, path) = try database()
        defer { try? FileSystemCalls.removeFile(path) }
        let committer = GroupCommitter(database: db)
        try committer.write { db in try db.run("INSERT INTO t VALUES (1, 1)") }
        #expect(throws: Refused.self) {
            try committer.write { db -> Void in
                try db.run("INSERT INTO t VALUES (2, 2)")
                throw Refused()
            }
        }
        // A constraint violation is the body's error, not the batch's.
        #expect(throws: SQLiteError.self) { try committer.write { db in try db.run("INSERT INTO t VALUES (1, 1)") } }
        try committer.write { db in try db.run("INSERT INTO t VALUES (3, 3)") }
        let rows = try db.query("SELECT thread FROM t ORDER BY thread").map { try $0.int("thread") }
        #expect(rows == [1, 3])
    }
}
