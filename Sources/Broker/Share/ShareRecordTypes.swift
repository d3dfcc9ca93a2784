/// The delivery state of an in-flight record of a share partition. The raw values are Kafka's
/// (`RecordState`: 0 available, 1 acquired, 2 acknowledged, 4 archived) and are what
/// `ShareStateRecord` stores.
///
/// Transitions: available → acquired (delivery count + 1); acquired → available (release, lock
/// expiry, member gone; archived instead once the count reached the limit), acknowledged
/// (accept) or archived (reject, gap). Acknowledged and archived are final.
public enum ShareRecordState: Int8, Sendable, Equatable {
    case available = 0
    case acquired = 1
    case acknowledged = 2
    case archived = 4

    /// Acknowledged or archived: never delivered again.
    public var isFinal: Bool { self == .acknowledged || self == .archived }
}

/// An acknowledgement type of ShareFetch/ShareAcknowledge (`AcknowledgeTypes` on the wire).
public enum ShareAckType: Int8, Sendable, Equatable {
    /// The offset holds no record (compacted away, a control record): archived.
    case gap = 0
    /// Processed: acknowledged, never delivered again.
    case accept = 1
    /// Not processed: available again for any member (delivery count kept).
    case release = 2
    /// Unprocessable: archived, never delivered again.
    case reject = 3
    /// Still being processed: the lock is extended by the lock duration (KIP-1222, Kafka 4.2).
    case renew = 4
}

/// How `SharePartition.acquire` counts `maxRecords` (ShareFetch v2 `ShareAcquireMode`, KIP-1206).
public enum ShareAcquireMode: Int8, Sendable, Equatable {
    /// `maxRecords` is a soft limit checked between fetched batches: whole batches are acquired.
    case batchOptimized = 0
    /// `maxRecords` is a hard limit: at most that many records are acquired.
    case recordLimit = 1
}

/// A run of records given to one member (ShareFetch's `AcquiredRecords`): offsets
/// `firstOffset...lastOffset`, each delivered `deliveryCount` times including this delivery.
public struct ShareAcquiredRecords: Sendable, Equatable {
    public var firstOffset: Int64
    public var lastOffset: Int64
    public var deliveryCount: Int16

    public init(firstOffset: Int64, lastOffset: Int64, deliveryCount: Int16) {
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.deliveryCount = deliveryCount
    }
}

/// One acknowledgement batch as it arrives on the wire: `firstOffset...lastOffset` and either a
/// single type for the whole batch or one type per offset. Types are the raw wire values;
/// `SharePartition.acknowledge` validates them.
public struct ShareAckBatch: Sendable, Equatable {
    public var firstOffset: Int64
    public var lastOffset: Int64
    public var types: [Int8]

    public init(firstOffset: Int64, lastOffset: Int64, types: [Int8]) {
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.types = types
    }

    public init(firstOffset: Int64, lastOffset: Int64, type: ShareAckType) {
        self.init(firstOffset: firstOffset, lastOffset: lastOffset, types: [type.rawValue])
    }

    /// The type of `offset`, or nil if the value is unknown or the batch has no type for it.
    func type(at offset: Int64) -> ShareAckType? {
        if types.count == 1 { return ShareAckType(rawValue: types[0]) }
        let (index, overflow) = offset.subtractingReportingOverflow(firstOffset)
        guard !overflow, index >= 0, index < Int64(types.count) else { return nil }
        return ShareAckType(rawValue: types[Int(index)])
    }
}

/// The errors share-partition operations answer with; raw values are Kafka's error codes
/// (`ErrorCode(rawValue:)` maps those the protocol module knows).
public enum ShareError: Int16, Sendable, Equatable, Error {
    case none = 0
    /// The state could not be stored (KAFKA_STORAGE_ERROR); nothing changed.
    case kafkaStorageError = 56
    /// Malformed acknowledgements: first > last, overlapping or out-of-order batches, a type
    /// count that fits neither 1 nor the batch length, an unknown type, offsets past anything
    /// ever acquired (INVALID_REQUEST).
    case invalidRequest = 42
    /// The offsets are not acquired by this member (never acquired, acquired by another
    /// member, lock expired, already acknowledged) (INVALID_RECORD_STATE).
    case invalidRecordState = 121
}

/// A contiguous run of in-flight offsets in one state (the unit `SharePartition` keeps and
/// `ShareStateRecord` stores, Kafka's `PersisterStateBatch` plus the live lock).
///
/// Invariant: `firstOffset <= lastOffset`; `memberId` is non-nil and `lockDeadline` meaningful
/// only while `state == .acquired`.
public struct ShareStateBatch: Sendable, Equatable {
    public var firstOffset: Int64
    public var lastOffset: Int64
    public var state: ShareRecordState
    public var deliveryCount: Int16
    public var memberId: String?
    /// Wall-clock ms at which an acquired run's lock expires.
    public var lockDeadline: Int64

    public init(firstOffset: Int64, lastOffset: Int64, state: ShareRecordState, deliveryCount: Int16,
                memberId: String? = nil, lockDeadline: Int64 = 0) {
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.state = state
        self.deliveryCount = deliveryCount
        self.memberId = memberId
        self.lockDeadline = lockDeadline
    }

    var count: Int64 { lastOffset - firstOffset + 1 }

    /// Whether `other` (starting right after this run) can be merged into it.
    func continues(into other: ShareStateBatch) -> Bool {
        lastOffset + 1 == other.firstOffset && state == other.state && deliveryCount == other.deliveryCount
            && memberId == other.memberId && lockDeadline == other.lockDeadline
    }
}
