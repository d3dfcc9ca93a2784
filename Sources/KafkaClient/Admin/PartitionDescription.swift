/// One partition of a described topic: its leader and replica sets (node ids).
/// A value type; `Sendable`.
public struct PartitionDescription: Sendable, Equatable {
    /// The partition index.
    public var partition: Int32
    /// The leader's node id, −1 when the partition has no leader.
    public var leader: Int32
    /// The leader epoch (Metadata v7+), −1 when unknown.
    public var leaderEpoch: Int32
    /// Every replica's node id (the first is the preferred leader).
    public var replicas: [Int32]
    /// The in-sync replicas' node ids.
    public var isr: [Int32]
    /// Replicas whose log directory is offline (Metadata v5+).
    public var offlineReplicas: [Int32]

    /// A partition description.
    public init(partition: Int32, leader: Int32, leaderEpoch: Int32 = -1, replicas: [Int32], isr: [Int32], offlineReplicas: [Int32] = []) {
        self.partition = partition
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.isr = isr
        self.offlineReplicas = offlineReplicas
    }
}
