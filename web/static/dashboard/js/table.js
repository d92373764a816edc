// @ts-check
// The progress table: one row per unit of the top level below the area, each opening onto the
// lowest-level units in it when there are levels between, sortable by any column.

import { h } from "../../shared/js/dom.js";
import { estimateCell, estimateOf, printable } from "./prevalence.js";

// columns describes the table; value is what a column sorts by. Every figure is a measure of
// the server's vocabulary: its heading is the measure's name, its tooltip the definition, and
// each share stands right after the counts it divides.
// The estimate's columns take the server's figures for the unit (opts.prevalence); a figure that
// is not printed sorts below every printed one.
function columns(t, minShare, est) {
  const num = key => ({ key, label: t.measure(key), def: t.measureDef(key), value: r => r[key], cell: r => t.num(r[key]) });
  const share = (key, cell) => ({ key, label: t.measure(key), def: t.measureDef(key), value: r => r[key], cell });
  return [
    { key: "name", label: t.t("colArea"), def: "", value: r => r.name, text: true },
    num("open_at_start"),
    num("inspected_open_at_start"),
    share("share", r => meter(t.pct(r.share), r.share / (minShare || 0.2), r.share + 1e-9 >= (minShare || 0.2))),
    num("year_target"),
    num("inspected"),
    num("eligible"),
    num("covered"),
    share("coverage", r => meter(t.pct(r.coverage), r.coverage, r.coverage >= 1)),
    num("never_inspected"),
    num("overdue_tasks"),
    num("violating"),
    {
      key: "prevalence", label: t.measure("prevalence"), def: t.measureDef("prevalence"),
      value: r => { const e = est.of(r.area_code); return printable(e) ? e.share : -1; },
      data: r => { const e = est.of(r.area_code); return printable(e) ? e.share : ""; },
      quality: r => { const e = est.of(r.area_code); return e ? e.quality : "none"; },
      cell: r => estimateCell(t, est.of(r.area_code), est.prev, est.year),
    },
    {
      key: "prevalence_sample", label: t.measure("prevalence_sample"), def: t.measureDef("prevalence_sample"),
      value: r => { const e = est.of(r.area_code); return e ? e.sample : 0; },
      cell: r => { const e = est.of(r.area_code); return t.num(e ? e.sample : 0); },
    },
    { key: "on_track", label: t.t("colOnTrack"), def: t.t("onTrackDef"), value: r => (r.on_track ? 1 : 0), cell: r => trackBadge(t, r.on_track) },
  ];
}

function meter(text, ratio, met) {
  return h("span", { class: "meter" + (met ? " met" : "") },
    h("span", { class: "meter-bar", "aria-hidden": "true" }, h("span", { style: { width: (Math.max(0, Math.min(1, ratio)) * 100).toFixed(1) + "%" } })),
    h("span", { class: "meter-text" }, text));
}

function trackBadge(t, ok) {
  return h("span", { class: "badge " + (ok ? "ok" : "bad") }, h("span", { "aria-hidden": "true" }, ok ? "✓ " : "! "), ok ? t.t("onTrackYes") : t.t("onTrackNo"));
}

// renderTable fills table from the rows. opts: {t, tops, unitsOf(code), leafName (what the units
// in a top row are called), total, minShare, prevalence (the server's estimates), rootCode, year,
// sort: {key, dir}, expanded: Set, selected, onSort(key), onToggle(code), onSelect(code)}.
export function renderTable(table, opts) {
  const { t, sort, expanded, selected } = opts;
  const est = { prev: opts.prevalence, year: opts.year, of: code => estimateOf(opts.prevalence, code, opts.rootCode) };
  const cols = columns(t, opts.minShare, est);
  const col = cols.find(c => c.key === sort.key) || cols[0];
  const cmp = (a, b) => {
    const va = col.value(a), vb = col.value(b);
    const r = col.text ? String(va).localeCompare(String(vb), t.locale) : va - vb;
    return (sort.dir === "desc" ? -r : r) || String(a.name).localeCompare(String(b.name), t.locale);
  };
  const sorted = rows => (sort.key ? rows.slice().sort(cmp) : rows);

  const head = h("tr", {}, cols.map(c => {
    const active = sort.key === c.key;
    const ariaSort = active ? (sort.dir === "desc" ? "descending" : "ascending") : "none";
    return h("th", { scope: "col", "aria-sort": ariaSort, class: c.text ? "text" : "" },
      h("button", { type: "button", class: "sort", "data-sort": c.key, "data-measure": c.text ? null : c.key, title: (c.def ? c.def + "\n" : "") + t.t("sortBy", { col: c.label }), onclick: () => opts.onSort(c.key) },
        c.label, h("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (sort.dir === "desc" ? " ▼" : " ▲") : " ↕")));
  }));

  const body = h("tbody");
  const nested = opts.tops.some(d => opts.unitsOf(d.area_code).length);
  for (const d of sorted(opts.tops)) {
    const units = opts.unitsOf(d.area_code);
    const open = expanded.has(d.area_code);
    body.append(row(d, cols, t, {
      cls: "top" + (open ? " open" : ""), selected: selected === d.area_code,
      toggle: units.length ? h("button", {
        type: "button", class: "toggle", "aria-expanded": String(open), "data-toggle": d.area_code,
        "aria-label": t.t(open ? "collapse" : "expand", { name: d.name, units: opts.leafName }), onclick: () => opts.onToggle(d.area_code),
      }, open ? "▾" : "▸") : nested ? h("span", { class: "toggle-space" }) : null,
      onSelect: opts.onSelect,
    }));
    if (open) {
      for (const w of sorted(units)) body.append(row(w, cols, t, { cls: "sub", selected: selected === w.area_code, onSelect: opts.onSelect }));
    }
  }
  const foot = h("tfoot", {}, row(opts.total, cols, t, { cls: "total", label: t.t("total") }));
  table.replaceChildren(
    h("caption", {}, opts.caption),
    h("thead", {}, head), body, foot);
}

function row(r, cols, t, o) {
  const tr = h("tr", { class: o.cls + (o.selected ? " selected" : ""), "data-code": r.area_code, "aria-current": o.selected ? "true" : null });
  cols.forEach((c, i) => {
    if (i === 0) {
      const name = o.label || r.name;
      const inner = o.onSelect
        ? h("button", { type: "button", class: "link", title: t.t("showOnMap", { name: r.name }), onclick: () => o.onSelect(r.area_code) }, name)
        : h("span", {}, name);
      tr.append(h("th", { scope: "row", class: "text" }, h("span", { class: "cell-area" }, o.toggle || (o.cls === "sub" ? h("span", { class: "indent" }) : null), inner)));
    } else {
      tr.append(h("td", { class: c.key, "data-measure": c.key, "data-value": String(c.data ? c.data(r) : c.key in r ? r[c.key] : c.value(r)), "data-quality": c.quality ? c.quality(r) : null }, c.cell(r)));
    }
  });
  return tr;
}
