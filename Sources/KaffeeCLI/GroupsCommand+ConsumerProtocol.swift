import KafkaClient
import KafkaProtocol

extension GroupsCommand {
    /// `groups describe` for a group of the consumer protocol (KIP-848): prints its state,
    /// epochs and assignor, each member with its epoch, owned and target partitions, then the
    /// committed offsets and lag per partition. Returns false when `group` is not such a group
    /// (or the broker lacks ConsumerGroupDescribe), so the caller describes it as a classic group.
    static func describeConsumerProtocolGroup(_ group: String, admin: KafkaAdmin, console: Console) throws -> Bool {
        let description: ConsumerGroupDescription
        do {
            description = try admin.describeConsumerGroup(group)
        } catch {
            switch error {
            case .unsupported, .broker(.groupIdNotFound, _), .broker(.unsupportedVersion, _), .broker(.invalidRequest, _): return false
            default: throw error
            }
        }
        console.print("group \(description.groupId)  type consumer  state \(description.state)  epoch \(description.groupEpoch)"
            + "  assignment-epoch \(description.assignmentEpoch)  assignor \(description.assignor)  members \(description.members.count)")
        for member in description.members {
            let owned = member.assignment.map { "\($0)" }.joined(separator: ",")
            let target = member.targetAssignment == member.assignment ? "" : "  target [\(member.targetAssignment.map { "\($0)" }.joined(separator: ","))]"
            console.print("  member \(member.memberId)  epoch \(member.memberEpoch)  client \(member.clientId)  host \(member.host)"
                + "\(member.instanceId.map { "  instance \($0)" } ?? "")  assigned [\(owned)]\(target)")
        }
        console.print("  TOPIC\tPARTITION\tCOMMITTED\tHIGH-WATERMARK\tLAG\tMEMBER")
        for lag in try admin.lag(group: group) {
            let committed = lag.committedOffset >= 0 ? String(lag.committedOffset) : "-"
            console.print("  \(lag.topic)\t\(lag.partition)\t\(committed)\t\(lag.highWatermark)\t\(lag.lag)\t\(lag.memberId ?? "-")")
        }
        return true
    }
}
