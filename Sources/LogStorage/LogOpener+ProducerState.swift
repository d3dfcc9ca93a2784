internal import KafkaRecords

extension LogOpener {
    /// Producer state: the snapshot (if it is intact and not past the log end), then every batch
    /// header after it (and the marker of every control batch: it closes a transaction). Only
    /// headers are read, so this stays cheap even for a long tail; none at all when a clean
    /// checkpoint says the snapshot (or its absence: no producers) holds the state as of
    /// `stateAt`. Also returns the table's `changes` if the snapshot file still holds it exactly,
    /// else -1.
    ///
    /// The transaction indexes of the segments in `rebuild` are rewritten from the markers
    /// replayed. A segment starting before the replay keeps its file's entries below the replay
    /// start (written before the snapshot was, at a clean close or roll); when its file is
    /// missing, the whole log is replayed instead, without the snapshot.
    func rebuildProducers(_ segments: [LogSegment], snapshotExists: Bool, stateAt: Int64?, scanned: Set<ObjectIdentifier>,
                          scannedHeaders: [ObjectIdentifier: [RecordBatchHeader]],
                          rebuildingTxnIndexes rebuild: Set<ObjectIdentifier>) throws(LogStorageError) -> (ProducerStateTable, Int) {
        let end = segments[segments.count - 1].nextOffset
        let logBase = segments[0].baseOffset
        var table = ProducerStateTable()
        var from = logBase
        let snapshotPath = path(PartitionLog.producerSnapshotName)
        if snapshotExists, let bytes = try? fileSystem.readSmallFile(snapshotPath, limit: 64 << 20),
           let (snapshot, offset) = ProducerStateTable.parse(bytes), offset <= end, offset >= logBase {
            table = snapshot
            from = offset
            if let stateAt, stateAt >= offset, stateAt <= end { from = stateAt }
        } else if snapshotExists {
            logger.warning("\(snapshotPath): damaged or ahead of the log; rebuilding producer state from the log")
        } else if let stateAt, stateAt >= from, stateAt <= end {
            from = stateAt
        }
        if from > logBase, segments.contains(where: { rebuild.contains(ObjectIdentifier($0)) && $0.baseOffset < from && !$0.txnIndex.exists }) {
            logger.info("\(directory): a transaction index is missing; replaying every batch header to rebuild it")
            table = ProducerStateTable()
            from = logBase
        }
        let loaded = table.changes
        for segment in segments where segment.nextOffset > from {
            let id = ObjectIdentifier(segment)
            let rebuilding = rebuild.contains(id)
            var entries: [TransactionIndex.Entry] = []
            if rebuilding && segment.baseOffset < from {
                entries = try segment.txnIndex.entries(fileSystem).filter { $0.lastOffset < from }
            }
            for (position, header) in try batches(of: segment, from: from, scanned: scanned, scannedHeaders: scannedHeaders)
            where header.lastOffset >= from {
                guard header.isControl, header.producerId >= 0 else {
                    table.record(header)
                    continue
                }
                let marker = TransactionMarker(controlBatch: try segment.file.readBytes(at: position, count: header.totalSize))
                guard let completed = table.recordMarker(producerId: header.producerId, epoch: header.producerEpoch, marker: marker,
                                                         offset: header.lastOffset, timestamp: header.maxTimestamp),
                      completed.isAborted, rebuilding else { continue }
                entries.append(TransactionIndex.Entry(
                    producerId: header.producerId, firstOffset: completed.firstOffset, lastOffset: header.lastOffset,
                    lastStableOffset: table.firstOpenOffset(excluding: header.producerId) ?? header.lastOffset + 1))
            }
            if rebuilding { try segment.txnIndex.write(entries, fileSystem, sync: syncing) }
        }
        return (table, table.changes == loaded ? table.changes : -1)
    }

    /// The batches (position, header) of `segment` from the one holding `from` on: the headers
    /// the scan kept, else read from the file.
    private func batches(of segment: LogSegment, from: Int64, scanned: Set<ObjectIdentifier>,
                         scannedHeaders: [ObjectIdentifier: [RecordBatchHeader]]) throws(LogStorageError) -> [(position: Int64, header: RecordBatchHeader)] {
        let id = ObjectIdentifier(segment)
        if let headers = scannedHeaders[id] {
            var position: Int64 = 0
            return headers.map { header in
                defer { position += Int64(header.totalSize) }
                return (position, header)
            }
        }
        guard let position = try segment.locate(offset: from)?.position else { return [] }
        return try headers(of: segment, from: position, readingWhole: !scanned.contains(id))
    }
}
