import KafkaRecords

/// The stored state of one consumer-protocol group (KIP-848) and the record format of the
/// `consumer-groups` internal log — what Kafka keeps in `__consumer_offsets` as its
/// `ConsumerGroupMetadata`, `ConsumerGroupMemberMetadata`, `ConsumerGroupTargetAssignment*` and
/// `ConsumerGroupCurrentMemberAssignment` records, here as one full snapshot per group.
///
/// Key: `INT8 0` (version), STRING group id. The same group always gives the same bytes, so
/// the log compacts by it; a null value (tombstone) deletes the group.
///
/// Value (`INT8 0` version): INT32 group epoch, INT32 assignment epoch, STRING assignor name,
/// COUNTS partition counts of the subscribed topics at the last target computation, INT32 n,
/// n × (STRING member id, ASSIGNMENT target), INT32 m, m × MEMBER.
///
/// MEMBER: STRING member id, NSTRING instance id, NSTRING rack id, INT32 member epoch, INT32
/// previous member epoch, INT8 state (0 stable, 1 unrevoked partitions, 2 unreleased
/// partitions), ASSIGNMENT assigned, ASSIGNMENT pending revocation, NAMES subscribed topic
/// names, NSTRING subscribed regex, NAMES topics the regex matched, NSTRING server assignor,
/// INT32 rebalance timeout ms, STRING client id, STRING client host.
///
/// STRING: INT32 length + UTF-8 (NSTRING: length -1 = null). NAMES: INT32 n, n × STRING.
/// COUNTS: INT32 n, n × (STRING topic, INT32 count). ASSIGNMENT: INT32 n, n × (STRING topic,
/// INT32 k, k × INT32 partition). Everything is written sorted (members and targets by id,
/// topics by name, partitions ascending), so equal groups give equal bytes — the coordinator
/// compares the encoding before and after a change to decide whether to write.
///
/// Not stored: session and rebalance deadlines (timers are re-armed at recovery, as Kafka does
/// when it loads a group).
enum ConsumerGroupStateRecord {
    static func encodeKey(_ groupId: String) -> [UInt8] { StateRecordFields.encodeGroupKey(groupId) }

    /// The group id of a key written by `encodeKey`, or nil for anything else.
    static func decodeKey(_ bytes: [UInt8]) -> String? { StateRecordFields.decodeGroupKey(bytes) }

    static func encodeValue(_ group: ConsumerProtocolGroup) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(0)
        writer.writeInt32(group.groupEpoch)
        writer.writeInt32(group.assignmentEpoch)
        StateRecordFields.writeString(group.assignorName, to: &writer)
        let topics = group.partitionCounts.keys.sorted()
        writer.writeInt32(Int32(clamping: topics.count))
        for topic in topics {
            StateRecordFields.writeString(topic, to: &writer)
            writer.writeInt32(Int32(clamping: group.partitionCounts[topic] ?? 0))
        }
        let targets = group.targetAssignment.keys.sorted()
        writer.writeInt32(Int32(clamping: targets.count))
        for id in targets {
            StateRecordFields.writeString(id, to: &writer)
            writeAssignment(group.targetAssignment[id] ?? [:], to: &writer)
        }
        let members = group.members.keys.sorted()
        writer.writeInt32(Int32(clamping: members.count))
        for id in members {
            guard let member = group.members[id] else { continue }
            StateRecordFields.writeString(member.memberId, to: &writer)
            StateRecordFields.writeString(member.instanceId, to: &writer)
            StateRecordFields.writeString(member.rackId, to: &writer)
            writer.writeInt32(member.memberEpoch)
            writer.writeInt32(member.previousMemberEpoch)
            writer.writeInt8(stateCode(member.state))
            writeAssignment(member.assigned, to: &writer)
            writeAssignment(member.pendingRevocation, to: &writer)
            writeNames(member.subscribedTopicNames, to: &writer)
            StateRecordFields.writeString(member.subscribedTopicRegex, to: &writer)
            writeNames(member.regexTopics, to: &writer)
            StateRecordFields.writeString(member.serverAssignor, to: &writer)
            writer.writeInt32(member.rebalanceTimeoutMs)
            StateRecordFields.writeString(member.clientId, to: &writer)
            StateRecordFields.writeString(member.clientHost, to: &writer)
        }
        return writer.bytes
    }

    /// Decodes a value written by `encodeValue` as group `groupId` (deadlines 0 / nil: the
    /// caller re-arms them); nil if malformed: unknown version or member state, a count or
    /// length beyond the bytes present, a negative partition or count, duplicate members,
    /// targets or topics, a member whose assigned and pending partitions overlap or whose state
    /// disagrees with its pending revocations, trailing bytes.
    static func decodeValue(_ bytes: [UInt8], groupId: String) -> ConsumerProtocolGroup? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 0 else { return nil }
            let groupEpoch = try reader.readInt32()
            let assignmentEpoch = try reader.readInt32()
            guard let assignorName = try StateRecordFields.readString(&reader) else { return nil }
            var group = ConsumerProtocolGroup(groupId: groupId, assignorName: assignorName)
            group.groupEpoch = groupEpoch
            group.assignmentEpoch = assignmentEpoch
            for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 8)) {
                guard let topic = try StateRecordFields.readString(&reader) else { return nil }
                let count = try reader.readInt32()
                guard count >= 0, group.partitionCounts.updateValue(Int(count), forKey: topic) == nil else { return nil }
            }
            for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 8)) {
                guard let id = try StateRecordFields.readString(&reader), let target = try readAssignment(&reader),
                      group.targetAssignment.updateValue(target, forKey: id) == nil else { return nil }
            }
            for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 40)) {
                guard let id = try StateRecordFields.readString(&reader) else { return nil }
                var member = ConsumerGroupMember(memberId: id)
                member.instanceId = try StateRecordFields.readString(&reader)
                member.rackId = try StateRecordFields.readString(&reader)
                member.memberEpoch = try reader.readInt32()
                member.previousMemberEpoch = try reader.readInt32()
                guard let state = state(try reader.readInt8()),
                      let assigned = try readAssignment(&reader), let pending = try readAssignment(&reader),
                      let names = try readNames(&reader) else { return nil }
                member.state = state
                member.assigned = assigned
                member.pendingRevocation = pending
                member.subscribedTopicNames = names
                member.subscribedTopicRegex = try StateRecordFields.readString(&reader)
                guard let regexTopics = try readNames(&reader) else { return nil }
                member.regexTopics = regexTopics
                member.serverAssignor = try StateRecordFields.readString(&reader)
                member.rebalanceTimeoutMs = try reader.readInt32()
                guard let clientId = try StateRecordFields.readString(&reader), let clientHost = try StateRecordFields.readString(&reader) else { return nil }
                member.clientId = clientId
                member.clientHost = clientHost
                let overlap = assigned.contains { topic, partitions in !(pending[topic]?.isDisjoint(with: partitions) ?? true) }
                guard !overlap, (state == .unrevokedPartitions) == pending.values.contains(where: { !$0.isEmpty }),
                      group.members.updateValue(member, forKey: id) == nil else { return nil }
            }
            guard reader.remaining == 0 else { return nil }
            return group
        } catch {
            return nil
        }
    }

    // MARK: - Fields

    private static func stateCode(_ state: ConsumerGroupMember.State) -> Int8 {
        switch state {
        case .stable: 0
        case .unrevokedPartitions: 1
        case .unreleasedPartitions: 2
        }
    }

    private static func state(_ code: Int8) -> ConsumerGroupMember.State? {
        switch code {
        case 0: .stable
        case 1: .unrevokedPartitions
        case 2: .unreleasedPartitions
        default: nil
        }
    }

    private static func writeNames(_ names: [String], to writer: inout ByteWriter) {
        writer.writeInt32(Int32(clamping: names.count))
        for name in names { StateRecordFields.writeString(name, to: &writer) }
    }

    /// Sorted names without duplicates, or nil.
    private static func readNames(_ reader: inout ByteReader) throws(ByteReaderError) -> [String]? {
        var names: [String] = []
        for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 4)) {
            guard let name = try StateRecordFields.readString(&reader), names.last.map({ $0 < name }) ?? true else { return nil }
            names.append(name)
        }
        return names
    }

    private static func writeAssignment(_ assignment: ConsumerAssignment, to writer: inout ByteWriter) {
        let topics = assignment.keys.sorted()
        writer.writeInt32(Int32(clamping: topics.count))
        for topic in topics {
            StateRecordFields.writeString(topic, to: &writer)
            let partitions = (assignment[topic] ?? []).sorted()
            writer.writeInt32(Int32(clamping: partitions.count))
            for partition in partitions { writer.writeInt32(partition) }
        }
    }

    private static func readAssignment(_ reader: inout ByteReader) throws(ByteReaderError) -> ConsumerAssignment? {
        var assignment: ConsumerAssignment = [:]
        for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 8)) {
            guard let topic = try StateRecordFields.readString(&reader), assignment[topic] == nil else { return nil }
            var partitions = Set<Int32>()
            for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 4)) {
                let partition = try reader.readInt32()
                guard partition >= 0, partitions.insert(partition).inserted else { return nil }
            }
            assignment[topic] = partitions
        }
        return assignment
    }
}
