import KafkaProtocol
public import LogStorage
public import SystemIO
import Synchronization

/// The request handlers: a request frame in, a `BrokerReply` out. No sockets; the clock and the
/// store are injected, so tests drive it with frames and read responses back.
///
/// Requests that must wait (a long-poll Fetch, a JoinGroup or SyncGroup during a rebalance, a
/// Produce waiting for its fsync) never block a thread in `process`: they come back as
/// `.pending` and wait in the `Purgatory` until an append, a sync or the coordinator completes
/// them, or their deadline passes (`tick`/`expireDelayed`).
///
/// Thread-safety: `process` and `handle` may be called from many threads at once; state lives
/// in the `LogStore` (thread-safe), the group coordinator and the purgatory (locked).
public final class Broker: Sendable {
    public let config: BrokerConfig
    public let store: LogStore
    let time: any TimeSource
    let logger: Logger
    private let stopping = Mutex(false)
    /// Requests waiting to be answered (long polls, joins, produce syncs).
    let purgatory: Purgatory
    /// Runs the fsyncs of `durability=always` appends off the request threads.
    let syncs: SyncScheduler
    /// Request and traffic counters, or nil when metrics are off (nothing is then recorded).
    public let metrics: BrokerMetrics?

    /// How many Fetch requests are waiting for data right now (a metric; tests poll it).
    public var parkedFetches: Int { purgatory.count(.fetch) }

    /// Stops parking requests and answers the waiting ones at once (fetches with what they
    /// have), so connections can finish their in-flight requests quickly during a graceful
    /// shutdown.
    public func beginShutdown() {
        stopping.withLock { $0 = true }
        purgatory.completeAll()
    }

    /// The watch key of a partition in the purgatory (appends, syncs and deletions notify it).
    static func partitionKey(_ topic: String, _ partition: Int32) -> String { "\(topic)/\(partition)" }

    var isStopping: Bool { stopping.withLock { $0 } }

    let coordinator: GroupCoordinator
    let offsets: OffsetStore
    let producerIds: ProducerIdAllocator
    private let offsetsLog: PartitionLog
    /// Consumer-protocol groups' state (`ConsumerGroupStateLog`).
    private let consumerGroupsLog: PartitionLog
    /// The classic groups' membership log (`ClassicGroupStateLog`).
    private let classicGroupsLog: PartitionLog
    /// The transaction coordinator (transactional ids, their producers and transactions).
    let transactions: TransactionCoordinator
    /// Writes commit/abort markers (for the coordinator and WriteTxnMarkers).
    let markerWriter: BrokerMarkerWriter
    /// Consumer-protocol groups (KIP-848): membership, epochs and server-side assignment.
    let consumerGroups: ConsumerGroupCoordinator
    /// Share-group membership (KIP-932) and the members' share sessions.
    let shareGroups: ShareGroupCoordinator
    let shareSessions = ShareSessionCache()
    /// Share partitions' record states, durable in the internal log `share-state`.
    let sharePartitions: SharePartitionStore
    /// Users' SCRAM credentials (AlterUserScramCredentials, `--sasl-users`), durable.
    public let scramCredentials: ScramCredentialStore
    /// The SASL mechanisms' server sides over `scramCredentials`.
    let saslMechanisms: SaslMechanisms
    /// The ACL authorizer and its durable ACLs (`config.aclAuthorizer`), else nil.
    public let authorizer: AclAuthorizer?
    /// The API versions this broker advertises (ApiVersions) and accepts.
    let advertised: [ApiVersionRange]
    /// Run-time broker and group configs (persisted; see `DynamicConfigs`).
    let dynamicConfigs: Mutex<DynamicConfigs>
    /// Held by each config alteration from reading the dynamic configs to committing them.
    let configAlterations = Mutex(())
    /// The data directory's absolute path: the one log directory DescribeLogDirs reports.
    let logDirectory: String

    /// The committed-offsets log: synced before a commit is acknowledged, never deleted by age,
    /// and compacted by key (the latest commit per group/topic/partition is all that matters),
    /// so its size and the replay at start-up stay bounded however many commits groups make —
    /// Kafka's `__consumer_offsets` settings, with smaller segments so compaction keeps up
    /// sooner.
    static func offsetsLogConfig(segmentBytes: Int) -> LogConfig { InternalLog.compactedStateConfig(segmentBytes: segmentBytes) }

    /// Opens the broker's own state in the store (committed offsets), replaying it.
    /// `metrics`: where request-path metrics go (nil: none are recorded).
    public init(config: BrokerConfig, store: LogStore, time: any TimeSource = SystemTimeSource(), logger: Logger = Logger(component: "broker"),
                metrics: BrokerMetrics? = nil) throws {
        self.config = config
        self.metrics = metrics
        self.store = store
        self.time = time
        self.logger = logger
        advertised = SupportedVersions.advertised(shareGroups: config.shareGroups, consumerGroups: config.consumerGroupProtocol)
        let purgatory = Purgatory()
        self.purgatory = purgatory
        // Many syncs in flight at once let the file system batch them into shared journal
        // commits (on this project's ext4 VM: 1 thread ~540 fdatasyncs/s, 16 threads ~21,800/s).
        syncs = SyncScheduler(threads: 16, logger: logger.named("sync")) { key in purgatory.notify(key) }
        logDirectory = FileSystemCalls.absolutePath(store.dataDirectory)
        offsetsLog = try store.openInternalLog(name: "consumer-offsets", config: Self.offsetsLogConfig(segmentBytes: config.offsetsSegmentBytes))
        offsets = try OffsetStore(log: offsetsLog)
        classicGroupsLog = try store.openInternalLog(name: ClassicGroupStateLog.name,
                                                     config: ClassicGroupStateLog.config(segmentBytes: config.offsetsSegmentBytes))
        coordinator = GroupCoordinator(settings: config.groups, time: time, logger: logger.named("groups"),
                                       stateLog: ClassicGroupStateLog(log: classicGroupsLog))
        shareGroups = ShareGroupCoordinator(time: time, logger: logger.named("share-groups")) { [store] topic in
            store.topic(topic).map { $0.config.partitionCount }
        }
        consumerGroupsLog = try store.openInternalLog(name: ConsumerGroupStateLog.name,
                                                      config: ConsumerGroupStateLog.config(segmentBytes: config.offsetsSegmentBytes))
        consumerGroups = ConsumerGroupCoordinator(logger: logger.named("consumer-groups"), partitionCount: { [store] topic in
            store.topic(topic).map { Int($0.config.partitionCount) }
        }, topicNames: { [store] in store.topics.map(\.name) }, stateLog: ConsumerGroupStateLog(log: consumerGroupsLog))
        producerIds = try ProducerIdAllocator(store: store)
        scramCredentials = try ScramCredentialStore(store: store)
        saslMechanisms = SaslMechanisms(credentials: scramCredentials)
        authorizer = config.aclAuthorizer
            ? try AclAuthorizer(store: store, superUsers: config.superUsers, allowEveryoneIfNoAclFound: config.allowEveryoneIfNoAclFound)
            : nil
        let transactionLog = try store.openInternalLog(name: "transactions", config: TransactionLog.config(segmentBytes: config.offsetsSegmentBytes))
        markerWriter = BrokerMarkerWriter(store: store, offsets: offsets, purgatory: purgatory, time: time)
        transactions = TransactionCoordinator(settings: config.transactions, log: TransactionLog(log: transactionLog), writer: markerWriter,
                                              producerIds: producerIds, time: time, logger: logger.named("transactions"))
        // Finishes the transactions decided before the last stop before any request is served.
        try transactions.recover()
        let shareStateLog = try store.openInternalLog(name: "share-state", config: InternalLog.compactedStateConfig(segmentBytes: config.offsetsSegmentBytes))
        sharePartitions = SharePartitionStore(log: ShareStateLog(log: shareStateLog), time: time)
        var dynamic = DynamicConfigs()
        if let bytes = try store.readInternalFile(DynamicConfigs.fileName) {
            guard let parsed = DynamicConfigs.parse(bytes) else {
                throw LogStorageError.corrupt(path: "\(store.dataDirectory)/internal/\(DynamicConfigs.fileName)", position: 0,
                                              reason: "unreadable dynamic configs")
            }
            dynamic = parsed
        }
        dynamicConfigs = Mutex(dynamic)
        store.updateLayers(BrokerConfigLayers(dynamicBroker: dynamic.broker, dynamicDefault: dynamic.brokerDefault, staticConfig: config.staticConfigs))
        let shareLogger = logger.named("share-groups")
        try sharePartitions.recover(settings: { self.shareGroupSettings($0.group) }) { offset in
            shareLogger.warning("share-state log: skipped an unreadable record at offset \(offset)")
        }
        // Consumer-protocol groups come back with their members, epochs and assignments; their
        // session timers start again now (Kafka re-arms them when it loads a group).
        let groupLogger = logger.named("consumer-groups")
        let recovered = try consumerGroups.recover(now: time.wallMillis(), limits: { self.consumerGroupLimits($0) }) { offset in
            groupLogger.warning("\(ConsumerGroupStateLog.name) log: skipped an unreadable record at offset \(offset)")
        }
        if recovered > 0 { groupLogger.info("recovered \(recovered) consumer group(s)") }
        // Classic groups come back Stable (or Empty) with their generations and assignments,
        // sessions restarting now. Ids are one namespace: a consumer-protocol group with members
        // keeps its id, and an empty classic group yields to any consumer-protocol group (as
        // JoinGroup and ConsumerGroupHeartbeat keep them apart while running).
        let classicLogger = logger.named("groups")
        let consumerGroups = consumerGroups
        let classic = try coordinator.recover(excluded: { id, hasMembers in
            consumerGroups.hasMembers(id) || (!hasMembers && consumerGroups.describe(id) != nil)
        }) { offset in
            classicLogger.warning("\(ClassicGroupStateLog.name) log: skipped an unreadable record at offset \(offset)")
        }
        if classic > 0 { classicLogger.info("loaded \(classic) classic group(s)") }
    }

    /// Advances group timers (session expiry, rebalance deadlines) and answers waiting requests
    /// whose deadline passed. The server calls it every 100 ms (and `expireDelayed` at each
    /// request deadline); tests call it after moving a manual clock.
    public func tick() {
        coordinator.tick()
        for removal in consumerGroups.tick(now: time.wallMillis()) {
            logger.info("consumer group \(removal.groupId): member \(removal.memberId) removed (\(removal.reason.rawValue))")
        }
        transactions.tick()
        for (groupId, memberId) in shareGroups.tick(limits: shareGroupLimits) {
            shareSessions.remove(groupId: groupId, memberId: memberId)
            _ = sharePartitions.releaseAll(group: groupId, memberId: memberId)
        }
        dropAbandonedShareSessions()
        sharePartitions.expireLocks()
        expireDelayed()
    }

    /// Answers the waiting requests whose deadline passed (by the broker's clock).
    public func expireDelayed() {
        purgatory.expire(now: time.monotonicNanos())
    }

    /// The earliest deadline of a waiting request, on the broker's monotonic clock (nanoseconds).
    public var nextDelayedDeadline: UInt64? { purgatory.nextDeadline }

    /// JoinGroup requests currently waiting for their join phase to end (a metric; tests poll it).
    public var parkedJoins: Int { purgatory.count(.join) }

    /// Closes the broker's own logs cleanly (call after the last request).
    public func close() throws {
        syncs.stop()
        try offsetsLog.close()
        try consumerGroupsLog.close()
        try classicGroupsLog.close()
        try transactions.close()
        try sharePartitions.close()
    }

    /// Handles one request frame and blocks until its reply is ready (a waiting request
    /// blocks the calling thread; its deadline is enforced here too). For tests and simple
    /// callers; the server uses `process`.
    public func handle(frame: [UInt8], clientHost: String = "unknown") -> BrokerReply {
        handle(frame: frame, context: defaultContext(clientHost: clientHost))
    }

    /// `handle` for a request from `context` (listener, principal).
    public func handle(frame: [UInt8], context: RequestContext) -> BrokerReply {
        let reply = process(frame: frame, context: context)
        guard case .pending(let pending) = reply else { return reply }
        while true {
            if let reply = pending.wait(timeoutNanos: 5_000_000) { return reply }
            expireDelayed()
        }
    }

    /// Handles one request frame (without its length prefix) from `clientHost` (the peer
    /// address, reported in DescribeGroups) without blocking on anything that waits: such a
    /// request comes back as `.pending`, answered later through its `PendingReply`.
    public func process(frame: [UInt8], clientHost: String = "unknown") -> BrokerReply {
        process(frame: frame, context: defaultContext(clientHost: clientHost))
    }

    /// A request context on the first listener, as an anonymous principal (tests, callers
    /// without a connection).
    public func defaultContext(clientHost: String = "unknown") -> RequestContext {
        RequestContext(clientHost: clientHost, listener: config.endpoints[0])
    }

    /// Handles one request frame from `context` (the server's connections): as
    /// `process(frame:clientHost:)`, answering addresses of the context's listener.
    public func process(frame: [UInt8], context: RequestContext) -> BrokerReply {
        let header: RequestHeader
        var body: ProtocolReader
        do {
            (header, body) = try RequestHeader.decode(frame)
        } catch {
            return .close(reason: "cannot read request header: \(error)")
        }
        let key = header.apiKey
        let version = header.apiVersion
        if key == .apiVersions, let range = SupportedVersions.range(for: .apiVersions), !range.contains(version) {
            // KIP-511: answer a too-new ApiVersions in the v0 layout with our range for key 18.
            let response = ApiVersionsResponse(errorCode: .unsupportedVersion, apiKeys: [range])
            metrics?.requests.recordErrors(apiKey: .apiVersions, response)
            return .respond(FrameCodec.encodeResponse(response, apiKey: .apiVersions, version: 0, correlationId: header.correlationId), files: [])
        }
        guard let range = advertised.first(where: { $0.apiKey == key }), range.contains(version) else {
            return .close(reason: "unsupported \(key) v\(version)")
        }
        do {
            return try dispatch(header, &body, context: context)
        } catch {
            return .close(reason: "malformed \(key) v\(version) request: \(error)")
        }
    }

    /// Turns a response (and the file regions its records refer to) into the reply frame for
    /// `header`'s request; escapes into waiting requests, so it captures only the header's values.
    typealias Encoder = @Sendable (any ProtocolMessage, [FileRegion]) -> BrokerReply

    private func encoder(_ header: RequestHeader) -> Encoder {
        let apiKey = header.apiKey
        let version = header.apiVersion
        let correlationId = header.correlationId
        let requests = metrics?.requests
        return { response, files in
            requests?.recordErrors(apiKey: apiKey, response)
            return .respond(FrameCodec.encodeResponse(response, apiKey: apiKey, version: version, correlationId: correlationId), files: files)
        }
    }

    private func dispatch(_ header: RequestHeader, _ body: inout ProtocolReader, context: RequestContext) throws(ProtocolError) -> BrokerReply {
        let version = header.apiVersion
        func reply(_ response: some ProtocolMessage, files: [FileRegion] = []) -> BrokerReply {
            metrics?.requests.recordErrors(apiKey: header.apiKey, response)
            return .respond(FrameCodec.encodeResponse(response, apiKey: header.apiKey, version: version, correlationId: header.correlationId), files: files)
        }
        switch header.apiKey {
        case .apiVersions:
            // Unparseable client software strings are not our business (KIP-511): answer anyway.
            _ = try? ApiVersionsRequest(from: &body, version: version)
            return reply(ApiVersionsResponse(apiKeys: advertised))
        case .metadata:
            return reply(handleMetadata(try MetadataRequest(from: &body, version: version), version: version, context: context))
        case .createTopics:
            return createTopicsWithinTimeout(try CreateTopicsRequest(from: &body, version: version), version: version, context: context, encode: encoder(header))
        case .deleteTopics:
            return reply(handleDeleteTopics(try DeleteTopicsRequest(from: &body, version: version), version: version, context: context))
        case .describeConfigs:
            return reply(handleDescribeConfigs(try DescribeConfigsRequest(from: &body, version: version), version: version, context: context))
        case .listOffsets:
            return reply(handleListOffsets(try ListOffsetsRequest(from: &body, version: version), version: version, context: context))
        case .produce:
            return handleProduce(try ProduceRequest(from: &body, version: version), version: version, context: context, encode: encoder(header))
        case .fetch:
            return handleFetch(try FetchRequest(from: &body, version: version), version: version, context: context, encode: encoder(header))
        case .findCoordinator:
            return reply(handleFindCoordinator(try FindCoordinatorRequest(from: &body, version: version), version: version, context: context))
        case .joinGroup:
            return handleJoinGroup(try JoinGroupRequest(from: &body, version: version), version: version, clientId: header.clientId ?? "",
                                   context: context, encode: encoder(header))
        case .syncGroup:
            return handleSyncGroup(try SyncGroupRequest(from: &body, version: version), version: version, context: context, encode: encoder(header))
        case .heartbeat:
            return reply(handleHeartbeat(try HeartbeatRequest(from: &body, version: version), version: version, context: context))
        case .leaveGroup:
            return reply(handleLeaveGroup(try LeaveGroupRequest(from: &body, version: version), version: version, context: context))
        case .offsetCommit:
            return reply(handleOffsetCommit(try OffsetCommitRequest(from: &body, version: version), version: version, context: context))
        case .offsetFetch:
            return reply(handleOffsetFetch(try OffsetFetchRequest(from: &body, version: version), version: version, context: context))
        case .listGroups:
            return reply(handleListGroups(try ListGroupsRequest(from: &body, version: version), version: version, context: context))
        case .describeGroups:
            return reply(handleDescribeGroups(try DescribeGroupsRequest(from: &body, version: version), version: version, context: context))
        case .initProducerId:
            return reply(handleInitProducerId(try InitProducerIdRequest(from: &body, version: version), version: version, context: context))
        case .deleteGroups:
            return reply(handleDeleteGroups(try DeleteGroupsRequest(from: &body, version: version), version: version, context: context))
        case .incrementalAlterConfigs:
            return reply(handleIncrementalAlterConfigs(try IncrementalAlterConfigsRequest(from: &body, version: version), version: version, context: context))
        case .alterConfigs:
            return reply(handleAlterConfigs(try AlterConfigsRequest(from: &body, version: version), version: version, context: context))
        case .createPartitions:
            return reply(handleCreatePartitions(try CreatePartitionsRequest(from: &body, version: version), version: version, context: context))
        case .deleteRecords:
            return reply(handleDeleteRecords(try DeleteRecordsRequest(from: &body, version: version), version: version, context: context))
        case .offsetDelete:
            return reply(handleOffsetDelete(try OffsetDeleteRequest(from: &body, version: version), version: version, context: context))
        case .describeLogDirs:
            return reply(handleDescribeLogDirs(try DescribeLogDirsRequest(from: &body, version: version), version: version, context: context))
        case .describeCluster:
            return reply(handleDescribeCluster(try DescribeClusterRequest(from: &body, version: version), version: version, context: context))
        case .offsetForLeaderEpoch:
            return reply(handleOffsetForLeaderEpoch(try OffsetForLeaderEpochRequest(from: &body, version: version), version: version, context: context))
        case .electLeaders:
            return reply(handleElectLeaders(try ElectLeadersRequest(from: &body, version: version), version: version, context: context))
        case .addPartitionsToTxn:
            return reply(handleAddPartitionsToTxn(try AddPartitionsToTxnRequest(from: &body, version: version), version: version, context: context))
        case .addOffsetsToTxn:
            return reply(handleAddOffsetsToTxn(try AddOffsetsToTxnRequest(from: &body, version: version), version: version, context: context))
        case .endTxn:
            return reply(handleEndTxn(try EndTxnRequest(from: &body, version: version), version: version, context: context))
        case .writeTxnMarkers:
            return reply(handleWriteTxnMarkers(try WriteTxnMarkersRequest(from: &body, version: version), version: version, context: context))
        case .txnOffsetCommit:
            return reply(handleTxnOffsetCommit(try TxnOffsetCommitRequest(from: &body, version: version), version: version, context: context))
        case .describeProducers:
            return reply(handleDescribeProducers(try DescribeProducersRequest(from: &body, version: version), version: version, context: context))
        case .describeTransactions:
            return reply(handleDescribeTransactions(try DescribeTransactionsRequest(from: &body, version: version), version: version, context: context))
        case .listTransactions:
            return reply(handleListTransactions(try ListTransactionsRequest(from: &body, version: version), version: version, context: context))
        case .consumerGroupHeartbeat:
            return reply(handleConsumerGroupHeartbeat(try ConsumerGroupHeartbeatRequest(from: &body, version: version), version: version,
                                                      clientId: header.clientId ?? "", context: context))
        case .consumerGroupDescribe:
            return reply(handleConsumerGroupDescribe(try ConsumerGroupDescribeRequest(from: &body, version: version), version: version, context: context))
        case .shareGroupHeartbeat:
            return reply(handleShareGroupHeartbeat(try ShareGroupHeartbeatRequest(from: &body, version: version), version: version,
                                                   clientId: header.clientId ?? "", context: context))
        case .shareFetch:
            return handleShareFetch(try ShareFetchRequest(from: &body, version: version), version: version, context: context, encode: encoder(header))
        case .shareAcknowledge:
            return reply(handleShareAcknowledge(try ShareAcknowledgeRequest(from: &body, version: version), version: version, context: context))
        case .describeShareGroupOffsets:
            return reply(handleDescribeShareGroupOffsets(try DescribeShareGroupOffsetsRequest(from: &body, version: version), version: version, context: context))
        case .alterShareGroupOffsets:
            return reply(handleAlterShareGroupOffsets(try AlterShareGroupOffsetsRequest(from: &body, version: version), version: version, context: context))
        case .deleteShareGroupOffsets:
            return reply(handleDeleteShareGroupOffsets(try DeleteShareGroupOffsetsRequest(from: &body, version: version), version: version, context: context))
        case .shareGroupDescribe:
            return reply(handleShareGroupDescribe(try ShareGroupDescribeRequest(from: &body, version: version), version: version, context: context))
        case .saslHandshake:
            // Reached only where no login is under way: a PLAINTEXT listener, or a connection
            // already authenticated (re-authentication is declined), as Kafka's KafkaApis answers.
            _ = try SaslHandshakeRequest(from: &body, version: version)
            return reply(SaslHandshakeResponse(errorCode: .illegalSaslState, mechanisms: []))
        case .saslAuthenticate:
            _ = try SaslAuthenticateRequest(from: &body, version: version)
            return reply(SaslAuthenticateResponse(errorCode: .illegalSaslState,
                                                  errorMessage: "SaslAuthenticate request received after successful authentication",
                                                  authBytes: []))
        case .describeUserScramCredentials:
            return reply(handleDescribeUserScramCredentials(try DescribeUserScramCredentialsRequest(from: &body, version: version), context: context))
        case .alterUserScramCredentials:
            return reply(handleAlterUserScramCredentials(try AlterUserScramCredentialsRequest(from: &body, version: version), context: context))
        case .describeAcls:
            return reply(handleDescribeAcls(try DescribeAclsRequest(from: &body, version: version), context: context))
        case .createAcls:
            return reply(handleCreateAcls(try CreateAclsRequest(from: &body, version: version), context: context))
        case .deleteAcls:
            return reply(handleDeleteAcls(try DeleteAclsRequest(from: &body, version: version), context: context))
        case .listPartitionReassignments:
            return reply(handleListPartitionReassignments(try ListPartitionReassignmentsRequest(from: &body, version: version), version: version, context: context))
        }
    }
}
