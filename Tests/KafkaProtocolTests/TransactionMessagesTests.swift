import KafkaProtocol
import Testing

// The transaction APIs: AddPartitionsToTxn (0–4), AddOffsetsToTxn (0–4), EndTxn (0–5),
// WriteTxnMarkers (0–1), TxnOffsetCommit (0–4), DescribeProducers (0), DescribeTransactions (0)
// and ListTransactions (0–1). Golden bytes written by hand from Kafka's JSON layouts, round trips
// of hand-built values across the version boundaries, and header selection. The random sweeps
// over every version are in GeneratedMessagesTests.

@Suite("TransactionMessages")
struct TransactionMessagesTests {
    // MARK: - EndTxn and AddOffsetsToTxn

    @Test("EndTxn request golden bytes (v0 classic, v3 flexible)")
    func endTxnRequestGolden() throws {
        let request = EndTxnRequest(transactionalId: "tx", producerId: 7, producerEpoch: 2, committed: true)
        // transactional id "tx", producer id 7, epoch 2, committed true.
        try checkGolden(request, .endTxn, 0, "0002 7478 0000000000000007 0002 01")
        // v3: compact string (length + 1), then the body's empty tag section.
        try checkGolden(request, .endTxn, 3, "037478 0000000000000007 0002 01 00")
        var abort = request
        abort.committed = false
        try checkGolden(abort, .endTxn, 5, "037478 0000000000000007 0002 00 00")
    }

    @Test("EndTxn response golden bytes: producer id and epoch only from v5")
    func endTxnResponseGolden() throws {
        let response = EndTxnResponse(throttleTimeMs: 100, errorCode: .none, producerId: 7, producerEpoch: 3)
        try checkGolden(response, .endTxn, 5, "00000064 0000 0000000000000007 0003 00")
        // Before v5 the producer fields are neither written nor read (they decode to -1).
        let v4 = EndTxnResponse(throttleTimeMs: 100, errorCode: .producerFenced)
        #expect(v4.producerId == -1 && v4.producerEpoch == -1)
        try checkGolden(v4, .endTxn, 4, "00000064 005A 00")
        try checkGolden(v4, .endTxn, 2, "00000064 005A")
        #expect(encodeBody(EndTxnResponse(throttleTimeMs: 100, errorCode: .producerFenced, producerId: 7, producerEpoch: 3), .endTxn, 4)
            == hex("00000064 005A 00"))
    }

    @Test("AddOffsetsToTxn golden bytes (v2 classic, v3 flexible)")
    func addOffsetsToTxnGolden() throws {
        let request = AddOffsetsToTxnRequest(transactionalId: "tx", producerId: 7, producerEpoch: 2, groupId: "g")
        try checkGolden(request, .addOffsetsToTxn, 2, "0002 7478 0000000000000007 0002 0001 67")
        try checkGolden(request, .addOffsetsToTxn, 3, "037478 0000000000000007 0002 0267 00")
        let response = AddOffsetsToTxnResponse(throttleTimeMs: 0, errorCode: .concurrentTransactions)
        try checkGolden(response, .addOffsetsToTxn, 0, "00000000 0033")
        try checkGolden(response, .addOffsetsToTxn, 4, "00000000 0033 00")
    }

    // MARK: - AddPartitionsToTxn

    /// The client form (v0–3): one transaction, topic "t" with partitions 0 and 1.
    private static let clientForm = AddPartitionsToTxnRequest(
        v3AndBelowTransactionalId: "tx", v3AndBelowProducerId: 7, v3AndBelowProducerEpoch: 2,
        v3AndBelowTopics: [.init(name: "t", partitions: [0, 1])])

    /// The broker form (v4): the same transaction in the batch, verify only.
    private static let batchedForm = AddPartitionsToTxnRequest(transactions: [
        .init(transactionalId: "tx", producerId: 7, producerEpoch: 2, verifyOnly: true, topics: [.init(name: "t", partitions: [0, 1])]),
    ])

    @Test("AddPartitionsToTxn v3 request golden bytes and round trip (client form)")
    func addPartitionsToTxnV3Request() throws {
        // transactional id "tx", producer id 7, epoch 2, topics[1] "t" partitions[2] 0 1, topic
        // tags, body tags.
        try checkGolden(Self.clientForm, .addPartitionsToTxn, 3, "037478 0000000000000007 0002 02 0274 03 00000000 00000001 00 00")
        try checkGolden(Self.clientForm, .addPartitionsToTxn, 0, "0002 7478 0000000000000007 0002 00000001 0001 74 00000002 00000000 00000001")
        // The batched field is not written below v4; both forms set decode to the client form only.
        var both = Self.clientForm
        both.transactions = Self.batchedForm.transactions
        try checkRoundTrip(both, expected: Self.clientForm, .addPartitionsToTxn, 3)
        try checkRoundTrip(both, expected: Self.clientForm, .addPartitionsToTxn, 1)
    }

    @Test("AddPartitionsToTxn v4 request golden bytes (batched form)")
    func addPartitionsToTxnV4Request() throws {
        // transactions[1]: "tx", producer id 7, epoch 2, verify only, topics[1] "t" [0, 1], tags
        // of topic, transaction and body.
        try checkGolden(Self.batchedForm, .addPartitionsToTxn, 4, "02 037478 0000000000000007 0002 01 02 0274 03 00000000 00000001 00 00 00")
        // The V3AndBelow fields are not written at v4.
        var both = Self.batchedForm
        both.v3AndBelowTransactionalId = "tx"
        both.v3AndBelowTopics = Self.clientForm.v3AndBelowTopics
        try checkRoundTrip(both, expected: Self.batchedForm, .addPartitionsToTxn, 4)
    }

    @Test("AddPartitionsToTxn response golden bytes (v3 by topic, v4 by transaction with top-level error)")
    func addPartitionsToTxnResponse() throws {
        let byTopic = AddPartitionsToTxnResponse(throttleTimeMs: 0, resultsByTopicV3AndBelow: [
            .init(name: "t", resultsByPartition: [.init(partitionIndex: 0, partitionErrorCode: .none),
                                                  .init(partitionIndex: 1, partitionErrorCode: .concurrentTransactions)]),
        ])
        try checkGolden(byTopic, .addPartitionsToTxn, 3, "00000000 02 0274 03 00000000 0000 00 00000001 0033 00 00 00")
        try checkGolden(byTopic, .addPartitionsToTxn, 2, "00000000 00000001 0001 74 00000002 00000000 0000 00000001 0033")
        let byTransaction = AddPartitionsToTxnResponse(throttleTimeMs: 0, errorCode: .none, resultsByTransaction: [
            .init(transactionalId: "tx", topicResults: [.init(name: "t", resultsByPartition: [.init(partitionIndex: 0, partitionErrorCode: .none)])]),
        ])
        try checkGolden(byTransaction, .addPartitionsToTxn, 4, "00000000 0000 02 037478 02 0274 02 00000000 0000 00 00 00 00")
    }

    // MARK: - TxnOffsetCommit

    private static let offsetCommit = TxnOffsetCommitRequest(
        transactionalId: "tx", groupId: "g", producerId: 7, producerEpoch: 2, generationId: 5, memberId: "m", groupInstanceId: nil,
        topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, committedMetadata: nil)])])

    @Test("TxnOffsetCommit v3 request golden bytes (generation, member, instance id)")
    func txnOffsetCommitV3Request() throws {
        // "tx", group "g", producer id 7, epoch 2, generation 5, member "m", instance null,
        // topics[1] "t", partitions[1] index 0, offset 42, leader epoch 3, metadata null, tags of
        // partition, topic and body.
        try checkGolden(Self.offsetCommit, .txnOffsetCommit, 3, """
            037478 0267 0000000000000007 0002 00000005 026D 00 02 0274 02 00000000 000000000000002A 00000003 00 00 00 00
            """)
        var withInstance = Self.offsetCommit
        withInstance.groupInstanceId = "i"
        withInstance.topics[0].partitions[0].committedMetadata = "md"
        try checkGolden(withInstance, .txnOffsetCommit, 4, """
            037478 0267 0000000000000007 0002 00000005 026D 0269 02 0274 02 00000000 000000000000002A 00000003 03 6D64 00 00 00
            """)
    }

    @Test("TxnOffsetCommit v0 and v2 request golden bytes (no membership fields; leader epoch from v2)")
    func txnOffsetCommitClassicRequest() throws {
        let v2 = Self.offsetCommit.restricted(to: 2)
        #expect(v2.generationId == -1 && v2.memberId == "" && v2.topics[0].partitions[0].committedMetadata == nil)
        try checkGolden(v2, .txnOffsetCommit, 2, """
            0002 7478 0001 67 0000000000000007 0002 00000001 0001 74 00000001 00000000 000000000000002A 00000003 FFFF
            """)
        // The membership fields given to a v2 encoding are dropped.
        try checkRoundTrip(Self.offsetCommit, expected: v2, .txnOffsetCommit, 2)
        let v0 = Self.offsetCommit.restricted(to: 0)
        #expect(v0.topics[0].partitions[0].committedLeaderEpoch == -1)
        try checkGolden(v0, .txnOffsetCommit, 0, """
            0002 7478 0001 67 0000000000000007 0002 00000001 0001 74 00000001 00000000 000000000000002A FFFF
            """)
    }

    @Test("TxnOffsetCommit response golden bytes (v2 classic, v3 flexible)")
    func txnOffsetCommitResponse() throws {
        let response = TxnOffsetCommitResponse(throttleTimeMs: 0, topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, errorCode: .invalidProducerEpoch)]),
        ])
        try checkGolden(response, .txnOffsetCommit, 2, "00000000 00000001 0001 74 00000001 00000000 002F")
        try checkGolden(response, .txnOffsetCommit, 3, "00000000 02 0274 02 00000000 002F 00 00 00")
    }

    // MARK: - WriteTxnMarkers

    @Test("WriteTxnMarkers golden bytes (v0 classic, v1 flexible)")
    func writeTxnMarkersGolden() throws {
        let request = WriteTxnMarkersRequest(markers: [
            .init(producerId: 7, producerEpoch: 2, transactionResult: true, topics: [.init(name: "t", partitionIndexes: [0])], coordinatorEpoch: 4),
        ])
        // markers[1]: producer id 7, epoch 2, COMMIT, topics[1] "t" [0], coordinator epoch 4.
        try checkGolden(request, .writeTxnMarkers, 0, "00000001 0000000000000007 0002 01 00000001 0001 74 00000001 00000000 00000004")
        try checkGolden(request, .writeTxnMarkers, 1, "02 0000000000000007 0002 01 02 0274 02 00000000 00 00000004 00 00")
        let response = WriteTxnMarkersResponse(markers: [
            .init(producerId: 7, topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, errorCode: .none)])]),
        ])
        try checkGolden(response, .writeTxnMarkers, 0, "00000001 0000000000000007 00000001 0001 74 00000001 00000000 0000")
        try checkGolden(response, .writeTxnMarkers, 1, "02 0000000000000007 02 0274 02 00000000 0000 00 00 00 00")
    }

    // MARK: - DescribeProducers, DescribeTransactions, ListTransactions

    @Test("DescribeProducers v0 golden bytes (producer epoch is INT32 here)")
    func describeProducersGolden() throws {
        try checkGolden(DescribeProducersRequest(topics: [.init(name: "t", partitionIndexes: [0, 1])]), .describeProducers, 0,
                        "02 0274 03 00000000 00000001 00 00")
        let response = DescribeProducersResponse(throttleTimeMs: 0, topics: [
            .init(name: "t", partitions: [
                .init(partitionIndex: 0, errorCode: .none, errorMessage: nil, activeProducers: [
                    .init(producerId: 7, producerEpoch: 2, lastSequence: 9, lastTimestamp: 1000, coordinatorEpoch: 0, currentTxnStartOffset: -1),
                ]),
            ]),
        ])
        // throttle 0, topics[1] "t", partitions[1] index 0, no error, message null,
        // active_producers[1]: id 7, epoch 2 (INT32), last sequence 9, last timestamp 1000,
        // coordinator epoch 0, no open transaction; then the tags of producer, partition, topic, body.
        try checkGolden(response, .describeProducers, 0, """
            00000000 02 0274 02 00000000 0000 00 02 0000000000000007 00000002 00000009 00000000000003E8 00000000 FFFFFFFFFFFFFFFF \
            00 00 00 00
            """)
        let defaults = DescribeProducersResponse.ProducerState()
        #expect(defaults.lastSequence == -1 && defaults.lastTimestamp == -1 && defaults.currentTxnStartOffset == -1)
    }

    @Test("DescribeTransactions v0 golden bytes")
    func describeTransactionsGolden() throws {
        try checkGolden(DescribeTransactionsRequest(transactionalIds: ["tx"]), .describeTransactions, 0, "02 037478 00")
        let response = DescribeTransactionsResponse(throttleTimeMs: 0, transactionStates: [
            .init(errorCode: .none, transactionalId: "tx", transactionState: "Ongoing", transactionTimeoutMs: 60_000,
                  transactionStartTimeMs: 1000, producerId: 7, producerEpoch: 2, topics: [.init(topic: "t", partitions: [0])]),
        ])
        // throttle 0, transaction_states[1]: no error, "tx", "Ongoing", timeout 60000, started at
        // 1000, producer id 7, epoch 2, topics[1] "t" [0]; tags of topic, state, body.
        try checkGolden(response, .describeTransactions, 0, """
            00000000 02 0000 037478 08 4F6E676F696E67 0000EA60 00000000000003E8 0000000000000007 0002 02 0274 02 00000000 00 00 00
            """)
    }

    @Test("ListTransactions golden bytes (duration filter from v1)")
    func listTransactionsGolden() throws {
        let request = ListTransactionsRequest(stateFilters: ["Ongoing"], producerIdFilters: [7], durationFilter: 1000)
        try checkGolden(request, .listTransactions, 1, "02 08 4F6E676F696E67 02 0000000000000007 00000000000003E8 00")
        // v0 has no duration filter: it is not written and decodes to -1.
        try checkRoundTrip(request, expected: ListTransactionsRequest(stateFilters: ["Ongoing"], producerIdFilters: [7]), .listTransactions, 0)
        try checkGolden(ListTransactionsRequest(stateFilters: ["Ongoing"], producerIdFilters: [7]), .listTransactions, 0,
                        "02 08 4F6E676F696E67 02 0000000000000007 00")
        let response = ListTransactionsResponse(throttleTimeMs: 0, errorCode: .none, unknownStateFilters: ["X"], transactionStates: [
            .init(transactionalId: "tx", producerId: 7, transactionState: "Ongoing"),
        ])
        try checkGolden(response, .listTransactions, 1, "00000000 0000 02 0258 02 037478 0000000000000007 08 4F6E676F696E67 00 00")
    }

    // MARK: - Headers

    @Test("Header versions follow each API's first flexible version",
          arguments: [(ApiKey.addPartitionsToTxn, Int16(3)), (.addOffsetsToTxn, 3), (.endTxn, 3), (.writeTxnMarkers, 1),
                      (.txnOffsetCommit, 3), (.describeProducers, 0), (.describeTransactions, 0), (.listTransactions, 0)])
    func headerVersions(apiKey: ApiKey, firstFlexible: Int16) {
        #expect(apiKey.firstFlexibleVersion == firstFlexible)
        for version in apiKey.codecVersions {
            #expect(apiKey.requestHeaderVersion(version) == (version >= firstFlexible ? 2 : 1), "\(apiKey) v\(version)")
            #expect(apiKey.responseHeaderVersion(version) == (version >= firstFlexible ? 1 : 0), "\(apiKey) v\(version)")
        }
    }

    @Test("Codec versions and request types")
    func codecVersions() {
        #expect(ApiKey.addPartitionsToTxn.codecVersions == 0...4 && ApiKey.addPartitionsToTxn.rawValue == 24)
        #expect(ApiKey.addOffsetsToTxn.codecVersions == 0...4 && ApiKey.addOffsetsToTxn.rawValue == 25)
        #expect(ApiKey.endTxn.codecVersions == 0...5 && ApiKey.endTxn.rawValue == 26)
        #expect(ApiKey.writeTxnMarkers.codecVersions == 0...1 && ApiKey.writeTxnMarkers.rawValue == 27)
        #expect(ApiKey.txnOffsetCommit.codecVersions == 0...4 && ApiKey.txnOffsetCommit.rawValue == 28)
        #expect(ApiKey.describeProducers.codecVersions == 0...0 && ApiKey.describeProducers.rawValue == 61)
        #expect(ApiKey.describeTransactions.codecVersions == 0...0 && ApiKey.describeTransactions.rawValue == 65)
        #expect(ApiKey.listTransactions.codecVersions == 0...1 && ApiKey.listTransactions.rawValue == 66)
        #expect(EndTxnRequest.apiKey == .endTxn && TxnOffsetCommitRequest.apiKey == .txnOffsetCommit)
    }
}
