/// Carries out a decided transaction: what the coordinator asks of the partitions and consumer
/// groups a transaction touched. The broker implements it over its store; tests record calls.
///
/// Both calls must be idempotent in effect: after a crash, or when a call failed half-way, the
/// coordinator calls them again with the same arguments (a second marker for a producer with no
/// open transaction on a partition changes nothing a reader sees).
protocol TransactionMarkerWriter: Sendable {
    /// Appends a commit or abort marker for `producerId`/`producerEpoch` to each partition,
    /// skipping partitions that no longer exist, durably as each log's durability says, and
    /// wakes their readers. Throws if a marker could not be written.
    func writeMarkers(producerId: Int64, producerEpoch: Int16, commit: Bool, partitions: [TransactionPartition]) throws

    /// Makes the producer's staged offset commits for `groups` visible (commit) or drops them
    /// (abort), durably.
    func completeOffsets(producerId: Int64, groups: [String], commit: Bool) throws
}
