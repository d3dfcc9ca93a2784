// swift-tools-version: 6.2
import PackageDescription

// A downstream package that uses Kaffee's Swift Kafka client through its products only.
// `scripts/test` builds it (and runs it against a kaffeed) to prove the products suffice.
let package = Package(
    name: "HelloKafka",
    dependencies: [
        // Once published: .package(url: "https://github.com/OWNER/kaffee.git", from: "0.1.0").
        // `name:` because a path dependency is otherwise known by its directory's name
        // (a checkout need not be called "Kaffee").
        .package(name: "Kaffee", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "HelloKafka",
            dependencies: [.product(name: "KafkaClient", package: "Kaffee")]
        ),
    ]
)
