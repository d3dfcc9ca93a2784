import CoffeeShopChecks
import Foundation
import HTTPClient
import KafkaClient
import Net
import SystemIO

/// `kaffee demo`: the main job. Starts kaffeed and the three services as separate processes
/// with a demo data directory, registers members, places orders at a chosen rate through the
/// order-service's HTTP API, shows live progress, picks up half of the ready orders, waits until
/// everything converged, runs the consistency checks and prints a summary. Stops every process
/// at the end (SIGTERM). Exit 0 when every check passes, 1 otherwise.
enum DemoCommand {
    static let options: [Arguments.Option] = [
        Arguments.Option("--orders", value: "N", help: "orders to place (default 300)"),
        Arguments.Option("--rate", value: "PER_SECOND", help: "orders placed per second (default 100)"),
        Arguments.Option("--members", value: "N", help: "members to register (default 25)"),
        Arguments.Option("--workers", value: "N", help: "barista-worker processes sharing the brewing queue (default 4)"),
        Arguments.Option("--speed", value: "FACTOR", help: "barista speed factor: preparation time × FACTOR (default 0.01; 0 = instant)"),
        Arguments.Option("--brew-ms", value: "MS", help: "every drink takes exactly MS milliseconds, overriding --speed (benchmarks; default: the menu × --speed)"),
        Arguments.Option("--fail-rate", value: "P", help: "share of drinks (0...1) whose machine always breaks: retried, then dead-lettered and the order FAILED (default 0.01)"),
        Arguments.Option("--cancel-percent", value: "P", help: "orders whose customer asks to cancel right away (default 10)"),
        Arguments.Option("--seed", value: "N", help: "random seed of the customers (default 42)"),
        Arguments.Option("--data-dir", value: "DIR", help: "where the broker and the services keep their data (default ./kaffee-demo-data; emptied first)"),
        Arguments.Option("--topics", value: "DIR", help: "topic declarations (default ./Topics)"),
        Arguments.Option("--bin-dir", value: "DIR", help: "where kaffeed and the services are (default: next to kaffee)"),
        Arguments.Option("--base-port", value: "PORT", help: "broker on PORT+2, services on PORT+1..+3 … (default 19080: 19092, 19081, 19082, 19083; the broker console, when kaffeed has --http-listen, on PORT+10)"),
        Arguments.Option("--timeout", value: "SECONDS", help: "longest wait for convergence (default 120)"),
        Arguments.Option("--keep-running", help: "leave the shop running after the summary (stop with Ctrl-C)"),
        Arguments.Option("--secure", help: "authentication and least privilege: kaffeed only on a SASL_PLAINTEXT listener with --authorizer acl; each service logs in as its own user (SCRAM-SHA-512, random passwords in DATA_DIR/secrets) and may do only what Topics/ declares"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee demo [--orders N] [--rate PER_SECOND] [options]

    Runs the whole coffee shop on this machine: kaffeed plus order-, barista- and
    notification-service and N barista workers (a share group on the brewing queue) as separate
    processes; places orders as customers would, waits until
    everything has converged, runs the consistency checks (see kaffee verify) and prints a
    summary. Logs are in DATA_DIR/logs.

    \(Arguments.help(options))
    """

    static let marker = ".kaffee-demo"
    static let services = ["order-service", "barista-service", "notification-service"]

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help"), arguments.positionals.isEmpty else {
            console.print(usage)
            return arguments.flag("--help") ? .ok : .usage
        }
        let orders = try arguments.integer("--orders", default: 300, range: 1...10_000_000)
        let rate = try arguments.integer("--rate", default: 100, range: 1...100_000)
        let members = try arguments.integer("--members", default: 25, range: 1...100_000)
        let workers = try arguments.integer("--workers", default: 4, range: 1...64)
        let cancelPercent = try arguments.integer("--cancel-percent", default: 10, range: 0...100)
        let seed = try arguments.integer("--seed", default: 42, range: 0...Int.max)
        let basePort = try arguments.integer("--base-port", default: 19080, range: 1024...65000)
        let timeout = try arguments.integer("--timeout", default: 120, range: 1...86_400)
        let speedText = arguments.value("--speed") ?? "0.01"
        guard let speed = Double(speedText), speed >= 0, speed.isFinite else {
            throw CLIError.usage("--speed: expected a number ≥ 0, got \(speedText.debugDescription)")
        }
        var brewMillis: Int?
        if arguments.value("--brew-ms") != nil { brewMillis = try arguments.integer("--brew-ms", default: 0, range: 0...3_600_000) }
        let failRateText = arguments.value("--fail-rate") ?? "0.01"
        guard let failRate = Double(failRateText), (0...1).contains(failRate) else {
            throw CLIError.usage("--fail-rate: expected a number in 0...1, got \(failRateText.debugDescription)")
        }
        let dataDir = absolute(arguments.value("--data-dir") ?? "kaffee-demo-data")
        let topicsDir = absolute(arguments.value("--topics") ?? "Topics")
        let binDir = arguments.value("--bin-dir").map(absolute) ?? executableDirectory()
        guard FileManager.default.fileExists(atPath: topicsDir + "/coffee.orders/topic.json") else {
            throw CLIError.usage("--topics: \(topicsDir) has no coffee.orders/topic.json (run from the repository or pass --topics DIR)")
        }
        for binary in ["kaffeed", "barista-worker"] + services where !FileManager.default.isExecutableFile(atPath: "\(binDir)/\(binary)") {
            throw CLIError.usage("\(binDir)/\(binary) not found: build with `swift build -c release` or pass --bin-dir")
        }
        try prepare(dataDir: dataDir)

        let brokerPort = basePort + 12
        let ports = ["order-service": basePort + 1, "barista-service": basePort + 2, "notification-service": basePort + 3]
        let workerPorts = (0..<workers).map { basePort + 20 + $0 }
        // The broker's web console, when this kaffeed has one (older builds lack the flag).
        let consolePort: Int? = BrokerHelp.offers("--http-listen", executable: "\(binDir)/kaffeed") ? basePort + 10 : nil
        for port in [brokerPort] + ports.values.sorted() + workerPorts + (consolePort.map { [$0] } ?? []) {
            guard let listener = try? TCPListener.listen(on: HostPort(host: "127.0.0.1", port: UInt16(port))) else {
                throw CLIError.failed("port \(port) is in use (another demo running?); pass --base-port")
            }
            listener.close()
        }
        let broker = "127.0.0.1:\(brokerPort)"
        func host(_ service: String) -> HostPort { HostPort(host: "127.0.0.1", port: UInt16(ports[service] ?? 0)) }
        let endpoints = ShopEndpoints(orderService: host("order-service"), baristaService: host("barista-service"),
                                      notificationService: host("notification-service"),
                                      brokers: [HostPort(host: "127.0.0.1", port: UInt16(brokerPort))])

        let secure = arguments.flag("--secure") ? try DemoSecurity(dataDir: dataDir, topicsDir: topicsDir, broker: broker) : nil
        var endpointsForChecks = endpoints
        endpointsForChecks.sasl = secure?.admin
        console.print("kaffee demo: \(orders) orders at \(rate)/s, \(members) members, \(workers) barista workers at \(brewMillis.map { "\($0) ms a drink" } ?? "speed ×\(speedText)"), fail rate \(failRateText); data in \(dataDir)")
        var children: [ChildProcess] = []
        defer {
            if !arguments.flag("--keep-running") || Interruption.shared.isRequested {
                for child in children.reversed() {
                    let status = child.stop()
                    if status != 0 && status != 15 { console.error("\(child.name) exited with status \(status)") }
                }
            }
        }
        try FileManager.default.createDirectory(atPath: dataDir + "/logs", withIntermediateDirectories: true)
        children.append(try ChildProcess(
            name: "kaffeed", executable: "\(binDir)/kaffeed",
            arguments: (secure?.brokerArguments ?? ["--listen", broker, "--advertise", broker]) + ["--data-dir", dataDir + "/broker", "--topics", topicsDir,
                        "--group-initial-rebalance-delay-ms", "200",
                        // Lets the workers' group hold a drink for 5 s (Kafka's floor is 15 s).
                        "--config", "group.share.min.record.lock.duration.ms=1000",
                        // Lets the services give their consumer groups (KIP-848) a 10 s session
                        // (SERVICE_SESSION_TIMEOUT_MS; Kafka's floor is 45 s).
                        "--config", "group.consumer.min.session.timeout.ms=3000",
                        "--config", "group.consumer.min.heartbeat.interval.ms=1000"]
                + (consolePort.map { ["--http-listen", "127.0.0.1:\($0)"] } ?? []),
            environment: [:], logPath: dataDir + "/logs/kaffeed.log"))
        if let secure {
            // The services' ACLs exist before they first ask for anything.
            let granted = try secure.grantServiceAcls(deadline: Date().addingTimeInterval(30))
            console.print("secure: SASL_PLAINTEXT (SCRAM-SHA-512), \(secure.users.count) users, \(granted) ACLs from \(topicsDir)")
        }
        for service in services {
            children.append(try ChildProcess(
                name: service, executable: "\(binDir)/\(service)", arguments: [],
                environment: ["KAFFEE_BROKERS": broker, "SERVICE_HTTP_PORT": String(ports[service] ?? 0),
                              "SERVICE_DB_PATH": "\(dataDir)/\(service).sqlite", "SERVICE_LOG_LEVEL": "warning"]
                    .merging(Self.settings(for: service, notificationService: endpoints.notificationService)) { $1 }
                    .merging(secure?.environment(user: service) ?? [:]) { $1 },
                logPath: "\(dataDir)/logs/\(service).log"))
        }
        for (index, port) in workerPorts.enumerated() {
            var environment = ["KAFFEE_BROKERS": broker, "SERVICE_HTTP_PORT": String(port), "SERVICE_LOG_LEVEL": "warning",
                               "BARISTA_WORKER_NAME": "worker-\(index + 1)", "BARISTA_SPEED_FACTOR": speedText,
                               "BARISTA_FAIL_RATE": failRateText, "BARISTA_LOCK_MS": "5000"]
            if let brewMillis { environment["BARISTA_BREW_MS"] = String(brewMillis) }
            environment.merge(secure?.environment(user: "barista-worker") ?? [:]) { $1 }
            children.append(try ChildProcess(
                name: "barista-worker-\(index + 1)", executable: "\(binDir)/barista-worker", arguments: [],
                environment: environment,
                logPath: "\(dataDir)/logs/barista-worker-\(index + 1).log"))
        }
        let workerEndpoints = workerPorts.enumerated().map { ("barista-worker-\($0.offset + 1)", HostPort(host: "127.0.0.1", port: UInt16($0.element))) }
        let inspector = ShopInspector(endpoints: endpointsForChecks)
        try waitUntilReady(children: children, inspector: inspector, endpoints: endpoints, workers: workerEndpoints, console: console)
        let links = DemoLinks(orderService: endpoints.orderService, consolePort: consolePort)
        links.print(to: console, heading: "watch it live")

        let simulator = CustomerSimulator(
            settings: .init(orders: orders, ratePerSecond: rate, members: members, cancelPercent: cancelPercent,
                            unavailablePercent: 3, replayPercent: 5, seed: UInt64(seed),
                            threads: customerThreads(rate: rate)),
            orderService: endpoints.orderService)
        let memberIds = try simulator.registerMembers()
        console.print("registered \(memberIds.count) members")

        let placingStart = Date()
        let placing = Locked<CLIError?>(nil)
        let placed = Locked(false)
        try SystemThread.spawn(name: "customers") {
            do throws(CLIError) { try simulator.placeOrders(members: memberIds) } catch { placing.withLock { $0 = error } }
            placed.withLock { $0 = true }
        }
        while !placed.withLock({ $0 }) {
            showProgress(simulator: simulator, total: orders, inspector: inspector, endpoints: endpoints, console: console)
            usleep(250_000)
        }
        let placingSeconds = Date().timeIntervalSince(placingStart)
        if let error = placing.withLock({ $0 }) { throw error }
        if Interruption.shared.isRequested { return .interrupted }

        // Converge: every order reaches a final status; pick up half of the ready ones; then check.
        let deadline = Date().addingTimeInterval(Double(timeout))
        try waitForFinalStatuses(inspector: inspector, simulator: simulator, total: orders, deadline: deadline, console: console)
        let pickedUp = try pickUpHalf(inspector: inspector, endpoints: endpoints)
        let outcome = VerifyCommand.checkUntilConsistent(inspector, waitSeconds: max(1, deadline.timeIntervalSinceNow), console: console)
        let finishedAt = Date()
        console.progress("")
        let tally = simulator.tally.withLock { $0 }
        guard case .checked(let results, let state) = outcome else {
            if case .unreachable(let message) = outcome { throw CLIError.failed(message) }
            return .failure
        }
        printSummary(state: state, tally: tally, placingSeconds: placingSeconds,
                     totalSeconds: finishedAt.timeIntervalSince(placingStart), pickedUp: pickedUp, console: console)
        printWorkers(drinksByWorker(endpoints) ?? [:], console: console)
        VerifyCommand.printResults(results, console: console)
        links.print(to: console, heading: "see it run")
        for child in children where !child.isRunning {
            console.error("\(child.name) is not running (exit \(child.exitStatus ?? -1)); its log:\n\(child.logTail())")
        }
        let ok = results.allSatisfy { $0.passed } && children.allSatisfy(\.isRunning) && tally.errors.isEmpty
            && tally.replays == tally.replaysMatched
        if arguments.flag("--keep-running") && ok {
            console.print("the shop keeps running: order-service http://\(endpoints.orderService), broker \(broker); "
                + "open the board above to watch it and place orders; Ctrl-C stops it")
            console.flush()
            while !Interruption.shared.isRequested { usleep(200_000) }
        }
        return ok ? .ok : .failure
    }

    /// A service's own settings in the demo: the order-service's board reads delivered
    /// notifications from the notification-service (in the browser, which runs on this machine,
    /// so the loopback address works).
    static func settings(for service: String, notificationService: HostPort) -> [String: String] {
        guard service == "order-service" else { return [:] }
        return ["ORDER_BOARD_NOTIFICATIONS_URL": "http://\(notificationService)"]
    }

    /// How many customer threads place orders at `rate` per second: each has one request in
    /// flight, so with requests taking up to 25 ms under load one thread per 40 orders/s
    /// (2 to 64). Fewer would make the demo's own customers the limit, not the shop.
    static func customerThreads(rate: Int) -> Int {
        min(64, max(2, rate / 40))
    }

    /// Empties a previous demo directory (only one carrying the demo marker) and creates it.
    static func prepare(dataDir: String) throws(CLIError) {
        let fm = FileManager.default
        if let contents = try? fm.contentsOfDirectory(atPath: dataDir), !contents.isEmpty {
            guard contents.contains(marker) else {
                throw CLIError.usage("\(dataDir) exists and is not a kaffee demo directory; pass another --data-dir")
            }
            do { try fm.removeItem(atPath: dataDir) } catch { throw .failed("cannot empty \(dataDir): \(error)") }
        }
        do {
            try fm.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: "\(dataDir)/\(marker)", contents: Data("created by kaffee demo; emptied by the next run\n".utf8))
        } catch {
            throw .failed("cannot create \(dataDir): \(error)")
        }
    }

    static func waitUntilReady(children: [ChildProcess], inspector: ShopInspector, endpoints: ShopEndpoints,
                               workers: [(String, HostPort)], console: Console) throws(CLIError) {
        let deadline = Date().addingTimeInterval(60)
        let targets = [("order-service", endpoints.orderService), ("barista-service", endpoints.baristaService),
                       ("notification-service", endpoints.notificationService)] + workers
        while true {
            for child in children where !child.isRunning {
                throw .failed("\(child.name) exited with status \(child.exitStatus ?? -1) during start-up; its log:\n\(child.logTail())")
            }
            let waiting = targets.filter { !inspector.isReady($0.1) }.map(\.0)
            if waiting.isEmpty { break }
            if Date() > deadline { throw .failed("not ready after 60 s: \(waiting.joined(separator: ", ")) (see logs)") }
            if Interruption.shared.isRequested { throw .failed("interrupted") }
            console.progress("starting: waiting for \(waiting.joined(separator: ", "))")
            usleep(200_000)
        }
        console.progress("")
        console.print("kaffeed, the three services and \(workers.count) barista worker\(workers.count == 1 ? "" : "s") are up")
    }

    /// Drinks brewed per worker, from the barista-service's `/admin/stats`.
    static func drinksByWorker(_ endpoints: ShopEndpoints) -> [String: Int]? {
        countsInAdminStats(endpoints.baristaService, field: "drinksByWorker")
    }

    /// One line per worker: how many drinks it brewed (what the share group spread over them).
    static func printWorkers(_ drinks: [String: Int], console: Console) {
        let total = drinks.values.reduce(0, +)
        console.print("barista workers     \(drinks.count) brewed \(total) drinks from the brewing queue: "
            + drinks.sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        console.print("")
    }

    /// Counts per order status from the order-service's `/admin/stats`.
    static func statusCounts(_ endpoints: ShopEndpoints) -> [String: Int]? {
        countsInAdminStats(endpoints.orderService, field: "byStatus")
    }

    /// The object `field` of a service's `GET /admin/stats` as name → count; nil when the
    /// service does not answer or has no such object.
    static func countsInAdminStats(_ server: HostPort, field: String) -> [String: Int]? {
        let client = HTTPClient(server: server, timeoutMillis: 5_000)
        defer { client.close() }
        guard let response = try? client.get("/admin/stats"), response.status == 200,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let counts = object[field] as? [String: Any] else { return nil }
        return counts.compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    static func showProgress(simulator: CustomerSimulator, total: Int, inspector: ShopInspector, endpoints: ShopEndpoints, console: Console) {
        guard console.isInteractive else { return }
        let placed = simulator.tally.withLock { $0.placed }
        let counts = statusCounts(endpoints) ?? [:]
        let line = ["PLACED", "BREWING", "READY", "COMPLETED", "CANCELLED", "FAILED"]
            .map { "\($0.lowercased()) \(counts[$0] ?? 0)" }.joined(separator: " · ")
        console.progress("placed \(placed)/\(total) │ \(line)")
    }

    static func waitForFinalStatuses(inspector: ShopInspector, simulator: CustomerSimulator, total: Int, deadline: Date, console: Console) throws(CLIError) {
        while true {
            if let counts = statusCounts(inspector.endpoints) {
                let open = (counts["PLACED"] ?? 0) + (counts["BREWING"] ?? 0)
                if open == 0 { return }
                if Date() > deadline { throw .failed("\(open) orders still open after the timeout") }
            } else if Date() > deadline {
                throw .failed("the order-service does not answer /admin/stats")
            }
            if Interruption.shared.isRequested { throw .failed("interrupted") }
            showProgress(simulator: simulator, total: total, inspector: inspector, endpoints: inspector.endpoints, console: console)
            usleep(200_000)
        }
    }

    /// Marks every other READY order picked up, as customers do: from `threads` connections at
    /// once (one after another, each pickup would wait for its own commit). Returns how many.
    static func pickUpHalf(inspector: ShopInspector, endpoints: ShopEndpoints, threads: Int = 16) throws(CLIError) -> Int {
        let snapshot: OrderServiceSnapshot
        do { snapshot = try inspector.get(OrderServiceSnapshot.self, path: "/admin/snapshot", from: endpoints.orderService, name: "order-service") } catch {
            throw .failed(error.message)
        }
        let chosen = snapshot.orders.filter({ $0.status == "READY" }).sorted(by: { $0.orderId < $1.orderId })
            .enumerated().filter { $0.offset % 2 == 0 }.map(\.element.orderId)
        let next = Locked(0)
        let failure = Locked<String?>(nil)
        let finished = Locked(0)
        let workers = max(1, min(threads, chosen.count))
        for t in 0..<workers {
            do {
                try SystemThread.spawn(name: "pickup-\(t)") {
                    let client = HTTPClient(server: endpoints.orderService)
                    defer {
                        client.close()
                        finished.withLock { $0 += 1 }
                    }
                    while failure.withLock({ $0 }) == nil {
                        let index = next.withLock { value -> Int in
                            defer { value += 1 }
                            return value
                        }
                        guard index < chosen.count else { return }
                        let orderId = chosen[index]
                        guard let response = try? client.request("POST", "/orders/\(orderId)/pickup"), response.status == 200 else {
                            failure.withLock { $0 = "pickup of \(orderId) failed" }
                            return
                        }
                    }
                }
            } catch {
                failure.withLock { $0 = "cannot start pickup threads: \(error)" }
                finished.withLock { $0 += workers - t }
                break
            }
        }
        while finished.withLock({ $0 }) < workers { usleep(10_000) }
        if let message = failure.withLock({ $0 }) { throw .failed(message) }
        return chosen.count
    }

    static func printSummary(state: ShopState, tally: CustomerSimulator.Tally, placingSeconds: Double, totalSeconds: Double,
                             pickedUp: Int, console: Console) {
        var byStatus: [String: Int] = [:]
        for order in state.orders.orders { byStatus[order.status, default: 0] += 1 }
        console.print("")
        console.print("── summary ─────────────────────────────────────────────")
        console.print("orders placed       \(tally.placed) in \(fixed(placingSeconds, digits: 1)) s "
            + "(\(fixed(Double(tally.placed) / max(placingSeconds, 0.001), digits: 0)) orders/s)"
            + (tally.rejected > 0 ? ", \(tally.rejected) rejected" : ""))
        console.print("orders by status    " + ["COMPLETED", "READY", "CANCELLED", "FAILED", "BREWING", "PLACED"]
            .compactMap { s in byStatus[s].map { "\(s) \($0)" } }.joined(separator: ", "))
        console.print("end to end          \(state.orders.orders.count) orders settled in \(fixed(totalSeconds, digits: 1)) s "
            + "(\(fixed(Double(state.orders.orders.count) / max(totalSeconds, 0.001), digits: 0)) orders/s)")
        let readyTimes = state.orders.orders.compactMap(\.readyAtMs)
        if let lastReady = readyTimes.max(), let firstPlaced = state.orders.orders.compactMap(\.placedAtMs).min(), lastReady > firstPlaced {
            let seconds = Double(lastReady - firstPlaced) / 1000
            console.print("pipeline            \(readyTimes.count) orders ready \(fixed(seconds, digits: 1)) s after the first was placed "
                + "(\(fixed(Double(readyTimes.count) / seconds, digits: 0)) orders/s)")
        }
        if let notified = notifiedThroughput(state) {
            console.print("notified            \(notified.orders) orders notified of their outcome "
                + "\(fixed(notified.seconds, digits: 1)) s after the first was placed "
                + "(\(fixed(Double(notified.orders) / notified.seconds, digits: 0)) orders/s)")
        }
        console.print("cancel requests     \(tally.cancelRequests); picked up \(pickedUp); idempotent retries \(tally.replaysMatched)/\(tally.replays) returned the same order")
        console.print("placed → ready      \(LatencySummary.placedToReady(state)?.text ?? "no ready orders")")
        console.print("placed → notified   \(LatencySummary.placedToNotified(state)?.text ?? "no ready notifications")")
        console.print("notifications       \(state.notifications.notifications.count)")
        console.print("dead letters        \(state.deadLetters.count)")
        for error in tally.errors.prefix(5) { console.print("customer error      \(error)") }
        console.print("")
    }

    /// End-to-end throughput, placed to notified: how many orders got the notification of their
    /// outcome (ready, failed or cancelled), and the seconds from the first order placed to the
    /// last of those notifications delivered. Nil without such notifications.
    static func notifiedThroughput(_ state: ShopState) -> (orders: Int, seconds: Double)? {
        let outcomes: Set<String> = ["ready", "failed", "cancelled"]
        var lastDelivered: [String: Int64] = [:]
        for notification in state.notifications.notifications where outcomes.contains(notification.kind) {
            guard let delivered = notification.deliveredAtMs else { continue }
            lastDelivered[notification.orderId] = max(lastDelivered[notification.orderId] ?? delivered, delivered)
        }
        guard let last = lastDelivered.values.max(),
              let firstPlaced = state.orders.orders.compactMap(\.placedAtMs).min(), last > firstPlaced
        else { return nil }
        return (lastDelivered.count, Double(last - firstPlaced) / 1000)
    }

    /// `value` rounded to `digits` decimals (0...3), without locale-dependent formatting.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "-" }
        let scale = [1.0, 10.0, 100.0, 1000.0][max(0, min(3, digits))]
        let scaled = Int64((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(scaled) }
        let whole = scaled / Int64(scale), fraction = String(scaled % Int64(scale))
        return "\(sign)\(whole)." + String(repeating: "0", count: max(0, min(3, digits) - fraction.count)) + fraction
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The directory of the running executable (from /proc/self/exe).
    static func executableDirectory() -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (absolute(path) as NSString).deletingLastPathComponent
    }
}
