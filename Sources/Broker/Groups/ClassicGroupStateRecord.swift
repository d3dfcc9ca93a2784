import KafkaRecords

/// The stored membership of one classic group and the record format of the `classic-groups`
/// internal log — what Kafka keeps in `__consumer_offsets` as its `GroupMetadataValue`, here
/// as one full snapshot per group. Written when a generation becomes Stable (the leader's
/// SyncGroup), when a join phase ends with no members (Empty, generation bumped) and when a
/// static member of a Stable group is replaced by a new member id.
///
/// Key: `INT8 0` (version), STRING group id. The same group always gives the same bytes, so
/// the log compacts by it; a null value (tombstone) deletes the group.
///
/// Value (`INT8 0` version): INT32 generation, NSTRING protocol type, NSTRING protocol name,
/// NSTRING leader id, INT32 n, n × MEMBER in join order.
///
/// MEMBER: STRING member id, NSTRING group instance id, STRING client id, STRING client host,
/// INT32 session timeout ms, INT32 rebalance timeout ms, INT32 p, p × (STRING protocol name,
/// BYTES metadata) in the member's preference order, BYTES assignment.
///
/// STRING / NSTRING / BYTES as in `StateRecordFields`. Unlike Kafka, which keeps only the
/// chosen protocol's metadata, every protocol the member offered is stored: a member that
/// rejoins after a restart with the same protocols then changes nothing and causes no
/// rebalance (`GroupMember.hasSameProtocols`).
///
/// Not stored: session and rebalance deadlines, parked requests, KIP-394 pending member ids
/// (a restart forgets them; the client joins again). A decoded group is Stable when it has
/// members, else Empty.
enum ClassicGroupStateRecord {
    static func encodeKey(_ groupId: String) -> [UInt8] { StateRecordFields.encodeGroupKey(groupId) }

    /// The group id of a key written by `encodeKey`, or nil for anything else.
    static func decodeKey(_ bytes: [UInt8]) -> String? { StateRecordFields.decodeGroupKey(bytes) }

    /// The snapshot of `group` (meant for a Stable or Empty group: its members' current
    /// assignments and metadata).
    static func encodeValue(_ group: ConsumerGroup) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt8(0)
        writer.writeInt32(group.generationId)
        StateRecordFields.writeString(group.protocolType, to: &writer)
        StateRecordFields.writeString(group.protocolName, to: &writer)
        StateRecordFields.writeString(group.leaderId, to: &writer)
        let members = group.orderedMembers
        writer.writeInt32(Int32(clamping: members.count))
        for member in members {
            StateRecordFields.writeString(member.memberId, to: &writer)
            StateRecordFields.writeString(member.groupInstanceId, to: &writer)
            StateRecordFields.writeString(member.clientId, to: &writer)
            StateRecordFields.writeString(member.clientHost, to: &writer)
            writer.writeInt32(member.sessionTimeoutMs)
            writer.writeInt32(member.rebalanceTimeoutMs)
            writer.writeInt32(Int32(clamping: member.protocols.count))
            for entry in member.protocols {
                StateRecordFields.writeString(entry.name, to: &writer)
                StateRecordFields.writeBytes(entry.metadata, to: &writer)
            }
            StateRecordFields.writeBytes(member.assignment, to: &writer)
        }
        return writer.bytes
    }

    /// Decodes a value written by `encodeValue` as group `groupId`: Stable with its members
    /// (`lastHeardMillis` 0, the caller re-arms sessions) or Empty. Nil if malformed: unknown
    /// version, a count or length beyond the bytes present, a null where a value is required,
    /// a negative generation, non-positive timeouts, duplicate member or instance ids, members
    /// without a leader among them or without a protocol every member offered, a leader or
    /// protocol without members, trailing bytes.
    static func decodeValue(_ bytes: [UInt8], groupId: String) -> ConsumerGroup? {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readInt8() == 0 else { return nil }
            var group = ConsumerGroup(groupId: groupId)
            group.generationId = try reader.readInt32()
            group.protocolType = try StateRecordFields.readString(&reader)
            group.protocolName = try StateRecordFields.readString(&reader)
            group.leaderId = try StateRecordFields.readString(&reader)
            guard group.generationId >= 0 else { return nil }
            for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 32)) {
                guard let member = try readMember(&reader), group.members[member.memberId] == nil,
                      member.groupInstanceId.map({ group.staticMembers[$0] == nil }) ?? true else { return nil }
                group.add(member)
            }
            guard reader.remaining == 0 else { return nil }
            if group.members.isEmpty {
                guard group.leaderId == nil, group.protocolName == nil else { return nil }
                group.state = .empty
            } else {
                guard let leader = group.leaderId, group.members[leader] != nil, let name = group.protocolName,
                      group.members.values.allSatisfy({ $0.protocols.contains { $0.name == name } }) else { return nil }
                group.state = .stable
            }
            group.subscribedTopics = group.computeSubscribedTopics()
            return group
        } catch {
            return nil
        }
    }

    private static func readMember(_ reader: inout ByteReader) throws(ByteReaderError) -> GroupMember? {
        guard let memberId = try StateRecordFields.readString(&reader), !memberId.isEmpty else { return nil }
        let instanceId = try StateRecordFields.readString(&reader)
        guard let clientId = try StateRecordFields.readString(&reader), let clientHost = try StateRecordFields.readString(&reader) else { return nil }
        let session = try reader.readInt32()
        let rebalance = try reader.readInt32()
        guard session > 0, rebalance > 0 else { return nil }
        var protocols: [(name: String, metadata: [UInt8])] = []
        for _ in 0..<(try StateRecordFields.readCount(&reader, minimumSize: 8)) {
            guard let name = try StateRecordFields.readString(&reader), let metadata = try StateRecordFields.readBytes(&reader) else { return nil }
            protocols.append((name, metadata))
        }
        guard let assignment = try StateRecordFields.readBytes(&reader) else { return nil }
        var member = GroupMember(memberId: memberId, groupInstanceId: instanceId, clientId: clientId, clientHost: clientHost,
                                 sessionTimeoutMs: session, rebalanceTimeoutMs: rebalance, protocols: protocols, lastHeardMillis: 0)
        member.assignment = assignment
        return member
    }
}
