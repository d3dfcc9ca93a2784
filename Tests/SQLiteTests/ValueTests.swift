import SQLite
import Testing

@Suite struct ValueTests {
    static let samples: [SQLiteValue] = [
        .null,
        .integer(0), .integer(42), .integer(Int64.min), .integer(Int64.max),
        .real(2.5), .real(-0.125), .real(1e300),
        .text(""), .text("latte"), .text("café ☕️ 咖啡 👩🏽‍🍳 Ωμέγα"), .text("nul\u{0}inside"), .text("it's"),
        .blob([]), .blob([0]), .blob([0, 0, 0]), .blob([0, 255, 0, 1, 128]), .blob(Array(0...255)),
    ]

    @Test func everyValueTypeRoundTripsThroughInsertSelectUpdateDelete() throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v ANY) STRICT")
        for (index, value) in Self.samples.enumerated() {
            try db.run("INSERT INTO t (id, v) VALUES (?, ?)", SQLiteValue(index), value)
        }
        let rows = try db.query("SELECT id, v, typeof(v) AS type FROM t ORDER BY id")
        #expect(rows.count == Self.samples.count)
        for (row, expected) in zip(rows, Self.samples) {
            #expect(row["v"] == expected, "row \(row["id"] ?? .null)")
            #expect(try row.text("type") == expected.typeName.lowercased(), "\(expected)")
        }

        // An empty blob and an empty string are not NULL.
        #expect(try db.scalar("SELECT count(*) FROM t WHERE v IS NULL") == 1)

        // Update every row to its neighbour's value and read back by parameter.
        for index in 1..<Self.samples.count {
            let changed = try db.run("UPDATE t SET v = ? WHERE id = ?", Self.samples[index - 1], SQLiteValue(index))
            #expect(changed == 1)
        }
        for index in 1..<Self.samples.count {
            #expect(try db.scalar("SELECT v FROM t WHERE id = ?", SQLiteValue(index)) == Self.samples[index - 1])
        }

        #expect(try db.run("DELETE FROM t WHERE id >= ?", 5) == Self.samples.count - 5)
        #expect(db.changes == Self.samples.count - 5)
        #expect(try db.scalar("SELECT count(*) FROM t") == 5)
    }

    @Test func textIsComparedAndFoundByBoundParameter() throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE drinks (name TEXT PRIMARY KEY, price REAL NOT NULL)")
        try db.run("INSERT INTO drinks VALUES (?, ?)", "café crème ☕️", 3.5)
        let row = try #require(try db.query("SELECT * FROM drinks WHERE name = ?", "café crème ☕️").first)
        #expect(try row.text("name") == "café crème ☕️")
        #expect(try row.double("price") == 3.5)
    }

    @Test func lastInsertRowIdAndReturning() throws {
        let db = try Database.inMemory()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)")
        try db.run("INSERT INTO t (v) VALUES ('a')")
        #expect(db.lastInsertRowId == 1)
        let id = try db.scalar("INSERT INTO t (v) VALUES ('b') RETURNING id")
        #expect(id == 2)
        #expect(db.lastInsertRowId == 2)
    }

    @Test func rowAccessorsAreStrictAndSubscriptsLenient() throws {
        let db = try Database.inMemory()
        let row = try #require(
            try db.query("SELECT 7 AS n, 'x' AS s, NULL AS z, x'00ff' AS b, 1.5 AS r, 1 AS flag").first)
        #expect(row.columns == ["n", "s", "z", "b", "r", "flag"])
        #expect(try row.int("n") == 7)
        #expect(try row.int64("n") == 7)
        #expect(try row.double("n") == 7.0)
        #expect(try row.text("s") == "x")
        #expect(try row.blob("b") == [0, 255])
        #expect(try row.double("r") == 1.5)
        #expect(try row.bool("flag"))
        #expect(row["z"] == .null)
        #expect(row["z"]?.textValue == nil)
        #expect(row["missing"] == nil)
        #expect(row[0] == 7)
        #expect(row[99] == nil)
        #expect(try row.value(at: 1) == "x")

        let missing = #expect(throws: SQLiteError.self) { try row.text("stauts") }
        #expect(missing?.codeName == "SQLITE_RANGE")
        #expect(missing?.message.contains("no column named 'stauts'") == true)
        let null = #expect(throws: SQLiteError.self) { try row.text("z") }
        #expect(null?.message == "column 'z' is NULL, expected TEXT")
        let wrongType = #expect(throws: SQLiteError.self) { try row.int("s") }
        #expect(wrongType?.codeName == "SQLITE_MISMATCH")
        #expect(wrongType?.message == "column 's' is TEXT, expected INTEGER")
    }

    @Test func literalsAndDescriptions() {
        let values: [SQLiteValue] = [.null, 1, 2.5, "it's", true, false]
        #expect(values == [.null, .integer(1), .real(2.5), .text("it's"), .integer(1), .integer(0)])
        #expect(values.map(\.description) == ["NULL", "1", "2.5", "'it''s'", "1", "0"])
        #expect(SQLiteValue.blob([0, 0xab]).description == "x'00ab'")
        #expect(SQLiteValue(3).intValue == 3)
        #expect(SQLiteValue("x").int64Value == nil)
    }
}
