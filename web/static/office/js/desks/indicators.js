// @ts-check
// The programme's measurable targets beyond inspections (Plan 237/KH-UBND Section III): the
// progress of every indicator against its target (#/indicators), the figures a commune or a
// department owes and enters (#/indicators/owed, #/indicators/submit?indicator=&unit=&period=),
// and the lead department's review of them (#/indicators/review, #/indicators/s/ID).

import { h } from "../../../shared/js/dom.js";
import { ApiError, query } from "../../../shared/js/api.js";
import { clearErrors, field, postFile, showFieldErrors } from "../forms.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{code: string, name_vi: string, name_en: string, definition_vi?: string, definition_en?: string, kind: string,
 *   numerator_vi?: string, numerator_en?: string, denominator_vi?: string, denominator_en?: string,
 *   target_min: number, target_max?: number, level: string, period: string, agency: string, source: string, section?: string}} Indicator
 * @typedef {{numerator?: number | null, denominator?: number | null, value?: number | null, previous?: number | null,
 *   change?: number | null, met?: boolean | null}} Figure
 * @typedef {Figure & {period: string, via?: string[]}} TrendPoint
 * @typedef {{code: string, name: string, agency: string}} Unit
 * @typedef {Figure & {unit: Unit, state: string, version: number, late: boolean, submission_id?: string}} UnitFigure
 * @typedef {{indicator: Indicator, target: number, total: Figure, units: UnitFigure[], submitted: number, expected: number,
 *   trend: TrendPoint[], note_vi?: string, note_en?: string}} ProgressRow
 * @typedef {{programme_id: string, programme_name?: string, period: string, deadline: string, locked: boolean,
 *   area_name?: string, rows: ProgressRow[], narratives: {name_vi?: string, unit_name?: string, text: string}[]}} Progress
 * @typedef {{indicator: string, name_vi?: string, name_en?: string, period: string, unit: Unit, deadline: string,
 *   overdue: boolean, state: string, comment?: string}} Owed
 * @typedef {{id: string, programme_id: string, indicator_code: string, period: string, unit: string, unit_name?: string, version: number,
 *   numerator: number | null, denominator: number | null, value: number | null, narrative: string, attachments: string[] | null,
 *   state: string, review_comment: string, reviewed_by: string, reviewed_at: string | null, reason: string, late: boolean,
 *   submitted_by: string, submitted_at: string}} Submission
 */

const messages = {
  vi: {
    indNav: "Chỉ tiêu",
    indTitle: "Tiến độ các chỉ tiêu của kế hoạch",
    indTabProgress: "Tiến độ",
    indTabOwed: "Số liệu phải nộp",
    indTabReview: "Duyệt số liệu",
    indPeriod: "Kỳ",
    indShow: "Xem",
    indColIndicator: "Chỉ tiêu",
    indColTarget: "Mục tiêu",
    indColResult: "Kết quả",
    indColMet: "Đánh giá",
    indColSubmitted: "Đơn vị đã nộp",
    indColTrend: "Các kỳ trước",
    indMet: "Đạt",
    indNotMet: "Chưa đạt",
    indNoData: "Chưa có số liệu",
    indComputed: "Tự tính từ dữ liệu kiemtra",
    indSubmittedN: "{n}/{m}",
    indDeadline: "Hạn nộp số liệu kỳ này: {date}",
    indLocked: "Kỳ đã khóa: sửa số liệu cần nêu lý do.",
    indReport: "Báo cáo định kỳ (PDF)",
    indSigner: "Họ tên người ký (để trống nếu ký tay)",
    indNotesTitle: "Khó khăn, vướng mắc và kiến nghị của kỳ báo cáo",
    indNotesHint: "In vào mục IV và V của báo cáo định kỳ. Mỗi dòng là một ý.",
    indDifficulties: "Khó khăn, vướng mắc",
    indProposals: "Kiến nghị, đề xuất",
    indNotesSave: "Lưu khó khăn và kiến nghị",
    indNotesSaved: "Đã lưu. Báo cáo định kỳ tải về từ nay in các ý này.",
    indNotesNone: "Chưa có.",
    indNotesLine: "dòng {n}",
    indReportXlsx: "Báo cáo định kỳ (Excel)",
    indNarratives: "Báo cáo của các đơn vị",
    indTargetShare: "≥ {p}",
    indTargetCount: "≥ {n}",
    indTargetChange: "tăng {a}–{b}/năm",
    indTargetChangeMin: "tăng ≥ {a}/năm",
    indChange: "{sign}{p} so với cùng kỳ",
    indOwedTitle: "Số liệu phải nộp",
    indAllPeriods: "Mọi kỳ của năm",
    indMonth: "Tháng {m}/{y}",
    indYear: "Năm {y}",
    indHalf1: "6 tháng đầu năm {y}",
    indHalf2: "6 tháng cuối năm {y}",
    indQuarter: "Quý {q} năm {y}",
    indOwedNone: "Không còn số liệu nào phải nộp cho kỳ này.",
    indColUnit: "Đơn vị",
    indColDeadline: "Hạn nộp",
    indColState: "Tình trạng",
    indOverdue: "Quá hạn",
    indReturned: "Bị trả lại: {comment}",
    indNotYet: "Chưa nộp",
    indEnter: "Nhập số liệu",
    indSubmitTitle: "Nhập số liệu: {name}",
    indUnit: "Đơn vị",
    indNumerator: "Tử số: {what}",
    indDenominator: "Mẫu số: {what}",
    indValue: "Số lượng",
    indNarrative: "Thuyết minh (kết quả, khó khăn, kiến nghị)",
    indReason: "Lý do sửa sau khi khóa kỳ",
    indAttach: "Tài liệu minh chứng (PDF, JPEG, PNG, tối đa 2 MB mỗi tệp)",
    indSend: "Gửi số liệu",
    indSending: "Đang gửi…",
    indSent: "Đã gửi số liệu phiên bản {v}. Sở chủ trì sẽ xem xét.",
    indUploadFailed: "Không tải lên được tệp {name}: {message}",
    indBack: "‹ Quay lại",
    indReviewTitle: "Số liệu chờ duyệt",
    indReviewNone: "Không có số liệu nào chờ duyệt.",
    indColSubmittedBy: "Người nộp",
    indOpen: "Xem",
    indOneTitle: "Số liệu: {name}",
    indVersion: "Phiên bản {v}",
    indLate: "Nộp muộn",
    indState_submitted: "Chờ duyệt",
    indState_returned: "Bị trả lại",
    indState_accepted: "Đã chấp nhận",
    indComment: "Ý kiến của Sở chủ trì",
    indAccept: "Chấp nhận",
    indReturn: "Trả lại để sửa",
    indCommentNeeded: "Ghi rõ cần sửa gì khi trả lại.",
    indReviewed: "Đã ghi ý kiến duyệt.",
    indCorrect: "Sửa và gửi lại",
    indHistory: "Các phiên bản",
    indFiles: "Tài liệu minh chứng",
    indNarrativeOf: "Thuyết minh",
    indReasonOf: "Lý do sửa",
    indFigure: "Số liệu",
    indNoProgramme: "Chưa có chương trình nào.",
    indTabSet: "Bộ chỉ tiêu",
    indSetTitle: "Bộ chỉ tiêu của chương trình",
    indSetHint: "Mục tiêu, kỳ báo cáo và cơ quan chịu trách nhiệm của từng chỉ tiêu. Chỉ tiêu đã có số liệu thì không bỏ được. Chỉ tiêu tự tính giữ nguyên cách tính.",
    indSetDefault: "Chương trình đang dùng bộ chỉ tiêu mặc định theo Kế hoạch 237/KH-UBND; lưu lần đầu sẽ tạo phiên bản 1.",
    indSetVersion: "Phiên bản {v}, cập nhật {when}",
    indColCode: "Mã",
    indNameVI: "Tên (tiếng Việt)",
    indNameEN: "Tên (tiếng Anh)",
    indTargetMin: "Mục tiêu (tỷ lệ %, số lượng hoặc mức tăng tối thiểu %)",
    indTargetMax: "Mức tăng tối đa %",
    indColPeriod: "Kỳ báo cáo",
    indColAgency: "Cơ quan chịu trách nhiệm",
    indPeriod_month: "Tháng",
    indPeriod_quarter: "Quý",
    indPeriod_half: "6 tháng",
    indPeriod_year: "Năm",
    indSave: "Lưu bộ chỉ tiêu",
    indSaving: "Đang lưu…",
    indSetSaved: "Đã lưu bộ chỉ tiêu, phiên bản {v}.",
  },
  en: {
    indNav: "Targets",
    indTitle: "Progress of the plan's targets",
    indTabProgress: "Progress",
    indTabOwed: "Figures owed",
    indTabReview: "Review figures",
    indPeriod: "Period",
    indShow: "Show",
    indColIndicator: "Indicator",
    indColTarget: "Target",
    indColResult: "Result",
    indColMet: "Assessment",
    indColSubmitted: "Units reported",
    indColTrend: "Earlier periods",
    indMet: "Met",
    indNotMet: "Not met",
    indNoData: "No figures yet",
    indComputed: "Computed from kiemtra's data",
    indSubmittedN: "{n}/{m}",
    indDeadline: "This period's figures are due on {date}",
    indLocked: "The period is locked: a correction needs a reason.",
    indReport: "Periodic report (PDF)",
    indSigner: "Signer's name (empty to write it by hand)",
    indNotesTitle: "Difficulties and proposals of the period",
    indNotesHint: "Printed as sections IV and V of the periodic report. One item a line.",
    indDifficulties: "Difficulties",
    indProposals: "Proposals",
    indNotesSave: "Save the difficulties and proposals",
    indNotesSaved: "Saved. The periodic report downloaded from now on prints them.",
    indNotesNone: "None yet.",
    indNotesLine: "line {n}",
    indReportXlsx: "Periodic report (Excel)",
    indNarratives: "The units' reports",
    indTargetShare: "≥ {p}",
    indTargetCount: "≥ {n}",
    indTargetChange: "up {a}–{b} a year",
    indTargetChangeMin: "up ≥ {a} a year",
    indChange: "{sign}{p} on a year before",
    indOwedTitle: "Figures owed",
    indAllPeriods: "Every period of the year",
    indMonth: "{m}/{y}",
    indYear: "Year {y}",
    indHalf1: "First half of {y}",
    indHalf2: "Second half of {y}",
    indQuarter: "Q{n} {y}",
    indOwedNone: "No figures are owed for this period.",
    indColUnit: "Unit",
    indColDeadline: "Due",
    indColState: "State",
    indOverdue: "Overdue",
    indReturned: "Returned: {comment}",
    indNotYet: "Not submitted",
    indEnter: "Enter figures",
    indSubmitTitle: "Enter figures: {name}",
    indUnit: "Unit",
    indNumerator: "Numerator: {what}",
    indDenominator: "Denominator: {what}",
    indValue: "Count",
    indNarrative: "Narrative (results, difficulties, proposals)",
    indReason: "Reason for a correction after the lock",
    indAttach: "Evidence (PDF, JPEG, PNG, at most 2 MB each)",
    indSend: "Submit the figures",
    indSending: "Submitting…",
    indSent: "Figures submitted as version {v}. The lead department will review them.",
    indUploadFailed: "The file {name} could not be uploaded: {message}",
    indBack: "‹ Back",
    indReviewTitle: "Figures awaiting review",
    indReviewNone: "No figures await review.",
    indColSubmittedBy: "Submitted by",
    indOpen: "Open",
    indOneTitle: "Figures: {name}",
    indVersion: "Version {v}",
    indLate: "Late",
    indState_submitted: "Awaiting review",
    indState_returned: "Returned",
    indState_accepted: "Accepted",
    indComment: "The lead department's comment",
    indAccept: "Accept",
    indReturn: "Return for correction",
    indCommentNeeded: "Say what to correct when returning the figures.",
    indReviewed: "The review is recorded.",
    indCorrect: "Correct and resubmit",
    indHistory: "Versions",
    indFiles: "Evidence",
    indNarrativeOf: "Narrative",
    indReasonOf: "Reason for the correction",
    indFigure: "Figures",
    indNoProgramme: "There is no programme yet.",
    indTabSet: "Indicator set",
    indSetTitle: "The programme's indicator set",
    indSetHint: "Each indicator's target, reporting period and responsible agency. An indicator with figures cannot leave the set. Computed indicators keep their computation.",
    indSetDefault: "The programme uses the default set from Plan 237/KH-UBND; the first save makes version 1.",
    indSetVersion: "Version {v}, updated {when}",
    indColCode: "Code",
    indNameVI: "Name (Vietnamese)",
    indNameEN: "Name (English)",
    indTargetMin: "Target (share %, count or least yearly rise %)",
    indTargetMax: "Greatest yearly rise %",
    indColPeriod: "Reporting period",
    indColAgency: "Responsible agency",
    indPeriod_month: "Month",
    indPeriod_quarter: "Quarter",
    indPeriod_half: "Half-year",
    indPeriod_year: "Year",
    indSave: "Save the set",
    indSaving: "Saving…",
    indSetSaved: "The set is saved as version {v}.",
  },
};

const REVIEWERS = ["planner", "admin"];
const SUBMITTERS = ["planner", "admin", "reporting_officer"];

/** @param {DeskContext} ctx @param {Indicator} ind */
const indName = (ctx, ind) => (ctx.lang === "en" ? ind.name_en || ind.name_vi : ind.name_vi);

/** @param {DeskContext} ctx @param {Indicator} ind */
function targetText(ctx, ind) {
  const { t, fmt } = ctx;
  if (ind.kind === "share") return t("indTargetShare", { p: fmt.pct(ind.target_min, 0) });
  if (ind.kind === "change") {
    return ind.target_max ? t("indTargetChange", { a: fmt.pct(ind.target_min, 0), b: fmt.pct(ind.target_max, 0) })
      : t("indTargetChangeMin", { a: fmt.pct(ind.target_min, 0) });
  }
  return t("indTargetCount", { n: fmt.num(ind.target_min) });
}

/** @param {DeskContext} ctx @param {Indicator} ind @param {Figure} f */
function figureText(ctx, ind, f) {
  const { t, fmt } = ctx;
  if (ind.kind === "change") {
    if (f.change == null) return f.value == null ? "–" : fmt.num(f.value);
    const sign = f.change >= 0 ? "+" : "−";
    return `${fmt.num(f.value || 0)} (${t("indChange", { sign, p: fmt.pct(Math.abs(f.change)) })})`;
  }
  if (ind.kind === "share") {
    if (f.numerator == null || !f.denominator) return "–";
    return `${fmt.pct(f.numerator / f.denominator)} (${fmt.num(f.numerator)}/${fmt.num(f.denominator)})`;
  }
  return f.value == null ? "–" : fmt.num(f.value);
}

/** @param {DeskContext} ctx @param {boolean | null | undefined} met */
function metBadge(ctx, met) {
  if (met == null) return h("span", { class: "muted" }, ctx.t("indNoData"));
  return h("span", { class: met ? "badge ok" : "badge bad" }, ctx.t(met ? "indMet" : "indNotMet"));
}

/** @param {DeskContext} ctx @param {string} active */
function tabs(ctx, active) {
  const role = ctx.user.role;
  const list = [["progress", "#/indicators", "indTabProgress", true], ["owed", "#/indicators/owed", "indTabOwed", SUBMITTERS.includes(role)],
    ["review", "#/indicators/review", "indTabReview", REVIEWERS.includes(role)], ["set", "#/indicators/set", "indTabSet", REVIEWERS.includes(role)]];
  return h("nav", { class: "ind-tabs", "aria-label": ctx.t("indNav") }, list.filter(x => x[3]).map(([id, href, key]) =>
    h("a", { href: `${href}${query({ period: ctx.query.get("period") || "" })}`, class: id === active ? "active" : "", "aria-current": id === active ? "page" : null }, ctx.t(String(key)))));
}

/**
 * periods reads the current programme and its periods (newest first); the chosen one is the
 * route's, else the newest quarter.
 * @param {DeskContext} ctx
 * @returns {Promise<{programme: string, code: string, periods: {period: string, kind: string, name: string, name_en: string}[], period: string}>}
 */
async function periods(ctx) {
  const res = await ctx.api.get("/api/v1/reports/periods");
  const items = res.items || [];
  const want = ctx.query.get("period") || "";
  const pick = items.find((/** @type {any} */ p) => p.period === want) || items.find((/** @type {any} */ p) => p.kind === "quarter") || items[0];
  return { programme: res.programme_id, code: res.programme_code, periods: items, period: pick ? pick.period : "" };
}

/**
 * @param {DeskContext} ctx @param {{periods: {period: string, name: string, name_en: string}[], period: string}} ps @param {string} route
 * @param {string} [all] the label of a first choice of no period in particular
 */
function periodPicker(ctx, ps, route, all) {
  const sel = /** @type {HTMLSelectElement} */ (h("select", { id: "ind-period" },
    all ? h("option", { value: "", selected: !ps.period }, all) : null,
    ps.periods.map(p => h("option", { value: p.period, selected: p.period === ps.period }, ctx.lang === "en" ? p.name_en : p.name))));
  return h("form", { class: "row ind-filter", onsubmit: (/** @type {Event} */ ev) => {
    ev.preventDefault();
    ctx.go(`${route}${query({ period: sel.value })}`);
  } }, field("ind-field", "ind-period", ctx.t("indPeriod"), sel), h("button", { type: "submit" }, ctx.t("indShow")));
}

/**
 * show puts a screen's parts in el, leaving out the ones it does not have (null), which
 * replaceChildren would write as the text "null".
 * @param {HTMLElement} el @param {(Node | null)[]} parts
 */
function show(el, ...parts) {
  el.replaceChildren(...parts.filter(p => p !== null));
}

/**
 * fileButton downloads a file of the API with the session's token (a plain link would go
 * without it), showing a refusal in errors.
 * @param {DeskContext} ctx @param {HTMLElement} errors @param {string} id @param {string} label
 * @param {string | (() => string)} path read at each click @param {string} name the file's name when the server gives none
 */
function fileButton(ctx, errors, id, label, path, name) {
  const pathOf = typeof path === "function" ? path : () => path;
  const b = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "secondary", id }, label));
  b.addEventListener("click", async () => {
    b.disabled = true;
    errors.hidden = true;
    try {
      await ctx.api.download(pathOf(), name);
    } catch (ex) {
      ctx.showError(errors, ex);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/**
 * periodName names a period as the reports do: "Quý IV năm 2026", "6 tháng cuối năm 2026",
 * "Tháng 10/2026" (any programme's, so it is read from the code itself).
 * @param {DeskContext} ctx @param {unknown} _ps @param {string} period
 */
function periodName(ctx, _ps, period) {
  const m = /^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$/.exec(period);
  if (!m) return period;
  const [, y, part] = m;
  if (!part) return ctx.t("indYear", { y });
  if (part === "H1" || part === "H2") return ctx.t(part === "H1" ? "indHalf1" : "indHalf2", { y });
  if (part[0] === "Q") return ctx.t("indQuarter", { q: ["I", "II", "III", "IV"][Number(part[1]) - 1], n: part[1], y });
  return ctx.t("indMonth", { m: String(Number(part)), y });
}

// ---------------------------------------------------------------------------------------------
// Progress

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderProgress(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("indTitle"));
  const ps = await periods(ctx);
  if (!ps.programme) {
    el.replaceChildren(h("section", { class: "card" }, h("p", {}, t("indNoProgramme"))));
    return;
  }
  /** @type {Progress} */
  const pr = await ctx.api.get("/api/v1/indicators/progress" + query({ programme: ps.programme, period: ps.period }));
  const rows = pr.rows.map(r => h("tr", { dataset: { indicator: r.indicator.code } },
    h("td", { "data-label": t("indColIndicator") }, h("b", {}, indName(ctx, r.indicator)),
      r.indicator.source === "computed" ? h("div", { class: "muted small" }, t("indComputed")) : null),
    h("td", { "data-label": t("indColTarget") }, targetText(ctx, r.indicator)),
    h("td", { "data-label": t("indColResult"), class: "ind-result" }, figureText(ctx, r.indicator, r.total)),
    h("td", { "data-label": t("indColMet") }, metBadge(ctx, r.total.met)),
    h("td", { "data-label": t("indColSubmitted"), class: "num" }, r.indicator.source === "computed" ? "–" : t("indSubmittedN", { n: fmt.num(r.submitted), m: fmt.num(r.expected) })),
    h("td", { "data-label": t("indColTrend"), class: "ind-trend" },
      r.trend.filter(p => p.period !== pr.period).slice(-4).map(p => h("span", { class: "ind-point" }, `${periodName(ctx, null, p.period)}: ${figureText(ctx, r.indicator, p)}`)))));
  const report = `/api/v1/reports${query({ period: pr.period, programme: ps.programme })}`;
  // The name typed under the signature; kept for the session, the same person signs each period.
  const signer = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: "ind-signer", maxlength: "80", autocomplete: "name",
    value: sessionStorage.getItem("kiemtra.signer") || "" }));
  signer.addEventListener("change", () => sessionStorage.setItem("kiemtra.signer", signer.value.trim()));
  /** @param {string} format */
  const official = format => `${report}&format=${format}${signer.value.trim() ? `&signer=${encodeURIComponent(signer.value.trim())}` : ""}`;
  const errors = h("div", { id: "ind-download-error", hidden: true });
  show(el, tabs(ctx, "progress"),
    h("section", { class: "card" },
      h("h1", {}, t("indTitle")),
      pr.programme_name ? h("p", { class: "muted" }, pr.programme_name) : null,
      periodPicker(ctx, ps, "#/indicators"),
      h("p", { class: "muted", id: "ind-deadline" }, t("indDeadline", { date: fmt.date(pr.deadline) }), pr.locked ? ` ${t("indLocked")}` : ""),
      h("div", { class: "row ind-report-row" },
        h("label", { class: "ind-signer" }, t("indSigner"), signer),
        fileButton(ctx, errors, "ind-report-pdf", t("indReport"), () => official("pdf"), `bao-cao-${pr.period}.pdf`),
        fileButton(ctx, errors, "ind-report-xlsx", t("indReportXlsx"), () => official("official.xlsx"), `bao-cao-${pr.period}.xlsx`)),
      errors,
      h("table", { class: "stack ind-table", id: "ind-progress" },
        h("thead", {}, h("tr", {}, ["indColIndicator", "indColTarget", "indColResult", "indColMet", "indColSubmitted", "indColTrend"].map(k => h("th", {}, t(k))))),
        h("tbody", {}, rows))),
    pr.narratives.length ? h("section", { class: "card", id: "ind-narratives" }, h("h2", {}, t("indNarratives")),
      pr.narratives.map(n => h("div", { class: "ind-narrative" }, h("b", {}, `${n.unit_name || ""} · ${n.name_vi || ""}`), h("p", {}, n.text)))) : null,
    await notesCard(ctx, ps));
}

/**
 * notesCard holds sections IV and V of the period's official report: the difficulties met and
 * the proposals, one item a line, written by the lead department's planners, read by the others.
 * @param {DeskContext} ctx @param {{programme: string, period: string}} ps
 */
async function notesCard(ctx, ps, notice = "") {
  const t = ctx.t;
  const url = "/api/v1/indicators/report-notes" + query({ programme: ps.programme, period: ps.period });
  /** @type {{version: number, difficulties: string[], proposals: string[]}} */
  const notes = await ctx.api.get(url);
  const card = h("section", { class: "card", id: "ind-notes" }, h("h2", {}, t("indNotesTitle")));
  if (!REVIEWERS.includes(ctx.user ? ctx.user.role : "")) {
    const list = (/** @type {string[]} */ items) => items.length ? h("ul", {}, items.map(x => h("li", {}, x))) : h("p", { class: "muted" }, t("indNotesNone"));
    card.append(h("h3", {}, t("indDifficulties")), list(notes.difficulties), h("h3", {}, t("indProposals")), list(notes.proposals));
    return card;
  }
  const area = (/** @type {string[]} */ items) => /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "4", maxlength: "20000" }, items.join("\n")));
  const dif = area(notes.difficulties), pro = area(notes.proposals);
  const general = h("div", { id: "ind-notes-error", hidden: true });
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "ind-notes-save" }, t("indNotesSave")));
  const form = /** @type {HTMLFormElement} */ (h("form", { id: "ind-notes-form", novalidate: true },
    h("p", { class: "muted small" }, t("indNotesHint")),
    notice ? h("div", { class: "notice", id: "ind-notes-saved", role: "status" }, notice) : null,
    field("ind-field", "ind-difficulties", t("indDifficulties"), dif),
    field("ind-field", "ind-proposals", t("indProposals"), pro),
    general, h("div", { class: "row" }, save)));
  const lines = (/** @type {HTMLTextAreaElement} */ a) => a.value.split("\n").map(x => x.trim()).filter(Boolean);
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    save.disabled = true;
    try {
      await ctx.api.put(url, { version: notes.version, difficulties: lines(dif), proposals: lines(pro) });
      card.replaceWith(await notesCard(ctx, ps, t("indNotesSaved")));
    } catch (ex) {
      save.disabled = false;
      // "difficulties[2]" is the third line of its box.
      if (ex instanceof ApiError && ex.details) {
        ex.details = ex.details.map((/** @type {{field: string, message: string}} */ d) => {
          const m = /^(difficulties|proposals)\[(\d+)\]$/.exec(d.field || "");
          return m ? { ...d, field: m[1], message: `${t("indNotesLine", { n: Number(m[2]) + 1 })}: ${d.message}` } : d;
        });
      }
      showFieldErrors(ctx, form, general, ex, { difficulties: "ind-difficulties", proposals: "ind-proposals" },
        { difficulties: t("indDifficulties"), proposals: t("indProposals"), version: t("indNotesTitle") });
    }
  });
  card.append(form);
  return card;
}

// ---------------------------------------------------------------------------------------------
// What a unit owes, and the form that enters it

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderOwed(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("indOwedTitle"));
  const ps = await periods(ctx);
  const chosen = ctx.query.get("period") || "";
  /** @param {string} period @returns {Promise<Owed[]>} */
  const owedIn = async period => (await ctx.api.get("/api/v1/indicators/owed" + query({ programme: ps.programme, period }))).owed || [];
  /** @type {Owed[]} */
  let owed;
  if (chosen) owed = await owedIn(chosen);
  else {
    // Every period of the latest year: figures are owed by the half-year, the year or the
    // quarter, and an officer should not have to know which.
    const year = ps.periods.length ? ps.periods[0].period.slice(0, 4) : "";
    const lists = await Promise.all(ps.periods.filter(p => p.period.startsWith(year)).map(p => owedIn(p.period)));
    const seen = new Set();
    owed = lists.flat().filter(o => {
      const k = `${o.indicator}|${o.period}|${o.unit.code}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }).sort((a, b) => a.deadline.localeCompare(b.deadline) || a.indicator.localeCompare(b.indicator));
    ps.period = "";
  }
  const rows = owed.map(o => h("tr", { class: o.overdue ? "ind-late" : "", dataset: { indicator: o.indicator, unit: o.unit.code } },
    h("td", { "data-label": t("indColIndicator") }, ctx.lang === "en" ? o.name_en || o.name_vi || o.indicator : o.name_vi || o.indicator),
    h("td", { "data-label": t("indColUnit") }, o.unit.name),
    h("td", { "data-label": t("indPeriod") }, periodName(ctx, ps, o.period)),
    h("td", { "data-label": t("indColDeadline") }, fmt.date(o.deadline), o.overdue ? h("span", { class: "badge bad" }, t("indOverdue")) : null),
    h("td", { "data-label": t("indColState") }, o.state === "returned" ? h("span", { class: "ind-returned" }, t("indReturned", { comment: o.comment || "" })) : t("indNotYet")),
    h("td", {}, h("a", { class: "button", href: `#/indicators/submit${query({ indicator: o.indicator, unit: o.unit.code, period: o.period })}` }, t("indEnter")))));
  el.replaceChildren(tabs(ctx, "owed"),
    h("section", { class: "card" },
      h("h1", {}, t("indOwedTitle")),
      periodPicker(ctx, ps, "#/indicators/owed", t("indAllPeriods")),
      owed.length ? h("table", { class: "stack ind-table", id: "ind-owed" },
        h("thead", {}, h("tr", {}, ["indColIndicator", "indColUnit", "indPeriod", "indColDeadline", "indColState", ""].map(k => h("th", {}, k ? t(k) : "")))),
        h("tbody", {}, rows)) : h("p", { class: "muted", id: "ind-owed-none" }, t("indOwedNone"))));
}

/**
 * findIndicator reads the programme's set and finds one indicator.
 * @param {DeskContext} ctx @param {string} programme @param {string} code
 * @returns {Promise<Indicator | undefined>}
 */
async function findIndicator(ctx, programme, code) {
  const set = await ctx.api.get(`/api/v1/programmes/${encodeURIComponent(programme)}/indicators`);
  return (set.indicators || []).find((/** @type {Indicator} */ x) => x.code === code);
}

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderSubmit(el, ctx) {
  const t = ctx.t;
  const ps = await periods(ctx);
  const code = ctx.query.get("indicator") || "", unit = ctx.query.get("unit") || "", period = ctx.query.get("period") || ps.period;
  const ind = await findIndicator(ctx, ps.programme, code);
  if (!ind) {
    el.replaceChildren(h("section", { class: "card" }, h("p", {}, t("notFound"))));
    return;
  }
  // The latest version, if any, fills the form: a returned figure is corrected, not retyped.
  const prev = (await ctx.api.get("/api/v1/indicators/submissions" + query({ programme: ps.programme, period, indicator: code, unit }))).submissions || [];
  /** @type {Submission | undefined} */
  const last = prev[0];
  const owed = (await ctx.api.get("/api/v1/indicators/owed" + query({ programme: ps.programme, period }))).owed || [];
  const mine = owed.find((/** @type {Owed} */ o) => o.indicator === code && o.unit.code === unit);
  ctx.setTitle(t("indSubmitTitle", { name: indName(ctx, ind) }));
  /** @param {number | null | undefined} v */
  const numIn = v => /** @type {HTMLInputElement} */ (h("input", { type: "number", min: "0", step: "1", inputmode: "numeric", value: v == null ? "" : String(v) }));
  const num = numIn(last && last.numerator), den = numIn(last && last.denominator), val = numIn(last && last.value);
  const narrative = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "5", maxlength: "4000" }, last ? last.narrative : ""));
  const reason = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "2", maxlength: "1000" }));
  const files = /** @type {HTMLInputElement} */ (h("input", { type: "file", multiple: true, accept: "application/pdf,image/jpeg,image/png" }));
  const what = (/** @type {string | undefined} */ vi, /** @type {string | undefined} */ en) => (ctx.lang === "en" ? en || vi : vi) || "";
  const figures = ind.kind === "share"
    ? [field("ind-field", "ind-numerator", t("indNumerator", { what: what(ind.numerator_vi, ind.numerator_en) }), num),
      field("ind-field", "ind-denominator", t("indDenominator", { what: what(ind.denominator_vi, ind.denominator_en) }), den)]
    : [field("ind-field", "ind-value", t("indValue"), val)];
  const general = h("div", { id: "ind-error", hidden: true });
  const status = h("div", { id: "ind-status", role: "status" });
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "ind-send" }, t("indSend")));
  const fields = { numerator: "ind-numerator", denominator: "ind-denominator", value: "ind-value", narrative: "ind-narrative", reason: "ind-reason", attachments: "ind-files", unit: "ind-unit", period: "ind-period" };
  const labels = { numerator: t("indNumerator", { what: "" }), denominator: t("indDenominator", { what: "" }), value: t("indValue"), narrative: t("indNarrative"),
    reason: t("indReason"), attachments: t("indAttach"), unit: t("indUnit"), period: t("indPeriod") };
  // One id for the figures as typed: a retry after a lost answer is the same submission.
  let clientID = crypto.randomUUID();
  for (const input of [num, den, val, narrative, reason]) input.addEventListener("input", () => { clientID = crypto.randomUUID(); });
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "ind-form", id: "ind-form", novalidate: true },
    h("p", {}, h("b", {}, t("indUnit")), ": ", mine ? mine.unit.name : last && last.unit_name || unit, " · ", h("b", {}, t("indPeriod")), ": ", periodName(ctx, ps, period),
      mine ? ` · ${t("indColDeadline")}: ${ctx.fmt.date(mine.deadline)}` : ""),
    ind.definition_vi ? h("p", { class: "muted small" }, what(ind.definition_vi, ind.definition_en)) : null,
    last && last.state === "returned" ? h("p", { class: "alert", id: "ind-returned" }, t("indReturned", { comment: last.review_comment })) : null,
    ...figures,
    field("ind-field ind-wide", "ind-narrative", t("indNarrative"), narrative),
    field("ind-field ind-wide", "ind-reason", t("indReason"), reason),
    field("ind-field ind-wide", "ind-files", t("indAttach"), files),
    general, h("div", { class: "row" }, save), status));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    save.disabled = true;
    save.textContent = t("indSending");
    try {
      /** @type {string[]} */
      const attachments = [...((last && last.attachments) || [])];
      for (const f of files.files || []) {
        const got = await postFile(ctx, "/api/v1/indicators/attachments" + query({ name: f.name }), f, {}, true);
        if (!got.ok) throw got.error;
        attachments.push(got.body.id);
      }
      /** @type {Record<string, any>} */
      const body = { id: clientID, programme: ps.programme, period, unit, narrative: narrative.value.trim(), attachments };
      if (reason.value.trim()) body.reason = reason.value.trim();
      /** @param {HTMLInputElement} i */
      const n = i => (i.value.trim() === "" ? undefined : Number(i.value));
      if (ind.kind === "share") {
        body.numerator = n(num);
        body.denominator = n(den);
      } else body.value = n(val);
      /** @type {Submission} */
      const saved = await ctx.api.post(`/api/v1/indicators/${encodeURIComponent(code)}/submissions`, body);
      ctx.go(`#/indicators/s/${encodeURIComponent(saved.id)}${query({ sent: "1" })}`);
    } catch (ex) {
      save.disabled = false;
      save.textContent = t("indSend");
      showFieldErrors(ctx, form, general, ex, fields, labels);
    }
  });
  el.replaceChildren(tabs(ctx, "owed"),
    h("section", { class: "card" },
      h("a", { href: `#/indicators/owed${query({ period })}` }, t("indBack")),
      h("h1", {}, t("indSubmitTitle", { name: indName(ctx, ind) })), form));
}

// ---------------------------------------------------------------------------------------------
// The lead department's review

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderReview(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("indReviewTitle"));
  const ps = await periods(ctx);
  const [res, set] = await Promise.all([
    ctx.api.get("/api/v1/indicators/submissions" + query({ programme: ps.programme, state: "submitted" })),
    ctx.api.get(`/api/v1/programmes/${encodeURIComponent(ps.programme)}/indicators`)]);
  /** @type {Submission[]} */
  const subs = res.submissions || [];
  /** @type {Map<string, Indicator>} */
  const byCode = new Map((set.indicators || []).map((/** @type {Indicator} */ x) => [x.code, x]));
  const rows = subs.map(s => {
    const ind = byCode.get(s.indicator_code);
    return h("tr", { dataset: { submission: s.id } },
      h("td", { "data-label": t("indColIndicator") }, ind ? indName(ctx, ind) : s.indicator_code),
      h("td", { "data-label": t("indColUnit") }, s.unit_name || s.unit),
      h("td", { "data-label": t("indPeriod") }, periodName(ctx, ps, s.period)),
      h("td", { "data-label": t("indFigure") }, ind ? figureText(ctx, ind, s) : ""),
      h("td", { "data-label": t("indColSubmittedBy") }, h("span", { class: "username" }, s.submitted_by), ` · ${fmt.dateTime(s.submitted_at)}`,
        s.late ? h("span", { class: "badge warn" }, t("indLate")) : null),
      h("td", {}, h("a", { class: "button", href: `#/indicators/s/${encodeURIComponent(s.id)}` }, t("indOpen"))));
  });
  el.replaceChildren(tabs(ctx, "review"),
    h("section", { class: "card" }, h("h1", {}, t("indReviewTitle")),
      subs.length ? h("table", { class: "stack ind-table", id: "ind-review" },
        h("thead", {}, h("tr", {}, ["indColIndicator", "indColUnit", "indPeriod", "indFigure", "indColSubmittedBy", ""].map(k => h("th", {}, k ? t(k) : "")))),
        h("tbody", {}, rows)) : h("p", { class: "muted", id: "ind-review-none" }, t("indReviewNone"))));
}

/** @param {HTMLElement} el @param {DeskContext} ctx @param {string} id @param {string} [notice] */
async function renderOne(el, ctx, id, notice) {
  const { t, fmt } = ctx;
  /** @type {Submission} */
  const s = await ctx.api.get(`/api/v1/indicators/submissions/${encodeURIComponent(id)}`);
  const [ind, hist] = await Promise.all([findIndicator(ctx, s.programme_id, s.indicator_code),
    ctx.api.get("/api/v1/indicators/submissions" + query({ programme: s.programme_id, period: s.period, indicator: s.indicator_code, unit: s.unit, versions: "all" }))]);
  const name = ind ? indName(ctx, ind) : s.indicator_code;
  ctx.setTitle(t("indOneTitle", { name }));
  if (!notice && ctx.query.get("sent") === "1") notice = t("indSent", { v: fmt.num(s.version) });
  /** @type {[string, any][]} */
  const facts = [[t("indColUnit"), s.unit_name || s.unit], [t("indPeriod"), periodName(ctx, null, s.period)], [t("indFigure"), ind ? figureText(ctx, ind, s) : ""],
    [t("indNarrativeOf"), s.narrative], [t("indReasonOf"), s.reason],
    [t("indColSubmittedBy"), [h("span", { class: "username" }, s.submitted_by), ` · ${fmt.dateTime(s.submitted_at)}`]],
    [t("indComment"), s.review_comment]];
  const dl = h("dl", { class: "ind-facts" }, facts.filter(([, v]) => v && (!Array.isArray(v) || v.length)).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  const fileErrors = h("div", { hidden: true });
  const filesEl = (s.attachments || []).length ? h("div", { class: "row ind-files" }, h("b", {}, t("indFiles")),
    (s.attachments || []).map((a, i) => fileButton(ctx, fileErrors, `ind-file-${i}`, `#${i + 1}`, `/api/v1/indicators/attachments/${encodeURIComponent(a)}`, `minh-chung-${i + 1}`)),
    fileErrors) : null;
  /** @type {HTMLFormElement | null} */
  let review = null;
  if (s.state === "submitted" && REVIEWERS.includes(ctx.user.role)) {
    const comment = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "3", maxlength: "2000" }));
    const general = h("div", { id: "ind-error", hidden: true });
    /** @param {"accept" | "return"} what */
    const act = async what => {
      const form = /** @type {HTMLFormElement} */ (review);
      clearErrors(form, general);
      if (what === "return" && !comment.value.trim()) {
        showFieldErrors(ctx, form, general, new ApiError(400, "invalid", t("indCommentNeeded"), "comment"), { comment: "ind-comment" }, { comment: t("indComment") });
        return;
      }
      try {
        await ctx.api.post(`/api/v1/indicators/submissions/${encodeURIComponent(s.id)}/${what}`, { comment: comment.value.trim() });
        await renderOne(el, ctx, id, t("indReviewed"));
      } catch (ex) {
        showFieldErrors(ctx, form, general, ex, { comment: "ind-comment" }, { comment: t("indComment") });
      }
    };
    review = /** @type {HTMLFormElement} */ (h("form", { class: "ind-review-form", id: "ind-review-form", novalidate: true, onsubmit: (/** @type {Event} */ ev) => ev.preventDefault() },
      field("ind-field ind-wide", "ind-comment", t("indComment"), comment), general,
      h("div", { class: "row" },
        h("button", { type: "button", id: "ind-accept", onclick: () => act("accept") }, t("indAccept")),
        h("button", { type: "button", class: "secondary", id: "ind-return", onclick: () => act("return") }, t("indReturn")))));
  }
  const correct = s.state !== "submitted" && SUBMITTERS.includes(ctx.user.role)
    ? h("p", {}, h("a", { class: "button secondary", id: "ind-correct", href: `#/indicators/submit${query({ indicator: s.indicator_code, unit: s.unit, period: s.period })}` }, t("indCorrect")))
    : null;
  /** @type {Submission[]} */
  const versions = hist.submissions || [];
  show(el, tabs(ctx, REVIEWERS.includes(ctx.user.role) ? "review" : "owed"),
    h("section", { class: "card" },
      h("a", { href: REVIEWERS.includes(ctx.user.role) ? "#/indicators/review" : "#/indicators/owed" }, t("indBack")),
      h("h1", {}, t("indOneTitle", { name })),
      h("p", {}, h("span", { class: "badge", id: "ind-state" }, t(`indState_${s.state}`)), " ", t("indVersion", { v: fmt.num(s.version) }),
        s.late ? h("span", { class: "badge warn" }, t("indLate")) : null),
      notice ? h("div", { class: "notice", id: "ind-notice", role: "status" }, notice) : null,
      dl, filesEl, review, correct),
    versions.length > 1 ? h("section", { class: "card" }, h("h2", {}, t("indHistory")),
      h("ul", { id: "ind-versions" }, versions.map(v => h("li", {}, t("indVersion", { v: fmt.num(v.version) }), " · ", t(`indState_${v.state}`), " · ",
        ind ? figureText(ctx, ind, v) : "", v.review_comment ? ` — ${v.review_comment}` : "")))) : null);
}

// ---------------------------------------------------------------------------------------------
// The programme's set, which city-wide planners keep

/** @param {HTMLElement} el @param {DeskContext} ctx @param {string} [notice] */
async function renderSet(el, ctx, notice) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("indSetTitle"));
  const ps = await periods(ctx);
  const [set, agencies] = await Promise.all([ctx.api.get(`/api/v1/programmes/${encodeURIComponent(ps.programme)}/indicators`), ctx.api.get("/api/v1/agencies")]);
  /** @type {Indicator[]} */
  const draft = (set.indicators || []).map((/** @type {Indicator} */ x) => ({ ...x }));
  /** @type {{code: string, name_vi: string, short_vi?: string, active: boolean}[]} */
  const ags = (agencies.items || agencies || []).filter((/** @type {any} */ a) => a.active || draft.some(d => d.agency === a.code));
  /** @type {Record<string, string>} */
  const fields = {};
  /** @type {Record<string, string>} */
  const labels = {};
  const pctIn = (/** @type {number} */ v) => String(Math.round(v * 10000) / 100);
  const rows = draft.map((ind, i) => {
    const p = `ind-set-${i}`;
    for (const [f, l] of [["name_vi", "indNameVI"], ["name_en", "indNameEN"], ["target_min", "indTargetMin"], ["target_max", "indTargetMax"], ["period", "indColPeriod"], ["agency", "indColAgency"]]) {
      fields[`indicators[${i}].${f}`] = `${p}-${f}`;
      labels[`indicators[${i}].${f}`] = `${indName(ctx, ind)} · ${t(l)}`;
    }
    const nameVI = /** @type {HTMLInputElement} */ (h("input", { type: "text", value: ind.name_vi, maxlength: "300", lang: "vi" }));
    nameVI.addEventListener("input", () => { ind.name_vi = nameVI.value; });
    const nameEN = /** @type {HTMLInputElement} */ (h("input", { type: "text", value: ind.name_en, maxlength: "300", lang: "en" }));
    nameEN.addEventListener("input", () => { ind.name_en = nameEN.value; });
    const share = ind.kind !== "count";
    const min = /** @type {HTMLInputElement} */ (h("input", { type: "number", step: "any", min: "0", value: share ? pctIn(ind.target_min) : String(ind.target_min) }));
    min.addEventListener("input", () => { ind.target_min = min.value === "" ? NaN : Number(min.value) / (share ? 100 : 1); });
    const max = /** @type {HTMLInputElement} */ (h("input", { type: "number", step: "any", min: "0", value: ind.target_max ? pctIn(ind.target_max) : "" }));
    max.addEventListener("input", () => { ind.target_max = max.value === "" ? 0 : Number(max.value) / 100; });
    const per = /** @type {HTMLSelectElement} */ (h("select", {}, ["month", "quarter", "half", "year"].map(k => h("option", { value: k, selected: ind.period === k }, t(`indPeriod_${k}`)))));
    per.addEventListener("change", () => { ind.period = per.value; });
    const ag = /** @type {HTMLSelectElement} */ (h("select", {}, ags.map(a => h("option", { value: a.code, selected: ind.agency === a.code }, a.short_vi || a.name_vi))));
    ag.addEventListener("change", () => { ind.agency = ag.value; });
    return h("li", { class: "ind-set-item", dataset: { indicator: ind.code } },
      h("p", {}, h("b", {}, indName(ctx, ind)), ind.source === "computed" ? h("span", { class: "muted small" }, ` · ${t("indComputed")}`) : null),
      h("div", { class: "ind-form" },
        field("ind-field ind-wide", `${p}-name_vi`, t("indNameVI"), nameVI),
        field("ind-field ind-wide", `${p}-name_en`, t("indNameEN"), nameEN),
        field("ind-field", `${p}-target_min`, t("indTargetMin"), min),
        ind.kind === "change" ? field("ind-field", `${p}-target_max`, t("indTargetMax"), max) : null,
        field("ind-field", `${p}-period`, t("indColPeriod"), per),
        field("ind-field", `${p}-agency`, t("indColAgency"), ag)));
  });
  const general = h("div", { id: "ind-error", hidden: true });
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "ind-set-save" }, t("indSave")));
  const form = /** @type {HTMLFormElement} */ (h("form", { id: "ind-set-form", novalidate: true },
    h("ol", { class: "ind-set", id: "ind-set" }, rows), general, h("div", { class: "row" }, save)));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    save.disabled = true;
    save.textContent = t("indSaving");
    try {
      const saved = await ctx.api.put(`/api/v1/programmes/${encodeURIComponent(ps.programme)}/indicators`, { version: set.version, indicators: draft });
      await renderSet(el, ctx, t("indSetSaved", { v: fmt.num(saved.version) }));
    } catch (ex) {
      save.disabled = false;
      save.textContent = t("indSave");
      showFieldErrors(ctx, form, general, ex, fields, labels);
    }
  });
  el.replaceChildren(tabs(ctx, "set"),
    h("section", { class: "card" },
      h("h1", {}, t("indSetTitle")),
      h("p", { class: "muted" }, set.version ? t("indSetVersion", { v: fmt.num(set.version), when: fmt.dateTime(set.updated_at) }) : t("indSetDefault")),
      h("p", { class: "muted small" }, t("indSetHint")),
      notice ? h("div", { class: "notice", id: "ind-notice", role: "status" }, notice) : h("div", { hidden: true }),
      form));
}

/** @type {import("../main.js").Desk} */
export default {
  id: "indicators",
  roles: ["planner", "admin", "viewer", "reporting_officer"],
  nav: { vi: messages.vi.indNav, en: messages.en.indNav },
  messages,
  async render(el, ctx) {
    const [what, arg] = ctx.path;
    const role = ctx.user.role;
    if (what === "owed" && SUBMITTERS.includes(role)) await renderOwed(el, ctx);
    else if (what === "submit" && SUBMITTERS.includes(role)) await renderSubmit(el, ctx);
    else if (what === "review" && REVIEWERS.includes(role)) await renderReview(el, ctx);
    else if (what === "set" && REVIEWERS.includes(role)) await renderSet(el, ctx);
    else if (what === "s" && arg) await renderOne(el, ctx, arg);
    // A reporting officer's work is what they owe.
    else if (!what && role === "reporting_officer") await renderOwed(el, ctx);
    else await renderProgress(el, ctx);
  },
};
