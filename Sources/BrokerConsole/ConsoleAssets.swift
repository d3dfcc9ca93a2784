import HTTPServer

/// The console's one stylesheet and one script, embedded in the binary and served with an
/// ETag (a hash of the text) and `Cache-Control`, answering `If-None-Match` with 304.
///
/// The script only enhances server-rendered pages: it draws the overview's throughput charts
/// on `<canvas>` from `/api/overview` polled every second, and re-reads pages marked
/// `data-refresh`. It writes data with `textContent` only, never `innerHTML`.
enum ConsoleAssets {
    static let stylesheetPath = "/assets/console.css"
    static let scriptPath = "/assets/console.js"

    static let stylesheet = """
    :root { --fg: #1d2329; --muted: #5b6670; --bg: #ffffff; --panel: #f4f6f8; --line: #d5dbe1; --accent: #0b5cad; --bad: #a4161a; --ok: #1b6e3a; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    a { color: var(--accent); }
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5em; }
    .skip:focus { left: .5em; }
    header { display: flex; gap: 2em; align-items: center; padding: .6em 1.5em; background: #1d2329; color: #fff; }
    header .brand { font-weight: 700; font-size: 1.1em; color: #fff; text-decoration: none; }
    nav ul { display: flex; gap: 1.2em; list-style: none; margin: 0; padding: 0; }
    nav a { color: #dbe6f0; text-decoration: none; padding: .2em .1em; }
    nav a[aria-current="page"] { color: #fff; border-bottom: 2px solid #f5a623; }
    main { padding: 1em 1.5em 3em; max-width: 1200px; }
    h1 { font-size: 1.5em; margin: .4em 0 .6em; word-break: break-all; }
    h2 { font-size: 1.15em; margin: 1.4em 0 .5em; }
    table { border-collapse: collapse; margin: .4em 0 1em; min-width: 40%; }
    th, td { text-align: left; padding: .3em .8em .3em 0; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-left: 1em; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1.5em; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; }
    .cards { display: flex; flex-wrap: wrap; gap: 1em; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .7em 1em; min-width: 12em; }
    .card .value { font-size: 1.4em; font-weight: 600; font-variant-numeric: tabular-nums; }
    .card .label { color: var(--muted); }
    .charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
    figure { margin: 0; }
    canvas { border: 1px solid var(--line); border-radius: 4px; background: #fff; max-width: 100%; }
    figcaption { color: var(--muted); font-size: .9em; }
    .legend-in { color: #0b5cad; font-weight: 600; }
    .legend-out { color: #c2410c; font-weight: 600; }
    .error { border-left: 4px solid var(--bad); background: #fdecec; padding: .6em 1em; margin: 1em 0; white-space: pre-wrap; }
    .notice { border-left: 4px solid var(--ok); background: #eaf6ee; padding: .6em 1em; margin: 1em 0; }
    .note { color: var(--muted); }
    form.inline { display: flex; flex-wrap: wrap; gap: .8em; align-items: flex-end; background: var(--panel); padding: .8em 1em; border-radius: 6px; }
    form.inline label { display: flex; flex-direction: column; font-size: .9em; color: var(--muted); }
    input, select, button { font: inherit; padding: .25em .4em; }
    button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .35em 1em; cursor: pointer; }
    button.danger { background: var(--bad); }
    pre.value { margin: 0; white-space: pre-wrap; word-break: break-all; max-height: 24em; overflow: auto; font: 13px/1.35 ui-monospace, monospace; }
    .kind { font-size: .75em; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
    ul.headers { margin: 0; padding-left: 1em; }
    """

    static let script = """
    (function () {
      "use strict";
      var root = document.querySelector("[data-live-url]");
      if (root) { live(root); }
      var refresh = document.querySelector("[data-refresh]");
      if (refresh) {
        var box = document.getElementById("auto-refresh"), row = document.getElementById("auto-refresh-row");
        if (row) { row.hidden = false; }
        setInterval(function () { if (box && box.checked) { location.reload(); } }, 5000);
      }

      function live(root) {
        var url = root.getAttribute("data-live-url");
        var points = 120;
        var series = { recordsIn: [], recordsOut: [], bytesIn: [], bytesOut: [] }, started = false;
        var charts = [
          { canvas: document.getElementById("chart-records"), a: "recordsIn", b: "recordsOut", unit: "records/s" },
          { canvas: document.getElementById("chart-bytes"), a: "bytesIn", b: "bytesOut", unit: "bytes/s" }
        ];
        function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
        function fmt(n) {
          if (n === null || n === undefined) { return "not measured"; }
          if (n >= 1e9) { return (n / 1e9).toFixed(1) + " G"; }
          if (n >= 1e6) { return (n / 1e6).toFixed(1) + " M"; }
          if (n >= 1e3) { return (n / 1e3).toFixed(1) + " k"; }
          return n.toFixed(n < 10 && n % 1 !== 0 ? 1 : 0);
        }
        function draw(chart) {
          var c = chart.canvas; if (!c || !c.getContext) { return; }
          var g = c.getContext("2d"), w = c.width, h = c.height, pad = 28;
          var a = series[chart.a], b = series[chart.b];
          var max = 1;
          a.concat(b).forEach(function (v) { if (v !== null && v > max) { max = v; } });
          g.clearRect(0, 0, w, h);
          g.strokeStyle = "#d5dbe1"; g.lineWidth = 1;
          g.beginPath(); g.moveTo(pad, 4); g.lineTo(pad, h - pad); g.lineTo(w - 4, h - pad); g.stroke();
          g.fillStyle = "#5b6670"; g.font = "11px sans-serif";
          g.fillText(fmt(max) + " " + chart.unit, pad + 4, 14);
          g.fillText("last " + points + " s", w - 70, h - 8);
          [[a, "#0b5cad"], [b, "#c2410c"]].forEach(function (pair) {
            var data = pair[0]; g.strokeStyle = pair[1]; g.lineWidth = 2; g.beginPath();
            var started = false;
            data.forEach(function (v, i) {
              if (v === null) { started = false; return; }
              var x = pad + (w - pad - 4) * (i + points - data.length) / (points - 1);
              var y = (h - pad) - (h - pad - 18) * v / max;
              if (started) { g.lineTo(x, y); } else { g.moveTo(x, y); started = true; }
            });
            g.stroke();
          });
        }
        function tick() {
          var req = new XMLHttpRequest();
          req.open("GET", url);
          req.onload = function () {
            if (req.status !== 200) { text("live-status", "live numbers unavailable (HTTP " + req.status + ")"); return; }
            var data; try { data = JSON.parse(req.responseText); } catch (e) { return; }
            var rates = data.rates || {}, history = data.history || {}, unmeasured = data.unmeasured || [];
            function shown(k) {
              if (unmeasured.indexOf(k) >= 0) { return "not measured"; }
              return (k in rates) ? fmt(rates[k]) : "…";
            }
            Object.keys(series).forEach(function (k) {
              if (!started && history[k]) { series[k] = history[k].slice(-points); }
              else { series[k].push((k in rates) ? rates[k] : null); }
              if (series[k].length > points) { series[k].shift(); }
              text("rate-" + k, shown(k));
            });
            started = true;
            text("rate-requests", shown("requests"));
            text("live-status", "updated " + new Date().toLocaleTimeString());
            charts.forEach(draw);
          };
          req.onerror = function () { text("live-status", "live numbers unavailable"); };
          req.send();
        }
        tick();
        setInterval(tick, 1000);
      }
    })();
    """

    /// A strong ETag from the text (FNV-1a 64).
    static func etag(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return "\"" + String(hash, radix: 16) + "\""
    }

    static let stylesheetTag = etag(stylesheet)
    static let scriptTag = etag(script)

    /// The asset response for `request`: 304 when its `If-None-Match` names the current tag.
    static func serve(_ request: HTTPRequest, text: String, tag: String, contentType: String) -> HTTPResponse {
        var response: HTTPResponse
        if let match = request.headers["If-None-Match"], match.split(separator: ",").contains(where: { $0.trimmedSpaces == tag || $0.trimmedSpaces == "*" }) {
            response = HTTPResponse(status: 304)
        } else {
            response = .text(text, contentType: contentType)
        }
        response.headers.set("ETag", tag)
        response.headers.set("Cache-Control", "public, max-age=300, must-revalidate")
        response.headers.set("X-Content-Type-Options", "nosniff")
        return response
    }
}

extension Substring {
    var trimmedSpaces: String { String(self).trimmedSpaces }
}
