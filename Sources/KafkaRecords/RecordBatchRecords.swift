/// Decodes the records of one RecordBatch v2 (uncompressed, gzip, snappy, lz4 or zstd) (kafka-protocol.md §3.4).
///
/// Record layout: `length VARINT` (bytes after this field), `attributes INT8`,
/// `timestampDelta VARLONG`, `offsetDelta VARINT`, `keyLength VARINT` (−1 = null) + key,
/// `valueLength VARINT` (−1 = null) + value, `headerCount VARINT`, then per header
/// `keyLength VARINT` + UTF-8 key (never null), `valueLength VARINT` (−1 = null) + value.
///
/// Decoding treats the records area as hostile: every length is checked against the bytes
/// remaining (inside the record's own declared length) before anything is allocated; lengths
/// below −1 (or −1 where null is not allowed) are rejected; a record whose fields do not use
/// exactly its declared length is rejected; header counts are capped by the bytes left; the
/// batch must hold exactly `recordCount` records with nothing after them. All problems surface
/// as ``RecordBatchError/malformedRecord(_:)``.
/// Thread-safety: stateless; safe from any thread.
public enum RecordBatchRecords {
    /// Smallest possible encoded record: length, attributes, timestampDelta, offsetDelta,
    /// keyLength, valueLength and headerCount, one byte each.
    static let minimumRecordSize = 7

    /// Decodes every record of the batch starting at `batch[index]`.
    ///
    /// The header is checked first: with `verifyCRC` (the default) exactly as
    /// ``RecordBatchHeader/validate(_:at:maxBatchSize:)``, otherwise the same checks minus the
    /// CRC. gzip, snappy, lz4 and zstd batches are decompressed (at most `maxDecompressedSize`
    /// bytes) before their records are decoded; invalid codecs throw `malformedRecord`, as does
    /// any decompression failure.
    ///
    /// With `keeping`, only records whose offset it accepts are decoded and returned: the
    /// others are skipped by their length after their offset is read (their key, value and
    /// headers are neither checked nor copied), which is how a share consumer reads the one
    /// record it acquired out of a large batch without paying for the rest.
    public static func decode(
        _ batch: [UInt8],
        at index: Int = 0,
        verifyCRC: Bool = true,
        maxDecompressedSize: Int = CompressionLimits.defaultMaxOutputSize,
        keeping: ((Int64) -> Bool)? = nil
    ) throws(RecordBatchError) -> [Record] {
        let header: RecordBatchHeader
        if verifyCRC {
            header = try RecordBatchHeader.validate(batch, at: index)
        } else {
            header = try RecordBatchHeader(parsing: batch, at: index)
            let available = max(0, batch.count - index)
            guard header.totalSize <= available else {
                throw .truncated(needed: header.totalSize, available: available)
            }
            try header.checkFields()
        }
        let area = (index + RecordBatchHeader.size)..<(index + header.totalSize)
        guard let codec = header.compression else {
            throw .malformedRecord("compressed batch (invalid codec \(header.attributes & 0x07)) cannot be decoded")
        }
        let decompressed: [UInt8]
        do {
            switch codec {
            case .none:
                return try decodeRecords(batch, area: area, header: header, keeping: keeping)
            case .gzip:
                decompressed = try GzipDecoder.decompress(batch[area], maxOutputSize: maxDecompressedSize)
            case .snappy:
                decompressed = try SnappyDecoder.decompress(batch[area], maxOutputSize: maxDecompressedSize)
            case .lz4:
                decompressed = try LZ4FrameDecoder.decompress(batch[area], maxOutputSize: maxDecompressedSize)
            case .zstd:
                decompressed = try ZstdDecoder.decompress(batch[area], maxOutputSize: maxDecompressedSize)
            }
        } catch let error as CompressionError {
            throw .malformedRecord("\(codec) decompression failed: \(error)")
        } catch let error as RecordBatchError {
            throw error
        } catch {
            throw .malformedRecord("\(error)")
        }
        return try decodeRecords(decompressed, area: 0..<decompressed.count, header: header, keeping: keeping)
    }

    /// Decodes `header.recordCount` records from `bytes[area]` (those `keeping` accepts, when given).
    static func decodeRecords(
        _ bytes: [UInt8],
        area: Range<Int>,
        header: RecordBatchHeader,
        keeping: ((Int64) -> Bool)? = nil
    ) throws(RecordBatchError) -> [Record] {
        var reader = ByteReader(bytes, range: area)
        let count = Int(header.recordCount)
        var records: [Record] = []
        // Never trust recordCount for allocation: each record needs at least 7 bytes.
        records.reserveCapacity(min(count, reader.remaining / minimumRecordSize))
        for recordIndex in 0..<count {
            if let keeping {
                guard let record = try decodeRecord(&reader, header: header, recordIndex: recordIndex, keeping: keeping) else { continue }
                records.append(record)
            } else {
                records.append(try decodeRecord(&reader, header: header, recordIndex: recordIndex))
            }
        }
        guard reader.isAtEnd else {
            throw .malformedRecord("\(reader.remaining) bytes after the last of \(count) records")
        }
        return records
    }

    /// Decodes the record at the reader's position and advances past it.
    static func decodeRecord(
        _ reader: inout ByteReader,
        header: RecordBatchHeader,
        recordIndex: Int
    ) throws(RecordBatchError) -> Record {
        // Without a predicate every record is kept, so the optional is never nil.
        guard let record = try decodeRecord(&reader, header: header, recordIndex: recordIndex, keeping: nil) else {
            throw .malformedRecord("record \(recordIndex): not decoded")
        }
        return record
    }

    /// Decodes the record at the reader's position and advances past it; nil (after reading
    /// only its length, attributes, timestamp and offset) when `keeping` rejects its offset.
    static func decodeRecord(
        _ reader: inout ByteReader,
        header: RecordBatchHeader,
        recordIndex: Int,
        keeping: ((Int64) -> Bool)?
    ) throws(RecordBatchError) -> Record? {
        func fail(_ what: String) -> RecordBatchError {
            .malformedRecord("record \(recordIndex): \(what)")
        }
        func wrap(_ error: ByteReaderError, _ field: String) -> RecordBatchError {
            switch error {
            case let .truncated(needed, available):
                return fail("\(field) needs \(needed) bytes, \(available) left")
            case .malformedVarint:
                return fail("\(field) is a malformed varint")
            case let .negativeLength(length):
                return fail("\(field) has negative length \(length)")
            case .invalidUTF8:
                return fail("\(field) is not valid UTF-8")
            }
        }

        let length: Int32
        do { length = try reader.readVarint() } catch { throw wrap(error, "length") }
        guard length >= 0 else { throw fail("negative record length \(length)") }
        guard Int(length) <= reader.remaining else {
            throw fail("record length \(length) exceeds the \(reader.remaining) bytes left")
        }
        let start = reader.position
        let end = start + Int(length)
        // Everything below reads from a reader confined to the declared length, so a field
        // cannot run into the next record.
        var body = ByteReader(reader.bytes, range: start..<end)
        reader.position = end

        do {
            _ = try body.readInt8()  // record attributes: unused, ignored like Kafka does
        } catch { throw wrap(error, "attributes") }
        let timestampDelta: Int64
        let offsetDelta: Int32
        do { timestampDelta = try body.readVarlong() } catch { throw wrap(error, "timestampDelta") }
        do { offsetDelta = try body.readVarint() } catch { throw wrap(error, "offsetDelta") }
        if let keeping, !keeping(header.baseOffset &+ Int64(offsetDelta)) { return nil }
        let key = try readNullableBytes(&body, field: "key", wrap: wrap, fail: fail)
        let value = try readNullableBytes(&body, field: "value", wrap: wrap, fail: fail)

        let headerCount: Int32
        do { headerCount = try body.readVarint() } catch { throw wrap(error, "headerCount") }
        guard headerCount >= 0 else { throw fail("negative header count \(headerCount)") }
        // A header needs at least 2 bytes (key length + value length).
        guard Int(headerCount) <= body.remaining / 2 else {
            throw fail("header count \(headerCount) cannot fit in \(body.remaining) bytes")
        }
        var headers: [RecordHeader] = []
        headers.reserveCapacity(Int(headerCount))
        for headerIndex in 0..<Int(headerCount) {
            let field = "header \(headerIndex) key"
            let keyLength: Int32
            do { keyLength = try body.readVarint() } catch { throw wrap(error, field) }
            guard keyLength >= 0 else { throw fail("\(field) has invalid length \(keyLength)") }
            let headerKey: String
            do { headerKey = try body.readUTF8(count: Int(keyLength)) } catch { throw wrap(error, field) }
            let headerValue = try readNullableBytes(
                &body, field: "header \(headerIndex) value", wrap: wrap, fail: fail)
            headers.append(RecordHeader(key: headerKey, value: headerValue))
        }
        guard body.isAtEnd else {
            throw fail("declared length \(length) but fields used \(length - Int32(body.remaining))")
        }

        let timestamp = header.timestampType == .logAppendTime
            ? header.maxTimestamp
            : header.baseTimestamp &+ timestampDelta
        return Record(
            offset: header.baseOffset &+ Int64(offsetDelta),
            timestamp: timestamp,
            key: key,
            value: value,
            headers: headers
        )
    }

    /// Reads a VARINT length (−1 = nil) followed by that many bytes.
    private static func readNullableBytes(
        _ body: inout ByteReader,
        field: String,
        wrap: (ByteReaderError, String) -> RecordBatchError,
        fail: (String) -> RecordBatchError
    ) throws(RecordBatchError) -> [UInt8]? {
        let length: Int32
        do { length = try body.readVarint() } catch { throw wrap(error, "\(field) length") }
        if length == -1 { return nil }
        guard length >= 0 else { throw fail("\(field) has invalid length \(length)") }
        do {
            return Array(try body.readBytes(count: Int(length)))
        } catch {
            throw wrap(error, field)
        }
    }
}
