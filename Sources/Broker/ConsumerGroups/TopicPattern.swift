/// A consumer's topic regular expression (KIP-848 / KIP-1099 `SubscribedTopicRegex`), matched
/// against whole topic names as Kafka matches its RE2/J patterns (`matches()`, not `find()`).
/// The common syntax (character classes, `.`, `*`, `+`, `?`, `|`, groups, anchors, `{m,n}`)
/// means the same in Swift's regex engine, which compiles it; a pattern it refuses answers
/// INVALID_REGULAR_EXPRESSION.
///
/// Value type, `Sendable`: the compiled regex is rebuilt per `matching` call (once per
/// resolution, only when a regex member heartbeats), since `Regex` values are not `Sendable`.
struct TopicPattern: Sendable, Equatable {
    /// The pattern as the member sent it.
    let pattern: String

    /// Nil when `pattern` does not compile.
    init?(_ pattern: String) {
        guard (try? Regex(pattern)) != nil else { return nil }
        self.pattern = pattern
    }

    /// The names in `topics` that match whole, in their order; the pattern is compiled once.
    func matching(_ topics: [String]) -> [String] {
        guard let regex = try? Regex(pattern) else { return [] }
        return topics.filter { (try? regex.wholeMatch(in: $0)) != nil }
    }
}
