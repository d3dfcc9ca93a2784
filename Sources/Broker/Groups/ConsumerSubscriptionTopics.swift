import KafkaProtocol

/// Reads the subscribed topics out of a classic consumer's JoinGroup protocol metadata (the
/// consumer protocol's Subscription, opaque to the rest of the coordinator), as Kafka's
/// `ClassicGroup.computeSubscribedTopics` does: only the version-0 prefix every version starts
/// with (`version INT16`, `topics [STRING]`, `user_data NULLABLE_BYTES`, classic encoding) is
/// read, whatever the version says, and bytes after it are ignored.
///
/// Stateless; thread-safe. The client's full codec (`KafkaClient`'s
/// `ConsumerProtocolSubscription`) is not used because the broker must not import the client.
enum ConsumerSubscriptionTopics {
    /// The topics in `metadata`, or nil when it is not a readable subscription (too short, or a
    /// null topic array or topic name), in which case Kafka treats the group's subscriptions
    /// as unknown.
    static func decode(_ metadata: [UInt8]) -> [String]? {
        var reader = ProtocolReader(metadata, flexible: false)
        do {
            _ = try reader.readInt16()
            let topics = try reader.readArray("subscription topics") { (r: inout ProtocolReader) throws(ProtocolError) in
                try r.readString("subscription topic")
            }
            // user_data must be present, but Kafka reads any negative length as null.
            let userDataLength = try reader.readInt32()
            if userDataLength > 0 { _ = try reader.readRaw(count: Int(userDataLength)) }
            return topics
        } catch {
            return nil
        }
    }
}
