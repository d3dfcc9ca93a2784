import Foundation

/// Locates and reads the `Topics/` contract files relative to this source file.
enum ContractFiles {
    /// The repository's `Topics/` directory.
    static let topicsDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EventContractsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Topics")

    /// Paths relative to `Topics/` of every `*.example.json`, sorted.
    static let examplePaths: [String] = files(suffix: ".example.json")

    /// Paths relative to `Topics/` of every `*.schema.json`, sorted.
    static let schemaPaths: [String] = files(suffix: ".schema.json")

    /// Names of the topic directories that hold a `topic.json`.
    static let topicNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: topicsDirectory.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: topicsDirectory.appendingPathComponent("\($0)/topic.json").path)
        }.sorted()
    }()

    private static func files(suffix: String) -> [String] {
        topicNames.flatMap { topic -> [String] in
            let dir = topicsDirectory.appendingPathComponent("\(topic)/events")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { $0.hasSuffix(suffix) }.map { "\(topic)/events/\($0)" }
        }.sorted()
    }

    /// The bytes of a file under `Topics/`.
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: topicsDirectory.appendingPathComponent(relativePath)))
    }

    /// A JSON object file under `Topics/`, parsed.
    static func object(_ relativePath: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(try bytes(relativePath)))
        return value as? [String: Any] ?? [:]
    }

    /// Serializes a JSON object back to bytes.
    static func serialize(_ object: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object))
    }
}
