/// A consumer's topic regular expression (KIP-848 / KIP-1099 `SubscribedTopicRegex`), matched
/// against whole topic names as Kafka matches its RE2/J patterns (`matches()`, not `find()`).
/// The common syntax (character classes, `.`, `*`, `+`, `?`, `|`, groups, anchors, `{m,n}`)
/// means the same in Swift's regex engine, which compiles it; a pattern it refuses answers
/// INVALID_REGULAR_EXPRESSION.
///
/// Value type, `Sendable`: the compiled regex is rebuilt per use (patterns are short and
/// resolved only when a regex member heartbeats), since `Regex` values are not `Sendable`.
struct TopicPattern: Sendable, Equatable {
    /// The pattern as the member sent it.
    let pattern: String

    /// Nil when `pattern` does not compile.
    init?(_ pattern: String) {
        guard (try? Regex(pattern)) != nil else { return nil }
        self.pattern = pattern
    }

    /// Whether the whole of `topic` matches.
    func matches(_ topic: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: topic)) != nil
    }
}
