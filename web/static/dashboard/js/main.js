// @ts-check
// The planner dashboard: sign-in, then the caller's jurisdiction on a coverage map with the
// progress against the yearly 20% and the programme's 100%, a burn-down of the never-inspected
// businesses, a table of the units, and the kept reports. The units are those in force at the
// end of the chosen year, with the levels the server names (levels are data: the 2021 map has
// two under the city, the 2025 map one).

import { Api, ApiError, SessionEnded, query } from "../../shared/js/api.js";
import { I18n } from "./i18n.js";
import { Ref } from "../../shared/js/ref.js";
import { CoverageMap, EMPTY_FILL, STATUS_ORDER, bins, colourFor } from "./map.js";
import { drawBurndown, progressBar } from "./charts.js";
import { renderTable } from "./table.js";
import { estimateOf, prevalenceCard, prevalenceLegend } from "./prevalence.js";
import { ReportsPanel } from "./reports.js";
import { PlansPanel } from "./plans.js";
import { TargetsPanel } from "./targets.js";
import { CONFIG } from "./config.js";
import { $, h } from "../../shared/js/dom.js";
import { bindSignIn, showSignIn } from "../../shared/js/signin.js";

const i18n = new I18n();
const t = i18n;
const api = new Api(() => i18n.lang, () => i18n.t("networkError"));

// The timings of the first render, read by the browser test and shown in the console.
/** @type {{mapDrawn: number | null}} */
const timings = { mapDrawn: null };
/** @type {any} */ (window).kiemtraTimings = timings;

const state = {
  me: null,
  programmes: [],
  parentOf: new Map(), // unit version -> the unit above it, of the figures' units
  areaName: new Map(),
  areaLevel: new Map(),
  levels: [], // the levels below the area on the figures' day, from the top (cov.levels)
  rootCode: "",
  today: "", // the server's today (as_of of the current year)
  programme: "",
  year: 0,
  category: "",
  level: "", // the level drawn on the map; "" is the top one
  metric: "coverage",
  showPoints: true,
  selected: "",
  picked: "", // the business whose details are open
  sort: { key: "", dir: "asc" },
  expanded: new Set(),
  cov: null, // /coverage at the top level
  leafGeo: null, // the lowest level's areas
  topGeo: null, // the top level's areas, and the businesses
  points: [],
  burndown: new Map(), // key -> {data, fallback}
  loadSeq: 0,
};

let map = null;

// ---------- start-up and sign-in ----------

function applyStaticTexts() {
  document.documentElement.lang = i18n.lang;
  document.title = `${t.t("appName")} · ${t.t("appTagline")}`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t.t(/** @type {HTMLElement} */ (el).dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t.t(/** @type {HTMLElement} */ (el).dataset.i18nLabel));
  for (const b of document.querySelectorAll(".lang-switch")) {
    b.textContent = t.t("otherLang");
    /** @type {HTMLElement} */ (b).lang = t.t("otherLangCode");
  }
}

function showLogin(message) { showSignIn(message); }

async function showApp() {
  const user = api.user;
  // One sign-in for every office user: the roles whose work is not the dashboard go to the
  // office app with the same session (it sends inspectors on to their phone app).
  if (user && !["planner", "admin", "viewer"].includes(user.role)) {
    location.replace("/office/");
    return;
  }
  $("#login-view").hidden = true;
  $("#app-view").hidden = false;
  renderUser();
  if (!map) {
    map = new CoverageMap($("#map"), { i18n, onSelectArea: selectArea, onSelectBusiness: openBusiness, tileUrl: CONFIG.tileUrl });
  }
  await Promise.all([loadMeta(), loadFigures()]);
}

// renderUser shows who is signed in and the agency they belong to, by its name in the chosen
// language once the agencies are loaded.
function renderUser() {
  const user = (state.me && state.me.user) || api.user;
  $("#user-name").textContent = user ? user.display_name || user.username : "";
  const agency = $("#user-agency");
  agency.textContent = user && user.agency ? t.agency(user.agency) : "";
  agency.title = user && user.agency ? t.agency(user.agency, true) : "";
  agency.hidden = !agency.textContent;
  // Planners and admins also work in the office app (the registry, teams, jobs).
  $("#office-link").hidden = !(user && ["planner", "admin"].includes(user.role));
}

// loadMeta reads what changes rarely: the caller, programmes, agencies, the kept reports. The
// units come with the figures: they change with the year.
async function loadMeta() {
  try {
    const [me, progs, agencies, ref] = await Promise.all([api.get("/api/v1/me"), api.get("/api/v1/programmes"), api.get("/api/v1/agencies"), Ref.load(i18n.lang)]);
    state.me = me;
    i18n.setReference(ref.tables);
    i18n.setAgencies(agencies.items);
    renderUser();
    state.programmes = progs.items || [];
    $("#jurisdiction-name").textContent = me.jurisdiction ? me.jurisdiction.name : "";
    renderFilters();
    if (state.leafGeo) renderAll();
  } catch (ex) {
    fail(ex);
  }
  loadArchive();
}

// ---------- figures ----------

function figureParams() {
  return { programme: state.programme, year: state.year || "", category: state.category };
}

async function loadFigures() {
  const seq = ++state.loadSeq;
  const svg = $("#map");
  svg.dataset.state = "loading";
  $("#map-status").hidden = false;
  $("#map-status").textContent = t.t("loading");
  hideBanner();
  const p = figureParams();
  try {
    // The top level below the area (the server's default) with the businesses, then, when the
    // year's units have levels below it, the lowest one.
    const [cov, topGeo, vocab] = await Promise.all([
      api.get("/api/v1/coverage" + query(p)),
      api.get("/api/v1/coverage.geojson" + query({ ...p, points: "true" })),
      i18n.measures.size ? null : api.get("/api/v1/measures"),
    ]);
    if (vocab) i18n.setMeasures(vocab);
    if (seq !== state.loadSeq) return; // a newer choice is loading
    const below = (cov.levels || []).slice(1);
    const leaf = below[below.length - 1];
    let leafGeo = topGeo;
    if (below.length > 1) {
      leafGeo = await api.get("/api/v1/coverage.geojson" + query({ ...p, level: leaf.level }));
      if (seq !== state.loadSeq) return;
    }
    state.cov = cov;
    state.levels = below;
    if (!below.some(l => l.level === state.level)) state.level = "";
    state.topGeo = topGeo;
    state.leafGeo = leafGeo;
    state.points = topGeo.features.filter(f => f.properties.kind === "business");
    state.programme = cov.programme_code;
    state.year = cov.year;
    state.rootCode = cov.area;
    noteUnits(cov, leafGeo);
    // The server's today: the as-of day of the current year, or the day the figures were made.
    const made = String(cov.generated_at || "").slice(0, 10);
    if (!state.today) state.today = made > cov.as_of ? made : cov.as_of;
    if (state.selected && !knownArea(state.selected)) state.selected = "";
    if (!state.selected) state.selected = state.rootCode;
    map.setData({
      top: topGeo, leaf: leafGeo, points: state.points, parentOf: state.parentOf, rootCode: state.rootCode,
      topLevel: below.length ? below[0].level : cov.total.level, leafLevel: leaf ? leaf.level : cov.total.level,
    });
    // The server's base map (KIEMTRA_TILE_URL) wins over config.js; none is the offline default.
    const baseMap = topGeo.base_map || { tile_url: CONFIG.tileUrl, attribution: CONFIG.tileAttribution };
    map.setTiles(baseMap.tile_url);
    const credit = $("#map-attribution");
    credit.textContent = baseMap.tile_url ? baseMap.attribution || "" : "";
    credit.hidden = !credit.textContent;
    renderFilters();
    renderAll();
    svg.dataset.programme = cov.programme_code;
    svg.dataset.year = String(cov.year);
    svg.dataset.state = "ready";
    $("#map-status").hidden = true;
    if (timings.mapDrawn === null) {
      timings.mapDrawn = Math.round(performance.now());
      console.info(`kiemtra: map drawn ${timings.mapDrawn} ms after navigation`);
    }
    loadBurndown();
  } catch (ex) {
    if (seq !== state.loadSeq) return;
    svg.dataset.state = "error";
    $("#map-status").hidden = true;
    fail(ex);
  }
}

// noteUnits records the units of the figures: their names, levels and the unit above each.
function noteUnits(cov, leafGeo) {
  state.parentOf = new Map();
  state.areaName = new Map();
  state.areaLevel = new Map();
  const note = r => {
    state.parentOf.set(r.area_code, r.area_code === cov.area ? "" : r.parent_code || "");
    state.areaName.set(r.area_code, r.name);
    state.areaLevel.set(r.area_code, r.level);
  };
  note(cov.total);
  cov.rows.forEach(note);
  leafGeo.features.filter(f => f.properties.kind === "area").forEach(f => note(f.properties));
}

function knownArea(code) {
  if (code === state.rootCode) return true;
  return (state.cov && state.cov.rows.some(r => r.area_code === code)) || (state.leafGeo && state.leafGeo.features.some(f => f.id === code && f.properties.kind === "area"));
}

// levelInfo is one of the figures' levels, by its code.
function levelInfo(code) {
  return (state.cov && state.cov.levels || []).find(l => l.level === code) || { level: code, name: code, name_en: code };
}

// levelName names a level in the page's language, from the data.
function levelName(code) {
  const l = levelInfo(code);
  const name = i18n.lang === "vi" ? l.name : l.name_en;
  return name.charAt(0).toLocaleUpperCase(i18n.locale) + name.slice(1);
}

// unitKind names what a unit is: its type from the data in Vietnamese, its level's name in English.
function unitKind(r) {
  if (i18n.lang === "vi" && r.type_name) return r.type_name;
  return levelName(r.level);
}

// currentLevel is the level the map draws: the chosen one, or the top one.
function currentLevel() {
  return state.level || (state.levels[0] ? state.levels[0].level : "");
}

function currentProgramme() {
  return state.programmes.find(p => p.code === state.programme) || null;
}

// rowFor finds the figures of an area: the jurisdiction's total, a top row or a lowest-level row.
function rowFor(code) {
  if (!state.cov) return null;
  if (!code || code === state.cov.area) return state.cov.total;
  const d = state.cov.rows.find(r => r.area_code === code);
  if (d) return d;
  const w = state.leafGeo && state.leafGeo.features.find(f => f.properties.kind === "area" && String(f.id) === code);
  return w ? w.properties : null;
}

function leafRows() {
  if (!state.leafGeo || state.leafGeo === state.topGeo) return [];
  return state.leafGeo.features.filter(f => f.properties.kind === "area").map(f => f.properties);
}

// ---------- rendering ----------

function renderAll() {
  if (!state.cov) return;
  renderFilters();
  renderBreadcrumb();
  renderToolbar();
  renderMap();
  renderKpis();
  renderTableView();
  renderBurndown();
  renderReports();
  renderPlans();
  renderTargets();
  $("#as-of").textContent = `${t.t("asOf")} ${t.date(state.cov.as_of)}`;
  // A year that spans a reorganisation says on which units it is reported.
  const note = $("#units-note");
  const n = state.cov.note;
  note.hidden = !n;
  note.textContent = n ? (i18n.lang === "vi" ? n.message_vi : n.message) : "";
}

function renderFilters() {
  const ps = $("#programme");
  const progs = state.programmes.length ? state.programmes : state.programme ? [{ code: state.programme, name: state.programme }] : [];
  ps.replaceChildren(...progs
    .slice().sort((a, b) => String(b.starts_on || "").localeCompare(String(a.starts_on || "")))
    .map(p => h("option", { value: p.code, selected: p.code === state.programme, title: p.name || p.code }, programmeLabel(p))));
  const cur = currentProgramme();
  ps.title = cur ? cur.name : "";
  const ys = $("#year");
  const prog = currentProgramme();
  const years = [];
  if (prog) {
    const first = Number(prog.starts_on.slice(0, 4)), last = Number(prog.ends_on.slice(0, 4));
    const nowYear = state.today ? Number(state.today.slice(0, 4)) : last;
    for (let y = Math.min(last, nowYear); y >= first; y--) years.push(y);
  } else if (state.year) years.push(state.year);
  ys.replaceChildren(...years.map(y => h("option", { value: y, selected: y === state.year }, String(y))));
  const cs = $("#category");
  cs.replaceChildren(h("option", { value: "" }, t.t("allCategories")),
    ...i18n.categories.map(c => h("option", { value: c.code, selected: c.code === state.category, title: t.category(c.code) }, t.category(c.code, true))));
}

function programmeLabel(p) {
  const y1 = (p.starts_on || "").slice(0, 4), y2 = (p.ends_on || "").slice(0, 4);
  const short = String(p.code || "").split("-")[0];
  return y1 ? `${y1}–${y2} · ${short}` : p.code;
}

function renderBreadcrumb() {
  const nav = $("#breadcrumb");
  const chain = [];
  for (let c = state.selected; c; c = state.parentOf.get(c)) {
    chain.unshift(c);
    if (c === state.rootCode) break;
  }
  if (!chain.length || chain[0] !== state.rootCode) chain.unshift(state.rootCode);
  const items = chain.map((code, i) => {
    const name = state.areaName.get(code) || (rowFor(code) || {}).name || code;
    const last = i === chain.length - 1;
    return h("li", {}, last
      ? h("span", { "aria-current": "page", id: "map-title" }, name)
      : h("button", { type: "button", class: "link", onclick: () => selectArea(code) }, name));
  });
  nav.replaceChildren(h("ol", {}, items));
  const up = $("#up");
  up.hidden = state.selected === state.rootCode;
}

function renderToolbar() {
  // One button per level below the area, named from the data; none for a single level.
  const seg = $("#levels");
  seg.hidden = state.levels.length < 2;
  seg.replaceChildren(...state.levels.map(l => h("button", {
    type: "button", id: `level-${l.level}`, "data-level": l.level, "aria-pressed": String(currentLevel() === l.level), onclick: () => chooseLevel(l.level),
  }, levelName(l.level))));
  for (const [id, on] of [["#metric-coverage", state.metric === "coverage"], ["#metric-progress", state.metric === "progress"]]) {
    $(id).setAttribute("aria-pressed", String(on));
  }
  $("#show-points").checked = state.showPoints;
}

// chooseLevel draws the map at a level; a chosen unit below it gives way to its unit at that level.
function chooseLevel(level) {
  state.level = level === (state.levels[0] || {}).level ? "" : level;
  renderToolbar();
  const depth = code => state.levels.findIndex(l => l.level === code);
  const sel = state.selected;
  if (sel !== state.rootCode && depth(state.areaLevel.get(sel)) > depth(level)) {
    let c = sel;
    while (c && state.areaLevel.get(c) !== level) c = state.parentOf.get(c);
    selectArea(c || state.rootCode);
  } else renderMap();
  // The buttons were drawn again: the keyboard stays on the one pressed.
  const b = document.getElementById(`level-${level}`);
  if (b) b.focus();
}

function renderMap() {
  map.setView({ level: currentLevel(), metric: state.metric, showPoints: state.showPoints, selected: state.selected, minShare: state.cov.min_share, picked: state.picked });
  map.render();
  const name = state.areaName.get(state.selected) || (rowFor(state.selected) || {}).name || "";
  $("#map").setAttribute("aria-label", t.t("mapLabel", {
    area: name, metric: state.metric === "progress" ? t.t("byProgress") : t.t("byCoverage"),
    level: levelName(map.drawnLevel()).toLocaleLowerCase(i18n.locale),
  }));
  renderLegend();
}

function renderLegend() {
  const minShare = state.cov.min_share;
  const c = map.counts();
  const b = bins(state.metric, minShare);
  const count = n => h("span", { class: "lg-count" }, t.num(n));
  const ramp = b.map((bin, i) => {
    let label;
    if (i === b.length - 1) label = state.metric === "progress" ? t.t("metTarget", { target: t.pct(minShare, 0) }) : t.t("metCoverage");
    else label = `${t.pct(bin.lo, 0)}–${t.pct(bin.hi, 0)}`;
    return h("li", { "data-bin": i }, h("span", { class: "swatch", style: { background: colourFor(bin.lo, state.metric, minShare) } }), h("span", { class: "lg-label" }, label), count(c.bins[i]));
  });
  if (c.empty) ramp.push(h("li", {}, h("span", { class: "swatch", style: { background: EMPTY_FILL } }), h("span", { class: "lg-label" }, t.t("noBusinesses")), count(c.empty)));
  const long = state.metric === "progress" ? t.t("legendProgress", { target: t.pct(minShare, 0) }) : t.t("legendCoverage");
  const parts = [h("div", { class: "lg-group" },
    h("span", { class: "lg-title", title: long }, (state.metric === "progress" ? t.t("byProgress") : t.t("byCoverage")) + ":"),
    h("ul", { class: "ramp", "aria-label": long }, ramp))];
  if (state.showPoints) {
    parts.push(h("div", { class: "lg-group" },
      h("span", { class: "lg-title" }, t.t("legendPoints") + ":"),
      h("ul", { class: "dots", "aria-label": t.t("legendPoints") }, STATUS_ORDER.filter(s => c.statuses[s]).map(s =>
        h("li", { "data-status": s, title: t.statusDef(s) }, h("span", { class: "dot " + s }), h("span", { class: "lg-label" }, t.status(s)), count(c.statuses[s]))))));
  }
  $("#legend").replaceChildren(...parts);
}

function elapsed(fromIso, toIso, atIso) {
  const d = s => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  const total = d(toIso) - d(fromIso);
  return total > 0 ? Math.max(0, Math.min(1, (d(atIso) - d(fromIso) + 86400000) / (total + 86400000))) : 1;
}

// figures lists a row's counts under their measures' names, each with its definition as a
// tooltip: the numerator and denominator of the card's share, and what else it counts.
function figures(r, keys) {
  return h("dl", { class: "kpi-figs" }, keys.map(k =>
    h("div", { "data-measure": k, "data-value": String(r[k]), title: t.measureDef(k) }, h("dt", {}, t.measure(k)), h("dd", {}, t.num(r[k])))));
}

function renderKpis() {
  const cov = state.cov;
  const r = rowFor(state.selected) || cov.total;
  const minShare = cov.min_share || 0.2;
  const prog = currentProgramme();
  $("#kpi-area").textContent = r.name || "";
  $("#kpi-level").textContent = unitKind(r);

  // The year: the bar is full when the yearly target is met.
  const yearDone = cov.as_of >= `${cov.year}-12-31` || (cov.deadline && cov.as_of >= cov.deadline);
  const yearBox = $("#kpi-year");
  yearBox.dataset.value = (r.share * 100).toFixed(1).replace(/\.0$/, "");
  yearBox.dataset.year = String(cov.year);
  const yearExpected = elapsed(`${cov.year}-01-01`, `${cov.year}-12-31`, cov.as_of);
  yearBox.replaceChildren(
    h("div", { class: "kpi-head" }, h("h3", {}, t.t("yearTarget", { year: cov.year })), h("span", { class: "goal" }, `≥ ${t.pct(minShare, 0)}`)),
    h("div", { class: "kpi-figures" },
      h("span", { class: "kpi-figure", id: "kpi-year-figure", "data-measure": "share", title: t.measureDef("share") }, t.pct(r.share)),
      h("span", { class: "kpi-of" }, `/ ${t.pct(minShare, 0)}`),
      h("span", { class: "kpi-side" }, t.t("yearTargetDone", { progress: t.pct(r.target_progress, 0) }))),
    progressBar(r.target_progress, {
      label: t.t("yearTarget", { year: cov.year }), valueText: `${t.pct(r.share)} / ${t.pct(minShare, 0)}`,
      cls: r.target_progress >= 1 ? "met" : "",
      markers: [
        yearDone ? null : { at: yearExpected, cls: "expected", title: `${t.t("expectedNow")}: ${t.pct(yearExpected * minShare)}` },
        yearDone ? null : { at: r.projected_year_share / minShare, cls: "forecast", title: `${t.t("forecast")}: ${t.pct(r.projected_year_share)}` },
      ].filter(Boolean),
    }),
    h("div", { class: "scale", "aria-hidden": "true" }, h("span", {}, "0%"), h("span", {}, t.pct(minShare, 0))),
    figures(r, ["inspected", "inspected_open_at_start", "open_at_start", "year_target"]),
  );

  // The programme: full coverage by the deadline.
  const progBox = $("#kpi-programme");
  progBox.dataset.value = (r.coverage * 100).toFixed(1).replace(/\.0$/, "");
  const progExpected = prog ? elapsed(prog.starts_on, prog.coverage_deadline || prog.ends_on, cov.as_of) : NaN;
  const progDone = cov.deadline && cov.as_of >= cov.deadline;
  progBox.replaceChildren(
    h("div", { class: "kpi-head" }, h("h3", {}, t.t("programmeCoverage")), h("span", { class: "goal" }, `100% · ${t.date(cov.deadline)}`)),
    h("div", { class: "kpi-figures" },
      h("span", { class: "kpi-figure", id: "kpi-programme-figure", "data-measure": "coverage", title: t.measureDef("coverage") }, t.pct(r.coverage)),
      h("span", { class: "kpi-of" }, "/ 100%"),
      h("span", { class: "kpi-side" + (r.never_inspected ? "" : " good") }, r.never_inspected ? t.t("neverLeft", { n: t.num(r.never_inspected) }) : t.t("allCovered"))),
    progressBar(r.coverage, {
      label: t.t("programmeCoverage"), valueText: `${t.pct(r.coverage)} / 100%`, cls: r.coverage >= 1 ? "met" : "",
      markers: [
        progDone ? null : { at: progExpected, cls: "expected", title: `${t.t("expectedNow")}: ${t.pct(progExpected)}` },
        progDone ? null : { at: r.projected_coverage, cls: "forecast", title: `${t.t("forecast")}: ${t.pct(r.projected_coverage)}` },
      ].filter(Boolean),
    }),
    h("div", { class: "scale", "aria-hidden": "true" }, h("span", {}, "0%"), h("span", {}, "100%")),
    figures(r, ["covered", "eligible", "never_inspected"]),
    prog && prog.lead_agency ? h("p", { class: "kpi-sub", id: "kpi-lead", title: t.agency(prog.lead_agency, true) }, t.t("leadAgency", { name: t.agency(prog.lead_agency) })) : null,
  );

  const markers = $("#kpi-markers");
  markers.hidden = yearDone && progDone;
  markers.replaceChildren(
    h("span", {}, h("span", { class: "mk expected", "aria-hidden": "true" }), t.t("markerExpected")),
    h("span", {}, h("span", { class: "mk forecast", "aria-hidden": "true" }), t.t("markerForecast")));

  // On track, and why.
  const track = $("#kpi-track");
  track.dataset.onTrack = String(r.on_track);
  const reasons = [];
  if (yearDone) reasons.push(t.t("finishedYear", { year: cov.year }));
  else {
    reasons.push(t.t("forecastYear", { year: cov.year, share: t.pct(r.projected_year_share), target: t.pct(minShare, 0) }));
    reasons.push(t.t("forecastDeadline", { deadline: t.date(cov.deadline), coverage: t.pct(r.projected_coverage) }));
  }
  track.replaceChildren(
    h("div", { class: "track-head" },
      h("span", { class: "track-badge " + (r.on_track ? "ok" : "bad"), id: "on-track" }, h("span", { "aria-hidden": "true" }, r.on_track ? "✓" : "!"), " ", r.on_track ? t.t("onTrack") : t.t("offTrack")),
      h("dl", { class: "mini" },
        h("div", { "data-measure": "overdue_tasks", title: t.measureDef("overdue_tasks") }, h("dt", {}, t.measure("overdue_tasks")), h("dd", { class: r.overdue_tasks ? "warn" : "" }, t.num(r.overdue_tasks))),
        h("div", { "data-measure": "violating", title: t.measureDef("violating") }, h("dt", {}, t.measure("violating")), h("dd", {}, t.num(r.violating))))),
    h("ul", { class: "reasons" }, reasons.map(s => h("li", {}, s)), yearDone ? null : h("li", { class: "muted" }, t.t("forecastPace"))),
  );

  // The estimated prevalence of the unit, from the year plan's sample, as the server gives it.
  const prev = cov.prevalence || null;
  prevalenceCard($("#kpi-prevalence"), t, estimateOf(prev, r.area_code, cov.area), prev, cov.year);
  renderSanctions(r);
}

// The sanctions of the year in the unit: the period report's figures (the same as its files'),
// read once per programme, year and unit.
const SANCTION_KEYS = ["sanction_decisions", "sanction_warnings", "sanction_fines", "sanction_fines_amount", "sanction_fines_collected",
  "sanction_suspensions", "sanction_withdrawals", "sanction_referrals", "sanction_overdue"];
const sanctionReports = new Map();

async function renderSanctions(r) {
  const box = $("#kpi-sanctions"), cov = state.cov, prog = currentProgramme();
  if (!box || !prog) return;
  const key = `${prog.code}|${cov.year}|${r.area_code}`;
  box.dataset.key = key;
  box.dataset.ready = "false";
  const head = h("div", { class: "kpi-head" }, h("h3", {}, t.t("sanctionsTitle", { year: cov.year })));
  let rep = sanctionReports.get(key);
  if (!rep) {
    box.replaceChildren(head, h("p", { class: "muted" }, t.t("loading")));
    try {
      rep = await api.get("/api/v1/reports" + query({ period: String(cov.year), programme: prog.code, area: r.area_code, format: "json" }));
    } catch (ex) {
      if (ex instanceof SessionEnded) return;
      if (box.dataset.key === key) box.replaceChildren(head, h("p", { class: "muted" }, ex.message));
      return;
    }
    sanctionReports.set(key, rep);
    if (box.dataset.key !== key) return;
  }
  box.dataset.ready = "true";
  box.replaceChildren(head, figures(rep.total, SANCTION_KEYS), h("p", { class: "muted small" }, t.t("sanctionsNote")));
}

function renderTableView() {
  const cov = state.cov;
  prevalenceLegend($("#prevalence-legend"), t, cov.prevalence || null);
  const tops = new Set(cov.rows.map(r => r.area_code));
  const under = new Map(); // a top row -> the lowest-level units in it
  for (const w of leafRows()) {
    let c = w.area_code;
    while (c && !tops.has(c)) c = state.parentOf.get(c);
    if (!c) continue;
    if (!under.has(c)) under.set(c, []);
    under.get(c).push(w);
  }
  const prog = currentProgramme();
  const names = state.levels.map(l => levelName(l.level).toLocaleLowerCase(i18n.locale));
  const leaf = names.length > 1 ? names[names.length - 1] : "";
  renderTable($("#area-table"), {
    t, tops: cov.rows, unitsOf: code => under.get(code) || [], leafName: leaf, total: cov.total, minShare: cov.min_share,
    prevalence: cov.prevalence || null, rootCode: cov.area, year: cov.year,
    sort: state.sort, expanded: state.expanded, selected: state.selected,
    caption: t.t("tableCaption", { year: cov.year, programme: prog ? prog.name : cov.programme_code, levels: names.join(t.t("and")) }) +
      (leaf ? " " + t.t("tableCaptionExpand", { units: leaf }) : ""),
    onSort: key => {
      state.sort = state.sort.key === key ? { key, dir: state.sort.dir === "asc" ? "desc" : "asc" } : { key, dir: key === "name" ? "asc" : "asc" };
      renderTableView();
      const b = /** @type {HTMLElement | null} */ (document.querySelector(`#area-table button[data-sort="${key}"]`));
      if (b) b.focus();
    },
    onToggle: code => {
      if (state.expanded.has(code)) state.expanded.delete(code);
      else state.expanded.add(code);
      renderTableView();
      const b = /** @type {HTMLElement | null} */ (document.querySelector(`#area-table button[data-toggle="${CSS.escape(code)}"]`));
      if (b) b.focus();
    },
    onSelect: code => {
      selectArea(code);
      $("#map").scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
  });
}

// ---------- burn-down ----------

function burndownKey() {
  return [state.programme, state.year, state.category, state.selected].join("|");
}

async function loadBurndown() {
  const key = burndownKey();
  if (state.burndown.has(key)) {
    renderBurndown();
    return;
  }
  const area = state.selected && state.selected !== state.rootCode ? state.selected : "";
  try {
    let data = await api.getOptional("/api/v1/coverage/burndown" + query({ programme: state.programme, year: state.year || "", area, category: state.category }));
    let fallback = false;
    if (!data) {
      data = await yearlyBurndown(area);
      fallback = true;
    }
    state.burndown.set(key, { data, fallback });
  } catch (ex) {
    if (ex instanceof SessionEnded) return;
    state.burndown.set(key, { error: ex.message });
  }
  if (key === burndownKey()) renderBurndown();
}

// yearlyBurndown draws the chart from each year's /coverage totals when the server has no
// monthly burn-down: one point per year end (or today), the target a straight line to zero.
async function yearlyBurndown(area) {
  const prog = currentProgramme();
  if (!prog) return { points: [], target: [] };
  const first = Number(prog.starts_on.slice(0, 4));
  const last = Math.min(Number(prog.ends_on.slice(0, 4)), Number((state.today || prog.ends_on).slice(0, 4)));
  const years = [];
  for (let y = first; y <= last; y++) years.push(y);
  const covs = await Promise.all(years.map(y => api.get("/api/v1/coverage" + query({ programme: prog.code, year: y, area, category: state.category }))));
  const points = covs.map(c => ({ date: c.as_of, eligible: c.total.eligible, covered: c.total.covered, never_inspected: c.total.never_inspected }));
  const deadline = prog.coverage_deadline || prog.ends_on;
  const target = points.length ? [{ date: points[0].date, never_inspected: points[0].never_inspected }, { date: deadline, never_inspected: 0 }] : [];
  return { programme_code: prog.code, deadline, points, target };
}

function renderBurndown() {
  const box = $("#burndown");
  const note = $("#burndown-note");
  const entry = state.burndown.get(burndownKey());
  const prog = currentProgramme();
  if (!entry) {
    box.replaceChildren(h("p", { class: "muted" }, t.t("loading")));
    note.hidden = true;
    return;
  }
  if (entry.error) {
    box.replaceChildren(h("p", { class: "error" }, entry.error));
    note.hidden = true;
    return;
  }
  const d = entry.data;
  drawBurndown(box, {
    points: d.points, target: d.target, deadline: d.deadline || (prog && prog.coverage_deadline),
    start: prog ? prog.starts_on : undefined, today: state.today,
  }, i18n);
  note.hidden = !entry.fallback;
  note.textContent = entry.fallback ? t.t("burndownFallback") : "";
  box.dataset.source = entry.fallback ? "yearly" : "monthly";
}

// ---------- business details ----------

async function openBusiness(id) {
  const panel = $("#details");
  state.picked = id;
  renderMap();
  panel.hidden = false;
  panel.dataset.id = id;
  panel.replaceChildren(detailsHead(t.t("loadingDetails")));
  panel.focus();
  try {
    const [b, hist] = await Promise.all([
      api.get(`/api/v1/businesses/${encodeURIComponent(id)}`),
      api.get(`/api/v1/businesses/${encodeURIComponent(id)}/inspections`).catch(ex => (ex instanceof ApiError && ex.status === 403 ? { items: [] } : Promise.reject(ex))),
    ]);
    if (panel.dataset.id !== id) return;
    const pt = state.points.find(f => String(f.id) === id);
    const status = pt ? pt.properties.status : "";
    const items = (hist.items || []).slice().sort((a, c) => String(c.finished_at || c.started_at).localeCompare(String(a.finished_at || a.started_at)));
    panel.replaceChildren(
      detailsHead(b.name),
      h("p", { class: "details-cat" }, t.category(b.category)),
      status ? h("p", { class: "details-status" }, h("span", { class: "dot " + status }), " ", h("strong", { id: "details-status" }, t.status(status))) : null,
      h("dl", { class: "facts" },
        fact(t.t("address"), b.address || "–"),
        fact(t.t("owner"), b.owner_name || "–"),
        fact(t.t("licence"), b.licence_no || "–"),
        fact(t.t("lastInspected"), b.last_inspected_on ? t.date(b.last_inspected_on) : t.t("never"))),
      h("h3", {}, t.t("history")),
      items.length ? h("ol", { class: "history" }, items.map(i => h("li", { class: "outcome-" + i.outcome },
        h("span", { class: "h-date" }, t.date((i.finished_at || i.started_at || "").slice(0, 10))),
        h("span", { class: "h-outcome" }, t.outcome(i.outcome)),
        i.findings && i.findings.length ? h("ul", { class: "findings" }, i.findings.map(f => h("li", {}, t.violation(f.code)))) : null)))
        : h("p", { class: "muted" }, t.t("noHistory")),
    );
  } catch (ex) {
    if (ex instanceof SessionEnded) return;
    panel.replaceChildren(detailsHead(t.t("errorPrefix")), h("p", { class: "error" }, ex.message));
  }
}

function detailsHead(title) {
  return h("div", { class: "details-head" },
    h("h2", { id: "details-title" }, title),
    h("button", { type: "button", class: "icon", "aria-label": t.t("close"), title: t.t("close"), onclick: closeDetails }, "×"));
}

function fact(k, v) { return h("div", {}, h("dt", {}, k), h("dd", {}, v)); }

// closeDetails closes the business panel and gives the keyboard focus back to the map.
function closeDetails() {
  const panel = $("#details");
  if (panel.hidden) return false;
  const id = state.picked;
  panel.hidden = true;
  delete panel.dataset.id;
  state.picked = "";
  renderMap();
  const pt = id && $(`#map circle[data-id="${CSS.escape(id)}"]`);
  if (pt && pt.hasAttribute("tabindex")) pt.focus({ preventScroll: true });
  else if (pt) map.focusArea(pt.dataset.area);
  return true;
}

// ---------- reports ----------

// The reports panel (reports.js) is told what the dashboard shows: the programmes, the one on
// screen and the caller's jurisdiction.
let reports = null;

function reportsPanel() {
  if (!reports) reports = new ReportsPanel($("#reports-panel"), $("#reports-body"), { api, i18n, fail, programmeLabel });
  reports.setContext({ programmes: state.programmes, programme: state.programme, jurisdiction: state.me && state.me.jurisdiction ? state.me.jurisdiction.code : "" });
  return reports;
}

function loadArchive() { reportsPanel().load(); }

function renderReports() { reportsPanel().render(); }

// ---------- yearly plans ----------

// The plans panel (plans.js) follows the programme on screen; planners and admins act on a plan
// in the office app's plans desk, which it links.
let plans = null;

function renderPlans() {
  if (!plans) plans = new PlansPanel($("#plans-body"), { api, i18n, fail });
  const user = (state.me && state.me.user) || api.user;
  plans.setContext({ programme: currentProgramme(), canEdit: !!user && ["planner", "admin"].includes(user.role) });
  plans.render();
}

// ---------- the plan's targets ----------

// The targets panel (targets.js) follows the programme, year and unit on screen.
let targets = null;

function renderTargets() {
  if (!targets) targets = new TargetsPanel($("#targets-panel"), $("#targets-body"), { api, i18n, fail });
  const user = (state.me && state.me.user) || api.user;
  targets.setContext({ programme: currentProgramme(), year: state.cov.year, area: state.selected || state.rootCode, root: state.rootCode,
    canOpen: !!user && ["planner", "admin", "reporting_officer"].includes(user.role) });
  targets.render();
}

// ---------- interactions ----------

function selectArea(code) {
  if (!code) code = state.rootCode;
  closeDetails();
  state.selected = code;
  // Open a top row of the table when a unit in it is chosen, or when it is.
  for (let c = code; c && c !== state.rootCode; c = state.parentOf.get(c)) {
    if (state.cov.rows.some(r => r.area_code === c) && leafRows().length) state.expanded.add(c);
  }
  renderBreadcrumb();
  renderMap();
  renderKpis();
  renderTableView();
  renderBurndown();
  loadBurndown();
  map.focusArea(code);
}

function upOneLevel() {
  if (state.selected === state.rootCode) return;
  const parent = state.parentOf.get(state.selected);
  selectArea(parent || state.rootCode);
}

function fail(ex) {
  if (ex instanceof SessionEnded) return;
  const b = $("#banner");
  b.replaceChildren(h("span", {}, `${t.t("errorPrefix")}: ${ex.message}`), " ",
    h("button", { type: "button", class: "secondary", onclick: () => { hideBanner(); loadFigures(); } }, t.t("retry")));
  b.hidden = false;
}

function hideBanner() { $("#banner").hidden = true; }

function wire() {
  bindSignIn(api, () => ({ signIn: t.t("signIn"), signingIn: t.t("signingIn"), locale: i18n.locale }), showApp);
  $("#filters").addEventListener("submit", e => e.preventDefault());
  for (const b of document.querySelectorAll(".lang-switch")) {
    b.addEventListener("click", () => {
      i18n.set(i18n.lang === "vi" ? "en" : "vi");
      applyStaticTexts();
      if (!$("#app-view").hidden) {
        renderUser();
        renderAll();
      }
    });
  }
  $("#logout").addEventListener("click", async () => {
    await api.logout();
    // A fresh page forgets everything the last user saw.
    location.reload();
  });
  $("#programme").addEventListener("change", e => {
    state.programme = e.target.value;
    const p = currentProgramme();
    const nowYear = state.today ? Number(state.today.slice(0, 4)) : new Date().getFullYear();
    if (p) state.year = Math.max(Number(p.starts_on.slice(0, 4)), Math.min(Number(p.ends_on.slice(0, 4)), nowYear));
    loadFigures();
  });
  $("#year").addEventListener("change", e => { state.year = Number(e.target.value); loadFigures(); });
  $("#category").addEventListener("change", e => { state.category = e.target.value; loadFigures(); });
  $("#metric-coverage").addEventListener("click", () => { state.metric = "coverage"; renderToolbar(); renderMap(); });
  $("#metric-progress").addEventListener("click", () => { state.metric = "progress"; renderToolbar(); renderMap(); });
  $("#show-points").addEventListener("change", e => { state.showPoints = e.target.checked; renderMap(); });
  $("#up").addEventListener("click", upOneLevel);
  document.addEventListener("keydown", e => {
    if (e.key !== "Escape" || $("#app-view").hidden) return;
    if (closeDetails()) return;
    const target = /** @type {Element} */ (e.target);
    if (target.closest && target.closest("#map")) upOneLevel();
  });
  // The chart is drawn at its box's width: draw it again when the width changes.
  let resizeTimer = 0, chartWidth = 0;
  new ResizeObserver(entries => {
    const w = Math.round(entries[0].contentRect.width);
    if (w === chartWidth) return;
    chartWidth = w;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(renderBurndown, 100);
  }).observe($("#burndown"));
  api.onSessionEnded = () => showLogin(t.t("sessionEnded"));
}

wire();
applyStaticTexts();
if (api.signedIn) showApp().catch(fail);
else showLogin("");
