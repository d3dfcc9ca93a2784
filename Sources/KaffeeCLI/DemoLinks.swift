import Net

/// The addresses `kaffee demo` shows a person: the coffee board, and the broker's web console
/// when kaffeed was started with one. Value type.
struct DemoLinks {
    /// The order-service, which serves the board at `/board`.
    var orderService: HostPort
    /// kaffeed's HTTP port, or nil when this kaffeed has no `--http-listen`.
    var consolePort: Int?

    /// The coffee board's URL.
    var board: String { "http://\(orderService)/board" }

    /// The broker console's URL, if there is one.
    var brokerConsole: String? { consolePort.map { "http://127.0.0.1:\($0)/" } }

    /// Prints the links as a framed block under `heading`, so they stand out from the log
    /// lines, and flushes: the console buffers, and a person needs them while the shop runs.
    func print(to console: Console, heading: String) {
        console.print("")
        console.print("── \(heading) " + String(repeating: "─", count: max(3, 52 - heading.count)))
        console.print("coffee board        \(board)")
        if let brokerConsole { console.print("broker console      \(brokerConsole)") }
        console.print("")
        console.flush()
    }
}
