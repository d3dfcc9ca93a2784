import Testing
import EventContracts

/// Every `Topics/*/events/*.v1.example.json` decodes, round-trips and matches its topic.
@Suite struct ExampleFileTests {
    /// Checks: examples are present.
    @Test func examplesArePresent() {
        #expect(ContractFiles.examplePaths.count == 13)
        #expect(ContractFiles.topicNames == CoffeeTopic.allCases.map(\.name).sorted())
    }

    /// Checks: example decodes and round trips.
    @Test(arguments: ContractFiles.examplePaths)
    func exampleDecodesAndRoundTrips(path: String) throws {
        let parts = path.split(separator: "/")
        let topic = String(parts[0])
        let fileName = String(parts[2])
        let typeName = String(fileName.prefix { $0 != "." })
        let version = Int(fileName.split(separator: ".")[1].dropFirst())

        let event = try CoffeeEvent.decode(json: ContractFiles.bytes(path))
        #expect(event.type == typeName)
        #expect(event.schemaVersion == version)
        #expect(event.topic.name == topic)
        #expect(event.key == Array(event.aggregateId.utf8))

        let reencoded = event.encode()
        #expect(!reencoded.isEmpty)
        #expect(try CoffeeEvent.decode(json: reencoded) == event)
    }

    /// Checks: topic declarations list the known event types.
    @Test func topicDeclarationsListTheKnownEventTypes() throws {
        for topic in CoffeeTopic.allCases {
            let declared = try ContractFiles.object("\(topic.name)/topic.json")["events"] as? [String] ?? []
            let known = CoffeeEvent.payloadTypes.filter { $0.topic == topic }.map { $0.eventType }
            #expect(Set(declared) == Set(known), "\(topic.name)")
        }
    }

    /// Checks: order placed example fields.
    @Test func orderPlacedExampleFields() throws {
        let envelope = try EventEnvelope<OrderPlaced>.decode(
            json: ContractFiles.bytes("coffee.orders/events/OrderPlaced.v1.example.json"))
        #expect(envelope.eventId == "9c8e7d6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f")
        #expect(envelope.occurredAt == "2025-03-14T08:05:42.918Z")
        #expect(envelope.correlationId == "e2d4f6a8-1b3c-4d5e-9f70-8a1b2c3d4e5f")
        #expect(envelope.aggregateId == envelope.payload.recordKey)
        #expect(envelope.payload.memberId == "3f0c9a52-8d1e-4b7a-9c61-0e2f4d5a7b18")
        #expect(envelope.payload.items == [
            OrderItem(drink: "latte", size: .large, quantity: 2),
            OrderItem(drink: "espresso", size: .small, quantity: 1),
        ])
        #expect(envelope.payload.placedAt == "2025-03-14T08:05:42.917Z")
    }

    /// Checks: member registered example fields.
    @Test func memberRegisteredExampleFields() throws {
        let envelope = try EventEnvelope<MemberRegistered>.decode(
            json: ContractFiles.bytes("coffee.members/events/MemberRegistered.v1.example.json"))
        #expect(envelope.payload == MemberRegistered(
            memberId: "3f0c9a52-8d1e-4b7a-9c61-0e2f4d5a7b18", name: "Ada Lovelace",
            email: "ada@example.com", phone: "+44 20 7946 0958"))
        #expect(envelope.topic == .members)
    }
}
