// @ts-check
// The burn-down chart of never-inspected businesses and the progress bars, drawn as SVG and HTML.

import { esc, h } from "../../shared/js/dom.js";

function dayNumber(iso) {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
}

// niceScale picks a round step and the top of the y axis so that at most 5 steps cover v.
function niceScale(v) {
  v = Math.max(v, 4);
  const p = 10 ** Math.floor(Math.log10(v / 5));
  for (const m of [1, 2, 2.5, 5, 10, 20]) {
    const step = m * p;
    const n = Math.ceil(v / step - 1e-9);
    if (n <= 5) return { step, max: n * step };
  }
  return { step: v / 4, max: v };
}

// drawBurndown draws the chart into container (an element whose width the chart takes).
// data: {points, target, deadline, start, today, fallback}.
export function drawBurndown(container, data, i18n) {
  const t = i18n;
  const width = Math.max(260, Math.floor(container.clientWidth || 360));
  const height = Math.max(170, Math.min(240, Math.round(width * 0.52)));
  const m = { l: 46, r: 16, t: 14, b: 26 };
  const pts = (data.points || []).filter(p => p.date);
  const target = (data.target || []).filter(p => p.date);
  if (!pts.length) {
    container.replaceChildren(h("p", { class: "muted" }, t.t("burndownEmpty")));
    return;
  }
  const x0 = dayNumber(data.start || pts[0].date), x1 = dayNumber(data.deadline);
  const scale = niceScale(Math.max(...pts.map(p => p.never_inspected), ...target.map(p => p.never_inspected), 1));
  const ymax = scale.max;
  const X = d => m.l + ((dayNumber(d) - x0) / Math.max(1, x1 - x0)) * (width - m.l - m.r);
  const Y = v => m.t + (1 - v / ymax) * (height - m.t - m.b);
  let s = "";
  // Grid and y axis.
  for (let v = 0; v <= ymax + 1e-9; v += scale.step) {
    const y = Y(v);
    s += `<line class="grid" x1="${m.l}" x2="${width - m.r}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`;
    s += `<text class="tick" x="${m.l - 6}" y="${y.toFixed(1)}" dy="0.32em" text-anchor="end">${esc(t.num(v))}</text>`;
  }
  // Years along the x axis.
  const y0 = Number((data.start || pts[0].date).slice(0, 4)), yEnd = Number(data.deadline.slice(0, 4));
  for (let y = y0; y <= yEnd + 1; y++) {
    const d = `${y}-01-01`;
    if (dayNumber(d) < x0 || dayNumber(d) > x1 + 1) continue;
    const x = X(d);
    s += `<line class="grid v" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${m.t}" y2="${height - m.b}"/>`;
    // The label sits in the middle of its year when the year is on the chart.
    const mid = Math.min(X(`${y}-07-01`), width - m.r - 14);
    if (dayNumber(`${y}-07-01`) <= x1) s += `<text class="tick" x="${mid.toFixed(1)}" y="${height - m.b + 16}" text-anchor="middle">${y}</text>`;
  }
  s += `<line class="axis" x1="${m.l}" x2="${width - m.r}" y1="${Y(0)}" y2="${Y(0)}"/>`;
  // Deadline and today.
  const xd = X(data.deadline);
  s += `<line class="deadline" x1="${xd.toFixed(1)}" x2="${xd.toFixed(1)}" y1="${m.t}" y2="${height - m.b}"/>`;
  if (data.today && dayNumber(data.today) < x1) {
    const xt = X(data.today);
    s += `<line class="today" x1="${xt.toFixed(1)}" x2="${xt.toFixed(1)}" y1="${m.t}" y2="${height - m.b}"/>`;
    s += `<text class="today-label" x="${(xt + 4).toFixed(1)}" y="${height - m.b - 5}">${esc(t.t("burndownToday"))}</text>`;
  }
  // The target path, then the actual figures over it.
  if (target.length) {
    s += `<polyline class="target" points="${target.map(p => `${X(p.date).toFixed(1)},${Y(p.never_inspected).toFixed(1)}`).join(" ")}"/>`;
  }
  const line = pts.map(p => `${X(p.date).toFixed(1)},${Y(p.never_inspected).toFixed(1)}`).join(" ");
  s += `<polygon class="actual-area" points="${X(pts[0].date).toFixed(1)},${Y(0)} ${line} ${X(pts[pts.length - 1].date).toFixed(1)},${Y(0)}"/>`;
  s += `<polyline class="actual" points="${line}"/>`;
  for (const p of pts) {
    s += `<circle class="actual-pt" cx="${X(p.date).toFixed(1)}" cy="${Y(p.never_inspected).toFixed(1)}" r="${pts.length > 30 ? 1.8 : 3}">` +
      `<title>${esc(t.date(p.date))}: ${esc(t.num(p.never_inspected))}</title></circle>`;
  }
  const last = pts[pts.length - 1];
  const lx = X(last.date), ly = Y(last.never_inspected);
  const anchor = lx > width - 80 ? "end" : "start";
  s += `<circle class="last" cx="${lx.toFixed(1)}" cy="${ly.toFixed(1)}" r="4"/>`;
  s += `<text class="last-label" x="${(lx + (anchor === "end" ? -7 : 7)).toFixed(1)}" y="${(ly - 8).toFixed(1)}" text-anchor="${anchor}">${esc(t.num(last.never_inspected))}</text>`;
  const label = t.t("burndownLabel", { start: t.date(data.start || pts[0].date), deadline: t.date(data.deadline), now: t.num(last.never_inspected) });
  container.innerHTML = `<svg class="burndown" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}">${s}</svg>`;
  container.dataset.last = String(last.never_inspected);
}

// progressBar builds a bar for a ratio (0..1 of the bar) with optional markers
// [{at: 0..1, cls, title}].
export function progressBar(ratio, { label, valueText, markers = [], cls = "" }) {
  const clamped = Math.max(0, Math.min(1, ratio || 0));
  const bar = h("div", {
    class: "bar " + cls, role: "progressbar", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100,
    "aria-valuenow": (clamped * 100).toFixed(1), "aria-valuetext": valueText,
  }, h("div", { class: "fill", style: { width: (clamped * 100).toFixed(2) + "%" } }));
  for (const mk of markers) {
    if (!Number.isFinite(mk.at)) continue;
    bar.append(h("div", { class: "marker " + (mk.cls || ""), style: { left: (Math.max(0, Math.min(1, mk.at)) * 100).toFixed(2) + "%" }, title: mk.title }));
  }
  return bar;
}
