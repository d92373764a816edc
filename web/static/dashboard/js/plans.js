// @ts-check
// The yearly plans panel: the plans of the programme on screen, each year's drafts with their
// status, public draw and public verification page. Planners and admins draft, draw, approve
// and reveal in the office app's plans desk (/office/#/plans), where the figures are read in
// full; the panel links each plan there.

import { SessionEnded } from "../../shared/js/api.js";
import { h } from "../../shared/js/dom.js";

/**
 * @typedef {{year: number, total: number, must_cover: number, reinspections: number, feasible: boolean, shortfall: number}} PlanFigures
 * @typedef {{id: string, year: number, status: string, attempt: number, reason: string, seed_source: string, draw_source: string, draw_date: string | null, draw_result: string, feasible: boolean, shortfall: number, created_at: string, figures: PlanFigures | null}} Plan
 * @typedef {{id?: string, code: string, starts_on?: string, ends_on?: string}} Programme
 * @typedef {{programme: Programme | null, canEdit: boolean}} PlansContext
 * @typedef {{api: import("../../shared/js/api.js").Api, i18n: import("./i18n.js").I18n, fail: (ex: any) => void}} PlansDeps
 */

// The statuses in the order a plan goes through them.
const STATUSES = ["committed", "draft", "approved", "superseded"];

export class PlansPanel {
  /**
   * @param {HTMLElement} body where the panel draws
   * @param {PlansDeps} deps
   */
  constructor(body, deps) {
    this.body = body;
    this.api = deps.api;
    this.t = deps.i18n;
    this.fail = deps.fail;
    /** @type {PlansContext} */
    this.ctx = { programme: null, canEdit: false };
    /** @type {Plan[] | null} */
    this.plans = null;
    this.loadError = "";
    this.seq = 0;
  }

  /** @param {PlansContext} ctx */
  setContext(ctx) {
    const changed = (ctx.programme && ctx.programme.code) !== (this.ctx.programme && this.ctx.programme.code);
    this.ctx = ctx;
    if (changed) {
      this.plans = null;
      this.load();
    }
  }

  async load() {
    const prog = this.ctx.programme;
    const seq = ++this.seq;
    if (!prog) {
      this.plans = [];
      this.render();
      return;
    }
    try {
      const r = await this.api.get(`/api/v1/programmes/${encodeURIComponent(prog.code)}/plans`);
      if (seq !== this.seq) return;
      this.plans = r.items || [];
      this.loadError = "";
    } catch (ex) {
      if (ex instanceof SessionEnded) return this.fail(ex);
      if (seq !== this.seq) return;
      this.plans = [];
      this.loadError = ex.message;
    }
    this.render();
  }

  /** @param {string} key @param {Record<string, any>} [vars] */
  tr(key, vars) { return this.t.t(key, vars); }

  render() {
    const b = this.body;
    b.replaceChildren();
    if (this.plans === null) {
      b.append(h("p", { class: "note" }, this.tr("loading")));
      return;
    }
    if (this.loadError) b.append(h("p", { class: "error", role: "alert" }, this.loadError));
    b.append(h("p", { class: "muted intro" }, this.tr("plansIntro")));
    b.append(this.table());
    const prog = this.ctx.programme;
    if (this.ctx.canEdit && prog) {
      b.append(h("p", { class: "plans-office" },
        h("a", { class: "button", id: "plans-office-link", href: `/office/#/plans?programme=${encodeURIComponent(prog.code)}` }, this.tr("plansInOffice"))));
    }
  }

  table() {
    const plans = [...(this.plans || [])].sort((a, b) => b.year - a.year || (b.attempt || 0) - (a.attempt || 0));
    if (!plans.length) return h("p", { class: "note", id: "plans-empty" }, this.tr("plansNone"));
    const cols = ["plansYear", "plansAttempt", "plansStatus", "plansDraw", "plansSelected", "plansFits", "plansVerify"];
    if (this.ctx.canEdit) cols.push("plansOpen");
    const head = h("tr", {}, ...cols.map(k => h("th", { scope: "col" }, this.tr(k))));
    const rows = plans.map(p => {
      const f = p.figures;
      const draw = p.seed_source === "lottery"
        ? [this.t.date(p.draw_date || ""), p.draw_result ? h("b", {}, " " + p.draw_result) : h("span", { class: "muted" }, " " + this.tr("plansDrawWaiting"))]
        : [h("span", { class: "muted" }, this.tr("plansServerSeed"))];
      const fits = !f ? "–" : p.feasible ? this.tr("plansFitsYes") : this.tr("plansFitsNo", { n: this.t.num(p.shortfall) });
      return h("tr", { class: p.status === "superseded" ? "superseded" : "", dataset: { plan: p.id, status: p.status } },
        h("td", {}, String(p.year)),
        h("td", {}, String(p.attempt || 1), p.reason ? h("small", { class: "reason" }, " " + p.reason) : null),
        h("td", {}, this.tr("planStatus_" + (STATUSES.includes(p.status) ? p.status : "other"))),
        h("td", {}, ...draw),
        h("td", { class: "num" }, f ? this.t.num(f.total) + (p.status === "committed" ? " " + this.tr("plansPreview") : "") : "–"),
        h("td", {}, fits),
        h("td", {}, h("a", { href: `/verify/${encodeURIComponent(p.id)}${this.t.lang === "en" ? "?lang=en" : ""}`, target: "_blank", rel: "noopener" }, this.tr("plansVerifyLink"))),
        this.ctx.canEdit ? h("td", {}, h("a", { class: "plans-open", href: `/office/#/plans/${encodeURIComponent(p.id)}` }, this.tr(p.status === "committed" || p.status === "draft" ? "plansOpenAct" : "plansOpenRead"))) : null);
    });
    return h("div", { class: "table-wrap" }, h("table", { class: "plans", id: "plans-table" }, h("thead", {}, head), h("tbody", {}, ...rows)));
  }
}
