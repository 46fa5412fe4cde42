// The explorer's one stylesheet, inlined in every page (no external assets:
// the page must work offline). Colours keep text contrast at WCAG AA or better.
export const STYLES = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #d0d4da; --accent: #0b57d0; --bg-soft: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, td a:focus-visible { outline: 3px solid #f29900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 2; }
header.site { display: flex; gap: 24px; align-items: center; padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--bg-soft); flex-wrap: wrap; }
header.site .brand { font-weight: 700; font-size: 18px; color: var(--ink); text-decoration: none; }
header.site nav a { margin-right: 16px; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 12px; }
form.inline { display: flex; gap: 8px; flex-wrap: wrap; align-items: end; margin: 8px 0 16px; }
form.inline .field { display: flex; flex-direction: column; gap: 2px; }
form.inline .field > label { font-size: 14px; color: var(--muted); }
form.inline .choice { display: flex; gap: 12px; align-items: center; border: 0; padding: 0 0 6px; margin: 0; }
form.inline .choice label { font-size: 15px; }
input[type=search], input[type=text], select { font: inherit; padding: 6px 8px; border: 1px solid #767676; border-radius: 4px; min-width: 10ch; }
input[type=search] { min-width: 32ch; }
button { font: inherit; padding: 6px 14px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 14px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.alert { border: 1px solid #b3261e; background: #fdecea; color: #5f1410; padding: 8px 12px; border-radius: 4px; }
.note { color: var(--muted); font-size: 14px; }
.stats { display: flex; gap: 24px; flex-wrap: wrap; margin: 8px 0; padding: 0; list-style: none; }
.stats li { background: var(--bg-soft); padding: 6px 12px; border-radius: 4px; }
.tok { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 14px; background: var(--bg-soft); padding: 0 4px; border-radius: 3px; white-space: pre; }
.example { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 14px; line-height: 1.9; white-space: pre-wrap; word-break: break-word; padding: 6px 8px; border-left: 3px solid var(--line); margin: 6px 0; }
.example span { border-radius: 2px; }
.example .hot { outline: 1px solid #b35900; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 16px; }
.logits h3 { font-size: 16px; margin: 8px 0 4px; }
.logits ol { margin: 0; padding-left: 24px; }
.pos { color: #0d652d; } .neg { color: #a50e0e; }
.scroll { overflow-x: auto; max-width: 100%; }
.heatmap { border-collapse: separate; border-spacing: 2px; width: auto; }
.heatmap th { font-size: 12px; padding: 2px 4px; border: 0; white-space: nowrap; }
.heatmap td { width: 48px; height: 36px; line-height: 36px; padding: 0; border: 0; text-align: center; font-size: 12px; font-variant-numeric: tabular-nums; }
.heatmap td a { display: block; line-height: 36px; text-decoration: none; color: inherit; }
.legend { display: flex; align-items: center; gap: 8px; font-size: 13px; color: var(--muted); }
.legend .bar { width: 160px; height: 12px; background: linear-gradient(to right, #f7fbff, #6baed6, #08306b); border: 1px solid var(--line); }
.hist { display: flex; align-items: flex-end; gap: 2px; height: 120px; border-bottom: 1px solid var(--ink); margin: 8px 0 4px; }
.hist div { flex: 1; background: #3b78c4; min-height: 1px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
