// order-service: members and orders over HTTP, publishing through its outbox and following the
// barista's decisions. Wiring only; see OrderService and ServiceKit.
import OrderService
import ServiceKit

ServiceHost.run(named: "order-service") { environment in
    OrderService(settings: try OrderServiceSettings.fromEnvironment(environment))
}
