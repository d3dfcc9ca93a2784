import Testing
import EventContracts

/// Bad input gives typed `ContractError`s; unknown fields are ignored.
@Suite struct DecodingErrorTests {
    private let orderPlacedPath = "coffee.orders/events/OrderPlaced.v1.example.json"

    private func mutatedOrderPlaced(_ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try ContractFiles.object(orderPlacedPath)
        change(&object)
        return try ContractFiles.serialize(object)
    }

    /// Checks: unknown fields in envelope payload and items are ignored.
    @Test func unknownFieldsInEnvelopePayloadAndItemsAreIgnored() throws {
        let original = try CoffeeEvent.decode(json: ContractFiles.bytes(orderPlacedPath))
        let extended = try mutatedOrderPlaced { object in
            object["traceParent"] = "00-abc-def-01"
            object["producer"] = ["service": "order-service", "version": 3]
            var payload = object["payload"] as? [String: Any] ?? [:]
            payload["loyaltyPoints"] = 42
            var items = payload["items"] as? [[String: Any]] ?? []
            items[0]["extraShot"] = true
            payload["items"] = items
            object["payload"] = payload
        }
        #expect(try CoffeeEvent.decode(json: extended) == original)
    }

    /// Checks: wrong type for requested payload.
    @Test func wrongTypeForRequestedPayload() throws {
        let json = try ContractFiles.bytes(orderPlacedPath)
        #expect(throws: ContractError.typeMismatch(expected: "OrderReady", found: "OrderPlaced")) {
            try EventEnvelope<OrderReady>.decode(json: json)
        }
    }

    /// Checks: unknown type.
    @Test func unknownType() throws {
        let json = try mutatedOrderPlaced { $0["type"] = "OrderTeleported" }
        #expect(throws: ContractError.unknownEventType(type: "OrderTeleported", schemaVersion: 1)) {
            try CoffeeEvent.decode(json: json)
        }
    }

    /// Checks: wrong version.
    @Test func wrongVersion() throws {
        let json = try mutatedOrderPlaced { $0["schemaVersion"] = 2 }
        #expect(throws: ContractError.unsupportedSchemaVersion(type: "OrderPlaced", schemaVersion: 2)) {
            try CoffeeEvent.decode(json: json)
        }
        #expect(throws: ContractError.versionMismatch(type: "OrderPlaced", expected: 1, found: 2)) {
            try EventEnvelope<OrderPlaced>.decode(json: json)
        }
    }

    /// Checks: malformed j s o n.
    @Test(arguments: [
        "", "{", "[1,2]", "null", "\"OrderPlaced\"", "{\"type\":\"OrderPlaced\",", "not json at all",
    ])
    func malformedJSON(text: String) {
        do {
            _ = try CoffeeEvent.decode(json: Array(text.utf8))
            Issue.record("decoded malformed input \(text)")
        } catch {
            guard case .malformedJSON = error else {
                Issue.record("expected malformedJSON, got \(error)")
                return
            }
        }
    }

    /// Checks: invalid u t f8 is malformed.
    @Test func invalidUTF8IsMalformed() {
        #expect(throws: ContractError.self) { try CoffeeEvent.decode(json: [0x7B, 0xFF, 0xFE, 0x7D]) }
    }

    /// Checks: missing required fields.
    @Test func missingRequiredFields() throws {
        let noOrderId = try mutatedOrderPlaced { object in
            var payload = object["payload"] as? [String: Any] ?? [:]
            payload["orderId"] = nil
            object["payload"] = payload
        }
        #expect(throws: ContractError.missingField("payload.orderId")) { try CoffeeEvent.decode(json: noOrderId) }

        let noEventId = try mutatedOrderPlaced { $0["eventId"] = nil }
        #expect(throws: ContractError.missingField("eventId")) { try CoffeeEvent.decode(json: noEventId) }

        let noType = try mutatedOrderPlaced { $0["type"] = nil }
        #expect(throws: ContractError.missingField("type")) { try CoffeeEvent.decode(json: noType) }

        let noPayload = try mutatedOrderPlaced { $0["payload"] = nil }
        #expect(throws: ContractError.missingField("payload")) { try CoffeeEvent.decode(json: noPayload) }
    }

    /// Checks: invalid field values.
    @Test func invalidFieldValues() throws {
        let badSize = try mutatedOrderPlaced { object in
            var payload = object["payload"] as? [String: Any] ?? [:]
            payload["items"] = [["drink": "latte", "size": "venti", "quantity": 1]]
            object["payload"] = payload
        }
        do {
            _ = try CoffeeEvent.decode(json: badSize)
            Issue.record("accepted size venti")
        } catch {
            guard case .invalidField(let path, _) = error else {
                Issue.record("expected invalidField, got \(error)")
                return
            }
            #expect(path == "payload.items.0.size")
        }

        let textVersion = try mutatedOrderPlaced { $0["schemaVersion"] = "1" }
        #expect(throws: ContractError.invalidField(path: "schemaVersion", reason: "expected Int")) {
            try CoffeeEvent.decode(json: textVersion)
        }
    }
}
