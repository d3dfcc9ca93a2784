import KafkaClient

/// `kaffee groups delete-offsets GROUP --topic T [--partition P]...` (OffsetDelete).
extension GroupsCommand {
    /// Deletes the group's committed offsets of the topic's partitions (every partition the
    /// topic has, unless `--partition` names some); prints `TOPIC-P<TAB>deleted` for each, and
    /// each refusal on standard error, which makes the exit code 1.
    static func deleteOffsets(group: String, topic: String, arguments: Arguments, admin: KafkaAdmin, console: Console) throws -> ExitCode {
        var numbers = try TopicsCommand.partitionNumbers(arguments)
        if numbers.isEmpty {
            numbers = try admin.describeTopic(name: topic).partitions.map(\.partition)
        }
        let partitions = numbers.map { TopicPartition(topic: topic, partition: $0) }
        let outcomes = try admin.deleteGroupOffsets(group: group, partitions: partitions)
        var failed = false
        for partition in partitions {
            if case .some(.some(let failure)) = outcomes[partition] {
                failed = true
                console.error("kaffee groups: delete-offsets \(partition): \(failure)")
            } else {
                console.print("\(partition)\tdeleted")
            }
        }
        return failed ? .failure : .ok
    }
}
