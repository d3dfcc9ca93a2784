/// The coffee board's script, inlined into `BoardPage` (no external assets, no build step).
///
/// It subscribes to `GET /board/events`: a `snapshot` event replaces the board, a `change`
/// event moves, adds and removes cards and appends activity. Data only ever reaches the page
/// through `textContent` and attribute setters, never `innerHTML`. It enables the order form,
/// which registers the customer once (`POST /members`, the member id kept in
/// `localStorage`) and places the order (`POST /orders` with an `Idempotency-Key`), and offers
/// a pick-up button on ready orders. When the page names the notification-service
/// (`data-notifications-url`), it polls `GET /notifications/feed?afterId=…` there every second and
/// lists the delivered ones. `<html data-board-state>` tells tests how far it got
/// (`static` → `script` → `live`), `data-notifications` whether the last poll worked
/// (`live`/`error`); an uncaught error sets `data-board-error`.
enum BoardScript {
    /// The JavaScript text.
    static let js = #"""
        (function () {
          'use strict';
          var root = document.documentElement;
          window.addEventListener('error', function (e) { root.setAttribute('data-board-error', String(e.message)); });
          root.setAttribute('data-board-state', 'script');
          var STATUSES = ['PLACED', 'BREWING', 'READY', 'COMPLETED', 'CANCELLED', 'FAILED'];
          var LABELS = { PLACED: 'Placed', BREWING: 'Brewing', READY: 'Ready', COMPLETED: 'Completed', CANCELLED: 'Cancelled', FAILED: 'Failed' };
          var clockOffset = 0; // server time minus browser time, in ms
          var lastActivitySeq = 0;

          function $(id) { return document.getElementById(id); }
          function el(tag, cls, text) {
            var node = document.createElement(tag);
            if (cls) node.className = cls;
            if (text !== undefined && text !== null) node.textContent = String(text);
            return node;
          }
          function shortId(id) { return String(id).slice(-8); }
          function age(ms) {
            var s = Math.max(0, Math.floor(ms / 1000));
            if (s < 60) return s + 's';
            if (s < 3600) return Math.floor(s / 60) + 'm';
            if (s < 86400) return Math.floor(s / 3600) + 'h';
            return Math.floor(s / 86400) + 'd';
          }
          function cardFor(order) {
            var li = el('li', 'card');
            li.setAttribute('data-order-id', order.orderId);
            li.setAttribute('data-status', order.status);
            var oid = el('span', 'oid', '#' + shortId(order.orderId));
            oid.title = order.orderId;
            li.appendChild(oid);
            li.appendChild(el('span', 'customer', order.customer));
            li.appendChild(el('span', 'items', order.items));
            var meta = el('span', 'meta');
            var ageNode = el('span', 'age', age(Date.now() + clockOffset - order.placedAtMs));
            ageNode.setAttribute('data-placed-ms', String(order.placedAtMs));
            meta.appendChild(ageNode);
            if (order.barista) meta.appendChild(el('span', 'barista', 'by ' + order.barista));
            if (order.cancellationRequested && ['PLACED', 'BREWING'].indexOf(order.status) >= 0) {
              meta.appendChild(el('span', 'flag', 'cancellation requested'));
            }
            li.appendChild(meta);
            if (order.status === 'READY') {
              var button = el('button', null, 'Mark picked up');
              button.type = 'button';
              button.setAttribute('aria-label', 'Mark order ' + shortId(order.orderId) + ' of ' + order.customer + ' picked up');
              button.addEventListener('click', function () { pickUp(order.orderId, button); });
              li.appendChild(button);
            }
            return li;
          }
          function findCard(id) {
            var cards = document.querySelectorAll('.columns .card');
            for (var i = 0; i < cards.length; i++) if (cards[i].getAttribute('data-order-id') === id) return cards[i];
            return null;
          }
          function place(order, fresh) {
            var column = $('column-' + order.status);
            if (!column) return;
            var old = findCard(order.orderId);
            var card = cardFor(order);
            if (fresh) card.classList.add('fresh');
            if (old && old.parentNode === column) { column.replaceChild(card, old); return; }
            if (old) old.remove();
            // Open columns run oldest first; closed ones show the newest on top.
            if (['COMPLETED', 'CANCELLED', 'FAILED'].indexOf(order.status) >= 0) column.insertBefore(card, column.firstChild);
            else column.appendChild(card);
          }
          function setCounts(data) {
            $('queue-depth').textContent = String(data.queueDepth);
            var nodes = document.querySelectorAll('[data-count]');
            for (var i = 0; i < nodes.length; i++) {
              var status = nodes[i].getAttribute('data-count');
              nodes[i].textContent = String(data.counts[status] || 0);
            }
            clockOffset = data.nowMs - Date.now();
          }
          function renderBaristas() {
            var groups = {};
            var names = [];
            var cards = $('column-BREWING').querySelectorAll('.card');
            for (var i = 0; i < cards.length; i++) {
              var who = cards[i].querySelector('.barista');
              var name = who ? who.textContent.replace(/^by /, '') : 'unknown barista';
              if (!groups[name]) { groups[name] = []; names.push(name); }
              groups[name].push(cards[i].querySelector('.oid').textContent + ' ' + cards[i].querySelector('.items').textContent);
            }
            var list = $('baristas');
            list.textContent = '';
            names.sort();
            if (names.length === 0) list.appendChild(el('li', 'idle', 'Nobody is brewing.'));
            names.forEach(function (name) {
              var li = el('li');
              li.appendChild(el('strong', null, name));
              li.appendChild(document.createTextNode(': ' + groups[name].join('; ')));
              list.appendChild(li);
            });
          }
          function addActivity(entries) {
            var list = $('activity');
            entries.forEach(function (entry) {
              if (entry.seq <= lastActivitySeq) return;
              lastActivitySeq = entry.seq;
              var text = new Date(entry.atMs).toLocaleTimeString() + ' #' + shortId(entry.orderId) + ' (' + entry.customer + ') ' +
                LABELS[entry.status] + (entry.note ? ' \u2014 ' + entry.note : '');
              var li = el('li', null, text);
              li.setAttribute('data-seq', String(entry.seq));
              li.setAttribute('data-order-id', entry.orderId);
              list.insertBefore(li, list.firstChild);
            });
            while (list.children.length > 20) list.removeChild(list.lastChild);
          }
          function applySnapshot(data) {
            STATUSES.forEach(function (status) { $('column-' + status).textContent = ''; });
            data.cards.forEach(function (order) { place(order, false); });
            $('activity').textContent = '';
            lastActivitySeq = 0;
            addActivity(data.activity);
            setCounts(data);
            renderBaristas();
            root.setAttribute('data-board-state', 'live');
            root.setAttribute('data-board-version', String(data.version));
          }
          function applyChange(data) {
            data.removed.forEach(function (id) { var card = findCard(id); if (card) card.remove(); });
            data.upserted.forEach(function (order) { place(order, true); });
            addActivity(data.activity);
            setCounts(data);
            renderBaristas();
            root.setAttribute('data-board-version', String(data.version));
          }
          function tickAges() {
            var nodes = document.querySelectorAll('.age[data-placed-ms]');
            var now = Date.now() + clockOffset;
            for (var i = 0; i < nodes.length; i++) nodes[i].textContent = age(now - Number(nodes[i].getAttribute('data-placed-ms')));
          }
          setInterval(tickAges, 1000);

          var status = $('connection');
          if (window.EventSource) {
            var source = new EventSource('/board/events');
            source.addEventListener('snapshot', function (e) { applySnapshot(JSON.parse(e.data)); status.textContent = 'Live'; });
            source.addEventListener('change', function (e) { applyChange(JSON.parse(e.data)); });
            source.addEventListener('error', function () { status.textContent = 'Reconnecting\u2026'; });
          } else {
            status.textContent = 'This browser cannot show live updates; reload to refresh.';
          }

          // Delivered notifications, read straight from the notification-service (the page names
          // its URL; the order-service never calls it). Polled every second; a full page is
          // followed at once, so a board opened late catches up without a second per 50.
          var noteList = $('notifications');
          var noteBase = noteList && noteList.getAttribute('data-notifications-url');
          if (noteBase) {
            var KINDS = { received: 'Received', ready: 'Ready', cancelled: 'Cancelled', failed: 'Failed' };
            var noteState = $('notifications-state');
            var afterId = 0;
            var shownIds = {};
            var waitingSince = {};
            // Only a changed status is written: the line is a status region, read out on change.
            var noteStatus = function (text) { if (noteState.textContent !== text) noteState.textContent = text; };
            var noteItem = function (n) {
              var li = el('li');
              li.setAttribute('data-notification-id', String(n.notificationId));
              li.setAttribute('data-order-id', n.orderId);
              li.setAttribute('data-kind', n.kind);
              var when = n.deliveredAtMs ? new Date(n.deliveredAtMs).toLocaleTimeString() + ' ' : '';
              li.appendChild(el('span', 'meta', when + (KINDS[n.kind] || n.kind) + ' (' + n.status + ') #' + shortId(n.orderId)));
              if (n.message) li.appendChild(el('span', 'message', n.message));
              return li;
            };
            var pollNotifications = function () {
              var full = false;
              fetch(noteBase + '/notifications/feed?afterId=' + afterId + '&limit=50', { credentials: 'omit', cache: 'no-store' })
                .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
                .then(function (data) {
                  var now = Date.now();
                  var advance = true;
                  data.notifications.forEach(function (n) {
                    var id = n.notificationId;
                    if (n.status === 'delivered' && !shownIds[id]) {
                      shownIds[id] = true;
                      noteList.insertBefore(noteItem(n), noteList.firstChild);
                    }
                    // A waiting notification (its member or order not known yet) keeps the cursor
                    // before it for up to a minute, so its later delivery is still seen.
                    if (n.status !== 'delivered') {
                      waitingSince[id] = waitingSince[id] || now;
                      if (now - waitingSince[id] < 60000) advance = false;
                    }
                    if (advance) afterId = id;
                  });
                  // Caught up only when the cursor moved past a whole page (not when a waiting one holds it).
                  full = advance && data.notifications.length === 50;
                  noteList.setAttribute('aria-busy', full ? 'true' : 'false'); // no announcements while catching up
                  [shownIds, waitingSince].forEach(function (ids) {
                    Object.keys(ids).forEach(function (id) { if (Number(id) <= afterId) delete ids[id]; });
                  });
                  while (noteList.children.length > 20) noteList.removeChild(noteList.lastChild);
                  noteStatus('Connected.');
                  root.setAttribute('data-notifications', 'live');
                })
                .catch(function (e) {
                  full = false;
                  noteStatus('Cannot read notifications from ' + noteBase + ' (' + e.message + '); retrying.');
                  root.setAttribute('data-notifications', 'error');
                })
                .then(function () { setTimeout(pollNotifications, full ? 0 : 1000); });
            };
            if (window.fetch) pollNotifications();
            else noteStatus('This browser cannot read notifications.');
          }

          function result(text) { $('order-result').textContent = text; }
          function post(path, body, headers) {
            var h = { 'Content-Type': 'application/json' };
            Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
            return fetch(path, { method: 'POST', headers: h, body: body === null ? undefined : JSON.stringify(body) })
              .then(function (response) {
                return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; });
              });
          }
          function newKey() {
            if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
            return String(Date.now()) + '-' + String(Math.random()).slice(2);
          }
          function memberFor(name, email, fresh) {
            var key = 'kaffee.member:' + name + '\n' + email;
            var known = null;
            try { known = localStorage.getItem(key); } catch (e) { known = null; }
            if (known && !fresh) return Promise.resolve(known);
            return post('/members', { name: name, email: email }).then(function (r) {
              if (r.status !== 201) throw new Error(r.json.error || ('registration failed (' + r.status + ')'));
              try { localStorage.setItem(key, r.json.memberId); } catch (e) { /* private mode: register again next time */ }
              return r.json.memberId;
            });
          }
          function pickUp(id, button) {
            button.disabled = true;
            post('/orders/' + encodeURIComponent(id) + '/pickup', null).then(function (r) {
              result(r.status === 200 ? 'Order #' + shortId(id) + ' picked up.' : 'Pick-up failed: ' + (r.json.error || r.status));
              button.disabled = false;
            }, function (e) { result('Pick-up failed: ' + e.message); button.disabled = false; });
          }
          var form = $('order-form');
          $('order-fields').disabled = false;
          form.addEventListener('submit', function (e) {
            e.preventDefault();
            var name = $('order-name').value.trim();
            var email = $('order-email').value.trim();
            var order = { drink: $('order-drink').value, size: $('order-size').value, quantity: Number($('order-quantity').value) };
            var idempotencyKey = newKey();
            result('Placing your order\u2026');
            function attempt(fresh) {
              // A retry is another request (another member id), so it needs its own key.
              var key = fresh ? newKey() : idempotencyKey;
              return memberFor(name, email, fresh).then(function (memberId) {
                return post('/orders', { memberId: memberId, items: [order] }, { 'Idempotency-Key': key });
              });
            }
            attempt(false).then(function (r) {
              // A remembered member this service does not know (its database was reset): register again once.
              if (r.status === 422 && /unknown member/.test(r.json.error || '')) return attempt(true);
              return r;
            }).then(function (r) {
              if (r.status === 201 || r.status === 200) result('Order #' + shortId(r.json.orderId) + ' placed.');
              else result('Order rejected: ' + (r.json.error || r.status));
            }, function (err) { result('Order failed: ' + err.message); });
          });
        })();
        """#
}
