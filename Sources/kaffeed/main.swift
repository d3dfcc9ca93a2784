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
