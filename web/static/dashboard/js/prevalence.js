// @ts-check
// The estimated share of violating businesses, as the server computed it from the year plan's
// random sample (GET /api/v1/coverage, "prevalence"; the same estimates as the year's report).
// Nothing is computed here: the page prints the server's figures and says how far each can be
// trusted. "ok" is printed as it is, "low" with a mark, "suppressed" not at all.

import { h } from "../../shared/js/dom.js";

/**
 * @typedef {{share: number, low: number, high: number, se: number, sample: number, violating: number, effective_sample: number, quality: "ok" | "low" | "suppressed"}} Estimate
 * @typedef {{plans: string[], min_sample: number, min_effective: number, total: Estimate | null, units: Object<string, Estimate>}} Prevalence
 * @typedef {import("./i18n.js").I18n} I18n
 */

// LOW_MARK is the mark of a figure from few sample businesses, in the cells and the legend.
export const LOW_MARK = "*";

/**
 * estimateOf finds a unit's estimate: the area's own for its code, null when the unit has no
 * inspected sample business (or there is no estimate at all).
 * @param {Prevalence | null} prev
 * @param {string} code
 * @param {string} rootCode
 * @returns {Estimate | null}
 */
export function estimateOf(prev, code, rootCode) {
  if (!prev) return null;
  if (code === rootCode) return prev.total || null;
  return (prev.units && prev.units[code]) || null;
}

/**
 * printable says whether an estimate may be shown as a figure.
 * @param {Estimate | null} e
 */
export function printable(e) {
  return !!e && e.quality !== "suppressed";
}

/**
 * missingText says why a unit has no figure: a category chosen, no approved plan, or no sample
 * business inspected in it.
 * @param {I18n} t
 * @param {Prevalence | null} prev
 * @param {number} year
 */
function missingText(t, prev, year) {
  if (!prev) return t.t("prevCategory");
  if (!prev.plans || !prev.plans.length) return t.t("prevNoPlan", { year });
  return t.t("prevNone");
}

/**
 * estimateCell is a table cell's content: the share and, under it, its 95% interval.
 * @param {I18n} t
 * @param {Estimate | null} e
 * @param {Prevalence | null} prev
 * @param {number} year
 */
export function estimateCell(t, e, prev, year) {
  if (!e) return h("span", { class: "est est-none", title: missingText(t, prev, year) }, "—");
  if (e.quality === "suppressed") {
    return h("span", { class: "est est-suppressed", title: t.t("prevSuppressedTitle", { n: prev.min_sample }) },
      "—", h("small", { class: "est-why" }, t.t("prevSuppressed", { n: prev.min_sample })));
  }
  const low = e.quality === "low";
  return h("span", { class: "est est-" + e.quality, title: low ? t.t("prevLow") : t.t("prevIntervalTitle") },
    h("span", { class: "est-share" }, t.pct(e.share), low ? h("span", { class: "est-mark", "aria-label": t.t("prevLowShort") }, LOW_MARK) : null),
    h("small", { class: "est-ci" }, interval(t, e)));
}

/**
 * interval writes a 95% interval the short way, one percent sign for both ends: 10,4–21,4%.
 * @param {I18n} t
 * @param {Estimate} e
 */
function interval(t, e) {
  return `${t.pct(e.low).replace("%", "")}–${t.pct(e.high)}`;
}

/**
 * prevalenceCard fills the side panel's card with the selected unit's estimate.
 * @param {HTMLElement} box
 * @param {I18n} t
 * @param {Estimate | null} e
 * @param {Prevalence | null} prev
 * @param {number} year
 */
export function prevalenceCard(box, t, e, prev, year) {
  box.dataset.quality = e ? e.quality : "none";
  const head = h("div", { class: "kpi-head" }, h("h3", {}, t.measure("prevalence")), h("span", { class: "goal" }, t.t("prevSampleOf", { year })));
  let body;
  if (!e) body = [h("p", { class: "kpi-sub est-none", id: "kpi-prevalence-figure" }, "— ", h("span", { class: "muted" }, missingText(t, prev, year)))];
  else if (e.quality === "suppressed") {
    body = [
      h("p", { class: "kpi-figures" }, h("span", { class: "kpi-figure est-suppressed", id: "kpi-prevalence-figure", title: t.t("prevSuppressedTitle", { n: prev.min_sample }) }, "—"),
        h("span", { class: "kpi-side" }, t.t("prevSuppressed", { n: prev.min_sample }))),
      // Not how many violated: with so few, that count is the figure withheld.
      h("p", { class: "kpi-sub" }, t.t("prevSampleOnly", { n: t.num(e.sample) })),
    ];
  } else {
    const low = e.quality === "low";
    body = [
      h("div", { class: "kpi-figures" },
        h("span", { class: "kpi-figure est-" + e.quality, id: "kpi-prevalence-figure", "data-measure": "prevalence", title: t.measureDef("prevalence") },
          t.pct(e.share), low ? h("span", { class: "est-mark", "aria-hidden": "true" }, LOW_MARK) : null),
        h("span", { class: "kpi-side", title: t.t("prevIntervalTitle") }, t.t("prevInterval", { interval: interval(t, e) }))),
      h("p", { class: "kpi-sub" }, t.t("prevSample", { n: t.num(e.sample), v: t.num(e.violating) })),
      low ? h("p", { class: "kpi-sub est-warn", role: "note" }, h("span", { class: "est-mark", "aria-hidden": "true" }, LOW_MARK), " ", t.t("prevLow")) : null,
    ];
  }
  box.replaceChildren(head, ...body.filter(Boolean));
}

/**
 * prevalenceLegend explains the table's estimate column: where the figures come from and what
 * the marks say.
 * @param {HTMLElement} box
 * @param {I18n} t
 * @param {Prevalence | null} prev
 */
export function prevalenceLegend(box, t, prev) {
  const items = [h("li", {}, t.t("prevLegend"))];
  if (prev && prev.plans && prev.plans.length) {
    items.push(
      h("li", { "data-quality": "low" }, h("span", { class: "est-mark" }, LOW_MARK), " ", t.t("prevLegendLow", { n: t.num(prev.min_effective) })),
      h("li", { "data-quality": "suppressed" }, h("b", {}, "—"), " ", t.t("prevLegendSuppressed", { n: t.num(prev.min_sample) })));
  }
  box.replaceChildren(h("ul", {}, items));
}
