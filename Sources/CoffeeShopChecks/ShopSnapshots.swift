/// The order-service's `GET /admin/snapshot`: every order with its status. Decoded leniently:
/// fields a check does not need may be missing.
public struct OrderServiceSnapshot: Decodable, Sendable, Equatable {
    /// One order as the order-service sees it.
    public struct Order: Decodable, Sendable, Equatable {
        public var orderId: String
        public var memberId: String?
        /// PLACED, BREWING, READY, COMPLETED, CANCELLED or FAILED.
        public var status: String
        public var placedAtMs: Int64?
        /// When the barista declared it ready (the `OrderReady` event's time).
        public var readyAtMs: Int64?
        public init(orderId: String, memberId: String? = nil, status: String, placedAtMs: Int64? = nil, readyAtMs: Int64? = nil) {
            self.orderId = orderId
            self.memberId = memberId
            self.status = status
            self.placedAtMs = placedAtMs
            self.readyAtMs = readyAtMs
        }
    }
    public var orders: [Order]
    public var outboxPending: Int
    public init(orders: [Order], outboxPending: Int) {
        self.orders = orders
        self.outboxPending = outboxPending
    }
}

/// The barista-service's `GET /admin/snapshot`: every ticket set with its status.
public struct BaristaServiceSnapshot: Decodable, Sendable, Equatable {
    /// One order's ticket set.
    public struct Order: Decodable, Sendable, Equatable {
        public var orderId: String
        /// QUEUED, BREWING, READY, CANCELLED or FAILED.
        public var status: String
        public var tickets: Int?
        public var pickedUp: Bool?
        public init(orderId: String, status: String, tickets: Int? = nil, pickedUp: Bool? = nil) {
            self.orderId = orderId
            self.status = status
            self.tickets = tickets
            self.pickedUp = pickedUp
        }
    }
    public var orders: [Order]
    public var outboxPending: Int
    public init(orders: [Order], outboxPending: Int) {
        self.orders = orders
        self.outboxPending = outboxPending
    }
}

/// The notification-service's `GET /admin/snapshot`: every notification.
public struct NotificationServiceSnapshot: Decodable, Sendable, Equatable {
    /// One stored notification.
    public struct Notification: Decodable, Sendable, Equatable {
        public var notificationId: String
        /// The triggering event's id (unique per notification).
        public var eventId: String
        /// received, ready, cancelled or failed.
        public var kind: String
        public var orderId: String
        /// waiting or delivered.
        public var status: String
        public var deliveredAtMs: Int64?
        public init(notificationId: String, eventId: String, kind: String, orderId: String, status: String, deliveredAtMs: Int64? = nil) {
            self.notificationId = notificationId
            self.eventId = eventId
            self.kind = kind
            self.orderId = orderId
            self.status = status
            self.deliveredAtMs = deliveredAtMs
        }

        private enum CodingKeys: String, CodingKey { case notificationId, eventId, kind, orderId, status, deliveredAtMs }

        /// Accepts the notification id as text or as an integer.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try? c.decode(String.self, forKey: .notificationId) {
                notificationId = text
            } else {
                notificationId = String(try c.decode(Int64.self, forKey: .notificationId))
            }
            eventId = try c.decode(String.self, forKey: .eventId)
            kind = try c.decode(String.self, forKey: .kind)
            orderId = try c.decode(String.self, forKey: .orderId)
            status = try c.decode(String.self, forKey: .status)
            deliveredAtMs = try c.decodeIfPresent(Int64.self, forKey: .deliveredAtMs)
        }
    }
    public var notifications: [Notification]
    public var outboxPending: Int
    public init(notifications: [Notification], outboxPending: Int) {
        self.notifications = notifications
        self.outboxPending = outboxPending
    }
}

/// One record found on the dead-letter topic.
public struct DeadLetterRecord: Sendable, Equatable {
    public var partition: Int32
    public var offset: Int64
    public var value: [UInt8]
    /// The `dlq.error` header.
    public var error: String
    /// The `dlq.originalTopic` header.
    public var originalTopic: String
    public init(partition: Int32, offset: Int64, value: [UInt8], error: String, originalTopic: String) {
        self.partition = partition
        self.offset = offset
        self.value = value
        self.error = error
        self.originalTopic = originalTopic
    }
}

/// Everything the consistency checks look at, taken after the producers stopped.
public struct ShopState: Sendable, Equatable {
    public var orders: OrderServiceSnapshot
    public var barista: BaristaServiceSnapshot
    public var notifications: NotificationServiceSnapshot
    public var deadLetters: [DeadLetterRecord]
    public init(orders: OrderServiceSnapshot, barista: BaristaServiceSnapshot,
                notifications: NotificationServiceSnapshot, deadLetters: [DeadLetterRecord]) {
        self.orders = orders
        self.barista = barista
        self.notifications = notifications
        self.deadLetters = deadLetters
    }
}
