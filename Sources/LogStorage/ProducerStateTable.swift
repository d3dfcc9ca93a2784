internal import KafkaRecords

/// Idempotent-producer state of one partition: per producer id, its epoch and the last five
/// batches it appended (sequence range and offset), so retries are recognised and gaps refused
/// (kafka-protocol.md §4.7).
///
/// Rebuilt from batch headers after any restart (from `producer.snapshot` plus the batches after
/// it), so a retry that arrives after a broker crash is still not duplicated. A value type
/// guarded by the partition's lock.
struct ProducerStateTable: Equatable {
    struct Batch: Equatable {
        var firstSequence: Int32
        var lastSequence: Int32
        var baseOffset: Int64
        var lastOffset: Int64
    }

    struct Producer: Equatable {
        var epoch: Int16
        var batches: [Batch]
        var lastOffset: Int64
    }

    static let batchesKept = 5
    static let producersKept = 10_000

    private(set) var producers: [Int64: Producer] = [:]
    /// Counts the changes made by `record`, so a log can tell whether its snapshot file still
    /// holds this state (not part of equality).
    private(set) var changes = 0

    static func == (a: ProducerStateTable, b: ProducerStateTable) -> Bool { a.producers == b.producers }

    /// What to do with an incoming batch.
    enum Decision: Equatable {
        case append
        case duplicate(baseOffset: Int64, lastOffset: Int64)
        case outOfOrder(expected: Int32, got: Int32)
        case staleEpoch(current: Int16, got: Int16)
    }

    static func lastSequence(_ header: RecordBatchHeader) -> Int32 {
        // Sequences wrap from Int32.max to 0.
        Int32(truncatingIfNeeded: (Int64(header.baseSequence) + Int64(header.lastOffsetDelta)) % (Int64(Int32.max) + 1))
    }

    func decide(_ header: RecordBatchHeader) -> Decision {
        guard header.producerId >= 0, let producer = producers[header.producerId] else { return .append }
        if header.producerEpoch < producer.epoch { return .staleEpoch(current: producer.epoch, got: header.producerEpoch) }
        if header.producerEpoch > producer.epoch {
            return header.baseSequence == 0 ? .append : .outOfOrder(expected: 0, got: header.baseSequence)
        }
        let last = Self.lastSequence(header)
        if let seen = producer.batches.first(where: { $0.firstSequence == header.baseSequence && $0.lastSequence == last }) {
            return .duplicate(baseOffset: seen.baseOffset, lastOffset: seen.lastOffset)
        }
        guard let previous = producer.batches.last else { return .append }
        let expected = previous.lastSequence == Int32.max ? 0 : previous.lastSequence + 1
        return header.baseSequence == expected ? .append : .outOfOrder(expected: expected, got: header.baseSequence)
    }

    /// Records an appended batch (its header carries the offsets it was given).
    mutating func record(_ header: RecordBatchHeader) {
        guard header.producerId >= 0 else { return }
        changes += 1
        var producer = producers[header.producerId] ?? Producer(epoch: header.producerEpoch, batches: [], lastOffset: -1)
        if header.producerEpoch != producer.epoch {
            producer.epoch = header.producerEpoch
            producer.batches.removeAll()
        }
        producer.batches.append(Batch(firstSequence: header.baseSequence, lastSequence: Self.lastSequence(header),
                                      baseOffset: header.baseOffset, lastOffset: header.lastOffset))
        if producer.batches.count > Self.batchesKept { producer.batches.removeFirst(producer.batches.count - Self.batchesKept) }
        producer.lastOffset = header.lastOffset
        producers[header.producerId] = producer
        if producers.count > Self.producersKept {
            // Forget the producers idle for longest (by the last offset they wrote).
            let doomed = producers.sorted { $0.value.lastOffset < $1.value.lastOffset }.prefix(producers.count - Self.producersKept)
            for (id, _) in doomed { producers[id] = nil }
        }
    }

    // MARK: snapshot file

    /// Format: `INT64 offset` (state covers batches below it), `INT32 count`, then per producer
    /// `INT64 id, INT16 epoch, INT64 lastOffset, INT8 n`, n × `INT32 first, INT32 last, INT64 base,
    /// INT64 lastOffset`; then `UINT32 CRC-32C` of everything before it.
    func serialized(upTo offset: Int64) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt64(offset)
        writer.writeInt32(Int32(producers.count))
        for (id, producer) in producers.sorted(by: { $0.key < $1.key }) {
            writer.writeInt64(id)
            writer.writeInt16(producer.epoch)
            writer.writeInt64(producer.lastOffset)
            writer.writeInt8(Int8(producer.batches.count))
            for batch in producer.batches {
                writer.writeInt32(batch.firstSequence)
                writer.writeInt32(batch.lastSequence)
                writer.writeInt64(batch.baseOffset)
                writer.writeInt64(batch.lastOffset)
            }
        }
        let crc = CRC32C.checksum(writer.bytes)
        writer.writeUInt32(crc)
        return writer.bytes
    }

    /// Parses a snapshot; nil when damaged.
    static func parse(_ bytes: [UInt8]) -> (table: ProducerStateTable, offset: Int64)? {
        guard bytes.count >= 16 else { return nil }
        let body = Array(bytes.dropLast(4))
        var trailer = ByteReader(bytes, range: (bytes.count - 4)..<bytes.count)
        guard let stored = try? trailer.readUInt32(), stored == CRC32C.checksum(body) else { return nil }
        var reader = ByteReader(body)
        do {
            let offset = try reader.readInt64()
            let count = try reader.readInt32()
            guard count >= 0, Int(count) <= reader.remaining / 19 else { return nil }
            var table = ProducerStateTable()
            for _ in 0..<count {
                let id = try reader.readInt64()
                let epoch = try reader.readInt16()
                let lastOffset = try reader.readInt64()
                let n = try reader.readInt8()
                guard n >= 0 && Int(n) <= batchesKept else { return nil }
                var batches: [Batch] = []
                for _ in 0..<n {
                    batches.append(Batch(firstSequence: try reader.readInt32(), lastSequence: try reader.readInt32(),
                                         baseOffset: try reader.readInt64(), lastOffset: try reader.readInt64()))
                }
                table.producers[id] = Producer(epoch: epoch, batches: batches, lastOffset: lastOffset)
            }
            return (table, offset)
        } catch {
            return nil
        }
    }
}
