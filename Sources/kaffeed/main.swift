// kaffeed: the Kafka-compatible broker daemon. Argument parsing and wiring only; see
// BrokerServer for everything else.
import BrokerServer
import SystemIO

SignalWaiter.blockInThisProcess([SignalWaiter.terminate, SignalWaiter.interrupt])

let config: ServerConfig
switch ServerConfig.parse(arguments: Array(CommandLine.arguments.dropFirst())) {
case .help(let text):
    print(text, terminator: "")
    ProcessControl.exit(0)
case .error(let message):
    Logger(component: "kaffeed").error(message)
    ProcessControl.exit(2)
case .run(let parsed):
    config = parsed
}

let logger = Logger(component: "kaffeed", minimumLevel: config.logLevel)
// Each connection holds a descriptor, so use all the system allows (segment files are bounded
// by --max-open-segment-files whatever the limit).
do {
    let (before, after) = try OpenFileLimit.raiseSoftToHard()
    let change = after.soft == before.soft ? "\(after.soft) (already the hard limit)" : "\(before.soft) → \(after.soft)"
    logger.info("open files limit: soft \(change), hard \(after.hard == UInt64.max ? "unlimited" : String(after.hard)); at most \(config.maxOpenSegmentFiles) segment files open")
} catch {
    logger.warning("cannot raise the open files limit: \(error)")
}
let server: BrokerServer
do {
    server = try BrokerServer(config: config, logger: logger)
    try server.start()
} catch {
    logger.error("cannot start: \(error)")
    ProcessControl.exit(1)
}

let stop = ConditionSignal()
do {
    try SignalWaiter.start([SignalWaiter.terminate, SignalWaiter.interrupt]) { signal in
        logger.info("received signal \(signal), shutting down")
        stop.signal()
    }
} catch {
    logger.error("cannot watch signals: \(error)")
    ProcessControl.exit(1)
}
stop.wait(after: 0, timeoutNanos: UInt64.max)
do {
    try server.shutdown()
    ProcessControl.exit(0)
} catch {
    logger.error("shutdown failed: \(error)")
    ProcessControl.exit(1)
}
