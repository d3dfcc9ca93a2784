import HTTPServer

extension OrderAPI {
    /// Adds the coffee board's routes, all reading one shared `feed`:
    /// - `GET /board`: the page (`BoardPage`), server-rendered from the current snapshot (its
    ///   script may also read the notification-service, see `BoardNotificationsURL`);
    /// - `GET /board/events`: Server-Sent Events — a `snapshot` event, then a `change` event
    ///   (`BoardChange`) whenever the board's version moves, checked every 250 ms;
    /// - `GET /board/snapshot`: the snapshot as JSON (for scripts and tests).
    func addBoardRoutes(to router: inout HTTPRouter, feed: BoardFeed) {
        let api = self
        router.get("/board") { _, _ in
            api.respond {
                let notifications = api.settings.boardNotifications
                var response = HTTPResponse.text(
                    BoardPage.render(try feed.current(), menu: api.settings.menu, notifications: notifications),
                    contentType: "text/html; charset=utf-8")
                response.headers.set("Cache-Control", "no-store")
                response.headers.set("Content-Security-Policy", BoardPage.contentSecurityPolicy(notifications: notifications))
                response.headers.set("X-Content-Type-Options", "nosniff")
                return response
            }
        }
        router.get("/board/snapshot") { _, _ in
            api.respond { Self.json(BoardJSON.snapshot(try feed.current())) }
        }
        router.get("/board/events") { _, _ in
            .eventStream(headers: HTTPHeaders([("X-Accel-Buffering", "no")])) { writer in
                api.streamBoard(feed: feed, to: writer)
            }
        }
    }

    /// How often an event stream looks for a newer board, in milliseconds.
    static let boardPollMillis = 250

    /// Writes the board to one event stream until it ends: the snapshot, then the changes.
    func streamBoard(feed: BoardFeed, to writer: HTTPEventStreamWriter) {
        var sent: BoardSnapshot?
        repeat {
            let snapshot: BoardSnapshot
            do {
                snapshot = try feed.current()
            } catch {
                context.logger.log(.warning, "board stream: cannot read the board: \(error)")
                continue
            }
            if let previous = sent {
                guard snapshot.version != previous.version else { continue }
                let change = BoardChange.between(previous, snapshot)
                guard writer.send(ServerSentEvent(event: "change", id: String(snapshot.version),
                                                  data: BoardJSON.change(change).text)) else { return }
            } else {
                guard writer.send(ServerSentEvent(event: "snapshot", id: String(snapshot.version),
                                                  data: BoardJSON.snapshot(snapshot).text)) else { return }
            }
            sent = snapshot
        } while writer.wait(milliseconds: Self.boardPollMillis)
    }
}
