// barista-service: tickets and brewing, reacting to orders and publishing the barista's
// decisions. Wiring only; see BaristaService and ServiceKit.
import BaristaService
import ServiceKit

ServiceHost.run(named: "barista-service") { environment in
    BaristaService(settings: try BaristaSettings.fromEnvironment(environment))
}
