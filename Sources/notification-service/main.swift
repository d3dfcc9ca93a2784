// notification-service: member contacts and exactly one notification per order event.
// Wiring only; see NotificationService and ServiceKit.
import NotificationService
import ServiceKit

ServiceHost.run(named: "notification-service") { environment in
    NotificationService(settings: try NotificationSettings.fromEnvironment(environment))
}
