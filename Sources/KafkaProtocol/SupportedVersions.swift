/// The API versions the broker advertises in ApiVersions and accepts: only what is implemented
/// end to end (kafka-protocol.md §1.1). Clients act on this list blindly.
public enum SupportedVersions {
    public static let broker: [ApiVersionRange] = [
        ApiVersionRange(.produce, 0, 9),
        ApiVersionRange(.fetch, 4, 12),
        ApiVersionRange(.listOffsets, 1, 7),
        ApiVersionRange(.metadata, 0, 12),
        ApiVersionRange(.offsetCommit, 2, 8),
        ApiVersionRange(.offsetFetch, 1, 7),
        ApiVersionRange(.findCoordinator, 0, 3),
        ApiVersionRange(.joinGroup, 0, 9),
        ApiVersionRange(.heartbeat, 0, 4),
        ApiVersionRange(.leaveGroup, 0, 5),
        ApiVersionRange(.syncGroup, 0, 5),
        ApiVersionRange(.describeGroups, 0, 5),
        ApiVersionRange(.listGroups, 0, 5),
        ApiVersionRange(.apiVersions, 0, 4),
        ApiVersionRange(.createTopics, 0, 7),
        ApiVersionRange(.deleteTopics, 0, 6),
        ApiVersionRange(.initProducerId, 0, 4),
        ApiVersionRange(.describeConfigs, 0, 4),
        ApiVersionRange(.deleteGroups, 0, 2),
    ]

    /// The advertised range for `key`, or nil if the broker does not serve it.
    public static func range(for key: ApiKey) -> ApiVersionRange? {
        broker.first { $0.apiKey == key }
    }
}
