public import Broker
import FoundationEssentials
public import LogStorage
public import SystemIO

/// The topics declared in a `Topics/` directory: one subdirectory per topic holding
/// `topic.json`:
/// ```json
/// { "name": "orders", "partitions": 3, "config": { "retention.ms": "604800000" }, ... }
/// ```
/// Other keys (key, producers, consumers, event schemas beside it) are for people and contract
/// tests; the broker reads `name`, `partitions` and `config`. Applying is idempotent: missing
/// topics are created, existing ones get the declared config and more partitions if declared
/// (partitions never shrink).
public enum TopicDeclarations {
    public struct Declaration: Sendable, Equatable {
        public var name: String
        public var partitions: Int32
        public var config: [String: String]
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String, String)
        case invalid(String, String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .invalid(let path, let reason): "\(path): \(reason)"
            }
        }
    }

    /// Reads every `*/topic.json` under `directory`, sorted by topic name.
    public static func load(directory: String) throws -> [Declaration] {
        let names: [String]
        do { names = try FileSystemCalls.listDirectory(directory) } catch {
            throw Failure.unreadable(directory, "\(error)")
        }
        var declarations: [Declaration] = []
        for name in names.sorted() where FileSystemCalls.entryKind(directory + "/" + name) == .directory {
            let path = directory + "/" + name + "/topic.json"
            guard FileSystemCalls.entryKind(path) == .file else { continue }
            declarations.append(try parse(path: path))
        }
        return declarations
    }

    static func parse(path: String) throws -> Declaration {
        let bytes: [UInt8]
        do {
            let fd = try FileDescriptor.open(path, [.readOnly])
            defer { try? fd.close() }
            let size = try fd.size()
            guard size <= 1 << 20 else { throw Failure.invalid(path, "larger than 1 MiB") }
            var buffer = [UInt8](repeating: 0, count: Int(size))
            let count = try buffer.withUnsafeMutableBytes { try fd.read(into: $0, at: 0) }
            bytes = Array(buffer[0..<count])
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.unreadable(path, "\(error)")
        }
        struct File: Decodable {
            var name: String
            var partitions: Int32
            var config: [String: Scalar]?
        }
        /// Config values may be written as strings or numbers.
        struct Scalar: Decodable {
            var text: String
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let string = try? container.decode(String.self) { text = string }
                else if let number = try? container.decode(Int64.self) { text = String(number) }
                else if let flag = try? container.decode(Bool.self) { text = String(flag) }
                else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string or a number") }
            }
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: Data(bytes)) } catch {
            throw Failure.invalid(path, "not a valid topic declaration: \(error)")
        }
        guard TopicMetadata.isValidName(file.name) else { throw Failure.invalid(path, "invalid topic name \(file.name.debugDescription)") }
        guard file.partitions > 0 else { throw Failure.invalid(path, "partitions must be positive") }
        return Declaration(name: file.name, partitions: file.partitions, config: (file.config ?? [:]).mapValues(\.text))
    }

    /// Creates or updates every declared topic. Throws on the first declaration that is invalid
    /// (an unknown config key, a bad value), so a broker never starts with half-applied topics.
    public static func apply(directory: String, to store: LogStore, defaults: BrokerConfig, logger: Logger) throws {
        let declarations = try load(directory: directory)
        for declaration in declarations {
            var config = defaults.topicConfig(partitions: declaration.partitions)
            for (key, value) in declaration.config.sorted(by: { $0.key < $1.key }) {
                do { try config.set(key, value) } catch {
                    throw Failure.invalid("\(directory)/\(declaration.name)/topic.json", "\(error)")
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
