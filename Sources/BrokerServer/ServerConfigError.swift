/// A malformed or unusable setting (a listener flag, a file it names); the message says what
/// and how to fix it.
public struct ServerConfigError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
