/// A validated `POST /members` request. Value type.
///
/// Rules (each failure is a 422 naming the field): `name` is required, trimmed, not blank, at
/// most 100 characters; `email` is required, trimmed, at most 254 characters, exactly one `@`
/// with text on both sides and no whitespace (the `MemberRegistered` schema's pattern);
/// `phone` is optional, trimmed, at most 32 characters, and a blank one counts as absent (the
/// schema wants a non-empty phone when there is one). A field of the wrong JSON type is a 400.
struct MemberRegistration: Sendable, Equatable {
    /// The trimmed name.
    var name: String
    /// The trimmed e-mail address.
    var email: String
    /// The trimmed phone number, or nil.
    var phone: String?

    /// The body as sent; every field optional so that a missing one is a 422, not a 400.
    struct Body: Decodable {
        var name: String?
        var email: String?
        var phone: String?
    }

    /// Limits of the fields, in characters.
    static let maxNameLength = 100
    static let maxEmailLength = 254
    static let maxPhoneLength = 32

    /// Decodes and validates a request body.
    static func parse(_ body: [UInt8]) throws(APIError) -> MemberRegistration {
        try validate(RequestBody.decode(Body.self, from: body))
    }

    /// Validates a decoded body.
    static func validate(_ body: Body) throws(APIError) -> MemberRegistration {
        guard let rawName = body.name else { throw .unprocessable("name is required") }
        let name = rawName.trimmingWhitespace
        guard !name.isEmpty else { throw .unprocessable("name must not be blank") }
        guard name.count <= maxNameLength else {
            throw .unprocessable("name must be at most \(maxNameLength) characters")
        }

        guard let rawEmail = body.email else { throw .unprocessable("email is required") }
        let email = rawEmail.trimmingWhitespace
        guard email.count <= maxEmailLength else {
            throw .unprocessable("email must be at most \(maxEmailLength) characters")
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }), !email.contains(where: \.isWhitespace) else {
            throw .unprocessable("email must be an address like name@example.com")
        }

        var phone: String?
        if let rawPhone = body.phone, case let trimmed = rawPhone.trimmingWhitespace, !trimmed.isEmpty {
            guard trimmed.count <= maxPhoneLength else {
                throw .unprocessable("phone must be at most \(maxPhoneLength) characters")
            }
            phone = trimmed
        }
        return MemberRegistration(name: name, email: email, phone: phone)
    }
}

extension String {
    /// The text without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
