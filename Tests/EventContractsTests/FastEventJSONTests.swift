import Foundation
import Testing
@testable import EventContracts

/// The hand-written event codec agrees with Foundation's: byte-identical encoding, and for any
/// input either the same decoded event or (by falling back) the same error.
@Suite struct FastEventJSONTests {
    /// Strings that exercise escaping: quotes, backslashes, slashes, every control character,
    /// DEL, non-ASCII, astral scalars, line and paragraph separators, the BOM.
    static let awkwardStrings: [String] = {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return [
            "", "plain", "quote \" and backslash \\ and slash /", controls, "del \u{7f} nel \u{85}",
            "Chloé — 東京 😀", "\u{2028}\u{2029}\u{feff}", "\\u0041 is not an escape here", "tab\tnew\nline\r",
        ]
    }()

    /// One event of every type, with `text` in every free-text field and both present and
    /// absent optionals.
    static func events(text: String, optionals: Bool) -> [CoffeeEvent] {
        let order = "0193a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b"
        let member = "3f0c9a52-8d1e-4b7a-9c61-0e2f4d5a7b18"
        let correlation = optionals ? text : nil
        let at = "2025-03-14T08:05:42.917Z"
        return [
            .memberRegistered(.init(payload: MemberRegistered(memberId: member, name: text, email: "\(text)@example.com",
                                                              phone: optionals ? text : nil),
                                    correlationId: correlation, occurredAt: at)),
            .orderPlaced(.init(payload: OrderPlaced(orderId: order, memberId: member, items: [
                OrderItem(drink: text, size: .small, quantity: 1), OrderItem(drink: "latte", size: .large, quantity: 20),
            ], placedAt: at), correlationId: correlation, occurredAt: at)),
            .orderPlaced(.init(payload: OrderPlaced(orderId: order, memberId: member, items: [], placedAt: at),
                               correlationId: correlation, occurredAt: at)),
            .orderCancellationRequested(.init(payload: OrderCancellationRequested(orderId: order, reason: optionals ? text : nil),
                                              correlationId: correlation, occurredAt: at)),
            .orderPickedUp(.init(payload: OrderPickedUp(orderId: order), correlationId: correlation, occurredAt: at)),
            .orderBrewingStarted(.init(payload: OrderBrewingStarted(orderId: order, barista: optionals ? text : nil),
                                       correlationId: correlation, occurredAt: at)),
            .orderReady(.init(payload: OrderReady(orderId: order), correlationId: correlation, occurredAt: at)),
            .orderCancelled(.init(payload: OrderCancelled(orderId: order), correlationId: correlation, occurredAt: at)),
            .cancellationRejected(.init(payload: CancellationRejected(orderId: order, reason: text),
                                        correlationId: correlation, occurredAt: at)),
            .orderFailed(.init(payload: OrderFailed(orderId: order, reason: text), correlationId: correlation, occurredAt: at)),
        ]
    }

    static var allEvents: [CoffeeEvent] {
        awkwardStrings.flatMap { text in events(text: text, optionals: true) + events(text: text, optionals: false) }
    }

    /// Checks: the hand-written encoder writes exactly JSONEncoder's bytes, for every type and
    /// every awkward string.
    @Test func encodingIsByteIdenticalToJSONEncoder() throws {
        for event in Self.allEvents {
            let expected = try event.encodeWithFoundation()
            let actual = event.encode()
            #expect(actual == expected, "\(event.type): \(String(decoding: actual, as: UTF8.self))")
        }
    }

    /// Checks: the fast path decodes what it encodes, and agrees with JSONDecoder on it.
    @Test func fastPathDecodesEveryEventAsJSONDecoderDoes() throws {
        for event in Self.allEvents {
            let bytes = event.encode()
            let fast = try #require(FastEventJSON.decode(bytes), "\(event.type) not taken by the fast path")
            #expect(fast == event)
            #expect(try CoffeeEvent.decodeWithFoundation(json: bytes) == event)
        }
    }

    /// Checks: every example file decodes on the fast path to what JSONDecoder gives.
    @Test(arguments: ContractFiles.examplePaths)
    func examplesTakeTheFastPath(path: String) throws {
        let bytes = try ContractFiles.bytes(path)
        let fast = try #require(FastEventJSON.decode(bytes), "\(path) not taken by the fast path")
        #expect(fast == (try CoffeeEvent.decodeWithFoundation(json: bytes)))
    }

    /// Inputs around the edges of JSON and of the contracts, each the OrderPlaced example with
    /// one change. Whatever the fast path does with them, `decode(json:)` must answer as
    /// JSONDecoder does: the same event or the same error.
    static let edgeCases: [String] = [
        // formatting the fast path must accept
        #"  {"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}  "#,
        "{\n\t\"type\" : \"OrderReady\" ,\r\n \"schemaVersion\":1,\"eventId\":\"e\",\"occurredAt\":\"t\",\"aggregateId\":\"o\",\"payload\":{\"orderId\":\"o\"}}",
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"},"extra":[1,-2.5e3,true,false,null,{"a":[]}]}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","correlationId":null,"payload":{"orderId":"o"}}"#,
        #"{"type":"OrderBrewingStarted","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o","barista":null}}"#,
        // numbers the fast path leaves to JSONDecoder
        #"{"type":"OrderReady","schemaVersion":1.0,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1e0,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":-0,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":01,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":99999999999999999999,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderPlaced","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o","memberId":"m","placedAt":"t","items":[{"drink":"latte","size":"small","quantity":2.0}]}}"#,
        #"{"type":"OrderPlaced","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o","memberId":"m","placedAt":"t","items":[{"drink":"latte","size":"small","quantity":-3}]}}"#,
        // duplicates, wrong types, missing fields, unknown values
        #"{"type":"OrderReady","type":"OrderPlaced","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","eventId":"f","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":"1","eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":7,"occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","correlationId":5,"payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":[]}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o"}"#,
        #"{"type":"OrderReady","schemaVersion":2,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderTeleported","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":null,"schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderPlaced","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o","memberId":"m","placedAt":"t","items":[{"drink":"latte","size":"venti","quantity":1}]}}"#,
        #"{"type":"OrderPlaced","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o","memberId":"m","placedAt":"t","items":{}}}"#,
        #"{"type":"OrderPlaced","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o","memberId":"m","placedAt":"t","items":[null]}}"#,
        #"{"type":"MemberRegistered","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"m","payload":{"memberId":"m","name":"n","email":"e","phone":false}}"#,
        // broken JSON and strings
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"},}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}} x"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e\ud800","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e\x","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#,
        "{\"type\":\"OrderReady\",\"schemaVersion\":1,\"eventId\":\"e\tf\",\"occurredAt\":\"t\",\"aggregateId\":\"o\",\"payload\":{\"orderId\":\"o\"}}",
        "\u{feff}{\"type\":\"OrderReady\",\"schemaVersion\":1,\"eventId\":\"e\",\"occurredAt\":\"t\",\"aggregateId\":\"o\",\"payload\":{\"orderId\":\"o\"}}",
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"},"x":tru}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"},"x":[1,]}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"},"x":-}"#,
        #"{"type":"OrderReady","schemaVersion":1,"eventId":"e","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"},"x":1.}"#,
        "", "{", "}", "[]", "null", "1", "\"OrderReady\"",
        String(repeating: "[", count: 500) + String(repeating: "]", count: 500),
    ]

    /// Checks: on every edge case `decode(json:)` (fast path first) answers exactly as
    /// JSONDecoder alone does — the same event, or the same error.
    @Test(arguments: edgeCases)
    func edgeCasesAnswerAsJSONDecoderDoes(text: String) {
        let bytes = Array(text.utf8)
        let reference = Result { () throws(ContractError) in try CoffeeEvent.decodeWithFoundation(json: bytes) }
        let actual = Result { () throws(ContractError) in try CoffeeEvent.decode(json: bytes) }
        #expect(actual == reference, "\(text)")
        // The fast path never accepts what JSONDecoder rejects.
        if FastEventJSON.decode(bytes) != nil { #expect((try? reference.get()) != nil, "\(text)") }
    }

    /// Checks: invalid UTF-8 inside a string is left to JSONDecoder (which rejects it).
    @Test func invalidUTF8IsNotDecodedByTheFastPath() {
        var bytes = Array(#"{"type":"OrderReady","schemaVersion":1,"eventId":"e"#.utf8)
        bytes += [0xc3, 0x28]
        bytes += Array(#"","occurredAt":"t","aggregateId":"o","payload":{"orderId":"o"}}"#.utf8)
        #expect(FastEventJSON.decode(bytes) == nil)
        #expect(throws: ContractError.self) { try CoffeeEvent.decode(json: bytes) }
    }

    /// Checks: every truncation of a real event answers as JSONDecoder does (none decodes).
    @Test func truncationsAnswerAsJSONDecoderDoes() throws {
        var bytes = try ContractFiles.bytes("coffee.orders/events/OrderPlaced.v1.example.json")
        while let last = bytes.last, last == 0x0a || last == 0x20 { bytes.removeLast() }  // ends at its `}`
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            #expect(FastEventJSON.decode(prefix) == nil)
            let reference = Result { () throws(ContractError) in try CoffeeEvent.decodeWithFoundation(json: prefix) }
            let actual = Result { () throws(ContractError) in try CoffeeEvent.decode(json: prefix) }
            #expect(actual == reference)
        }
    }
}
