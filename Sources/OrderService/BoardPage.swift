import EventContracts
import HTTPServer

/// The coffee board's HTML page (`GET /board`): one self-contained document — markup, CSS
/// (`BoardStyle`) and script (`BoardScript`) all inline, no asset fetched from elsewhere.
///
/// The columns, totals, baristas and activity are rendered on the server from a snapshot, so
/// without JavaScript the page is a correct static picture; the script then keeps it live
/// from `GET /board/events` and enables the order form. Every piece of data goes through
/// `HTMLText.escaped` (ids, names and drinks are user input). Landmarks (`header`, `main`,
/// `footer`), one `h1`, an `h2` per region and an `h3` per column; the activity and
/// notification lists are `aria-live` regions; every form field has a label.
///
/// Delivered notifications come from the notification-service, which the order-service never
/// calls: when `ORDER_BOARD_NOTIFICATIONS_URL` is set the page names that URL and the browser
/// polls it (`BoardScript`), the page's CSP allowing that one origin.
enum BoardPage {
    /// Column headings by status.
    static func label(_ status: OrderStatus) -> String {
        switch status {
        case .placed: "Placed"
        case .brewing: "Brewing"
        case .ready: "Ready"
        case .completed: "Completed"
        case .cancelled: "Cancelled"
        case .failed: "Failed"
        }
    }

    /// The page's Content-Security-Policy: only its own inline script and style; it talks to
    /// this service and, when configured, to the notification-service's origin (already
    /// restricted by `BoardNotificationsURL` to characters a CSP source expression may hold).
    static func contentSecurityPolicy(notifications: BoardNotificationsURL?) -> String {
        let connect = ["'self'", notifications?.origin].compactMap { $0 }.joined(separator: " ")
        return "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "connect-src \(connect); base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    /// The whole page for `snapshot`, with the order form offering `menu`'s drinks and, when
    /// `notifications` is set, the notifications read from there.
    static func render(_ snapshot: BoardSnapshot, menu: Menu, notifications: BoardNotificationsURL? = nil) -> String {
        var html = """
            <!doctype html>
            <html lang="en" data-board-state="static">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Kaffee coffee board</title>
            <style>\(BoardStyle.css)</style>
            </head>
            <body>
            <a class="skip" href="#orders">Skip to the orders</a>
            <header>
            <h1>Coffee board</h1>
            <p id="connection" role="status">Static snapshot; live updates need JavaScript.</p>
            <dl class="totals">
            <div><dt>Queue</dt><dd id="queue-depth">\(snapshot.queueDepth)</dd></div>
            """
        for status in BoardSnapshot.columns {
            html += "<div><dt>\(label(status))</dt><dd data-count=\"\(status.rawValue)\">\(snapshot.counts[status] ?? 0)</dd></div>"
        }
        html += "</dl>\n</header>\n<main>\n"
        html += "<section id=\"orders\" aria-labelledby=\"orders-heading\">\n<h2 id=\"orders-heading\">Orders</h2>\n<div class=\"columns\">\n"
        for status in BoardSnapshot.columns {
            let id = status.rawValue
            html += "<section class=\"column\" data-status=\"\(id)\" aria-labelledby=\"heading-\(id)\">"
            html += "<h3 id=\"heading-\(id)\">\(label(status)) <span class=\"count\" data-count=\"\(id)\">\(snapshot.counts[status] ?? 0)</span></h3>"
            html += "<ol class=\"cards\" id=\"column-\(id)\">"
            for card in snapshot.column(status) { html += Self.card(card, nowMs: snapshot.nowMs) }
            html += "</ol></section>\n"
        }
        html += "</div>\n</section>\n"
        html += "<div class=\"side\">\n"
        html += "<section aria-labelledby=\"baristas-heading\">\n<h2 id=\"baristas-heading\">Baristas</h2>\n<ul id=\"baristas\">"
        html += baristas(snapshot)
        html += "</ul>\n</section>\n"
        html += """
            <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">Order activity</h2>
            <p class="note">Status changes as the order-service records them (not customer notifications).</p>
            <ol id="activity" aria-live="polite" aria-relevant="additions">
            """
        for entry in snapshot.activity.reversed() { html += activity(entry) }
        html += "</ol>\n</section>\n"
        html += notificationsSection(notifications)
        html += form(menu)
        html += "</div>\n</main>\n"
        html += """
            <footer><p>Served by the order-service. Live feed: <code>GET /board/events</code> (Server-Sent Events); \
            JSON: <code>GET /board/snapshot</code>.</p></footer>
            <script>\(BoardScript.js)</script>
            </body>
            </html>

            """
        return html
    }

    /// One order card (`li`), its data escaped.
    static func card(_ card: BoardOrder, nowMs: Int64) -> String {
        let id = HTMLText.escaped(card.orderId)
        var html = "<li class=\"card\" data-order-id=\"\(id)\" data-status=\"\(card.status.rawValue)\">"
        html += "<span class=\"oid\" title=\"\(id)\">#\(HTMLText.escaped(shortId(card.orderId)))</span> "
        html += "<span class=\"customer\">\(HTMLText.escaped(card.customer))</span> "
        html += "<span class=\"items\">\(HTMLText.escaped(card.items))</span> "
        html += "<span class=\"meta\"><span class=\"age\" data-placed-ms=\"\(card.placedAtMs)\">\(age(nowMs - card.placedAtMs))</span>"
        if let barista = card.barista { html += " <span class=\"barista\">by \(HTMLText.escaped(barista))</span>" }
        if card.cancellationRequested && !card.status.isTerminal { html += " <span class=\"flag\">cancellation requested</span>" }
        return html + "</span></li>"
    }

    /// The barista list items: who brews which orders, or that nobody is brewing.
    static func baristas(_ snapshot: BoardSnapshot) -> String {
        let groups = snapshot.baristas
        guard !groups.isEmpty else { return "<li class=\"idle\">Nobody is brewing.</li>" }
        var html = ""
        for group in groups {
            let name = HTMLText.escaped(group.name ?? "unknown barista")
            let orders = group.orders.map { "#" + HTMLText.escaped(shortId($0.orderId)) + " " + HTMLText.escaped($0.items) }
            html += "<li><strong>\(name)</strong>: \(orders.joined(separator: "; "))</li>"
        }
        return html
    }

    /// One activity list item.
    static func activity(_ entry: BoardActivity) -> String {
        var text = "\(clock(entry.atMs)) #\(shortId(entry.orderId)) (\(entry.customer)) \(label(entry.status))"
        if let note = entry.note { text += " — \(note)" }
        return "<li data-seq=\"\(entry.seq)\" data-order-id=\"\(HTMLText.escaped(entry.orderId))\">\(HTMLText.escaped(text))</li>"
    }

    /// The "Notifications delivered" section: an empty `aria-live` list the script fills from
    /// `notifications` (its URL in `data-notifications-url`, escaped), and a status line that
    /// says JavaScript is needed until the script replaces it; without a URL, how to connect one.
    static func notificationsSection(_ notifications: BoardNotificationsURL?) -> String {
        var html = "<section aria-labelledby=\"notifications-heading\">\n<h2 id=\"notifications-heading\">Notifications delivered</h2>\n"
        guard let notifications else {
            return html + "<p id=\"notifications-state\" class=\"note\">Notifications are not connected: start the "
                + "order-service with <code>ORDER_BOARD_NOTIFICATIONS_URL</code> set to the notification-service&#39;s "
                + "base URL as browsers reach it (e.g. <code>http://127.0.0.1:8082</code>).</p>\n</section>\n"
        }
        let url = HTMLText.escaped(notifications.base)
        html += "<p class=\"note\">What the notification-service delivered to customers, read by this page from "
            + "<code>\(url)</code>.</p>\n"
        html += "<p id=\"notifications-state\" class=\"note\" role=\"status\">Showing notifications needs JavaScript.</p>\n"
        html += "<ol id=\"notifications\" data-notifications-url=\"\(url)\" aria-live=\"polite\" aria-relevant=\"additions\"></ol>\n"
        return html + "</section>\n"
    }

    /// The order form; disabled until the script enables it (it posts JSON, which needs script).
    static func form(_ menu: Menu) -> String {
        var drinks = ""
        for drink in menu.drinks {
            let name = HTMLText.escaped(drink.name)
            drinks += "<option value=\"\(name)\">\(name)</option>"
        }
        var sizes = ""
        for size in DrinkSize.allCases {
            sizes += "<option value=\"\(size.rawValue)\"\(size == .medium ? " selected" : "")>\(size.rawValue)</option>"
        }
        return """
            <section aria-labelledby="place-heading">
            <h2 id="place-heading">Place an order</h2>
            <form id="order-form">
            <fieldset id="order-fields" disabled>
            <legend>Your order</legend>
            <p><label for="order-name">Name</label><input id="order-name" name="name" required maxlength="100" autocomplete="name"></p>
            <p><label for="order-email">Email</label><input id="order-email" name="email" type="email" required maxlength="254" autocomplete="email"></p>
            <p><label for="order-drink">Drink</label><select id="order-drink" name="drink">\(drinks)</select></p>
            <p><label for="order-size">Size</label><select id="order-size" name="size">\(sizes)</select></p>
            <p><label for="order-quantity">Quantity</label><input id="order-quantity" name="quantity" type="number" min="1" max="\(Menu.maxQuantity)" value="1" required></p>
            <p><button type="submit">Place order</button></p>
            </fieldset>
            <p id="order-result" role="status" aria-live="polite"></p>
            <noscript><p>Placing orders here needs JavaScript; the API is <code>POST /members</code> then <code>POST /orders</code>.</p></noscript>
            </form>
            </section>

            """
    }

    /// The last 8 characters of an id (time-ordered UUIDs differ most at the end).
    static func shortId(_ id: String) -> String { String(id.suffix(8)) }

    /// A compact age: `12s`, `3m`, `2h`, `4d` (negative ages, from clock skew, show as `0s`).
    static func age(_ millis: Int64) -> String {
        let seconds = max(millis, 0) / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }

    /// `HH:MM:SS` UTC of a Unix-millisecond time.
    static func clock(_ millis: Int64) -> String {
        let secondOfDay = ((millis / 1000) % 86_400 + 86_400) % 86_400
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
    }
}
