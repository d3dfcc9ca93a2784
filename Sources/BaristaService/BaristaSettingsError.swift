/// A malformed barista-service environment variable.
public struct BaristaSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable.
    public let variable: String
    /// Its value.
    public let value: String
    /// What was expected instead.
    public let expected: String

    /// `invalid BARISTA_COUNT="0": expected an integer in 1...64`.
    public var description: String { "invalid \(variable)=\"\(value)\": expected \(expected)" }
}
