/// Acknowledgements waiting to be sent, per partition and offset, and their wire form:
/// contiguous offsets become one batch `{firstOffset, lastOffset, acknowledgeTypes}` whose type
/// list has one entry when every offset has the same type, else one per offset.
///
/// A value type; the owner (``ShareConsumer``) keeps it behind its mutex.
struct ShareAcknowledgements: Sendable, Equatable {
    /// One acknowledgement batch as the wire carries it.
    struct Batch: Sendable, Equatable {
        var firstOffset: Int64
        var lastOffset: Int64
        var types: [Int8]
    }

    /// Partition → offset → wire acknowledge type (0 gap, 1 accept, 2 release, 3 reject).
    private(set) var byPartition: [TopicPartition: [Int64: Int8]] = [:]

    /// Wire type 0: an offset the acquired range covers but no record has (compaction, control
    /// batches).
    static let gap: Int8 = 0

    var isEmpty: Bool { byPartition.isEmpty }

    /// Records `type` for one offset (a later call for the same offset wins).
    mutating func add(_ partition: TopicPartition, offset: Int64, type: AcknowledgeType) {
        byPartition[partition, default: [:]][offset] = type.rawValue
    }

    /// Records a gap for one offset.
    mutating func addGap(_ partition: TopicPartition, offset: Int64) {
        byPartition[partition, default: [:]][offset] = Self.gap
    }

    /// Drops every acknowledgement of `partition` (its share session was lost, so the broker
    /// released those records already).
    mutating func drop(_ partition: TopicPartition) {
        byPartition[partition] = nil
    }

    /// Takes every acknowledgement of `partitions` out (to send them).
    mutating func take(_ partitions: Set<TopicPartition>) -> [TopicPartition: [Batch]] {
        var taken: [TopicPartition: [Batch]] = [:]
        for partition in partitions {
            guard let offsets = byPartition.removeValue(forKey: partition) else { continue }
            taken[partition] = Self.batches(offsets)
        }
        return taken
    }

    /// Takes every acknowledgement out.
    mutating func takeAll() -> [TopicPartition: [Batch]] {
        take(Set(byPartition.keys))
    }

    /// The wire batches of one partition's acknowledgements, in offset order.
    static func batches(_ offsets: [Int64: Int8]) -> [Batch] {
        var batches: [Batch] = []
        var perOffset: [Int8] = []
        for offset in offsets.keys.sorted() {
            let type = offsets[offset] ?? AcknowledgeType.accept.rawValue
            if let last = batches.last, last.lastOffset &+ 1 == offset {
                batches[batches.count - 1].lastOffset = offset
                perOffset.append(type)
            } else {
                if !batches.isEmpty { batches[batches.count - 1].types = compact(perOffset) }
                batches.append(Batch(firstOffset: offset, lastOffset: offset, types: []))
                perOffset = [type]
            }
        }
        if !batches.isEmpty { batches[batches.count - 1].types = compact(perOffset) }
        return batches
    }

    private static func compact(_ types: [Int8]) -> [Int8] {
        guard let first = types.first, types.allSatisfy({ $0 == first }) else { return types }
        return [first]
    }
}
