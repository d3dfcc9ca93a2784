import Foundation
import Testing
import EventContracts
@testable import OrderService

/// `POST /orders` bodies: the strict fast reader and JSONDecoder agree — the same body, or the
/// same 400/422 with the same words.
@Suite struct OrderRequestParsingTests {
    /// The answer of the JSONDecoder path alone, for comparison.
    private func reference(_ text: String) -> Result<OrderRequest, APIError> {
        Result { () throws(APIError) in
            try OrderRequest.validate(RequestBody.decode(OrderRequest.Body.self, from: Array(text.utf8)), menu: .standard)
        }
    }

    static let bodies: [String] = [
        #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":1}]}"#,
        #"{ "items": [ {"quantity": 2, "size": "Large", "drink": " LATTE ", "note": "hot"} ], "memberId": " m ", "x": [1.5, null] }"#,
        #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":1},{"drink":"espresso","size":"medium","quantity":3}]}"#,
        #"{"memberId":null,"items":[]}"#,
        #"{"items":[{"drink":"latte","size":"small","quantity":1}]}"#,
        #"{"memberId":"m"}"#,
        #"{"memberId":"m","items":null}"#,
        #"{"memberId":"m","items":[]}"#,
        #"{"memberId":"m","items":[{}]}"#,
        #"{"memberId":"m","items":[{"drink":null,"size":null,"quantity":null}]}"#,
        #"{"memberId":"m","items":[null]}"#,
        #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":1.0}]}"#,
        #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":"1"}]}"#,
        #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":0}]}"#,
        #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":-0}]}"#,
        #"{"memberId":"m","items":[{"drink":"latte","size":"tiny","quantity":1}]}"#,
        #"{"memberId":"m","items":[{"drink":"mud","size":"small","quantity":1}]}"#,
        #"{"memberId":"m","items":{"drink":"latte"}}"#,
        #"{"memberId":7,"items":[]}"#,
        #"{"memberId":"m","memberId":"n","items":[{"drink":"latte","size":"small","quantity":1}]}"#,
        #"{"memberId":"\u006d","items":[{"drink":"lat\u0074e","size":"small","quantity":1}]}"#,
        #"[]"#, #"null"#, #"{"#, "", "  ", #"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":1}]} x"#,
    ]

    /// Checks: every body gets the same outcome from `parse` (fast path first) as from
    /// JSONDecoder alone, and the fast reader never accepts what JSONDecoder rejects.
    @Test(arguments: bodies)
    func parseAnswersAsJSONDecoderDoes(text: String) {
        let actual = Result { () throws(APIError) in try OrderRequest.parse(Array(text.utf8), menu: .standard) }
        #expect(actual == reference(text), "\(text)")
        if let fast = OrderRequest.fastBody(Array(text.utf8)) {
            #expect(fast == (try? RequestBody.decode(OrderRequest.Body.self, from: Array(text.utf8))), "\(text)")
        }
    }

    /// Checks: the usual body takes the fast path.
    @Test func theUsualBodyTakesTheFastPath() {
        let body = Array(#"{"memberId":"m","items":[{"drink":"latte","size":"small","quantity":2}]}"#.utf8)
        #expect(OrderRequest.fastBody(body) == OrderRequest.Body(
            memberId: "m", items: [OrderRequest.Body.Item(drink: "latte", size: "small", quantity: 2)]))
    }
}
