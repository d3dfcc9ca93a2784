// kaffeed: the Kafka-compatible broker daemon. Argument parsing and wiring only; see
// BrokerServer for everything else.
import BrokerConsole
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

// The web console: a Kafka client of this broker over loopback, behind the HTTP port.
var stopConsole: (() -> Void)?
if config.console, let http = server.http, let local = server.localListener {
    let clients = ConsoleClients(target: ConsoleBrokerTarget(address: local.address, saslMechanisms: local.saslMechanisms),
                                 logger: logger.named("console"))
    let info = ConsoleInfo(version: BrokerServer.softwareVersion, listeners: server.advertisedListeners,
                           connection: "\(local.securityProtocol) \(local.address)" + (local.saslMechanisms == nil ? "" : " as the signed-in user"))
    // The broker's own counters; with --metrics false, records and bytes in are estimated from the logs.
    let counters: @Sendable () -> ConsoleCounters = { [server] in
        if let totals = server.trafficTotals {
            return ConsoleCounters(recordsIn: totals.recordsIn, bytesIn: totals.bytesIn, recordsOut: totals.recordsOut,
                                   bytesOut: totals.bytesOut, requests: totals.requests)
        }
        let stored = server.storedTotals
        return ConsoleCounters(recordsIn: stored.records, bytesIn: stored.bytes, unmeasured: [.recordsOut, .bytesOut, .requests],
                               note: "Metrics are off (--metrics false): records and bytes in are estimated from the logs (log end offsets and sizes); retention and compaction make them dip.")
    }
    let rates = CounterRates()
    http.install(routes: BrokerConsole.router(info: info, requiresLogin: local.saslMechanisms != nil, counters: counters, rates: rates) { credentials throws(ConsoleFailure) in
        try clients.source(for: credentials)
    })
    do {
        try clients.startSweeping()
        try rates.startSampling(counters)
    } catch {
        logger.warning("console: cannot start its background threads: \(error)")
    }
    stopConsole = {
        rates.stop()
        clients.close()
    }
    logger.info("web console on http port \(http.port), reading the broker through \(local.securityProtocol) \(local.address)")
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
stopConsole?()
do {
    try server.shutdown()
    ProcessControl.exit(0)
} catch {
    logger.error("shutdown failed: \(error)")
    ProcessControl.exit(1)
}
