// @ts-check
// The plan's targets panel: every indicator of the programme on screen against its target for
// the year on screen, in the unit on screen when the indicators are measured there, with the
// earlier years beside it (across the 2025 reorganisation, the former units' figures). The
// office app's targets desk (/office/#/indicators) holds the figures, their review and the
// periodic report; the panel links it.

import { ApiError, SessionEnded, query } from "../../shared/js/api.js";
import { h } from "../../shared/js/dom.js";

/**
 * @typedef {{code: string, name_vi: string, name_en: string, kind: string, target_min: number, target_max?: number, source: string}} Indicator
 * @typedef {{numerator?: number | null, denominator?: number | null, value?: number | null, change?: number | null, met?: boolean | null}} Figure
 * @typedef {{indicator: Indicator, total: Figure, submitted: number, expected: number, trend: (Figure & {period: string})[]}} Row
 * @typedef {{period: string, rows: Row[], area_name?: string}} Progress
 * @typedef {{programme: {code: string} | null, year: number, area: string, root: string, canOpen: boolean}} TargetsContext
 * @typedef {{api: import("../../shared/js/api.js").Api, i18n: import("./i18n.js").I18n, fail: (ex: any) => void}} TargetsDeps
 */

export class TargetsPanel {
  /**
   * @param {HTMLElement} panel the section, hidden from those who may not read the targets
   * @param {HTMLElement} body where the panel draws
   * @param {TargetsDeps} deps
   */
  constructor(panel, body, deps) {
    this.panel = panel;
    this.body = body;
    this.api = deps.api;
    this.t = deps.i18n;
    this.fail = deps.fail;
    /** @type {TargetsContext} */
    this.ctx = { programme: null, year: 0, area: "", root: "", canOpen: false };
    /** @type {Progress | null} */
    this.progress = null;
    this.error = "";
    this.key = "";
    this.seq = 0;
  }

  /** @param {TargetsContext} ctx */
  setContext(ctx) {
    this.ctx = ctx;
    const key = `${ctx.programme ? ctx.programme.code : ""}|${ctx.year}|${ctx.area}`;
    if (key !== this.key) {
      this.key = key;
      this.progress = null;
      this.load();
    }
  }

  async load() {
    const prog = this.ctx.programme;
    const seq = ++this.seq;
    if (!prog || !this.ctx.year) return;
    // The unit on screen when it is one of the programme's local units; the city otherwise.
    const area = this.ctx.area && this.ctx.area !== this.ctx.root ? this.ctx.area : "";
    try {
      let p;
      try {
        p = await this.api.get("/api/v1/indicators/progress" + query({ programme: prog.code, period: String(this.ctx.year), area }));
      } catch (ex) {
        // A unit the targets are not measured in (a district of the old city): the city's.
        if (!area || !(ex instanceof ApiError) || ex.status !== 400) throw ex;
        p = await this.api.get("/api/v1/indicators/progress" + query({ programme: prog.code, period: String(this.ctx.year) }));
      }
      if (seq !== this.seq) return;
      this.progress = p;
      this.error = "";
      this.panel.hidden = false;
    } catch (ex) {
      if (ex instanceof SessionEnded) return this.fail(ex);
      if (seq !== this.seq) return;
      // Roles that do not read the targets (inspectors, tip officers) do not see the panel.
      if (ex instanceof ApiError && ex.status === 403) {
        this.panel.hidden = true;
        return;
      }
      this.progress = { period: String(this.ctx.year), rows: [] };
      this.error = ex.message;
    }
    this.render();
  }

  /** @param {string} key @param {Record<string, any>} [vars] */
  tr(key, vars) { return this.t.t(key, vars); }

  /** @param {Indicator} ind */
  target(ind) {
    if (ind.kind === "share") return `≥ ${this.t.pct(ind.target_min, 0)}`;
    if (ind.kind === "change") {
      return ind.target_max ? this.tr("targetsChange", { a: this.t.pct(ind.target_min, 0), b: this.t.pct(ind.target_max, 0) })
        : this.tr("targetsChangeMin", { a: this.t.pct(ind.target_min, 0) });
    }
    return `≥ ${this.t.num(ind.target_min)}`;
  }

  /** @param {Indicator} ind @param {Figure} f */
  figure(ind, f) {
    if (ind.kind === "share") return f.numerator == null || !f.denominator ? "–" : this.t.pct(f.numerator / f.denominator);
    if (ind.kind === "change") {
      if (f.change == null) return f.value == null ? "–" : this.t.num(f.value);
      return `${this.t.num(f.value || 0)} (${f.change >= 0 ? "+" : "−"}${this.t.pct(Math.abs(f.change))})`;
    }
    return f.value == null ? "–" : this.t.num(f.value);
  }

  /** @param {string} period "2026", "2026-H1", "2026-Q3" or "2026-10", as people say it */
  period(period) {
    const m = /^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$/.exec(period);
    if (!m) return period;
    const [, y, part] = m;
    if (!part) return y;
    if (part[0] === "H") return this.tr(part === "H1" ? "targetsHalf1" : "targetsHalf2", { y });
    if (part[0] === "Q") return this.tr("targetsQuarter", { q: ["I", "II", "III", "IV"][Number(part[1]) - 1], n: part[1], y });
    return this.tr("targetsMonth", { m: String(Number(part)), y });
  }

  render() {
    const b = this.body;
    if (this.progress === null) {
      b.replaceChildren(h("p", { class: "note" }, this.tr("loading")));
      return;
    }
    const p = this.progress;
    const name = (/** @type {Indicator} */ ind) => (this.t.lang === "en" ? ind.name_en || ind.name_vi : ind.name_vi);
    const rows = p.rows.map(r => {
      const met = r.total.met;
      const earlier = r.trend.filter(x => x.period !== p.period).slice(-3);
      return h("tr", { dataset: { indicator: r.indicator.code, met: met == null ? "" : String(met) } },
        h("th", { scope: "row" }, name(r.indicator)),
        h("td", {}, this.target(r.indicator)),
        h("td", { class: "num" }, this.figure(r.indicator, r.total)),
        h("td", {}, met == null ? h("span", { class: "muted" }, this.tr("targetsNoData"))
          : h("span", { class: met ? "ok" : "warn" }, this.tr(met ? "targetsMet" : "targetsNotMet"))),
        h("td", { class: "trend" }, earlier.map(x => h("span", {}, `${this.period(x.period)}: ${this.figure(r.indicator, x)} `))));
    });
    const met = p.rows.filter(r => r.total.met === true).length;
    b.replaceChildren(...[
      this.error ? h("p", { class: "error", role: "alert" }, this.error) : null,
      h("p", { class: "muted intro", id: "targets-summary" }, this.tr("targetsSummary", { met: this.t.num(met), n: this.t.num(p.rows.length), year: p.period, unit: p.area_name || "" })),
      p.rows.length ? h("div", { class: "table-wrap" }, h("table", { class: "targets", id: "targets-table" },
        h("thead", {}, h("tr", {}, ["targetsIndicator", "targetsTarget", "targetsResult", "targetsAssess", "targetsEarlier"].map(k => h("th", { scope: "col" }, this.tr(k))))),
        h("tbody", {}, ...rows))) : null,
      this.ctx.canOpen ? h("p", {}, h("a", { class: "button", id: "targets-office-link", href: `/office/#/indicators${query({ period: p.period })}` }, this.tr("targetsInOffice"))) : null,
    ].filter(x => x !== null));
  }
}
