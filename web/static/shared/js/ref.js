// @ts-check
// The reference tables the server serves (GET /api/v1/reference): the names of categories,
// violations and every other code, in the user's language. No front-end keeps its own copy.

/**
 * @typedef {{vi: string, en: string}} Label
 * @typedef {{code: string, vi: string, en: string, short_vi: string, short_en: string, base_risk: number, security_certificate_required: boolean, legal: string[]}} Category
 * @typedef {{code: string, vi: string, en: string, severity: string, refer_to_police: boolean}} Violation
 * @typedef {{categories: Category[], violations: Violation[], labels: Record<string, Record<string, Label>>, on_site: {radius_m: number, max_accuracy_m: number}}} Tables
 */

export class Ref {
  /**
   * @param {Tables} tables
   * @param {"vi" | "en"} lang
   */
  constructor(tables, lang) {
    this.tables = tables;
    this.lang = lang;
    this.categories = tables.categories || [];
    this.violations = tables.violations || [];
    this.onSite = tables.on_site;
  }

  /**
   * load fetches the tables (public: the sign-in page may need them too).
   * @param {"vi" | "en"} lang
   */
  static async load(lang) {
    const resp = await fetch("/api/v1/reference", { headers: { Accept: "application/json" } });
    if (!resp.ok) throw new Error(`reference tables: HTTP ${resp.status}`);
    return new Ref(await resp.json(), lang);
  }

  /** @param {Label} l */
  pick(l) { return this.lang === "en" ? l.en || l.vi : l.vi; }

  /**
   * label names a code of a kind (role, tip_status, task_status, outcome, category,
   * violation, ...); an unknown code shows as it is.
   * @param {string} kind
   * @param {string} code
   */
  label(kind, code) {
    if (code === null || code === undefined || code === "") return "";
    if (kind === "category") return this.category(code, true);
    if (kind === "violation") return this.violation(code);
    const l = this.tables.labels?.[kind]?.[code];
    return l ? this.pick(l) : code;
  }

  /**
   * codes lists the codes of a kind in the server's order.
   * @param {string} kind
   */
  codes(kind) {
    if (kind === "category") return this.categories.map(c => c.code);
    if (kind === "violation") return this.violations.map(v => v.code);
    return Object.keys(this.tables.labels?.[kind] || {});
  }

  category(code, short = false) {
    const c = this.categories.find(x => x.code === code);
    if (!c) return code || "";
    if (short) return this.lang === "en" ? c.short_en || c.en : c.short_vi || c.vi;
    return this.lang === "en" ? c.en : c.vi;
  }

  violation(code) {
    const v = this.violations.find(x => x.code === code);
    return v ? (this.lang === "en" ? v.en : v.vi) : code || "";
  }

  severityOf(code) {
    const v = this.violations.find(x => x.code === code);
    return v ? v.severity : "";
  }
}
