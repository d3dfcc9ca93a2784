import BrokerServer
import Testing

@Suite struct ConsoleConfigTests {
    @Test func theConsoleIsOnByDefaultAndCanBeTurnedOff() {
        guard case .run(let defaults) = ServerConfig.parse(arguments: [], environment: { _ in nil }) else { Issue.record("no flags must run"); return }
        #expect(defaults.console)
        guard case .run(let off) = ServerConfig.parse(arguments: ["--console", "false"], environment: { _ in nil }) else { Issue.record("flag must parse"); return }
        #expect(!off.console)
        guard case .run(let fromEnv) = ServerConfig.parse(arguments: [], environment: { $0 == "KAFFEE_CONSOLE" ? "off" : nil }) else { Issue.record("env must parse"); return }
        #expect(!fromEnv.console)
        guard case .error(let message) = ServerConfig.parse(arguments: ["--console", "maybe"], environment: { _ in nil }) else { Issue.record("bad value must fail"); return }
        #expect(message.contains("--console"))
    }
}
