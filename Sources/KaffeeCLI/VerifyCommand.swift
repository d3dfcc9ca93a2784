import CoffeeShopChecks
import Foundation
import KafkaClient
import Net
import SystemIO

/// `kaffee verify`: reads the running shop's state (the three services' snapshots and the
/// dead-letter topic), runs the four consistency checks of coffee-shop.md and prints the
/// verdict. With `--wait`, repeats until the checks pass or the time is up (the services may
/// still be catching up). Exit 0 when every check passes, 1 otherwise, 3 when a service or the
/// broker cannot be reached.
enum VerifyCommand {
    static let options: [Arguments.Option] = Kaffee.clientOptions + [
        Arguments.Option("--order-service", value: "HOST:PORT", help: "order-service HTTP (env KAFFEE_ORDER_SERVICE, default localhost:8080)"),
        Arguments.Option("--barista-service", value: "HOST:PORT", help: "barista-service HTTP (env KAFFEE_BARISTA_SERVICE, default localhost:8081)"),
        Arguments.Option("--notification-service", value: "HOST:PORT", help: "notification-service HTTP (env KAFFEE_NOTIFICATION_SERVICE, default localhost:8082)"),
        Arguments.Option("--wait", value: "SECONDS", help: "retry until consistent or this much time passed (default 30; 0 = check once)"),
        Kaffee.helpOption,
    ]

    static let usage = """
    usage: kaffee verify [--order-service H:P] [--barista-service H:P] [--notification-service H:P] [--wait S]

    Runs the coffee shop's consistency checks against running services:
      1. every order has exactly one ticket set in the barista-service and vice versa
      2. each order's status equals the barista's final status for it
      3. every notification-worthy event produced exactly one delivered notification
      4. no outbox holds unsent events; the dead-letter topic holds only malformed events

    \(Arguments.help(options))
    """

    static func run(_ raw: [String], environment: @Sendable (String) -> String?, console: Console) throws -> ExitCode {
        let arguments = try Arguments(raw, options: options)
        guard !arguments.flag("--help"), arguments.positionals.isEmpty else {
            console.print(usage)
            return arguments.flag("--help") ? .ok : .usage
        }
        let endpoints = ShopEndpoints(
            orderService: try address(arguments, "--order-service", environment("KAFFEE_ORDER_SERVICE"), "localhost:8080"),
            baristaService: try address(arguments, "--barista-service", environment("KAFFEE_BARISTA_SERVICE"), "localhost:8081"),
            notificationService: try address(arguments, "--notification-service", environment("KAFFEE_NOTIFICATION_SERVICE"), "localhost:8082"),
            brokers: try Kaffee.clientConfig(arguments, environment: environment).bootstrapServers,
            sasl: try Kaffee.sasl(arguments, environment: environment))
        let wait = try arguments.integer("--wait", default: 30, range: 0...86_400)
        let outcome = checkUntilConsistent(ShopInspector(endpoints: endpoints), waitSeconds: Double(wait), console: console)
        switch outcome {
        case .unreachable(let message):
            console.error("kaffee verify: \(message)")
            return .unreachable
        case .checked(let results, _):
            printResults(results, console: console)
            return results.allSatisfy { $0.passed } ? .ok : .failure
        }
    }

    enum Outcome {
        case checked([CheckResult], ShopState)
        case unreachable(String)
    }

    /// Runs the checks, retrying every 500 ms until they pass, the time is up, or Ctrl-C.
    static func checkUntilConsistent(_ inspector: ShopInspector, waitSeconds: Double, console: Console) -> Outcome {
        let deadline = Date().addingTimeInterval(waitSeconds)
        var last: Outcome = .unreachable("no check ran")
        repeat {
            do {
                let state = try inspector.state()
                let results = ConsistencyChecker.check(state)
                last = .checked(results, state)
                if results.allSatisfy({ $0.passed }) { return last }
                if console.isInteractive {
                    console.progress("waiting for consistency: \(results.filter { !$0.passed }.map(\.name).joined(separator: ", "))")
                }
            } catch {
                last = .unreachable(error.message)
            }
            if Date() >= deadline || Interruption.shared.isRequested { break }
            usleep(500_000)
        } while true
        return last
    }

    /// Prints one line per check and the verdict.
    static func printResults(_ results: [CheckResult], console: Console) {
        for (index, result) in results.enumerated() {
            console.print("check \(index + 1) \(result.name): \(result.passed ? "PASS" : "FAIL")")
            for detail in result.details { console.print("    \(detail)") }
        }
        let passed = results.filter(\.passed).count
        console.print(passed == results.count ? "verdict: CONSISTENT (\(passed)/\(results.count) checks passed)"
                                              : "verdict: INCONSISTENT (\(passed)/\(results.count) checks passed)")
    }

    static func address(_ arguments: Arguments, _ flag: String, _ env: String?, _ fallback: String) throws(CLIError) -> HostPort {
        let text = arguments.value(flag) ?? env ?? fallback
        guard let address = HostPort(parsing: text) else {
            throw .usage("\(flag): expected HOST:PORT, got \(text.debugDescription)")
        }
        return address
    }
}
