/// The notification-service's base URL as a browser reaches it (`ORDER_BOARD_NOTIFICATIONS_URL`),
/// from which the coffee board's script reads delivered notifications. Value type.
///
/// The order-service never calls this URL itself (services talk only through events); it only
/// tells the page where to look and allows that origin in the page's Content-Security-Policy.
/// A CSP source expression has no escaping, so the parser accepts only what the CSP host-source
/// grammar can say: `http` or `https`, a host name or IPv4 address of letters, digits, `-` and
/// `.`, an optional port, and an optional plain path — no user info, query, fragment or IPv6
/// literal. Anything it accepts is therefore safe to put into the header as is.
public struct BoardNotificationsURL: Sendable, Equatable, CustomStringConvertible {
    /// The base URL without a trailing `/`, e.g. `http://127.0.0.1:8082` (the page appends
    /// `/notifications?…`).
    public let base: String
    /// Its origin, lower-case, e.g. `http://127.0.0.1:8082` — what the page's `connect-src` allows.
    public let origin: String

    /// Parses `text` (surrounding whitespace ignored); nil when it is not an http(s) URL of the
    /// accepted shape (see the type's documentation).
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace
        let lower = trimmed.lowercased()
        let scheme: String
        if lower.hasPrefix("http://") { scheme = "http" } else if lower.hasPrefix("https://") { scheme = "https" } else { return nil }
        let rest = trimmed.dropFirst(scheme.count + 3)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        var path = rest[slash...]
        while path.hasSuffix("/") { path = path.dropLast() }
        guard let host = Self.hostAndPort(authority), path.unicodeScalars.allSatisfy(Self.isPathScalar) else { return nil }
        origin = scheme + "://" + host
        base = origin + path
    }

    public var description: String { base }

    /// `host` or `host:port` lower-cased, when `authority` is a CSP-expressible host (labels of
    /// letters, digits and `-`, separated by single dots) with an optional port 1…65535.
    private static func hostAndPort(_ authority: Substring) -> String? {
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let labels = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(isHostScalar) }) else { return nil }
        var result = parts[0].lowercased()
        if parts.count == 2 {
            guard parts[1].unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), parts[1].count <= 5,
                  let port = Int(parts[1]), (1...65_535).contains(port) else { return nil }
            result += ":\(port)"
        }
        return result
    }

    private static func isHostScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    /// Path characters: unreserved ones, `/` and `%` (for already-encoded bytes) — nothing that
    /// ends a CSP directive or needs escaping in HTML or a URL.
    private static func isPathScalar(_ scalar: Unicode.Scalar) -> Bool {
        isHostScalar(scalar) || scalar == "." || scalar == "_" || scalar == "~" || scalar == "/" || scalar == "%"
    }
}
