import Foundation
import Net
import Testing
@testable import KaffeeCLI

/// What `kaffee demo` shows a person: the board's URL, the broker console's only when kaffeed
/// has `--http-listen` (read from its `--help`), and the board's notifications, read from the
/// demo's notification-service.
@Suite struct DemoLinksTests {
    @Test func linksNameTheBoardAndTheConsoleWhenThereIsOne() {
        let console = Console.capturing()
        let links = DemoLinks(orderService: HostPort(host: "127.0.0.1", port: 19081), consolePort: 19090)
        links.print(to: console, heading: "see it run")
        let out = console.captured.out
        #expect(out.contains("coffee board        http://127.0.0.1:19081/board\n"))
        #expect(out.contains("broker console      http://127.0.0.1:19090/\n"))
        let without = Console.capturing()
        DemoLinks(orderService: HostPort(host: "127.0.0.1", port: 19081), consolePort: nil).print(to: without, heading: "x")
        #expect(!without.captured.out.contains("broker console"))
    }

    @Test func demoBoardReadsTheDemosNotificationService() {
        let notifications = HostPort(host: "127.0.0.1", port: 19083)
        #expect(DemoCommand.settings(for: "order-service", notificationService: notifications)
            == ["ORDER_BOARD_NOTIFICATIONS_URL": "http://127.0.0.1:19083"])
        #expect(DemoCommand.settings(for: "notification-service", notificationService: notifications).isEmpty)
    }

    @Test func brokerHelpTellsWhetherAFlagIsOffered() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaffee-help-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let newer = dir.appendingPathComponent("newer").path
        let older = dir.appendingPathComponent("older").path
        try "#!/bin/sh\necho '  --http-listen HOST:PORT   web console'\n".write(toFile: newer, atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho '  --listen HOST:PORT' >&2\n".write(toFile: older, atomically: true, encoding: .utf8)
        for path in [newer, older] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        #expect(BrokerHelp.offers("--http-listen", executable: newer))
        #expect(!BrokerHelp.offers("--http-listen", executable: older))
        #expect(!BrokerHelp.offers("--http-listen", executable: dir.appendingPathComponent("missing").path))
    }
}
