internal import EventContracts
/// Building the record for `coffee.dlq` (see `Topics/coffee.dlq/topic.json`): the original
/// key, value and headers, plus `dlq.*` headers describing the failure.
public enum DeadLetter {
    /// The dead-letter topic's name.
    public static let topic = "coffee.dlq"

    /// Header names, as documented in `Topics/coffee.dlq/topic.json`.
    public enum HeaderName {
        public static let error = "dlq.error"
        public static let originalTopic = "dlq.originalTopic"
        public static let originalPartition = "dlq.originalPartition"
        public static let originalOffset = "dlq.originalOffset"
        public static let consumer = "dlq.consumer"
        public static let attempts = "dlq.attempts"
        public static let failedAt = "dlq.failedAt"
        /// Every `dlq.*` name.
        public static let all = [error, originalTopic, originalPartition, originalOffset, consumer, attempts, failedAt]
    }

    /// The original headers (any earlier `dlq.*` ones dropped, so a replayed-and-failed record
    /// does not carry two sets) followed by `dlq.error`, `dlq.originalTopic`,
    /// `dlq.originalPartition`, `dlq.originalOffset`, `dlq.consumer` (when given),
    /// `dlq.attempts` and `dlq.failedAt`; numbers as decimal text, all UTF-8.
    public static func headers(
        original: [MessageHeader], error: String, topic: String, partition: Int32, offset: Int64,
        consumer: String? = nil, attempts: Int, failedAt: String
    ) -> [MessageHeader] {
        var headers = original.filter { !HeaderName.all.contains($0.name) }
        headers.append(MessageHeader(name: HeaderName.error, text: error))
        headers.append(MessageHeader(name: HeaderName.originalTopic, text: topic))
        headers.append(MessageHeader(name: HeaderName.originalPartition, text: String(partition)))
        headers.append(MessageHeader(name: HeaderName.originalOffset, text: String(offset)))
        if let consumer { headers.append(MessageHeader(name: HeaderName.consumer, text: consumer)) }
        headers.append(MessageHeader(name: HeaderName.attempts, text: String(attempts)))
        headers.append(MessageHeader(name: HeaderName.failedAt, text: failedAt))
        return headers
    }

    /// RFC 3339 UTC text with milliseconds for a Unix time in milliseconds,
    /// e.g. `2025-03-14T08:05:42.918Z` (`RFC3339.format`).
    public static func rfc3339(unixMillis: Int64) -> String {
        RFC3339.format(unixMillis: unixMillis)
    }
}
