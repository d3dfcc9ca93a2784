
/// An inclusive range of versions of one API.
public struct ApiVersionRange: Sendable, Equatable {
    public var apiKey: ApiKey
    public var minVersion: Int16
    public var maxVersion: Int16

    public init(_ apiKey: ApiKey, _ minVersion: Int16, _ maxVersion: Int16) {
        self.apiKey = apiKey
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }

    public func contains(_ version: Int16) -> Bool { version >= minVersion && version <= maxVersion }
}
