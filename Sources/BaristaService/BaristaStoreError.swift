/// A barista table holds a value the code cannot read (a status outside its enum): the
/// database was changed by hand or by a newer build. Not a property of any event, so the
/// chassis retries (and finally dead-letters) rather than blaming the event at once.
struct BaristaStoreError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the table, column and value.
    let message: String
    var description: String { message }
}
