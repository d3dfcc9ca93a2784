// kaffee: the command line. Argument parsing and dispatch live in KaffeeCLI.
import KaffeeCLI
import SystemIO

// SIGINT/SIGTERM become a flag that long-running commands check, so they can commit, leave
// their group and exit with 130 instead of dying mid-write.
SignalWaiter.blockInThisProcess([SignalWaiter.interrupt, SignalWaiter.terminate])
try? SignalWaiter.start([SignalWaiter.interrupt, SignalWaiter.terminate]) { _ in
    Interruption.shared.request()
}
let console = Console.standard()
let code = Kaffee.run(Array(CommandLine.arguments.dropFirst()), console: console)
console.flush()
ProcessControl.exit(Interruption.shared.isRequested && code == .ok ? ExitCode.interrupted.rawValue : code.rawValue)
