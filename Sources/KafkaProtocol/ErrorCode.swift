/// Kafka error codes (the numbers and names of Kafka's `Errors.java`).
///
/// Decoders map a code this enum does not list to `.unknownServerError` via `init(code:)`,
/// keeping the raw number in `ProtocolError` only where it matters.
public enum ErrorCode: Int16, Sendable, Equatable {
    case unknownServerError = -1
    case none = 0
    case offsetOutOfRange = 1
    case corruptMessage = 2
    case unknownTopicOrPartition = 3
    case invalidFetchSize = 4
    case leaderNotAvailable = 5
    case notLeaderOrFollower = 6
    case requestTimedOut = 7
    case brokerNotAvailable = 8
    case replicaNotAvailable = 9
    case messageTooLarge = 10
    case staleControllerEpoch = 11
    case offsetMetadataTooLarge = 12
    case networkException = 13
    case coordinatorLoadInProgress = 14
    case coordinatorNotAvailable = 15
    case notCoordinator = 16
    case invalidTopicException = 17
    case recordListTooLarge = 18
    case notEnoughReplicas = 19
    case notEnoughReplicasAfterAppend = 20
    case invalidRequiredAcks = 21
    case illegalGeneration = 22
    case inconsistentGroupProtocol = 23
    case invalidGroupId = 24
    case unknownMemberId = 25
    case invalidSessionTimeout = 26
    case rebalanceInProgress = 27
    case invalidCommitOffsetSize = 28
    case topicAuthorizationFailed = 29
    case groupAuthorizationFailed = 30
    case clusterAuthorizationFailed = 31
    case invalidTimestamp = 32
    case unsupportedSaslMechanism = 33
    case illegalSaslState = 34
    case unsupportedVersion = 35
    case topicAlreadyExists = 36
    case invalidPartitions = 37
    case invalidReplicationFactor = 38
    case invalidReplicaAssignment = 39
    case invalidConfig = 40
    case notController = 41
    case invalidRequest = 42
    case unsupportedForMessageFormat = 43
    case policyViolation = 44
    case outOfOrderSequenceNumber = 45
    case duplicateSequenceNumber = 46
    case invalidProducerEpoch = 47
    case invalidTxnState = 48
    case invalidProducerIdMapping = 49
    case invalidTransactionTimeout = 50
    case concurrentTransactions = 51
    case transactionCoordinatorFenced = 52
    case transactionalIdAuthorizationFailed = 53
    case securityDisabled = 54
    case operationNotAttempted = 55
    case kafkaStorageError = 56
    case logDirNotFound = 57
    case saslAuthenticationFailed = 58
    case unknownProducerId = 59
    case reassignmentInProgress = 60
    case nonEmptyGroup = 68
    case groupIdNotFound = 69
    case fetchSessionIdNotFound = 70
    case invalidFetchSessionEpoch = 71
    case listenerNotFound = 72
    case topicDeletionDisabled = 73
    case fencedLeaderEpoch = 74
    case unknownLeaderEpoch = 75
    case unsupportedCompressionType = 76
    case staleBrokerEpoch = 77
    case offsetNotAvailable = 78
    case memberIdRequired = 79
    case preferredLeaderNotAvailable = 80
    case groupMaxSizeReached = 81
    case fencedInstanceId = 82
    case electionNotNeeded = 84
    case groupSubscribedToTopic = 86
    case throttlingQuotaExceeded = 89
    case producerFenced = 90
    case unstableOffsetCommit = 88
    case invalidRecord = 87
    case resourceNotFound = 91
    case duplicateResource = 92
    case unacceptableCredential = 93
    case unknownTopicId = 100
    case transactionalIdNotFound = 105
    case fencedMemberEpoch = 110
    case unreleasedInstanceId = 111
    case unsupportedAssignor = 112
    case staleMemberEpoch = 113
    case mismatchedEndpointType = 114
    case unsupportedEndpointType = 115
    case transactionAbortable = 120
    case invalidRecordState = 121
    case shareSessionNotFound = 122
    case invalidShareSessionEpoch = 123
    case fencedStateEpoch = 124
    case invalidRegularExpression = 128
    case shareSessionLimitReached = 133

    /// The enum case for a wire code; unknown codes become `.unknownServerError`.
    public init(code: Int16) {
        self = ErrorCode(rawValue: code) ?? .unknownServerError
    }

    /// Whether a client may retry the request that got this error.
    public var isRetriable: Bool {
        switch self {
        case .corruptMessage, .unknownTopicOrPartition, .leaderNotAvailable, .notLeaderOrFollower,
             .requestTimedOut, .networkException, .coordinatorLoadInProgress, .coordinatorNotAvailable,
             .notCoordinator, .notEnoughReplicas, .notEnoughReplicasAfterAppend, .kafkaStorageError,
             .fetchSessionIdNotFound, .invalidFetchSessionEpoch, .unknownLeaderEpoch, .fencedLeaderEpoch,
             .offsetNotAvailable, .rebalanceInProgress, .unknownTopicId, .throttlingQuotaExceeded,
             .shareSessionNotFound, .invalidShareSessionEpoch:
            true
        default:
            false
        }
    }

    /// Kafka's name of the error, e.g. `NOT_LEADER_OR_FOLLOWER` (`Errors.java`), for metrics.
    public var kafkaName: String {
        var out = ""
        for character in String(describing: self) {
            if character.isUppercase {
                out += "_"
                out += character.uppercased()
            } else {
                out += character.uppercased()
            }
        }
        return out
    }

    /// `name(code)`, e.g. `unknownTopicOrPartition(3)`, for logs and error messages.
    public var summary: String { "\(self)(\(rawValue))" }
}
