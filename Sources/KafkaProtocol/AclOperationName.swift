/// Kafka's names of the ACL operations by wire code (`AclOperation` in Kafka's admin API):
/// one table for the broker's authorizer and the client's admin API. Stateless.
public enum AclOperationName {
    /// Code → name, for codes 0 (UNKNOWN) through 14 (DESCRIBE_TOKENS).
    public static let byCode: [Int8: String] = [
        0: "UNKNOWN", 1: "ANY", 2: "ALL", 3: "READ", 4: "WRITE", 5: "CREATE", 6: "DELETE", 7: "ALTER", 8: "DESCRIBE",
        9: "CLUSTER_ACTION", 10: "DESCRIBE_CONFIGS", 11: "ALTER_CONFIGS", 12: "IDEMPOTENT_WRITE", 13: "CREATE_TOKENS",
        14: "DESCRIBE_TOKENS",
    ]

    /// The name of `code`, or `UNKNOWN`.
    public static func name(_ code: Int8) -> String { byCode[code] ?? "UNKNOWN" }
}
