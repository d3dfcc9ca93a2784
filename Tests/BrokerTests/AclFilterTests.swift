@testable import Broker
import KafkaProtocol
import Testing

/// `AclFilter` as Kafka's `AclBindingFilter`, and the binding validation of CreateAcls.
@Suite struct AclFilterTests {
    static let literal = AclBinding(resourceType: .topic, name: "orders", principal: "User:alice", operation: .read)
    static let wildcard = AclBinding(resourceType: .topic, name: "*", principal: "User:*", operation: .describe)
    static let prefixed = AclBinding(resourceType: .topic, name: "ord", patternType: .prefixed, principal: "User:bob", host: "10.0.0.1",
                                     operation: .write, permission: .deny)
    static let otherPrefix = AclBinding(resourceType: .topic, name: "pay", patternType: .prefixed, principal: "User:bob", operation: .write)
    static let group = AclBinding(resourceType: .group, name: "orders", principal: "User:alice", operation: .read)
    static let all = [literal, wildcard, prefixed, otherPrefix, group]

    static let rows: [(String, AclFilter, [AclBinding])] = [
        ("everything", AclFilter.all, all),
        ("a resource type", AclFilter(resourceType: .group), [group]),
        ("ANY pattern: an equal name of any pattern type", AclFilter(name: "ord"), [prefixed]),
        ("ANY pattern with * finds the wildcard binding only", AclFilter(name: "*"), [wildcard]),
        ("LITERAL: literal bindings", AclFilter(patternType: .literal), [literal, wildcard, group]),
        ("LITERAL with a name: that exact literal", AclFilter(resourceType: .topic, name: "orders", patternType: .literal), [literal]),
        ("PREFIXED: prefixed bindings", AclFilter(patternType: .prefixed), [prefixed, otherPrefix]),
        ("PREFIXED with a name: that exact prefix", AclFilter(name: "orders", patternType: .prefixed), []),
        ("MATCH: what applies to the name", AclFilter(resourceType: .topic, name: "orders", patternType: .match), [literal, wildcard, prefixed]),
        ("MATCH without a name: everything", AclFilter(patternType: .match), all),
        ("a principal, as text", AclFilter(principal: "User:alice"), [literal, group]),
        ("User:* finds the wildcard binding, not everyone's", AclFilter(principal: "User:*"), [wildcard]),
        ("a host", AclFilter(host: "10.0.0.1"), [prefixed]),
        ("an operation", AclFilter(operation: .write), [prefixed, otherPrefix]),
        ("a permission", AclFilter(permission: .deny), [prefixed]),
        ("all fields", AclFilter(resourceType: .topic, name: "orders", patternType: .match, principal: "User:bob", host: "10.0.0.1",
                                 operation: .write, permission: .deny), [prefixed]),
    ]

    @Test func filtersMatchAsKafka() {
        for (why, filter, expected) in Self.rows {
            #expect(Self.all.filter(filter.matches) == expected, "\(why)")
        }
    }

    @Test func unknownElementsAreRefused() {
        #expect(AclFilter.all.validationError == nil)
        for filter in [AclFilter(resourceType: .unknown), AclFilter(patternType: .unknown), AclFilter(operation: .unknown),
                       AclFilter(permission: .unknown)] {
            #expect(filter.validationError?.code == .invalidRequest)
        }
        // Codes Kafka does not know read as UNKNOWN.
        #expect(AclResourceType(code: 42) == .unknown && AclOperation(code: -1) == .unknown)
    }

    @Test func bindingValidationFollowsKafka() {
        func error(_ change: (inout AclBinding) -> Void) -> String? {
            var binding = Self.literal
            change(&binding)
            return binding.validationError.map { "\($0.code) \($0.message)" }
        }
        #expect(error { _ in } == nil)
        #expect(error { $0.patternType = .prefixed } == nil)
        #expect(error { $0.resourceType = .any } == "invalidRequest Invalid resourceType ANY")
        #expect(error { $0.resourceType = .unknown } == "invalidRequest Invalid resourceType UNKNOWN")
        #expect(error { $0.patternType = .match } == "invalidRequest Invalid patternType MATCH")
        #expect(error { $0.patternType = .any } == "invalidRequest Invalid patternType ANY")
        #expect(error { $0.operation = .any } == "invalidRequest Invalid operation ANY")
        #expect(error { $0.permission = .any } == "invalidRequest Invalid permissionType ANY")
        #expect(error { $0.name = "" } == "invalidRequest Invalid empty resource name")
        #expect(error { $0.resourceType = .cluster } == "invalidRequest The only valid name for the CLUSTER resource is kafka-cluster")
        #expect(error { $0.principal = "alice" }?.hasPrefix("invalidRequest Could not parse principal from `alice`") == true)
    }
}
