import KafkaProtocol
import Testing

// Produce (0–9), Fetch (4–12) and ListOffsets (0–7): round trips at every version, golden
// bytes written by hand from Kafka's JSON layouts, header selection, external (sendfile)
// records, and malformed input. Helpers and samples: DataTestSupport.swift.

@Suite("DataMessages")
struct DataMessagesTests {
    // MARK: - Round trips at every version

    /// decode(encode(x)) == x minus the fields the version lacks, and re-encoding is byte-stable.
    private func checkRoundTrip<M: ProtocolMessage & Equatable>(_ value: M, expected: M, _ apiKey: ApiKey, _ version: Int16) throws {
        let bytes = encodeBody(value, apiKey, version)
        let decoded = try decodeBody(M.self, bytes, apiKey, version)
        #expect(decoded == expected, "\(M.self) v\(version)")
        #expect(encodeBody(decoded, apiKey, version) == bytes, "\(M.self) v\(version) re-encoding")
    }

    @Test("Produce request round trip", arguments: Int16(0)...9)
    func produceRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = DataSamples.produceRequest(nulls: nulls)
            try checkRoundTrip(value, expected: DataSamples.project(value, version), .produce, version)
        }
    }

    @Test("Produce response round trip", arguments: Int16(0)...9)
    func produceResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = DataSamples.produceResponse(nulls: nulls)
            try checkRoundTrip(value, expected: DataSamples.project(value, version), .produce, version)
        }
    }

    @Test("Fetch request round trip", arguments: Int16(4)...12)
    func fetchRequestRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = DataSamples.fetchRequest(nulls: nulls)
            try checkRoundTrip(value, expected: DataSamples.project(value, version), .fetch, version)
        }
    }

    @Test("Fetch response round trip", arguments: Int16(4)...12)
    func fetchResponseRoundTrip(version: Int16) throws {
        for nulls in [false, true] {
            let value = DataSamples.fetchResponse(nulls: nulls)
            try checkRoundTrip(value, expected: DataSamples.project(value, version), .fetch, version)
        }
    }

    @Test("ListOffsets request round trip", arguments: Int16(0)...7)
    func listOffsetsRequestRoundTrip(version: Int16) throws {
        let value = DataSamples.listOffsetsRequest()
        try checkRoundTrip(value, expected: DataSamples.project(value, version), .listOffsets, version)
    }

    @Test("ListOffsets response round trip", arguments: Int16(0)...7)
    func listOffsetsResponseRoundTrip(version: Int16) throws {
        let value = DataSamples.listOffsetsResponse()
        try checkRoundTrip(value, expected: DataSamples.project(value, version), .listOffsets, version)
    }

    @Test("Defaults follow the JSON definitions")
    func defaults() {
        let fetch = FetchRequest()
        #expect(fetch.replicaId == -1 && fetch.maxBytes == Int32.max && fetch.sessionId == 0 && fetch.sessionEpoch == -1)
        let fetchPartition = FetchRequest.FetchPartition()
        #expect(fetchPartition.currentLeaderEpoch == -1 && fetchPartition.lastFetchedEpoch == -1 && fetchPartition.logStartOffset == -1)
        let data = FetchResponse.PartitionData()
        #expect(data.preferredReadReplica == -1 && data.logStartOffset == -1 && data.lastStableOffset == -1)
        #expect(data.abortedTransactions == [] && data.records == nil && data.errorCode == .none)
        let produced = ProduceResponse.PartitionProduceResponse()
        #expect(produced.logAppendTimeMs == -1 && produced.logStartOffset == -1 && produced.errorMessage == nil)
        #expect(ProduceRequest().transactionalId == nil)
        #expect(ListOffsetsRequest.ListOffsetsPartition().maxNumOffsets == 1)
        #expect(ListOffsetsRequest.ListOffsetsPartition().currentLeaderEpoch == -1)
        let offsets = ListOffsetsResponse.ListOffsetsPartitionResponse()
        #expect(offsets.timestamp == -1 && offsets.offset == -1 && offsets.leaderEpoch == -1)
    }

    // MARK: - Golden bytes

    @Test("Produce v3 request golden bytes")
    func produceV3RequestGolden() throws {
        let request = ProduceRequest(acks: -1, timeoutMs: 1000, topicData: [
            .init(name: "t", partitionData: [.init(index: 0, records: .inline([0xDE, 0xAD, 0xBE, 0xEF]))]),
        ])
        // transactional_id null, acks -1, timeout 1000, topic_data[1] "t", partition_data[1]
        // index 0, records (4 bytes).
        try checkGolden(request, .produce, 3, "FFFF FFFF 000003E8 00000001 0001 74 00000001 00000000 00000004 DEADBEEF")
    }

    @Test("Produce v9 request golden bytes (flexible)")
    func produceV9RequestGolden() throws {
        let request = ProduceRequest(transactionalId: "tx", acks: 1, timeoutMs: 30_000, topicData: [
            .init(name: "t", partitionData: [.init(index: 2, records: .inline([1, 2, 3, 4]))]),
        ])
        // transactional_id "tx", acks 1, timeout 30000, topic_data[1] "t", partition_data[1]
        // index 2, records (4 bytes), tags of partition, topic, body.
        try checkGolden(request, .produce, 9, "037478 0001 00007530 02 0274 02 00000002 05 01020304 00 00 00")
    }

    @Test("Produce v8 and v9 response golden bytes: throttle time after the responses")
    func produceResponseGolden() throws {
        let response = ProduceResponse(responses: [
            .init(name: "t", partitionResponses: [.init(index: 0, baseOffset: 10, logAppendTimeMs: -1, logStartOffset: 0)]),
        ], throttleTimeMs: 100)
        try checkGolden(response, .produce, 8, """
            00000001 0001 74 00000001 00000000 0000 000000000000000A FFFFFFFFFFFFFFFF 0000000000000000
            00000000 FFFF 00000064
            """)
        try checkGolden(response, .produce, 9, """
            02 0274 02 00000000 0000 000000000000000A FFFFFFFFFFFFFFFF 0000000000000000 01 00 00 00 00000064 00
            """)
        try checkGolden(DataSamples.project(response, 1), .produce, 1, "00000001 0001 74 00000001 00000000 0000 000000000000000A 00000064")
    }

    @Test("Fetch v4 request golden bytes")
    func fetchV4RequestGolden() throws {
        let request = FetchRequest(replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1_048_576, isolationLevel: 1, topics: [
            .init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 42, partitionMaxBytes: 1_048_576)]),
        ])
        // replica -1, max wait 500, min bytes 1, max bytes 1 MiB, isolation 1, topics[1] "t",
        // partitions[1] partition 0, fetch offset 42, partition max bytes 1 MiB.
        try checkGolden(request, .fetch, 4, """
            FFFFFFFF 000001F4 00000001 00100000 01 00000001 0001 74 00000001 00000000 000000000000002A 00100000
            """)
    }

    @Test("Fetch v12 request golden bytes: last_fetched_epoch between fetch_offset and log_start_offset, cluster id tag")
    func fetchV12RequestGolden() throws {
        let request = FetchRequest(clusterId: "c", replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1_048_576, topics: [
            .init(topic: "t", partitions: [.init(partition: 0, currentLeaderEpoch: 5, fetchOffset: 42, lastFetchedEpoch: 4,
                                                 logStartOffset: -1, partitionMaxBytes: 1_048_576)]),
        ])
        try checkGolden(request, .fetch, 12, """
            FFFFFFFF 000001F4 00000001 00100000 00 00000000 FFFFFFFF
            02 0274 02 00000000 00000005 000000000000002A 00000004 FFFFFFFFFFFFFFFF 00100000 00 00
            01 01 01 00 02 0263
            """)
    }

    @Test("Fetch v12 response golden bytes with records")
    func fetchV12ResponseGolden() throws {
        var response = FetchResponse(responses: [
            .init(topic: "t", partitions: [.init(partitionIndex: 0, highWatermark: 10, lastStableOffset: 10, logStartOffset: 0,
                                                 records: .inline([0xAA, 0xBB, 0xCC]))]),
        ])
        try checkGolden(response, .fetch, 12, """
            00000000 0000 00000000 02 0274 02 00000000 0000 000000000000000A 000000000000000A 0000000000000000
            01 FFFFFFFF 04AABBCC 00 00 00
            """)
        // Null aborted transactions and a current-leader tag (tag 1, 9 bytes: id, epoch, tags).
        response.responses[0].partitions[0].abortedTransactions = nil
        response.responses[0].partitions[0].currentLeader = .init(leaderId: 1, leaderEpoch: 5)
        try checkGolden(response, .fetch, 12, """
            00000000 0000 00000000 02 0274 02 00000000 0000 000000000000000A 000000000000000A 0000000000000000
            00 FFFFFFFF 04AABBCC 01 01 09 00000001 00000005 00 00 00
            """)
    }

    @Test("Fetch v12 response decodes known partition tags and skips unknown ones")
    func fetchResponseTags() throws {
        let bytes = hex("""
            00000000 0000 00000000 02 0274 02 00000000 0000 000000000000000A 000000000000000A 0000000000000000
            01 FFFFFFFF 00
            03 00 0D 00000003 0000000000000063 00   02 0D 0000000000000050 00000002 00   07 02 ABCD
            00 01 05 03 010203
            """)
        let decoded = try decodeBody(FetchResponse.self, bytes, .fetch, 12)
        let partition = try #require(decoded.responses.first?.partitions.first)
        #expect(partition.divergingEpoch == .init(epoch: 3, endOffset: 99))
        #expect(partition.snapshotId == .init(endOffset: 80, epoch: 2))
        #expect(partition.currentLeader == nil)
        #expect(partition.records == nil)
    }

    @Test("Unknown tagged fields are skipped in requests")
    func unknownTagsSkipped() throws {
        // Produce v9 with an unknown tag in the partition and in the body.
        let produce = hex("037478 0001 00007530 02 0274 02 00000002 05 01020304 01 2A 01 FF 00 02 00 00 05 02 AABB")
        let request = try decodeBody(ProduceRequest.self, produce, .produce, 9)
        #expect(request.topicData.first?.partitionData.first?.records == .inline([1, 2, 3, 4]))
        // Fetch v12 with an unknown tag (9) in the partition and only tag 0 (cluster id) known.
        let fetch = hex("""
            FFFFFFFF 000001F4 00000001 00100000 00 00000000 FFFFFFFF
            02 0274 02 00000000 00000005 000000000000002A 00000004 FFFFFFFFFFFFFFFF 00100000 01 09 01 00 00
            01 01 02 00 01 00 01 03 AABBCC
            """)
        let fetchRequest = try decodeBody(FetchRequest.self, fetch, .fetch, 12)
        #expect(fetchRequest.clusterId == nil)
        #expect(fetchRequest.topics.first?.partitions.first?.lastFetchedEpoch == 4)
    }

    @Test("ListOffsets v0 and v1 request golden bytes")
    func listOffsetsRequestGolden() throws {
        let request = ListOffsetsRequest(replicaId: -1, topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: ListOffsetsRequest.earliestTimestamp)]),
        ])
        try checkGolden(request, .listOffsets, 1, "FFFFFFFF 00000001 0001 74 00000001 00000000 FFFFFFFFFFFFFFFE")
        try checkGolden(request, .listOffsets, 0, "FFFFFFFF 00000001 0001 74 00000001 00000000 FFFFFFFFFFFFFFFE 00000001")
        // v7 (flexible): isolation level, current leader epoch, tags.
        var v7 = request
        v7.topics[0].partitions[0].timestamp = ListOffsetsRequest.maxTimestamp
        try checkGolden(v7, .listOffsets, 7, "FFFFFFFF 00 02 0274 02 00000000 FFFFFFFF FFFFFFFFFFFFFFFD 00 00 00")
    }

    @Test("ListOffsets v0 and v6 response golden bytes")
    func listOffsetsResponseGolden() throws {
        let v6 = ListOffsetsResponse(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: -1, offset: 7, leaderEpoch: 0)]),
        ])
        try checkGolden(v6, .listOffsets, 6, "00000000 02 0274 02 00000000 0000 FFFFFFFFFFFFFFFF 0000000000000007 00000000 00 00 00")
        let v0 = ListOffsetsResponse(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, oldStyleOffsets: [7, 0])]),
        ])
        try checkGolden(v0, .listOffsets, 0,
                        "00000001 0001 74 00000001 00000000 0000 00000002 0000000000000007 0000000000000000")
    }

    // MARK: - Headers and frames

    @Test("Request header version follows the first flexible version",
          arguments: [(ApiKey.produce, Int16(8)), (.produce, 9), (.fetch, 11), (.fetch, 12), (.listOffsets, 5), (.listOffsets, 6)])
    func headerSelection(apiKey: ApiKey, version: Int16) throws {
        let frame: [UInt8]
        let body: [UInt8]
        switch apiKey {
        case .produce:
            let request = DataSamples.project(DataSamples.produceRequest(), version)
            frame = FrameCodec.encodeRequest(request, version: version, correlationId: 42, clientId: "cli")
            body = encodeBody(request, apiKey, version)
        case .fetch:
            let request = DataSamples.project(DataSamples.fetchRequest(), version)
            frame = FrameCodec.encodeRequest(request, version: version, correlationId: 42, clientId: "cli")
            body = encodeBody(request, apiKey, version)
        default:
            let request = DataSamples.project(DataSamples.listOffsetsRequest(), version)
            frame = FrameCodec.encodeRequest(request, version: version, correlationId: 42, clientId: "cli")
            body = encodeBody(request, apiKey, version)
        }
        let flexible = apiKey.isFlexible(version)
        // length, key, version, correlation id, client id (INT16 length even in v2), [tags], body.
        #expect(Array(frame.prefix(4)) == [0, 0, UInt8((frame.count - 4) >> 8), UInt8((frame.count - 4) & 0xFF)])
        let headerEnd = 4 + 2 + 2 + 4 + 2 + 3
        if flexible {
            #expect(frame[headerEnd] == 0, "header v2 ends with an empty tag section")
            #expect(Array(frame[(headerEnd + 1)...]) == body)
        } else {
            #expect(Array(frame[headerEnd...]) == body)
        }
        let (header, reader) = try RequestHeader.decode(Array(frame.dropFirst(4)))
        #expect(header == RequestHeader(apiKey: apiKey, apiVersion: version, correlationId: 42, clientId: "cli"))
        #expect(reader.flexible == flexible)
        #expect(apiKey.requestHeaderVersion(version) == (flexible ? 2 : 1))
        var bodyReader = reader
        switch apiKey {
        case .produce:
            let decoded = try FrameCodec.decodeRequest(ProduceRequest.self, from: &bodyReader, version: version)
            #expect(decoded == DataSamples.project(DataSamples.produceRequest(), version))
        case .fetch:
            let decoded = try FrameCodec.decodeRequest(FetchRequest.self, from: &bodyReader, version: version)
            #expect(decoded == DataSamples.project(DataSamples.fetchRequest(), version))
        default:
            let decoded = try FrameCodec.decodeRequest(ListOffsetsRequest.self, from: &bodyReader, version: version)
            #expect(decoded == DataSamples.project(DataSamples.listOffsetsRequest(), version))
        }
        #expect(bodyReader.remaining == 0)
    }

    @Test("Fetch response with external records yields [bytes, external, bytes] segments", arguments: [Int16(4), 11, 12])
    func externalRecords(version: Int16) throws {
        let external = RecordsData.external(token: 7, length: 100)
        func response(_ records: RecordsData) -> FetchResponse {
            DataSamples.project(FetchResponse(throttleTimeMs: 0, sessionId: 0, responses: [
                .init(topic: "orders", partitions: [
                    .init(partitionIndex: 0, highWatermark: 50, lastStableOffset: 50, logStartOffset: 0,
                          currentLeader: .init(leaderId: 1, leaderEpoch: 0), records: records),
                    .init(partitionIndex: 1, highWatermark: 3, lastStableOffset: 3, logStartOffset: 0, records: .inline([1, 2, 3])),
                ]),
            ]), version)
        }
        let segments = FrameCodec.encodeResponse(response(external), apiKey: .fetch, version: version, correlationId: 9)
        try #require(segments.count == 3)
        guard case .bytes(let head) = segments[0], case .bytes(let tail) = segments[2] else {
            Issue.record("expected bytes around the external segment: \(segments)")
            return
        }
        #expect(segments[1] == .external(token: 7, length: 100))
        let total = segments.reduce(0) { $0 + $1.count }
        let prefix = head.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        #expect(prefix == total - 4)
        // The sender splices the file bytes in; the client sees ordinary inline records.
        let fileBytes = (0..<100).map { UInt8($0 * 7 & 0xFF) }
        let wire = head + fileBytes + tail
        #expect(wire.count == total)
        let (correlationId, decoded) = try FrameCodec.decodeResponse(Array(wire.dropFirst(4)), as: FetchResponse.self,
                                                                     apiKey: .fetch, version: version)
        #expect(correlationId == 9)
        #expect(decoded == response(.inline(fileBytes)))
        // Without external data the response is a single bytes segment.
        #expect(FrameCodec.encodeResponse(response(.inline(fileBytes)), apiKey: .fetch, version: version, correlationId: 9)
                == [.bytes(wire)])
    }

    // MARK: - Malformed input

    @Test("Every truncation of a valid encoding throws", arguments: DataCodecCase.all)
    func truncations(codec: DataCodecCase) {
        for version in codec.versions {
            let bytes = codec.sample(version)
            #expect(throws: Never.self) { try codec.decode(bytes, version) }
            for cut in 0..<bytes.count {
                #expect(throws: ProtocolError.self, "\(codec) v\(version) cut at \(cut)") {
                    try codec.decode(Array(bytes.prefix(cut)), version)
                }
            }
        }
    }

    @Test("Huge counts and lengths in short buffers throw at once")
    func hugeLengths() {
        let clock = ContinuousClock()
        let start = clock.now
        func bytes(flexible: Bool, _ body: (inout ProtocolWriter) -> Void) -> [UInt8] {
            var writer = ProtocolWriter(flexible: flexible)
            body(&writer)
            return writer.encoded + [0, 1, 2, 3]
        }
        for flexible in [false, true] {
            let version: Int16 = flexible ? 9 : 3
            // Produce: topic_data count 1e9.
            let hugeArray = bytes(flexible: flexible) { w in
                w.writeNullableString(nil); w.writeInt16(1); w.writeInt32(0)
                if flexible { w.writeUnsignedVarint(1_000_000_001) } else { w.writeInt32(1_000_000_000) }
            }
            #expect(throws: ProtocolError.invalidLength(field: "topic_data", value: 1_000_000_000)) {
                try decodeBody(ProduceRequest.self, hugeArray, .produce, version)
            }
            // Produce: records length 2^31-1.
            let hugeRecords = bytes(flexible: flexible) { w in
                w.writeNullableString(nil); w.writeInt16(1); w.writeInt32(0)
                w.writeArray([0]) { w, _ in
                    w.writeString("t")
                    w.writeArray([0]) { w, _ in
                        w.writeInt32(0)
                        if flexible { w.writeUnsignedVarint(UInt32(Int32.max) + 1) } else { w.writeInt32(Int32.max) }
                    }
                }
            }
            #expect(throws: ProtocolError.invalidLength(field: "records", value: Int64(Int32.max))) {
                try decodeBody(ProduceRequest.self, hugeRecords, .produce, version)
            }
        }
        // Fetch response v11: records length 2^31-1; ListOffsets v0 response: offsets count 1e9.
        let fetch = hex("00000000 0000 00000000 00000001 0001 74 00000001 00000000 0000 0000000000000000 0000000000000000"
                            + "0000000000000000 00000000 FFFFFFFF 7FFFFFFF 0102")
        #expect(throws: ProtocolError.invalidLength(field: "records", value: Int64(Int32.max))) {
            try decodeBody(FetchResponse.self, fetch, .fetch, 11)
        }
        let offsets = hex("00000001 0001 74 00000001 00000000 0000 3B9ACA00 0102")
        #expect(throws: ProtocolError.invalidLength(field: "old_style_offsets", value: 1_000_000_000)) {
            try decodeBody(ListOffsetsResponse.self, offsets, .listOffsets, 0)
        }
        let fetchRequest = hex("FFFFFFFF 00000000 00000000 00000000 00 00000000 FFFFFFFF 7FFFFFFF 01")
        #expect(throws: ProtocolError.invalidLength(field: "topics", value: Int64(Int32.max))) {
            try decodeBody(FetchRequest.self, fetchRequest, .fetch, 7)
        }
        #expect(clock.now - start < .seconds(1))
    }

    @Test("Random garbage and mutated encodings never crash a decoder", arguments: DataCodecCase.all)
    func garbage(codec: DataCodecCase) {
        for seed in UInt64(0)..<400 {
            var rng = TestRNG(seed: seed &* 0x1_0000_0001 &+ UInt64(codec.apiKey.rawValue))
            for version in codec.versions {
                let random = rng.bytes(Int(rng.next() % 96))
                _ = try? codec.decode(random, version)
                var mutated = codec.sample(version)
                for _ in 0...(rng.next() % 4) where !mutated.isEmpty {
                    let index = Int(rng.next() % UInt64(mutated.count))
                    mutated[index] = rng.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
                }
                _ = try? codec.decode(mutated, version)
                // A valid prefix followed by garbage reaches the deeper fields.
                let valid = codec.sample(version)
                let cut = Int(rng.next() % UInt64(valid.count + 1))
                _ = try? codec.decode(Array(valid.prefix(cut)) + rng.bytes(Int(rng.next() % 32)), version)
            }
        }
    }
}
