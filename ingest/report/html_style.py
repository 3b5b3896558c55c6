"""The stylesheet of the HTML report: inline, system fonts only, nothing fetched."""

CSS = """
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --panel: #f5f7fa; --accent: #3e4c59;
  --critical: #b91c1c; --high: #c2410c; --medium: #a16207; --low: #1d4ed8; --info: #52606d;
}
* { box-sizing: border-box; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
        "Noto Sans", "Liberation Sans", sans-serif;
}
main { max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
header.top { background: #1f2933; color: #f5f7fa; padding: 20px 0 18px; }
header.top .inner { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header.top h1 { font-size: 20px; margin: 0 0 6px; font-weight: 650; }
header.top .org { font-size: 16px; font-weight: 600; margin-top: 8px; }
header.top .meta { color: #cbd2d9; font-size: 13px; margin-top: 4px; }
header.top .org-id { color: #9aa5b1; font-weight: 400; font-size: 12px; margin-left: 6px; }
.chip {
  display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  background: #3e4c59; color: #f5f7fa; margin-right: 6px;
}
.chip.ok { background: #1f6f43; } .chip.warn { background: #8d2b0b; }
.totals { display: flex; gap: 12px; margin: 20px 0 8px; flex-wrap: wrap; }
.total {
  border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 110px;
  background: var(--panel);
}
.total b { display: block; font-size: 22px; }
.total.critical b { color: var(--critical); } .total.high b { color: var(--high); }
.total.medium b { color: var(--medium); } .total.low b { color: var(--low); }
.total span { color: var(--muted); font-size: 12px; text-transform: uppercase; }
h2 { font-size: 17px; margin: 0; }
h2.summary { margin: 22px 0 8px; }
h2.organization {
  font-size: 19px; margin: 34px 0 4px; padding-top: 14px; border-top: 3px solid var(--accent);
}
h2.organization .org-id {
  color: var(--muted); font-weight: 400; font-size: 12px; margin-left: 8px;
}
h3 { font-size: 16px; margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td {
  text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top;
}
th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.none td { color: var(--muted); }
tr.none td a.q { color: var(--muted); }
a { color: #1d4ed8; text-decoration: none; }
a:hover { text-decoration: underline; }
.badge {
  display: inline-block; min-width: 62px; text-align: center; padding: 1px 8px;
  border-radius: 4px; color: #fff; font-size: 11px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .03em;
}
.badge.critical { background: var(--critical); } .badge.high { background: var(--high); }
.badge.medium { background: var(--medium); } .badge.low { background: var(--low); }
.badge.info { background: var(--info); }
section.finding {
  border: 1px solid var(--line); border-radius: 8px; margin: 22px 0; padding: 16px 18px;
}
section.finding.critical { border-left: 5px solid var(--critical); }
section.finding.high { border-left: 5px solid var(--high); }
section.finding.medium { border-left: 5px solid var(--medium); }
section.finding.low { border-left: 5px solid var(--low); }
section.finding.info { border-left: 5px solid var(--info); }
.finding-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.finding-meta { color: var(--muted); font-size: 13px; margin: 4px 0 10px; }
.finding-meta code { color: var(--accent); }
.advice { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin: 8px 0 12px; }
.advice div { background: var(--panel); border-radius: 6px; padding: 8px 12px; }
.advice h3 {
  margin: 0 0 2px; font-size: 11px; text-transform: uppercase; color: var(--muted);
}
.rows { overflow-x: auto; }
.rows td { font-size: 13px; word-break: break-word; }
.nothing { color: #1f6f43; font-weight: 600; }
.error { color: var(--critical); font-weight: 600; }
.shown { color: var(--muted); font-size: 12px; margin-top: 6px; }
tr.has-drawing td { border-bottom: 0; }
tr.drawing td { padding: 0 10px 10px; }
tr.drawing svg { display: block; height: auto; }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--muted); font-size: 12px; }
pre {
  background: var(--panel); border-radius: 6px; padding: 10px 12px; overflow-x: auto;
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
footer { color: var(--muted); font-size: 12px; margin-top: 30px; }
"""
