internal import CSQLite

/// One result row: the column names and the values, in `SELECT` order.
///
/// Value type, `Sendable`; it holds copies of the values, so it stays valid after the statement
/// moves on. `columns.count == values.count`. Column names are matched exactly (case-sensitive,
/// as written in the `SELECT` or `AS` alias); with duplicate names the first one wins.
///
/// Two ways to read, pick by nullability:
/// - the typed accessors (`try row.text("status")`, `try row.int("count")`) are strict: they
///   throw an `SQLiteError` (`SQLITE_RANGE` for an unknown column, `SQLITE_MISMATCH` for `NULL`
///   or another type) whose message names the column; use them for `NOT NULL` columns;
/// - the subscripts (`row["picked_up_at"]?.textValue`) return nil for an unknown column and
///   give the `SQLiteValue`, whose `...Value` properties are nil for `NULL`; or use the throwing
///   `value(_:)` to keep the unknown-column check.
public struct Row: Sendable, Equatable {
    /// Column names, in result order.
    public let columns: [String]
    /// Values, in result order; `values.count == columns.count`.
    public let values: [SQLiteValue]

    /// Creates a row; `values` must have one value per column (extra values are dropped,
    /// missing ones read as `.null`).
    public init(columns: [String], values: [SQLiteValue]) {
        self.columns = columns
        var values = Array(values.prefix(columns.count))
        while values.count < columns.count { values.append(.null) }
        self.values = values
    }

    /// The value at `index`, or nil when out of range.
    public subscript(index: Int) -> SQLiteValue? {
        values.indices.contains(index) ? values[index] : nil
    }

    /// The value of the column named `column`, or nil when there is no such column.
    public subscript(column: String) -> SQLiteValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    /// The value of column `column`; throws `SQLITE_RANGE` when there is no such column.
    public func value(_ column: String) throws(SQLiteError) -> SQLiteValue {
        guard let index = columns.firstIndex(of: column) else {
            throw .local(
                SQLITE_RANGE, "no column named '\(column)' (columns: \(columns.joined(separator: ", ")))",
                operation: "read column")
        }
        return values[index]
    }

    /// The value at `index`; throws `SQLITE_RANGE` when out of range.
    public func value(at index: Int) throws(SQLiteError) -> SQLiteValue {
        guard values.indices.contains(index) else {
            throw .local(SQLITE_RANGE, "no column \(index) (row has \(values.count))", operation: "read column")
        }
        return values[index]
    }

    /// The `INTEGER` in `column` as an `Int`; throws on an unknown column, `NULL` or another type.
    public func int(_ column: String) throws(SQLiteError) -> Int {
        let value = try self.value(column)
        guard let int = value.intValue else { throw mismatch(column, value, expected: "INTEGER") }
        return int
    }

    /// The `INTEGER` in `column`; throws on an unknown column, `NULL` or another type.
    public func int64(_ column: String) throws(SQLiteError) -> Int64 {
        let value = try self.value(column)
        guard let int = value.int64Value else { throw mismatch(column, value, expected: "INTEGER") }
        return int
    }

    /// The `REAL` (or `INTEGER`, converted) in `column`; throws on an unknown column, `NULL` or
    /// another type.
    public func double(_ column: String) throws(SQLiteError) -> Double {
        let value = try self.value(column)
        guard let double = value.doubleValue else { throw mismatch(column, value, expected: "REAL") }
        return double
    }

    /// The `TEXT` in `column`; throws on an unknown column, `NULL` or another type.
    public func text(_ column: String) throws(SQLiteError) -> String {
        let value = try self.value(column)
        guard let text = value.textValue else { throw mismatch(column, value, expected: "TEXT") }
        return text
    }

    /// The `BLOB` in `column`; throws on an unknown column, `NULL` or another type.
    public func blob(_ column: String) throws(SQLiteError) -> [UInt8] {
        let value = try self.value(column)
        guard let blob = value.blobValue else { throw mismatch(column, value, expected: "BLOB") }
        return blob
    }

    /// The `INTEGER` in `column` as a boolean (0 is false); throws on an unknown column, `NULL`
    /// or another type.
    public func bool(_ column: String) throws(SQLiteError) -> Bool {
        let value = try self.value(column)
        guard let bool = value.boolValue else { throw mismatch(column, value, expected: "INTEGER (boolean)") }
        return bool
    }

    private func mismatch(_ column: String, _ value: SQLiteValue, expected: String) -> SQLiteError {
        .local(
            SQLITE_MISMATCH, "column '\(column)' is \(value.typeName), expected \(expected)",
            operation: "read column")
    }
}
