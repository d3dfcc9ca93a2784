/// The durable membership of every classic group: the internal log `internal/classic-groups`,
/// one `ClassicGroupStateRecord` snapshot per stored change of a group (see that type for when
/// and what), a tombstone when DeleteGroups deletes it (see `GroupStateLog`).
typealias ClassicGroupStateLog = GroupStateLog<ClassicGroupStateRecord>

extension ClassicGroupStateRecord: GroupSnapshotFormat {
    static let logName = "classic-groups"
}
