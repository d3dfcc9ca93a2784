public import Broker
public import LogStorage
public import SystemIO
import TopicCatalog

/// Applies the topics declared in a `Topics/` directory (see `TopicDeclaration`) to the store
/// at start-up. Idempotent: missing topics are created, existing ones get the declared config
/// and more partitions if declared (partitions never shrink).
public enum TopicDeclarations {
    /// Creates or updates every declared topic. Throws on the first declaration that is invalid
    /// (an unknown config key, a bad value), so a broker never starts with half-applied topics.
    public static func apply(directory: String, to store: LogStore, defaults: BrokerConfig, logger: Logger) throws {
        let declarations = try TopicDeclaration.load(directory: directory)
        for declaration in declarations {
            var config = defaults.topicConfig(partitions: declaration.partitions)
            for (key, value) in declaration.config.sorted(by: { $0.key < $1.key }) {
                do { try config.set(key, value) } catch {
                    throw TopicDeclaration.Failure.invalid("\(directory)/\(declaration.name)/topic.json", "\(error)")
                }
            }
            if let existing = store.topic(declaration.name) {
                config.partitionCount = max(existing.config.partitionCount, declaration.partitions)
                if existing.config.partitionCount > declaration.partitions {
                    logger.warning("topic \(declaration.name) has \(existing.config.partitionCount) partitions, more than the \(declaration.partitions) declared; partitions never shrink")
                }
                if existing.config != config {
                    try store.updateTopic(declaration.name, config: config)
                    logger.info("updated topic \(declaration.name) from \(directory)")
                }
            } else {
                try store.createTopic(declaration.name, config: config)
                logger.info("created topic \(declaration.name) from \(directory)")
            }
        }
        logger.info("applied \(declarations.count) topic declarations from \(directory)")
    }
}
