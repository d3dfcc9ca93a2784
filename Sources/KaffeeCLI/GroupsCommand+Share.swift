import KafkaClient
import KafkaProtocol

extension GroupsCommand {
    /// `groups describe` for a share group: prints its state, epochs, members with their
    /// assignments, then each partition's start offset and lag (DescribeShareGroupOffsets).
    /// Returns false when `group` is not a share group (or the broker has no share groups), so
    /// the caller describes it as a classic group.
    static func describeShareGroup(_ group: String, admin: KafkaAdmin, console: Console) throws -> Bool {
        let description: ShareGroupDescription
        do {
            description = try admin.describeShareGroup(group)
        } catch {
            switch error {
            case .unsupported, .broker(.groupIdNotFound, _), .broker(.unsupportedVersion, _), .broker(.invalidRequest, _): return false
            default: throw error
            }
        }
        console.print("group \(description.groupId)  type share  state \(description.state)  epoch \(description.groupEpoch)"
            + "  assignment-epoch \(description.assignmentEpoch)  members \(description.members.count)")
        for member in description.members {
            let assigned = member.assignment.map { "\($0)" }.joined(separator: ",")
            console.print("  member \(member.memberId)  epoch \(member.memberEpoch)  client \(member.clientId)  host \(member.host)  assigned [\(assigned)]")
        }
        console.print("  TOPIC\tPARTITION\tSTART-OFFSET\tLAG")
        for offset in try admin.shareGroupOffsets(group: group) {
            let start = offset.startOffset >= 0 ? String(offset.startOffset) : "-"
            let lag = offset.lag >= 0 ? String(offset.lag) : "-"
            console.print("  \(offset.topic)\t\(offset.partition)\t\(start)\t\(lag)")
        }
        return true
    }
}
