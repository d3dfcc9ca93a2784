internal import KafkaRecords

/// Idempotent and transactional producer state of one partition: per producer id, its epoch,
/// the last five batches it appended (sequence range and offset), so retries are recognised and
/// gaps refused (kafka-protocol.md §4.7), and for KIP-98 transactions its coordinator epoch,
/// last timestamp and the first offset of its open transaction, if any.
///
/// Invariants: `openTransactions[id] == producers[id]?.currentTxnFirstOffset` for every
/// producer (the former is an index of the latter); a producer with an open transaction is
/// never forgotten to make room.
///
/// Rebuilt from batch headers (and the markers of control batches) after any restart (from
/// `producer.snapshot` plus the batches after it), so a retry that arrives after a broker crash
/// is still not duplicated and open transactions stay open. A value type guarded by the
/// partition's lock.
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
        /// Epoch of the coordinator that wrote this producer's last marker (-1: none yet).
        var coordinatorEpoch: Int32 = -1
        /// Max timestamp of the producer's last batch or marker (-1: unknown).
        var lastTimestamp: Int64 = -1
        /// First offset of the producer's open transaction, nil when none is open.
        var currentTxnFirstOffset: Int64?
    }

    /// A transaction ended by a marker: its first offset, the marker's offset, and whether the
    /// marker aborted it.
    struct CompletedTransaction: Equatable {
        var producerId: Int64
        var firstOffset: Int64
        var lastOffset: Int64
        var isAborted: Bool
    }

    static let batchesKept = 5
    static let producersKept = 10_000

    private(set) var producers: [Int64: Producer] = [:]
    /// Producer id → first offset of its open transaction (only producers with one).
    private(set) var openTransactions: [Int64: Int64] = [:]
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
        /// A non-transactional batch from a producer whose transaction is open (Kafka:
        /// InvalidTxnStateException).
        case invalidTxnState(openSince: Int64)
    }

    static func lastSequence(_ header: RecordBatchHeader) -> Int32 {
        // Sequences wrap from Int32.max to 0.
        Int32(truncatingIfNeeded: (Int64(header.baseSequence) + Int64(header.lastOffsetDelta)) % (Int64(Int32.max) + 1))
    }

    /// The earliest first offset of an open transaction, or nil when none is open.
    var firstOpenOffset: Int64? { openTransactions.values.min() }

    /// The earliest open transaction of a producer other than `producerId` (Kafka's
    /// `findNextIncompleteTxn`, for an aborted transaction's last stable offset).
    func firstOpenOffset(excluding producerId: Int64) -> Int64? {
        openTransactions.lazy.filter { $0.key != producerId }.map(\.value).min()
    }

    /// Kafka checks epoch, then sequence, then transaction state (`ProducerAppendInfo`).
    func decide(_ header: RecordBatchHeader) -> Decision {
        guard header.producerId >= 0, let producer = producers[header.producerId] else { return .append }
        if header.producerEpoch < producer.epoch { return .staleEpoch(current: producer.epoch, got: header.producerEpoch) }
        let sequence = decideSequence(header, producer)
        guard sequence == .append else { return sequence }
        if let open = producer.currentTxnFirstOffset, !header.isTransactional { return .invalidTxnState(openSince: open) }
        return .append
    }

    private func decideSequence(_ header: RecordBatchHeader, _ producer: Producer) -> Decision {
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

    /// Whether a marker from `producerId` at `epoch`, written by coordinator epoch
    /// `coordinatorEpoch`, may be appended: nil if so, else the error Kafka gives
    /// (InvalidProducerEpoch for an older producer epoch, TransactionCoordinatorFenced for an
    /// older coordinator epoch).
    func checkMarker(producerId: Int64, epoch: Int16, coordinatorEpoch: Int32) -> LogStorageError? {
        guard let producer = producers[producerId] else { return nil }
        if epoch < producer.epoch { return .invalidProducerEpoch(producerId: producerId, current: producer.epoch, got: epoch) }
        if coordinatorEpoch < producer.coordinatorEpoch {
            return .transactionCoordinatorFenced(producerId: producerId, current: producer.coordinatorEpoch, got: coordinatorEpoch)
        }
        return nil
    }

    /// Records an appended batch (its header carries the offsets it was given). A control batch
    /// given here ends the producer's transaction as a marker of unknown type would (use
    /// `recordMarker` when the marker is known). A transactional batch opens a transaction if
    /// the producer has none open.
    mutating func record(_ header: RecordBatchHeader) {
        guard header.producerId >= 0 else { return }
        if header.isControl {
            _ = recordMarker(producerId: header.producerId, epoch: header.producerEpoch, marker: nil,
                             offset: header.lastOffset, timestamp: header.maxTimestamp)
            return
        }
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
        producer.lastTimestamp = header.maxTimestamp
        if header.isTransactional && producer.currentTxnFirstOffset == nil {
            producer.currentTxnFirstOffset = header.baseOffset
            openTransactions[header.producerId] = header.baseOffset
        }
        producers[header.producerId] = producer
        evictIfFull()
    }

    /// Records a marker appended at `offset`: closes the producer's open transaction (returned,
    /// nil when none was open), takes its epoch and coordinator epoch. `marker` nil (an
    /// unreadable control record) counts as a commit.
    @discardableResult
    mutating func recordMarker(producerId: Int64, epoch: Int16, marker: TransactionMarker?, offset: Int64,
                               timestamp: Int64) -> CompletedTransaction? {
        changes += 1
        var producer = producers[producerId] ?? Producer(epoch: epoch, batches: [], lastOffset: -1)
        if epoch != producer.epoch {
            producer.epoch = epoch
            producer.batches.removeAll()
        }
        if let marker { producer.coordinatorEpoch = marker.coordinatorEpoch }
        producer.lastTimestamp = timestamp
        producer.lastOffset = offset
        var completed: CompletedTransaction?
        if let first = producer.currentTxnFirstOffset {
            completed = CompletedTransaction(producerId: producerId, firstOffset: first, lastOffset: offset,
                                             isAborted: marker.map { !$0.isCommit } ?? false)
        }
        producer.currentTxnFirstOffset = nil
        openTransactions[producerId] = nil
        producers[producerId] = producer
        evictIfFull()
        return completed
    }

    /// Forgets the producers idle for longest (by the last offset they wrote) beyond
    /// `producersKept`, never one with an open transaction (as Kafka never expires those).
    private mutating func evictIfFull() {
        guard producers.count > Self.producersKept else { return }
        let idle = producers.filter { $0.value.currentTxnFirstOffset == nil }
        let doomed = idle.sorted { $0.value.lastOffset < $1.value.lastOffset }.prefix(producers.count - Self.producersKept)
        for (id, _) in doomed { producers[id] = nil }
    }

    // MARK: snapshot file

    /// Tag in place of the offset (never negative) that starts a version-1 snapshot.
    static let versionTag: Int64 = -2
    static let currentVersion: Int16 = 2

    /// Format version 2: `INT64 -2` (tag), `INT16 2` (version), `INT64 offset` (state covers
    /// batches below it), `INT32 count`, then per producer `INT64 id, INT16 epoch,
    /// INT32 coordinatorEpoch, INT64 lastTimestamp, INT64 lastOffset, INT64 currentTxnFirstOffset
    /// (-1: none), INT8 n`, n × `INT32 first, INT32 last, INT64 base, INT64 lastOffset`; then
    /// `UINT32 CRC-32C` of everything before it. Version 1 (still read) is the same without the
    /// tag, version, coordinator epoch, last timestamp and transaction offset.
    func serialized(upTo offset: Int64) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt64(Self.versionTag)
        writer.writeInt16(Self.currentVersion)
        writer.writeInt64(offset)
        writer.writeInt32(Int32(producers.count))
        for (id, producer) in producers.sorted(by: { $0.key < $1.key }) {
            writer.writeInt64(id)
            writer.writeInt16(producer.epoch)
            writer.writeInt32(producer.coordinatorEpoch)
            writer.writeInt64(producer.lastTimestamp)
            writer.writeInt64(producer.lastOffset)
            writer.writeInt64(producer.currentTxnFirstOffset ?? -1)
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

    /// Parses a snapshot (version 1 or 2); nil when damaged.
    static func parse(_ bytes: [UInt8]) -> (table: ProducerStateTable, offset: Int64)? {
        guard bytes.count >= 16 else { return nil }
        let body = Array(bytes.dropLast(4))
        var trailer = ByteReader(bytes, range: (bytes.count - 4)..<bytes.count)
        guard let stored = try? trailer.readUInt32(), stored == CRC32C.checksum(body) else { return nil }
        var reader = ByteReader(body)
        do {
            var offset = try reader.readInt64()
            var version: Int16 = 1
            if offset == versionTag {
                version = try reader.readInt16()
                guard version == currentVersion else { return nil }
                offset = try reader.readInt64()
            }
            let count = try reader.readInt32()
            guard count >= 0, Int(count) <= reader.remaining / (version == 1 ? 19 : 39) else { return nil }
            var table = ProducerStateTable()
            for _ in 0..<count {
                let id = try reader.readInt64()
                var producer = Producer(epoch: try reader.readInt16(), batches: [], lastOffset: -1)
                if version >= 2 {
                    producer.coordinatorEpoch = try reader.readInt32()
                    producer.lastTimestamp = try reader.readInt64()
                }
                producer.lastOffset = try reader.readInt64()
                if version >= 2 {
                    let first = try reader.readInt64()
                    producer.currentTxnFirstOffset = first >= 0 ? first : nil
                }
                let n = try reader.readInt8()
                guard n >= 0 && Int(n) <= batchesKept else { return nil }
                for _ in 0..<n {
                    producer.batches.append(Batch(firstSequence: try reader.readInt32(), lastSequence: try reader.readInt32(),
                                                  baseOffset: try reader.readInt64(), lastOffset: try reader.readInt64()))
                }
                table.producers[id] = producer
                if let first = producer.currentTxnFirstOffset { table.openTransactions[id] = first }
            }
            return (table, offset)
        } catch {
            return nil
        }
    }
}
