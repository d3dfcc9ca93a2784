import Foundation
import Testing
import EventContracts

/// Swift-built events encode to envelopes with the keys and headers the contracts require.
@Suite struct EncodingTests {
    static let requiredKeys: Set<String> = ["eventId", "type", "schemaVersion", "occurredAt", "aggregateId", "payload"]

    /// One freshly built event of every type.
    static func samples(correlationId: String? = "corr-1") -> [CoffeeEvent] {
        let order = "b7e4a1c0-5f2d-4e8b-a3c9-6d1f0e2b4a75"
        let member = "3f0c9a52-8d1e-4b7a-9c61-0e2f4d5a7b18"
        return [
            .memberRegistered(.init(payload: MemberRegistered(memberId: member, name: "Grace", email: "grace@example.com"), correlationId: correlationId)),
            .orderPlaced(.init(payload: OrderPlaced(orderId: order, memberId: member, items: [OrderItem(drink: "flat white", size: .medium, quantity: 3)], placedAt: "2025-03-14T08:05:42.917+01:00"), correlationId: correlationId)),
            .orderCancellationRequested(.init(payload: OrderCancellationRequested(orderId: order), correlationId: correlationId)),
            .orderPickedUp(.init(payload: OrderPickedUp(orderId: order), correlationId: correlationId)),
            .orderBrewingStarted(.init(payload: OrderBrewingStarted(orderId: order, barista: "barista-1"), correlationId: correlationId)),
            .orderReady(.init(payload: OrderReady(orderId: order), correlationId: correlationId)),
            .orderCancelled(.init(payload: OrderCancelled(orderId: order), correlationId: correlationId)),
            .cancellationRejected(.init(payload: CancellationRejected(orderId: order, reason: "brewing"), correlationId: correlationId)),
            .orderFailed(.init(payload: OrderFailed(orderId: order, reason: "unknown drink"), correlationId: correlationId)),
        ]
    }

    /// Checks: encoded envelope has required keys and round trips.
    @Test func encodedEnvelopeHasRequiredKeysAndRoundTrips() throws {
        let uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
        let timePattern = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/
        for event in Self.samples() {
            let bytes = event.encode()
            let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
            #expect(Self.requiredKeys.isSubset(of: Set(object.keys)), "\(event.type)")
            #expect(object["type"] as? String == event.type)
            #expect(object["schemaVersion"] as? Int == 1)
            #expect(object["correlationId"] as? String == "corr-1")
            #expect((object["eventId"] as? String)?.wholeMatch(of: uuidPattern) != nil)
            #expect((object["occurredAt"] as? String)?.wholeMatch(of: timePattern) != nil)
            #expect(object["aggregateId"] as? String == String(decoding: event.key, as: UTF8.self))
            #expect(try CoffeeEvent.decode(json: bytes) == event)
        }
    }

    /// Checks: headers match envelope.
    @Test func headersMatchEnvelope() {
        for event in Self.samples() {
            let headers = Dictionary(uniqueKeysWithValues: event.headers.map { ($0.0, String(decoding: $0.1, as: UTF8.self)) })
            #expect(headers == ["type": event.type, "schemaVersion": "1", "correlationId": "corr-1"])
        }
        for event in Self.samples(correlationId: nil) {
            #expect(event.headers.map(\.0) == ["type", "schemaVersion"])
            #expect(!String(decoding: event.encode(), as: UTF8.self).contains("correlationId"))
        }
    }

    /// Checks: optional payload fields are omitted when nil.
    @Test func optionalPayloadFieldsAreOmittedWhenNil() throws {
        let event = EventEnvelope(payload: OrderCancellationRequested(orderId: "o-1"))
        let object = try JSONSerialization.jsonObject(with: Data(try event.encode())) as? [String: Any] ?? [:]
        #expect(object["payload"] as? [String: String] == ["orderId": "o-1"])
        #expect(event.topic == .orders)
        #expect(event.aggregateId == "o-1")
    }

    /// Checks: encoded samples validate against schemas with python jsonschema.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func encodedSamplesValidateAgainstSchemasWithPythonJsonschema() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("event-contracts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var pairs: [[String]] = []
        for (index, event) in (Self.samples() + Self.samples(correlationId: nil)).enumerated() {
            let file = dir.appendingPathComponent("\(index)-\(event.type).json")
            try Data(event.encode()).write(to: file)
            let schema = ContractFiles.topicsDirectory
                .appendingPathComponent("\(event.topic.name)/events/\(event.type).v\(event.schemaVersion).schema.json")
            pairs.append([file.path, schema.path])
        }
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                sys.exit(77)
            for data, schema in json.load(sys.stdin):
                s = json.load(open(schema))
                jsonschema.Draft202012Validator(s, format_checker=jsonschema.FormatChecker()).validate(json.load(open(data)))
            print("ok")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: pairs))
        try input.fileHandleForWriting.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 77 { return }  // jsonschema not installed: nothing to check
        #expect(process.terminationStatus == 0, "\(String(decoding: stderr, as: UTF8.self))")
    }
}
