// swift-tools-version: 6.2
import PackageDescription

// Module map and dependency arrows: see ../shared/docs/architecture.md.
// A module may import only the targets named in its `dependencies`; CI enforces this with
// `swift build --build-tests --explicit-target-dependency-import-check error`.

let package = Package(
    name: "Kaffee",
    products: [
        // The Swift Kafka client, for other packages (see README "Using the Swift client" and
        // Examples/HelloKafka). Its public API also names types of KafkaRecords (RecordHeader,
        // TimestampType), KafkaProtocol (ErrorCode, ApiKey in KafkaClientError) and Net
        // (HostPort in ClientConfig), so those three are products too: a package that names
        // them imports them itself. Nothing is re-exported.
        .library(name: "KafkaClient", targets: ["KafkaClient"]),
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "Net", targets: ["Net"]),
        .library(name: "KafkaRecords", targets: ["KafkaRecords"]),
        .library(name: "LogStorage", targets: ["LogStorage"]),
        .executable(name: "kaffeed", targets: ["kaffeed"]),
        .executable(name: "kaffee", targets: ["kaffee"]),
        .executable(name: "kaffee-storage-bench", targets: ["StorageBenchmark"]),
        .executable(name: "order-service", targets: ["order-service"]),
        .executable(name: "barista-service", targets: ["barista-service"]),
        .executable(name: "barista-worker", targets: ["barista-worker"]),
        .executable(name: "notification-service", targets: ["notification-service"]),
        .executable(name: "protocol-gen", targets: ["ProtocolGenerator"]),
    ],
    targets: [
        // Hardware CRC-32C (SSE4.2 `crc32` instruction, x86-64 only; stubs elsewhere, where
        // KafkaRecords' software path runs); the only C in the project.
        .target(name: "CCRC32C"),
        // Pure byte codecs and RecordBatch v2. No I/O, no Foundation.
        .target(name: "KafkaRecords", dependencies: ["CCRC32C"]),
        // Kafka wire protocol: headers, frames, one value type per API message. No I/O, no Foundation.
        .target(name: "KafkaProtocol", dependencies: ["KafkaRecords"]),
        // Every syscall in one place: file descriptors, errno, pread/pwrite/fsync, clocks, stderr logging.
        .target(name: "SystemIO"),
        // epoll and eventfd headers (Glibc's module lacks them); used only by Net. Linux-only.
        .systemLibrary(name: "CEpoll"),
        // Sockets: listener, blocking connections with sendfile, and the epoll event loops
        // that serve the broker's connections without a thread each.
        .target(name: "Net", dependencies: ["SystemIO", "CEpoll"]),
        // Prometheus text exposition: histograms, the writer, escaping and number formatting. No dependencies.
        .target(name: "Prometheus"),
        // The segmented partition log and the store of topics/partitions.
        .target(name: "LogStorage", dependencies: ["KafkaRecords", "Prometheus", "SystemIO"]),
        // Request handlers: frames in, replies out; no sockets, clock injected.
        .target(name: "Broker", dependencies: ["KafkaProtocol", "KafkaRecords", "LogStorage", "Prometheus", "Security", "SystemIO"]),
        // SASL mechanisms (PLAIN, SCRAM-SHA-256/512) and their hashes: pure logic, no sockets, no disk.
        .target(name: "Security"),
        // The declared topics of a Topics/ directory (read by the broker and the CLI).
        .target(name: "TopicCatalog", dependencies: ["SystemIO"]),
        // Config, acceptor, connection threads, graceful shutdown, topic declarations.
        .target(name: "BrokerServer", dependencies: ["Broker", "HTTPServer", "KafkaProtocol", "LogStorage", "Net", "Prometheus", "SystemIO", "TopicCatalog"]),
        .executableTarget(name: "kaffeed", dependencies: ["BrokerServer", "BrokerConsole", "SystemIO"]),
        // kaffeed's web console: server-rendered pages over a Kafka client of the broker itself.
        .target(name: "BrokerConsole", dependencies: ["HTTPServer", "KafkaClient", "KafkaProtocol", "KafkaRecords", "Net", "Security", "SystemIO"]),
        // The client library: connections, metadata, producer, consumer, admin. Never the broker.
        .target(name: "KafkaClient", dependencies: ["KafkaProtocol", "KafkaRecords", "Net", "Security", "SystemIO"]),
        // A small HTTP/1.1 server for the services' health, metrics and APIs.
        .target(name: "HTTPServer", dependencies: ["Net", "SystemIO"]),
        // A minimal blocking HTTP/1.1 client (the demo's customers and the shop checks).
        .target(name: "HTTPClient", dependencies: ["Net", "SystemIO"]),
        // The coffee-shop events (envelope and payloads), mirroring Topics/.
        .target(name: "EventContracts"),
        // The worker chassis of the coffee-shop services (inbox, outbox, metrics, config).
        .target(name: "ServiceKit", dependencies: ["KafkaClient", "KafkaRecords", "Net", "SQLite", "EventContracts", "HTTPServer", "Prometheus", "SystemIO"]),
        // The shop's consistency checks and the reading of its state (kaffee demo / verify).
        .target(name: "CoffeeShopChecks", dependencies: ["EventContracts", "HTTPClient", "KafkaClient", "Net"]),
        // The `kaffee` command line, as a library so tests can run its commands.
        .target(name: "KaffeeCLI", dependencies: ["KafkaClient", "KafkaRecords", "Net", "SystemIO", "TopicCatalog", "CoffeeShopChecks", "HTTPClient", "EventContracts"]),
        .executableTarget(name: "kaffee", dependencies: ["KaffeeCLI", "SystemIO"]),
        // Generates KafkaProtocol's message codecs from protocol/messages/*.kspec (scripts/generate-protocol).
        .executableTarget(name: "ProtocolGenerator"),
        .executableTarget(name: "StorageBenchmark", dependencies: ["KafkaRecords", "LogStorage", "SystemIO"]),
        // The system SQLite library (libsqlite3 via pkg-config); only the SQLite module imports it.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Database connections, statements, transactions and numbered migrations for the services.
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        // The three coffee-shop services: domain logic, tables, handlers and HTTP routes.
        .target(name: "OrderService", dependencies: ["ServiceKit", "SQLite", "EventContracts", "HTTPServer", "SystemIO"]),
        .target(name: "BaristaService", dependencies: ["ServiceKit", "SQLite", "EventContracts", "HTTPServer", "SystemIO"]),
        .target(name: "NotificationService", dependencies: ["ServiceKit", "SQLite", "EventContracts", "HTTPServer", "SystemIO"]),
        .executableTarget(name: "order-service", dependencies: ["OrderService", "ServiceKit"]),
        .executableTarget(name: "barista-service", dependencies: ["BaristaService", "ServiceKit"]),
        .target(name: "BaristaWorker", dependencies: ["ServiceKit", "EventContracts", "KafkaClient", "KafkaProtocol", "KafkaRecords", "HTTPServer", "Net", "SystemIO"]),
        .executableTarget(name: "barista-worker", dependencies: ["BaristaWorker"]),
        .executableTarget(name: "notification-service", dependencies: ["NotificationService", "ServiceKit"]),

        .testTarget(name: "KafkaRecordsTests", dependencies: ["KafkaRecords", "SystemIO"]),
        .testTarget(name: "KafkaProtocolTests", dependencies: ["KafkaProtocol", "KafkaRecords"]),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "NetTests", dependencies: ["Net", "SystemIO"]),
        .testTarget(name: "BrokerServerTests", dependencies: ["BrokerServer", "Broker", "HTTPClient", "HTTPServer", "LogStorage", "Net", "Prometheus", "SystemIO"]),
        .testTarget(name: "KaffeeCLITests", dependencies: ["KaffeeCLI", "KafkaClient", "KafkaRecords", "BrokerServer", "HTTPServer", "Net", "SystemIO"]),
        .testTarget(name: "KafkaClientTests", dependencies: ["KafkaClient", "KafkaProtocol", "KafkaRecords", "Net", "BrokerServer", "SystemIO"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "KafkaProtocol", "KafkaRecords", "LogStorage", "Prometheus", "Security", "SystemIO"]),
        .testTarget(name: "PrometheusTests", dependencies: ["Prometheus"]),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "KafkaRecords", "SystemIO"]),
        .testTarget(name: "SecurityTests", dependencies: ["Security"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "BrokerConsoleTests", dependencies: ["BrokerConsole", "HTTPServer", "SystemIO"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Net", "SystemIO"]),
        .testTarget(name: "CoffeeShopChecksTests", dependencies: ["CoffeeShopChecks", "EventContracts"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTPServer", "Net", "SystemIO"]),
        .testTarget(name: "EventContractsTests", dependencies: ["EventContracts"]),
        .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit", "SQLite", "EventContracts", "SystemIO"]),
        .testTarget(name: "OrderServiceTests", dependencies: ["OrderService", "ServiceKit", "SQLite", "EventContracts", "HTTPServer"]),
        .testTarget(name: "BaristaWorkerTests", dependencies: ["BaristaWorker", "ServiceKit", "EventContracts", "KafkaRecords", "SystemIO"]),
        .testTarget(name: "BaristaServiceTests", dependencies: ["BaristaService", "ServiceKit", "SQLite", "EventContracts", "HTTPServer", "SystemIO"]),
        .testTarget(name: "NotificationServiceTests", dependencies: ["NotificationService", "ServiceKit", "SQLite", "EventContracts", "HTTPServer"]),
    ]
)

// Strict settings for every Swift target, in one place (not the C target, not system libraries).
for target in package.targets where target.name != "CCRC32C" && target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.treatAllWarnings(as: .error))
    target.swiftSettings = settings
}
