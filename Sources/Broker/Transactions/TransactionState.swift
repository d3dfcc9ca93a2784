/// Where a transactional id's current transaction stands (Kafka's coordinator states; the raw
/// values are what the transaction log stores and the names what DescribeTransactions and
/// ListTransactions report).
///
/// Transitions (`TransactionCoordinator`): Empty/Complete* → Ongoing (AddPartitionsToTxn,
/// AddOffsetsToTxn); Ongoing → PrepareCommit/PrepareAbort (EndTxn, a timeout, a fencing
/// InitProducerId); Prepare* → Complete* once every marker is written; Empty/Complete* →
/// Empty (InitProducerId); Empty/Complete* → Dead (expiry of an idle transactional id).
enum TransactionState: Int8, Sendable, CaseIterable {
    case empty = 0
    case ongoing = 1
    case prepareCommit = 2
    case prepareAbort = 3
    case completeCommit = 4
    case completeAbort = 5
    case dead = 6
    case prepareEpochFence = 7

    /// Kafka's name for the state.
    var name: String {
        switch self {
        case .empty: "Empty"
        case .ongoing: "Ongoing"
        case .prepareCommit: "PrepareCommit"
        case .prepareAbort: "PrepareAbort"
        case .completeCommit: "CompleteCommit"
        case .completeAbort: "CompleteAbort"
        case .dead: "Dead"
        case .prepareEpochFence: "PrepareEpochFence"
        }
    }

    /// The state named `name` (case-insensitive), as ListTransactions filters give it.
    init?(name: String) {
        guard let state = Self.allCases.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        self = state
    }

    /// Whether markers are being written (requests other than a retry must wait).
    var isPreparing: Bool { self == .prepareCommit || self == .prepareAbort }

    /// Whether no transaction is open (a new one may begin).
    var isIdle: Bool { self == .empty || self == .completeCommit || self == .completeAbort }
}
