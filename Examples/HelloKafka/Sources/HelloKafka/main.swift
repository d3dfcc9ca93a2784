// Produces three records to the topic `hello-kafka` and reads them back with a consumer group.
// Usage: HelloKafka [HOST:PORT[,HOST:PORT...]]   (default: $KAFKA_BROKERS, else localhost:9092)
import Foundation
import KafkaClient

func helloKafka(config: ClientConfig) throws(KafkaClientError) {
    let topic = "hello-kafka", run = UInt32.random(in: 0...UInt32.max)   // tells this run's records apart

    let admin = KafkaAdmin(config: config)
    defer { admin.close() }
    do throws(KafkaClientError) { try admin.createTopic(name: topic, partitions: 3) } catch {
        guard case .broker(.topicAlreadyExists, _) = error else { throw error }   // an existing topic is fine
    }

    let producer = try KafkaProducer(config: config)   // idempotent, acks=all by default
    defer { producer.close() }
    for i in 1...3 {
        let record = ProducerRecord(topic: topic, key: Array("key-\(i)".utf8), value: Array("hello \(i) from run \(run)".utf8))
        print("produced \(try producer.send(record))")   // blocks until the broker acknowledged it
    }

    var consumerConfig = ConsumerConfig(groupId: "hello-kafka-\(run)")
    consumerConfig.autoOffsetReset = .earliest
    let consumer = try KafkaConsumer(config: config, consumerConfig: consumerConfig)
    defer { consumer.close() }   // commits nothing more and leaves the group
    try consumer.subscribe([topic])
    var seen = 0
    let deadline = Date().addingTimeInterval(30)
    while seen < 3 && Date() < deadline {
        for record in try consumer.poll(timeoutMs: 500) where String(decoding: record.value ?? [], as: UTF8.self).hasSuffix("run \(run)") {
            seen += 1
            print("consumed \(record.topicPartition)@\(record.offset): \(String(decoding: record.value ?? [], as: UTF8.self))")
        }
    }
    try consumer.commitSync()
    guard seen == 3 else { throw .timedOut(operation: "reading the 3 records back", milliseconds: 30_000) }
}

let brokers = CommandLine.arguments.dropFirst().first ?? ProcessInfo.processInfo.environment["KAFKA_BROKERS"] ?? "localhost:9092"
guard let servers = ClientConfig.parseBrokers(brokers) else { print("bad broker list: \(brokers)"); exit(2) }
do { try helloKafka(config: ClientConfig(bootstrapServers: servers, clientId: "hello-kafka")); print("ok") } catch { print("error: \(error)"); exit(1) }
