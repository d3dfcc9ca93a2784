/// The coffee board's stylesheet, inlined into `BoardPage` (no external assets).
enum BoardStyle {
    /// The CSS text.
    static let css = #"""
        :root { --bg: #f6f1ea; --ink: #2b1d14; --muted: #6b5a4e; --card: #fffdf9; --line: #d9cbbd;
          --placed: #8a6d3b; --brewing: #b35c00; --ready: #1d7a3a; --completed: #4a5b6c; --cancelled: #7a4a8a; --failed: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--ink); }
        .skip { position: absolute; left: -999px; top: 0; background: var(--ink); color: #fff; padding: .5em 1em; }
        .skip:focus { left: 0; }
        header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5em 1.5em; padding: .75em 1.25em; background: var(--ink); color: #fff; }
        header h1 { margin: 0; font-size: 1.4em; }
        #connection { margin: 0; color: #e8d9c8; font-size: .9em; }
        .totals { display: flex; flex-wrap: wrap; gap: .25em 1em; margin: 0; }
        .totals div { display: flex; gap: .3em; }
        .totals dt { color: #e8d9c8; }
        .totals dd { margin: 0; font-weight: 700; }
        main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(16em, 1fr); gap: 1em; padding: 1em 1.25em; }
        @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
        h2 { font-size: 1.1em; margin: 0 0 .5em; }
        .columns { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: .6em; }
        @media (max-width: 1200px) { .columns { grid-template-columns: repeat(3, minmax(0, 1fr)); } }
        .column { background: #efe6dc; border-radius: 6px; padding: .5em; min-height: 8em; }
        .column h3 { margin: 0 0 .4em; font-size: .95em; border-bottom: 3px solid var(--line); padding-bottom: .2em; }
        .column[data-status="PLACED"] h3 { border-color: var(--placed); }
        .column[data-status="BREWING"] h3 { border-color: var(--brewing); }
        .column[data-status="READY"] h3 { border-color: var(--ready); }
        .column[data-status="COMPLETED"] h3 { border-color: var(--completed); }
        .column[data-status="CANCELLED"] h3 { border-color: var(--cancelled); }
        .column[data-status="FAILED"] h3 { border-color: var(--failed); }
        .count { color: var(--muted); font-weight: 400; }
        .cards { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .4em; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 5px; padding: .35em .5em; display: flex; flex-direction: column; font-size: .9em; overflow-wrap: anywhere; }
        .card.fresh { animation: flash 1.2s ease-out; }
        @keyframes flash { from { background: #ffe9b8; } to { background: var(--card); } }
        @media (prefers-reduced-motion: reduce) { .card.fresh { animation: none; } }
        .oid { font-family: ui-monospace, monospace; color: var(--muted); font-size: .85em; }
        .customer { font-weight: 600; }
        .meta { color: var(--muted); font-size: .85em; display: flex; flex-wrap: wrap; gap: .2em .6em; }
        .flag { color: var(--cancelled); }
        .card button { margin-top: .3em; align-self: flex-start; font: inherit; font-size: .85em; }
        .side { display: flex; flex-direction: column; gap: 1em; }
        .side section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .6em .8em; }
        #baristas, #activity, #notifications { margin: 0; padding-left: 1.1em; }
        #activity, #notifications { list-style: none; padding-left: 0; }
        #activity li, #notifications li { padding: .1em 0; border-bottom: 1px dotted var(--line); }
        #activity, #notifications { max-height: 16em; overflow-y: auto; font-size: .9em; }
        #notifications li { display: flex; flex-direction: column; }
        .note { color: var(--muted); font-size: .85em; margin: 0 0 .4em; }
        fieldset { border: 0; padding: 0; margin: 0; }
        legend { font-weight: 600; margin-bottom: .3em; }
        form p { margin: .3em 0; display: flex; flex-direction: column; }
        input, select, button { font: inherit; padding: .25em .4em; }
        button { cursor: pointer; background: var(--ink); color: #fff; border: 0; border-radius: 4px; padding: .4em .9em; }
        :focus-visible { outline: 3px solid #d08a00; outline-offset: 2px; }
        #order-result { min-height: 1.4em; }
        footer { padding: .5em 1.25em 1em; color: var(--muted); font-size: .85em; }
        """#
}
