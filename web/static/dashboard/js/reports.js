// @ts-check
// The reports panel: a report of any period of any programme, for the caller's area or a unit in
// it, downloaded as a workbook or a CSV file; and the reports the server kept when their periods
// closed, filtered by programme, period and unit, a page at a time. The server is the source of
// what can be chosen: a programme's periods (GET /reports/periods), the units of a period (the
// area tree of the day its report lists, GET /areas) and the units that have kept reports (the
// archive's areas).

import { ApiError, SessionEnded, query } from "../../shared/js/api.js";
import { h } from "../../shared/js/dom.js";

/**
 * @typedef {{period: string, kind: string, name: string, name_en: string, start: string, end: string, units_on: string, closed: boolean}} PeriodInfo
 * @typedef {{id?: string, code: string, name?: string, starts_on?: string, ends_on?: string}} Programme
 * @typedef {{code: string, gso_code: string, name: string, level: string, depth: number}} Unit
 * @typedef {{id: number, period: string, area_code: string, area_gso_code: string, area_name: string, programme_id: string, format: string, file_name: string, generated_at: string, size_bytes: number}} KeptFile
 * @typedef {{items: KeptFile[], total: number, limit: number, offset: number, next_offset: number | null, areas?: {code: string, gso_code: string, name: string, level: string}[]}} ArchivePage
 * @typedef {{programmes: Programme[], programme: string, jurisdiction: string}} ReportsContext
 * @typedef {{api: import("../../shared/js/api.js").Api, i18n: import("./i18n.js").I18n, fail: (ex: any) => void, programmeLabel: (p: Programme) => string}} ReportsDeps
 */

// The page sizes offered for the kept reports; the API allows up to 500.
export const PAGE_SIZES = [10, 20, 50, 100];
const FORMATS = ["xlsx", "csv"];

export class ReportsPanel {
  /**
   * @param {HTMLElement} panel the panel's section, hidden while the server keeps no archive
   * @param {HTMLElement} body where the panel draws
   * @param {ReportsDeps} deps
   */
  constructor(panel, body, deps) {
    this.panel = panel;
    this.body = body;
    this.api = deps.api;
    this.t = deps.i18n;
    this.fail = deps.fail;
    this.programmeLabel = deps.programmeLabel;
    /** @type {ReportsContext} */
    this.ctx = { programmes: [], programme: "", jurisdiction: "" };
    // The report to make; its programme follows the dashboard's until one is chosen here.
    this.make = { programme: "", period: "", area: "", format: "xlsx", followDashboard: true };
    // The archive's filters and page.
    this.filter = { programme: "", period: "", area: "", offset: 0, limit: 50 };
    /** @type {Map<string, PeriodInfo[] | {error: string}>} programme code -> its periods */
    this.periods = new Map();
    /** @type {Map<string, Unit[] | {error: string}>} "root|day" -> the units of that day */
    this.units = new Map();
    /** @type {ArchivePage | null} */
    this.archive = null;
    this.archiveError = "";
    this.archiveLoading = false;
    this.archiveSeq = 0;
    /** @type {HTMLElement | null} */
    this.makeBox = null;
    /** @type {HTMLElement | null} */
    this.archiveBox = null;
    /** @type {{state: string, programme?: string, period?: string, error?: string}} the last download's state */
    this.status = { state: "" };
  }

  // setContext takes what the dashboard shows: the programmes, the programme on screen (by
  // code) and the caller's jurisdiction (its area code); it loads what a change needs.
  /** @param {ReportsContext} ctx */
  setContext(ctx) {
    this.ctx = ctx;
    if (this.make.followDashboard && ctx.programme && ctx.programme !== this.make.programme) {
      this.make.programme = ctx.programme;
      this.make.period = "";
      this.make.area = "";
      this.loadMakeChoices();
    }
  }

  // load reads the first page of the archive (the panel stays hidden on a server without one).
  load() {
    this.loadArchive();
  }

  /** @param {string} code */
  programme(code) {
    return this.ctx.programmes.find(p => p.code === code || p.id === code) || null;
  }

  // ---------- what can be chosen ----------

  /** @param {string} code @returns {Promise<PeriodInfo[]>} */
  async periodsOf(code) {
    const have = this.periods.get(code);
    if (Array.isArray(have)) return have;
    try {
      const r = await this.api.get("/api/v1/reports/periods" + query({ programme: code }));
      this.periods.set(code, r.items || []);
    } catch (ex) {
      if (ex instanceof SessionEnded) throw ex;
      this.periods.set(code, { error: ex.message });
    }
    const got = this.periods.get(code);
    return Array.isArray(got) ? got : [];
  }

  // unitsOn lists the caller's area and the units under it (two levels) in force on day.
  /** @param {string} day @returns {Promise<Unit[]>} */
  async unitsOn(day) {
    const root = this.ctx.jurisdiction;
    const key = `${root}|${day}`;
    const have = this.units.get(key);
    if (Array.isArray(have)) return have;
    /** @type {Unit[]} */
    const out = [];
    try {
      const r = await this.api.get("/api/v1/areas" + query({ on: day, under: root }));
      const walk = (nodes, depth) => {
        for (const n of nodes || []) {
          out.push({ code: n.code, gso_code: n.gso_code || n.code, name: n.name, level: n.level, depth });
          if (depth < 2) walk(n.children, depth + 1);
        }
      };
      walk(r.items, 0);
      this.units.set(key, out);
    } catch (ex) {
      if (ex instanceof SessionEnded) throw ex;
      this.units.set(key, { error: ex.message });
    }
    return out;
  }

  // loadMakeChoices loads the periods of the report's programme and the units of its period.
  async loadMakeChoices() {
    const prog = this.make.programme;
    try {
      const periods = await this.periodsOf(prog);
      if (prog !== this.make.programme) return;
      if (!periods.some(p => p.period === this.make.period)) this.make.period = periods.length ? periods[0].period : "";
      this.render("make");
      const per = periods.find(p => p.period === this.make.period);
      if (per && this.ctx.jurisdiction) {
        const units = await this.unitsOn(per.units_on);
        if (prog !== this.make.programme || per.period !== this.make.period) return;
        if (!units.some(u => u.gso_code === this.make.area)) this.make.area = "";
      }
    } catch (ex) {
      if (ex instanceof SessionEnded) return;
      this.fail(ex);
    }
    this.render("make");
  }

  // loadArchive reads the archive's page under the filters.
  async loadArchive() {
    const seq = ++this.archiveSeq;
    const f = this.filter;
    this.archiveLoading = true;
    if (this.archive) this.render("archive");
    try {
      const page = await this.api.getOptional("/api/v1/reports/archive" + query({
        programme: f.programme, period: f.period, area: f.area, limit: f.limit, offset: f.offset || "",
      }));
      if (seq !== this.archiveSeq) return;
      this.archive = page;
      this.archiveError = "";
    } catch (ex) {
      if (ex instanceof SessionEnded || seq !== this.archiveSeq) return;
      // A filter the server refuses (a unit that is no longer visible) shows why, in the list.
      this.archiveError = ex instanceof ApiError ? ex.message : String(ex);
    }
    this.archiveLoading = false;
    this.render("archive");
  }

  // ---------- actions ----------

  async download() {
    const m = this.make;
    if (!m.period) return;
    const name = `bao-cao-kiem-tra_${m.period}.${m.format}`;
    const asked = { programme: m.programme, period: m.period };
    this.status = { state: "loading", ...asked };
    this.render("make");
    try {
      await this.api.download("/api/v1/reports" + query({ period: m.period, programme: m.programme, area: m.area, format: m.format }), name);
      this.status = { state: "done", ...asked };
    } catch (ex) {
      if (ex instanceof SessionEnded) return;
      this.status = { state: "error", ...asked, error: ex.message };
    }
    this.render("make");
  }

  // statusText says where the last download stands, in the page's language.
  statusText() {
    const st = this.status, t = this.t;
    if (st.state === "loading") return t.t("reportMaking");
    if (st.state === "error") return `${t.t("errorPrefix")}: ${st.error}`;
    if (st.state !== "done") return "";
    const p = this.findPeriod(st.programme, st.period);
    // Within a sentence: "năm 2023", "quý III năm 2023"; "year 2023".
    const named = !p ? st.period : t.lang === "vi" ? p.name.charAt(0).toLocaleLowerCase(t.locale) + p.name.slice(1) : p.name_en;
    return t.t("reportDownloaded", { period: named });
  }

  /** @param {Partial<typeof this.filter>} change */
  setFilter(change) {
    Object.assign(this.filter, change);
    if (!("offset" in change)) this.filter.offset = 0;
    this.loadArchive();
    const code = this.filter.programme;
    if (code && !this.periods.has(code)) this.periodsOf(code).then(() => this.render("archive"), ex => ex instanceof SessionEnded || this.fail(ex));
  }

  // ---------- drawing ----------

  /** @param {string} prog @param {string} period */
  findPeriod(prog, period) {
    const ps = this.periods.get(prog);
    return Array.isArray(ps) ? ps.find(p => p.period === period) || null : null;
  }

  /** @param {PeriodInfo | null} p */
  periodName(p) {
    if (!p) return "";
    const name = this.t.lang === "vi" ? p.name : p.name_en;
    return name.charAt(0).toLocaleUpperCase(this.t.locale) + name.slice(1);
  }

  programmeOptions(selected, withAll) {
    const progs = this.ctx.programmes.slice().sort((a, b) => String(b.starts_on || "").localeCompare(String(a.starts_on || "")));
    const opts = progs.map(p => h("option", { value: p.code, selected: p.code === selected, title: p.name || p.code }, this.programmeLabel(p)));
    return withAll ? [h("option", { value: "" }, this.t.t("allProgrammes")), ...opts] : opts;
  }

  // render draws the panel; part names one of its two halves ("make" or "archive") when only
  // that one changed, so that a choice being made in the other is not drawn away under the user.
  /** @param {"make" | "archive" | ""} [part] */
  render(part = "") {
    if (!this.archive && !this.archiveError) {
      this.panel.hidden = true;
      return;
    }
    this.panel.hidden = false;
    if (!this.makeBox || !this.body.contains(this.makeBox)) {
      this.makeBox = h("div", { class: "report-make" });
      this.archiveBox = h("div", { class: "report-archive" });
      this.body.replaceChildren(this.makeBox, this.archiveBox);
      part = "";
    }
    // The keyboard stays where it was.
    const focused = document.activeElement && this.body.contains(document.activeElement) ? document.activeElement.id : "";
    if (part !== "archive") this.makeBox.replaceChildren(...this.renderMake());
    if (part !== "make") {
      this.archiveBox.setAttribute("aria-busy", String(this.archiveLoading));
      this.archiveBox.replaceChildren(...this.renderArchive());
    }
    if (focused) {
      const el = document.getElementById(focused);
      if (el && !(/** @type {HTMLButtonElement} */ (el).disabled)) el.focus();
    }
  }

  renderMake() {
    const t = this.t, m = this.make;
    const periods = this.periods.get(m.programme);
    const per = this.findPeriod(m.programme, m.period);
    const units = per ? this.units.get(`${this.ctx.jurisdiction}|${per.units_on}`) : null;
    const progSel = h("select", {
      id: "report-programme", onchange: e => {
        m.programme = e.target.value;
        m.followDashboard = false;
        m.period = "";
        m.area = "";
        this.loadMakeChoices();
      },
    }, this.programmeOptions(m.programme, false));
    const periodSel = h("select", {
      id: "report-period", disabled: !Array.isArray(periods) || !periods.length, onchange: e => {
        m.period = e.target.value;
        this.loadMakeChoices();
      },
    }, Array.isArray(periods)
      ? periods.map(p => h("option", { value: p.period, selected: p.period === m.period, "data-closed": String(p.closed) },
        `${this.periodName(p)}${p.closed ? "" : ` (${t.t("reportToDate")})`}`))
      : [h("option", { value: "" }, periods ? periods.error : t.t("loadingDetails"))]);
    const unitList = Array.isArray(units) ? units : [];
    const areaSel = h("select", { id: "report-area", onchange: e => { m.area = e.target.value; } },
      unitList.length
        ? unitList.map((u, i) => h("option", { value: i === 0 ? "" : u.gso_code, selected: i === 0 ? !m.area : u.gso_code === m.area, "data-level": u.level },
          i === 0 ? t.t("reportWholeArea", { name: u.name }) : "\u00a0\u00a0".repeat(u.depth) + u.name))
        : [h("option", { value: "" }, t.t("reportWholeArea", { name: t.t("reportYourArea") }))]);
    const formatSel = h("select", { id: "report-format", onchange: e => { m.format = e.target.value; } },
      FORMATS.map(f => h("option", { value: f, selected: f === m.format }, f.toUpperCase())));
    const busy = this.status.state === "loading";
    return [
      h("h3", {}, t.t("reportMakeTitle")),
      h("p", { class: "muted" }, t.t("reportMakeIntro")),
      h("form", {
        class: "report-form", id: "report-form", onsubmit: e => {
          e.preventDefault();
          this.download();
        },
      },
      h("label", {}, t.t("programme"), progSel),
      h("label", {}, t.t("reportPeriod"), periodSel),
      h("label", { class: "wide" }, t.t("reportArea"), areaSel),
      h("label", {}, t.t("reportFormat"), formatSel),
      h("button", { type: "submit", id: "report-download", disabled: busy || !m.period }, t.t("makeReport"))),
      h("p", { id: "report-status", class: "report-status " + this.status.state, "data-state": this.status.state, role: "status", hidden: !this.status.state }, this.statusText())];
  }

  renderArchive() {
    const t = this.t, f = this.filter, a = this.archive;
    const periods = f.programme ? this.periods.get(f.programme) : null;
    const progSel = h("select", { id: "archive-programme", onchange: e => this.setFilter({ programme: e.target.value, period: "" }) },
      this.programmeOptions(f.programme, true));
    const periodSel = h("select", { id: "archive-period", disabled: !Array.isArray(periods), title: f.programme ? "" : t.t("archiveChooseProgramme"), onchange: e => this.setFilter({ period: e.target.value }) },
      h("option", { value: "" }, t.t("allPeriods")),
      Array.isArray(periods) ? periods.filter(p => p.closed).map(p => h("option", { value: p.period, selected: p.period === f.period }, this.periodName(p))) : null);
    const areas = (a && a.areas) || [];
    const areaSel = h("select", { id: "archive-area", onchange: e => this.setFilter({ area: e.target.value }) },
      h("option", { value: "" }, t.t("allUnits")),
      areas.map(u => h("option", { value: u.code, selected: u.code === f.area, "data-level": u.level }, u.name || u.gso_code)),
      // A unit chosen before the other filters left it without reports stays choosable.
      f.area && !areas.some(u => u.code === f.area) ? h("option", { value: f.area, selected: true }, f.area) : null);
    const sizeSel = h("select", { id: "archive-limit", onchange: e => this.setFilter({ limit: Number(e.target.value) }) },
      PAGE_SIZES.map(n => h("option", { value: n, selected: n === f.limit }, t.num(n))));
    const filters = h("form", { class: "report-form archive-filters", id: "archive-filters", onsubmit: e => e.preventDefault() },
      h("label", {}, t.t("programme"), progSel),
      h("label", {}, t.t("reportPeriod"), periodSel),
      h("label", { class: "wide" }, t.t("reportArea"), areaSel),
      h("label", {}, t.t("pageSize"), sizeSel));

    let list;
    if (this.archiveError) list = h("p", { class: "error", id: "archive-error" }, this.archiveError);
    else if (!a.items.length) list = h("p", { class: "muted", id: "archive-empty" }, a.total || f.programme || f.period || f.area ? t.t("noReportsMatch") : t.t("noReports"));
    else list = this.renderList(a.items);
    return [
      h("h3", {}, t.t("reportArchiveTitle")),
      h("p", { class: "muted" }, t.t("reportsIntro")),
      filters, list, a && !this.archiveError ? this.renderPager(a) : null].filter(Boolean);
  }

  /** @param {KeptFile[]} items */
  renderList(items) {
    const t = this.t;
    // One line per kept report (programme, period, unit), with a download per format (the job
    // keeps a workbook and a CSV file of the same figures); the page's order, newest first.
    const groups = new Map();
    for (const r of items) {
      const key = [r.programme_id, r.period, r.area_code].join("|");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r);
    }
    const fileButton = r => h("button", {
      type: "button", class: "secondary small", title: r.file_name, "data-file": r.file_name,
      "aria-label": `${t.t("download")} ${r.file_name} (${t.bytes(r.size_bytes)})`,
      onclick: () => this.api.download(`/api/v1/reports/archive/${encodeURIComponent(r.id)}`, r.file_name).catch(this.fail),
    }, `${String(r.format || "").toUpperCase()} · ${t.bytes(r.size_bytes)}`);
    const heads = [t.t("reportPeriod"), t.t("programme"), t.t("reportArea"), t.t("reportGenerated"), t.t("reportFiles")];
    return h("table", { class: "reports", id: "archive-list" },
      h("thead", {}, h("tr", {}, heads.map(x => h("th", { scope: "col" }, x)))),
      h("tbody", {}, [...groups.values()].map(files => {
        const r = files[0];
        files.sort((x, y) => String(y.format).localeCompare(String(x.format))); // the workbook first
        const prog = this.programme(r.programme_id);
        return h("tr", { "data-period": r.period, "data-area": r.area_gso_code || r.area_code },
          h("td", { "data-label": heads[0] }, h("span", { title: this.periodName(this.findPeriod(prog ? prog.code : "", r.period)) }, r.period)),
          h("td", { "data-label": heads[1] }, prog ? this.programmeLabel(prog) : r.programme_id),
          h("td", { "data-label": heads[2] }, r.area_name || r.area_gso_code || r.area_code || ""),
          h("td", { "data-label": heads[3] }, t.dateTime(r.generated_at)),
          h("td", { "data-label": heads[4], class: "files" }, files.map(fileButton)));
      })));
  }

  /** @param {ArchivePage} a */
  renderPager(a) {
    const t = this.t;
    if (!a.total) return null;
    const from = a.offset + 1, to = a.offset + a.items.length;
    const prev = Math.max(0, a.offset - a.limit);
    return h("nav", { class: "pager", "aria-label": t.t("archivePages") },
      h("button", { type: "button", class: "secondary small", id: "archive-prev", disabled: a.offset === 0, onclick: () => this.setFilter({ offset: prev }) }, "‹ " + t.t("pagePrev")),
      h("span", { id: "archive-range", "aria-live": "polite" }, a.items.length ? t.t("pageRange", { from: t.num(from), to: t.num(to), total: t.num(a.total) }) : t.t("pageRangeNone", { total: t.num(a.total) })),
      h("button", { type: "button", class: "secondary small", id: "archive-next", disabled: a.next_offset == null, onclick: () => this.setFilter({ offset: a.next_offset }) }, t.t("pageNext") + " ›"));
  }
}
