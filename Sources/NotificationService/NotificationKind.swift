/// What a notification tells the customer; stored in `notifications.kind`.
///
/// One kind per notification-worthy event type: `OrderPlaced` → `received`, `OrderReady` →
/// `ready`, `OrderCancelled` → `cancelled`, `OrderFailed` → `failed`. The other order events
/// (`OrderBrewingStarted`, `CancellationRejected`, `OrderCancellationRequested`,
/// `OrderPickedUp`) produce no notification: the customer learns nothing new from them that
/// they need to act on (brewing is a step toward "ready"; a rejected cancellation means the
/// order simply carries on to "ready"; the other two are the customer's own actions).
public enum NotificationKind: String, Sendable, CaseIterable, Hashable {
    /// The order was received (`OrderPlaced`).
    case received
    /// Every drink of the order is ready (`OrderReady`).
    case ready
    /// The order was cancelled before brewing (`OrderCancelled`).
    case cancelled
    /// The barista could not make the order (`OrderFailed`, with its reason).
    case failed
}

/// Where a notification is in its life; stored in `notifications.status`.
public enum NotificationStatus: String, Sendable, CaseIterable, Hashable {
    /// Stored, but the order's member or that member's contact is not known yet.
    case waiting
    /// Rendered and handed to the sinks (the HTTP list, the log, and the file when configured).
    case delivered
}
