// @ts-check
// The yearly plans panel: the plans of the programme on screen, each year's drafts with their
// status, public draw and public verification page; and the planner's three steps, each on the
// server: commit a plan (its inputs and secret, published before its seed exists), enter the
// result of the public draw it named once the draw is held (the seed and the selection follow),
// and approve it. What a plan may do next is the server's answer: a refused step shows the
// server's message beside the form, which keeps what was typed.

import { Api, ApiError, SessionEnded } from "../../shared/js/api.js";
import { h } from "../../shared/js/dom.js";

/**
 * @typedef {{year: number, total: number, must_cover: number, reinspections: number, feasible: boolean, shortfall: number}} PlanFigures
 * @typedef {{id: string, year: number, status: string, attempt: number, reason: string, seed_source: string, draw_source: string, draw_date: string | null, draw_result: string, feasible: boolean, shortfall: number, created_at: string, figures: PlanFigures | null}} Plan
 * @typedef {{id?: string, code: string, starts_on?: string, ends_on?: string}} Programme
 * @typedef {{programme: Programme | null, canEdit: boolean}} PlansContext
 * @typedef {{api: import("../../shared/js/api.js").Api, i18n: import("./i18n.js").I18n, fail: (ex: any) => void, changed: () => void}} PlansDeps
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
    this.changed = deps.changed;
    /** @type {PlansContext} */
    this.ctx = { programme: null, canEdit: false };
    /** @type {Plan[] | null} */
    this.plans = null;
    this.loadError = "";
    this.seq = 0;
    // What the planner typed, kept across a refused request and a redraw.
    this.form = { year: "", drawDate: "", reason: "" };
    /** @type {Map<string, string>} plan id -> the draw result typed */
    this.results = new Map();
    /** @type {Map<string, {error?: string, busy?: boolean, confirm?: boolean}>} "commit" or a plan id -> its state */
    this.states = new Map();
  }

  /** @param {PlansContext} ctx */
  setContext(ctx) {
    const changed = (ctx.programme && ctx.programme.code) !== (this.ctx.programme && this.ctx.programme.code);
    this.ctx = ctx;
    if (changed) {
      this.plans = null;
      this.form = { year: "", drawDate: "", reason: "" };
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

  // years are the programme's years, for the commit form.
  years() {
    const p = this.ctx.programme;
    if (!p || !p.starts_on || !p.ends_on) return [];
    const out = [];
    for (let y = Number(p.starts_on.slice(0, 4)); y <= Number(p.ends_on.slice(0, 4)); y++) out.push(y);
    return out;
  }

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
    if (this.ctx.canEdit) {
      for (const p of this.plans) {
        if (p.status === "committed") b.append(this.drawForm(p));
        if (p.status === "draft") b.append(this.approveForm(p));
      }
      b.append(this.commitForm());
    }
  }

  table() {
    const plans = [...(this.plans || [])].sort((a, b) => b.year - a.year || (b.attempt || 0) - (a.attempt || 0));
    if (!plans.length) return h("p", { class: "note", id: "plans-empty" }, this.tr("plansNone"));
    const head = h("tr", {}, ...["plansYear", "plansAttempt", "plansStatus", "plansDraw", "plansSelected", "plansFits", "plansVerify"].map(k => h("th", { scope: "col" }, this.tr(k))));
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
        h("td", {}, h("a", { href: `/verify/${encodeURIComponent(p.id)}${this.t.lang === "en" ? "?lang=en" : ""}`, target: "_blank", rel: "noopener" }, this.tr("plansVerifyLink"))));
    });
    return h("div", { class: "table-wrap" }, h("table", { class: "plans", id: "plans-table" }, h("thead", {}, head), h("tbody", {}, ...rows)));
  }

  /** @param {string} key */
  stateOf(key) { return this.states.get(key) || {}; }

  /** @param {string} key @param {HTMLElement} form */
  errorOf(key, form) {
    const st = this.stateOf(key);
    if (st.error) form.append(h("p", { class: "error", role: "alert" }, st.error));
  }

  // run sends one step and redraws with its outcome; a refused step keeps the form as typed.
  /** @param {string} key @param {() => Promise<void>} step */
  async run(key, step) {
    this.states.set(key, { busy: true });
    this.render();
    try {
      await step();
      this.states.delete(key);
      await this.load();
      this.changed();
    } catch (ex) {
      if (ex instanceof SessionEnded) return this.fail(ex);
      this.states.set(key, { error: ex instanceof ApiError ? ex.message : String(ex) });
      this.render();
    }
  }

  /** @param {string} method @param {string} path @param {any} body */
  async send(method, path, body) {
    const resp = await this.api.request(method, path, body);
    if (!resp.ok) throw await Api.error(resp);
    return resp.json();
  }

  /** @param {Plan} p */
  drawForm(p) {
    const id = `draw-${p.id}`;
    const input = h("input", { id, name: "result", inputmode: "numeric", autocomplete: "off", maxlength: 11, required: true, value: this.results.get(p.id) || "",
      oninput: (/** @type {Event} */ e) => this.results.set(p.id, /** @type {HTMLInputElement} */ (e.target).value) });
    const st = this.stateOf(p.id);
    const form = h("form", { class: "plan-step", dataset: { step: "draw", plan: p.id } },
      h("h3", {}, this.tr("plansDrawTitle", { year: p.year })),
      h("p", { class: "note" }, this.tr("plansDrawHelp", { date: this.t.date(p.draw_date || "") })),
      h("label", { for: id }, this.tr("plansDrawResult")), input,
      h("button", { type: "submit", disabled: st.busy }, this.tr("plansDrawSubmit")));
    form.addEventListener("submit", e => {
      e.preventDefault();
      this.run(p.id, () => this.send("POST", `/api/v1/plans/${encodeURIComponent(p.id)}/draw`, { result: this.results.get(p.id) || "" }));
    });
    this.errorOf(p.id, form);
    return form;
  }

  /** @param {Plan} p */
  approveForm(p) {
    const st = this.stateOf(p.id);
    const f = p.figures;
    const form = h("form", { class: "plan-step", dataset: { step: "approve", plan: p.id } },
      h("h3", {}, this.tr("plansApproveTitle", { year: p.year })),
      h("p", { class: "note" }, f ? this.tr("plansApproveHelp", { total: this.t.num(f.total), first: this.t.num(f.must_cover), again: this.t.num(f.reinspections) }) : ""),
      !p.feasible ? h("p", { class: "error" }, this.tr("plansShortfall", { n: this.t.num(p.shortfall) })) : null,
      st.confirm
        ? [h("p", { class: "warn", role: "alert" }, this.tr("plansApproveConfirm")),
          h("div", { class: "actions" },
            h("button", { type: "submit", disabled: st.busy }, this.tr("plansApproveYes")),
            h("button", { type: "button", class: "secondary", onclick: () => { this.states.delete(p.id); this.render(); } }, this.tr("cancel")))]
        : h("button", { type: "button", onclick: () => { this.states.set(p.id, { confirm: true }); this.render(); } }, this.tr("plansApprove")));
    form.addEventListener("submit", e => {
      e.preventDefault();
      this.run(p.id, () => this.send("POST", `/api/v1/plans/${encodeURIComponent(p.id)}/approve`, undefined));
    });
    this.errorOf(p.id, form);
    return form;
  }

  commitForm() {
    const years = this.years();
    if (!this.form.year && years.length) {
      const next = new Date().getFullYear() + 1;
      this.form.year = String(years.includes(next) ? next : years[years.length - 1]);
    }
    const year = Number(this.form.year);
    const hasPlan = (this.plans || []).some(p => p.year === year && p.status !== "superseded");
    const st = this.stateOf("commit");
    const set = (/** @type {"year" | "drawDate" | "reason"} */ k) => (/** @type {Event} */ e) => {
      this.form[k] = /** @type {HTMLInputElement} */ (e.target).value;
      if (k === "year") this.render();
    };
    const form = h("form", { class: "plan-step", id: "plan-commit", dataset: { step: "commit" } },
      h("h3", {}, this.tr("plansCommitTitle")),
      h("p", { class: "note" }, this.tr("plansCommitHelp")),
      h("label", { for: "plan-year" }, this.tr("plansYear")),
      h("select", { id: "plan-year", onchange: set("year") }, ...years.map(y => h("option", { value: String(y), selected: String(y) === this.form.year }, String(y)))),
      h("label", { for: "plan-draw-date" }, this.tr("plansDrawDate")),
      h("input", { id: "plan-draw-date", type: "date", value: this.form.drawDate, oninput: set("drawDate") }),
      h("small", { class: "note" }, this.tr("plansDrawDateHelp")),
      h("label", { for: "plan-reason" }, hasPlan ? this.tr("plansReasonRequired") : this.tr("plansReason")),
      h("textarea", { id: "plan-reason", rows: 2, maxlength: 500, required: hasPlan, oninput: set("reason") }, this.form.reason),
      h("button", { type: "submit", disabled: st.busy }, this.tr("plansCommitSubmit")));
    form.addEventListener("submit", e => {
      e.preventDefault();
      const body = { year: Number(this.form.year), draw_date: this.form.drawDate || undefined, reason: this.form.reason || undefined };
      this.run("commit", async () => {
        await this.send("POST", `/api/v1/programmes/${encodeURIComponent(this.ctx.programme ? this.ctx.programme.code : "")}/plans`, body);
        this.form.reason = "";
      });
    });
    this.errorOf("commit", form);
    return form;
  }
}
