/**
 * The dashboard's page: plain HTML and a small script that reads the room's snapshots from /events (server-sent
 * events, one a second: no reloads) and draws them, the charts with Observable Plot (served from node_modules by
 * dashboard.ts, so that the page works with no internet). The script builds every element with textContent: user
 * names, client ids and alarm texts come from students, and are never parsed as HTML.
 */

/** The page, given the scenarios the instructor can switch between. */
export function dashboardPage(scenarios: readonly string[]): string {
  const buttons = scenarios.map((s) => `<button type="button" class="scenario" data-scenario="${s}">${s}</button>`).join(" ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Classroom — Learning MQTT</title>
<style>
  body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 1.2rem; color: #222; }
  h1 { font-size: 1.4rem; margin: 0 0 .6rem; }
  h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
  .facts span { margin-right: 1.4rem; }
  #link { padding: .5rem .8rem; border-radius: 6px; background: #e8f5e9; margin: .6rem 0; }
  #link.warning { background: #fff3cd; }
  #link.saturated { background: #f8d7da; font-weight: bold; }
  table { border-collapse: collapse; font-size: .85rem; }
  th, td { text-align: left; padding: .15rem .6rem; border-bottom: 1px solid #ddd; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .lists { display: flex; gap: 2rem; flex-wrap: wrap; }
  .lists ol { max-height: 14rem; overflow-y: auto; font-size: .85rem; padding-left: 1.2rem; margin: 0; min-width: 22rem; }
  #stale { color: #a00; }
  button.scenario[aria-pressed="true"] { font-weight: bold; }
</style>
</head>
<body>
<h1>Classroom</h1>
<div class="facts">
  <span>students connected: <b id="student-count">0</b></span>
  <span>feed: raw pulses at <b id="feed-rate">–</b> Hz, summary and envelope at <b id="feed-compact-rate">–</b> Hz,
  scenario <b id="feed-scenario">–</b>, <span id="feed-published">0</span> pulses so far</span>
  <span id="stale"></span>
</div>
<div id="link" data-state="ok">outgoing: <b id="link-used">0</b> of <span id="link-capacity">–</span> Mbit/s</div>
<div>Switch the whole class to: ${buttons} <span id="switch-result"></span></div>
<h2>Outgoing traffic</h2>
<div id="traffic-chart"></div>
<h2>Connected</h2>
<table id="students"><thead><tr><th>user</th><th>client id</th><th>connected since</th><th>subscriptions</th>
<th>messages/s</th><th>kB/s</th></tr></thead><tbody></tbody></table>
<div id="students-chart"></div>
<div class="lists">
  <div><h2>Published by students</h2><ol id="alarms"></ol></div>
  <div><h2>Dropped</h2><ol id="drops"></ol></div>
  <div><h2>Refused by the rules</h2><ol id="refusals"></ol></div>
</div>
<script src="/assets/d3.min.js"></script>
<script src="/assets/plot.umd.min.js"></script>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const two = (n) => String(n).padStart(2, "0");
const clock = (ms) => { const d = new Date(ms); return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds()); };
const mbit = (bytesPerS) => (bytesPerS * 8 / 1e6).toFixed(bytesPerS * 8 / 1e6 < 10 ? 2 : 1);
function cell(row, text, numeric) { const td = document.createElement("td"); td.textContent = text; if (numeric) td.className = "num"; row.appendChild(td); }
function list(id, items, line) {
  const ol = $(id);
  ol.replaceChildren(...items.slice().reverse().map((item) => { const li = document.createElement("li"); li.textContent = line(item); return li; }));
}
function draw(room) {
  $("student-count").textContent = room.students.length;
  $("feed-rate").textContent = room.feed.rateHz;
  $("feed-compact-rate").textContent = room.feed.compactRateHz;
  $("feed-scenario").textContent = room.feed.scenario;
  $("feed-published").textContent = room.feed.published;
  for (const b of document.querySelectorAll("button.scenario")) b.setAttribute("aria-pressed", String(b.dataset.scenario === room.feed.scenario));
  const link = $("link");
  link.className = room.linkState;
  link.dataset.state = room.linkState;
  $("link-used").textContent = mbit(room.bytesOutPerS);
  $("link-capacity").textContent = mbit(room.linkBytesPerS);
  const warn = { ok: "", warning: " — over 70 % of the link: more students or a faster rate will saturate it", saturated: " — the link is saturated: students will miss pulses" };
  link.lastChild.nodeValue = " Mbit/s" + warn[room.linkState];
  const tbody = $("students").tBodies[0];
  tbody.replaceChildren(...room.students.map((s) => {
    const tr = document.createElement("tr");
    tr.dataset.user = s.user;
    cell(tr, s.user); cell(tr, s.clientId); cell(tr, clock(s.connectedAt)); cell(tr, s.subscriptions.join(", "));
    cell(tr, s.messagesPerS.toFixed(1), true); cell(tr, (s.bytesPerS / 1000).toFixed(1), true);
    return tr;
  }));
  list("alarms", room.alarms, (a) => clock(a.at) + " " + a.user + " on " + a.topic + ": " + a.text);
  list("drops", room.drops, (d) => clock(d.at) + " " + d.user + " (" + d.clientId + ") dropped, " + d.text);
  list("refusals", room.refusals, (r) => clock(r.at) + " " + r.user + ": " + r.text);
  if (typeof Plot === "undefined") return;
  const points = room.history.map((h) => ({ time: new Date(h.at), mbit: h.bytesOutPerS * 8 / 1e6 }));
  const capacity = room.linkBytesPerS * 8 / 1e6;
  $("traffic-chart").replaceChildren(Plot.plot({
    width: 760, height: 200, marginLeft: 50,
    x: { type: "time", label: "time" }, y: { label: "Mbit/s", domain: [0, Math.max(capacity, ...points.map((p) => p.mbit)) * 1.05] },
    marks: [
      Plot.ruleY([capacity], { stroke: "#c00" }), Plot.ruleY([capacity * 0.7], { stroke: "#e0a000", strokeDasharray: "4,3" }),
      Plot.lineY(points, { x: "time", y: "mbit", stroke: "#1f5fa8" }),
    ],
  }));
  if (room.students.length === 0) return $("students-chart").replaceChildren();
  $("students-chart").replaceChildren(Plot.plot({
    width: 760, height: 40 + 14 * Math.max(1, room.students.length), marginLeft: 90,
    x: { label: "kB/s sent to each student" }, y: { label: null },
    marks: [Plot.barX(room.students, { y: "user", x: (s) => s.bytesPerS / 1000, fill: "#1f5fa8" }), Plot.ruleX([0])],
  }));
}
let last = 0;
const events = new EventSource("/events");
events.onmessage = (e) => { last = Date.now(); draw(JSON.parse(e.data)); $("stale").textContent = ""; };
setInterval(() => { if (Date.now() - last > 5000) $("stale").textContent = "no news from the classroom for " + Math.round((Date.now() - last) / 1000) + " s"; }, 1000);
for (const b of document.querySelectorAll("button.scenario")) {
  b.addEventListener("click", async () => {
    const r = await fetch("/scenario", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: b.dataset.scenario }) });
    $("switch-result").textContent = r.ok ? "switched to " + b.dataset.scenario : "not switched: " + (await r.text());
  });
}
</script>
</body>
</html>
`;
}
