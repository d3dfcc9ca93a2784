import FoundationEssentials
import SystemIO

/// One topic declared in a `Topics/` directory: `Topics/<name>/topic.json`:
/// ```json
/// { "name": "orders", "partitions": 3, "config": { "retention.ms": "604800000" }, ... }
/// ```
/// Brokers and `kaffee topics apply` read `name`, `partitions` and `config`; `kaffee acls apply`
/// also `producers` and `consumers` (service names, which are also their SASL user names) and
/// `groups` (a consumer's group when it is not named after the service, e.g.
/// `{"barista-worker": "barista-workers"}`). Other keys (key, events, schemas beside the file) are
/// for people and contract tests. Config values may be strings, integers or booleans; they are
/// kept as text.
public struct TopicDeclaration: Sendable, Equatable {
    public var name: String
    public var partitions: Int32
    public var config: [String: String]
    /// The services that write to the topic.
    public var producers: [String] = []
    /// The services that read it.
    public var consumers: [String] = []
    /// A consumer's group id where it differs from the consumer's name.
    public var groups: [String: String] = [:]

    public init(name: String, partitions: Int32, config: [String: String],
                producers: [String] = [], consumers: [String] = [], groups: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.config = config
        self.producers = producers
        self.consumers = consumers
        self.groups = groups
    }

    /// The group `consumer` reads this topic in (its own name unless `groups` says otherwise).
    public func group(of consumer: String) -> String { groups[consumer] ?? consumer }

    /// Why declarations could not be read.
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

    /// Every `*/topic.json` under `directory`, sorted by directory name.
    public static func load(directory: String) throws(Failure) -> [TopicDeclaration] {
        let names: [String]
        do { names = try FileSystemCalls.listDirectory(directory) } catch {
            throw .unreadable(directory, "\(error)")
        }
        var declarations: [TopicDeclaration] = []
        for name in names.sorted() where FileSystemCalls.entryKind(directory + "/" + name) == .directory {
            let path = directory + "/" + name + "/topic.json"
            guard FileSystemCalls.entryKind(path) == .file else { continue }
            declarations.append(try parse(path: path))
        }
        return declarations
    }

    /// Reads and validates one `topic.json`.
    public static func parse(path: String) throws(Failure) -> TopicDeclaration {
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
            throw .unreadable(path, "\(error)")
        }
        return try parse(bytes, path: path)
    }

    /// Validates a `topic.json` document.
    public static func parse(_ bytes: [UInt8], path: String) throws(Failure) -> TopicDeclaration {
        struct File: Decodable {
            var name: String
            var partitions: Int32
            var config: [String: Scalar]?
            var producers: [String]?
            var consumers: [String]?
            var groups: [String: String]?
        }
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
            throw .invalid(path, "not a valid topic declaration: \(error)")
        }
        guard isValidName(file.name) else { throw .invalid(path, "invalid topic name \(file.name.debugDescription)") }
        guard file.partitions > 0 else { throw .invalid(path, "partitions must be positive") }
        let services = (file.producers ?? []) + (file.consumers ?? []) + Array((file.groups ?? [:]).keys)
        // Service names become SASL user names and group ids: the topic-name alphabet keeps them plain.
        if let bad = services.first(where: { !isValidName($0) }) {
            throw .invalid(path, "invalid service name \(bad.debugDescription) in producers, consumers or groups")
        }
        if let bad = (file.groups ?? [:]).values.first(where: { $0.isEmpty }) {
            throw .invalid(path, "invalid group id \(bad.debugDescription) in groups")
        }
        return TopicDeclaration(name: file.name, partitions: file.partitions, config: (file.config ?? [:]).mapValues(\.text),
                                producers: file.producers ?? [], consumers: file.consumers ?? [], groups: file.groups ?? [:])
    }

    /// Kafka's topic-name rule: 1–249 characters from `[a-zA-Z0-9._-]`, not `.` or `..`.
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 249, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }
}
