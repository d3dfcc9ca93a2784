import Foundation

/// ProtocolGenerator: reads `protocol/messages/*.kspec` and writes the Swift codecs
/// (`Sources/KafkaProtocol/Generated/`) and their test samples
/// (`Tests/KafkaProtocolTests/Generated/`). With `--check` it writes nothing and exits 1 when
/// the checked-in output differs from what the specs generate.
///
/// Usage: `protocol-gen [--check] [ROOT]` (ROOT defaults to the current directory).

let arguments = Array(CommandLine.arguments.dropFirst())
let check = arguments.contains("--check")
let root = arguments.first { !$0.hasPrefix("--") } ?? FileManager.default.currentDirectoryPath
let specDirectory = root + "/protocol/messages"
let sourceDirectory = root + "/Sources/KafkaProtocol/Generated"
let testDirectory = root + "/Tests/KafkaProtocolTests/Generated"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("protocol-gen: \(message)\n".utf8))
    exit(1)
}

let specNames: [String]
do {
    specNames = try FileManager.default.contentsOfDirectory(atPath: specDirectory).filter { $0.hasSuffix(".kspec") }.sorted()
} catch {
    fail("cannot list \(specDirectory): \(error)")
}

var apis: [APISpec] = []
for name in specNames {
    guard let text = try? String(contentsOfFile: specDirectory + "/" + name, encoding: .utf8) else { fail("cannot read \(name)") }
    do {
        let api = try SpecParser(file: name).parse(text)
        guard name == api.name + ".kspec" else { fail("\(name): declares api \(api.name); name the file \(api.name).kspec") }
        if let other = apis.first(where: { $0.key == api.key }) { fail("\(name): key \(api.key) is also declared by \(other.sourceFile)") }
        apis.append(api)
    } catch {
        fail("\(error)")
    }
}

var outputs: [String: String] = [:]
outputs[sourceDirectory + "/ApiKey.swift"] = ApiKeyEmitter(apis: apis).emit()
for api in apis where api.request != nil {
    outputs[sourceDirectory + "/\(api.name).swift"] = CodecEmitter(api: api).emit()
}
outputs[testDirectory + "/MessageSamples.swift"] = SampleEmitter(apis: apis).emit()

/// Generated files present on disk that the specs no longer produce.
func staleFiles(in directory: String, outputs: [String: String]) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".swift") }.map { directory + "/" + $0 }.filter { outputs[$0] == nil }
}
let stale = staleFiles(in: sourceDirectory, outputs: outputs) + staleFiles(in: testDirectory, outputs: outputs)

if check {
    var differences: [String] = []
    for (path, text) in outputs.sorted(by: { $0.key < $1.key }) {
        let current = try? String(contentsOfFile: path, encoding: .utf8)
        if current != text { differences.append(path) }
    }
    differences += stale
    if !differences.isEmpty {
        fail("generated code is out of date; run scripts/generate-protocol. Differs: \(differences.joined(separator: ", "))")
    }
    print("protocol-gen: \(apis.count) specs, \(outputs.count) generated files up to date")
} else {
    for directory in [sourceDirectory, testDirectory] {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    for path in stale { try? FileManager.default.removeItem(atPath: path) }
    for (path, text) in outputs {
        let current = try? String(contentsOfFile: path, encoding: .utf8)
        guard current != text else { continue }
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { fail("cannot write \(path): \(error)") }
    }
    print("protocol-gen: \(apis.count) specs → \(outputs.count) files")
}
