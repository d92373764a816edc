// @ts-check
// The police licensing desk: before a security-and-order certificate is issued or renewed, an
// officer looks a business up (licence number, tax code, or name and address), always with a
// purpose, and reads five years of its inspections, its violations and its tips; the record of
// the lookup prints with its audit id. The officer's own lookups are listed at #/licensing/history.

import { h } from "../../../shared/js/dom.js";
import { Api, query } from "../../../shared/js/api.js";
import { pointMap, wideBounds } from "../../../shared/js/map.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, name: string, address: string, licence_no: string | null, tax_code: string, status: string,
 *   lat: number, lon: number, area_code: string, area_name: string}} Candidate
 * @typedef {{code: string, severity: string, note: string, resolved_on: string | null}} Finding
 * @typedef {{id: string, date: string, team: string, outcome: string, violations: Finding[], follow_up: string,
 *   amendments: number, finished_at: string}} InspectionRecord
 * @typedef {{id: string, received_at: string, status: string, type: string, handling: string, handled_at: string | null}} TipRecord
 * @typedef {{username: string, display_name: string}} Officer
 * @typedef {{id: string, violation_code: string, status: string, decision_no: string, decision_date: string | null, authority: string,
 *   fine_amount: number, paid_on: string | null, suspension_end: string | null, withdrawal_end: string | null, forms: string[],
 *   overdue: boolean, security_order: boolean, referred_on: string | null, police_case_no: string}} SanctionRecord
 * @typedef {{at: string, event: string, status: string, until: string | null, note: string}} CertEvent
 * @typedef {{number: string, issued_on: string | null, status: string, suspended_until: string | null, withdrawn_until: string | null,
 *   flag: string, flagged_at: string | null, flag_reason: string, history: CertEvent[]}} Certificate
 * @typedef {object} Answer
 * @property {number} lookup_id
 * @property {Officer} officer
 * @property {string} purpose
 * @property {string} checked_at
 * @property {any} [business]
 * @property {string} [area_name]
 * @property {string} [summary]
 * @property {InspectionRecord[]} [inspections]
 * @property {Finding[]} [open_violations]
 * @property {TipRecord[]} [tips]
 * @property {string} [since]
 * @property {SanctionRecord[]} [sanctions]
 * @property {Certificate} [certificate]
 * @property {string} [certificate_status]
 * @property {Candidate[]} [candidates]
 * @property {boolean} [notFound] a number nobody has: the candidates are near matches
 * @typedef {{kind: string, text: string, purpose: string}} Search
 */

const KINDS = ["q", "licence_no", "tax_code"];

/** @type {import("../../../shared/js/i18n.js").Messages} */
const messages = {
  vi: {
    "licensing.nav": "Tra cứu cấp phép",
    "licensing.title": "Tra cứu cơ sở trước khi cấp giấy chứng nhận an ninh trật tự",
    "licensing.tabSearch": "Tra cứu",
    "licensing.tabHistory": "Lịch sử tra cứu của tôi",
    "licensing.kind": "Tra theo",
    "licensing.kind.q": "Tên hoặc địa chỉ",
    "licensing.kind.licence_no": "Số giấy phép kinh doanh",
    "licensing.kind.tax_code": "Mã số thuế",
    "licensing.text": "Nội dung tra cứu",
    "licensing.text.q": "Ví dụ: hoa hong, 30 thang 4",
    "licensing.text.licence_no": "Ví dụ: 1800123456",
    "licensing.text.tax_code": "Ví dụ: 0301234567",
    "licensing.purpose": "Lý do tra cứu",
    "licensing.purposeHint": "Số hồ sơ đề nghị cấp hoặc cấp lại giấy chứng nhận, hoặc lý do khác. Mỗi lần tra cứu được ghi lại.",
    "licensing.purposeMissing": "Cần ghi lý do tra cứu (ví dụ số hồ sơ đề nghị) trước khi tra cứu.",
    "licensing.textMissing": "Cần nhập nội dung tra cứu.",
    "licensing.search": "Tra cứu",
    "licensing.searching": "Đang tra cứu…",
    "licensing.candidates": "{n} cơ sở phù hợp: chọn đúng cơ sở cần tra cứu",
    "licensing.noCandidates": "Không có cơ sở nào phù hợp với nội dung tra cứu.",
    "licensing.near": "Không có cơ sở nào mang số này. Các cơ sở có số gần giống:",
    "licensing.mapLabel": "Bản đồ các cơ sở phù hợp",
    "licensing.pick": "Xem cơ sở này",
    "licensing.cannotPick": "Cơ sở chưa có số giấy phép và mã số thuế",
    "licensing.licenceNo": "Số giấy phép kinh doanh",
    "licensing.taxCode": "Mã số thuế",
    "licensing.none": "Không có",
    "licensing.record": "Biên bản tra cứu",
    "licensing.lookupId": "Mã tra cứu",
    "licensing.officer": "Cán bộ tra cứu",
    "licensing.checkedAt": "Thời điểm tra cứu",
    "licensing.asked": "Nội dung tra cứu",
    "licensing.print": "In biên bản tra cứu",
    "licensing.newSearch": "Tra cứu cơ sở khác",
    "licensing.backToList": "Quay lại danh sách",
    "licensing.identity": "Thông tin cơ sở",
    "licensing.name": "Tên cơ sở",
    "licensing.category": "Ngành nghề",
    "licensing.address": "Địa chỉ",
    "licensing.area": "Phường, xã",
    "licensing.owner": "Chủ cơ sở",
    "licensing.status": "Tình trạng hoạt động",
    "licensing.openedOn": "Ngày bắt đầu hoạt động",
    "licensing.certTitle": "Giấy chứng nhận đủ điều kiện về an ninh, trật tự",
    "licensing.certNumber": "Số giấy chứng nhận",
    "licensing.certIssued": "Ngày ghi nhận",
    "licensing.certStatus": "Tình trạng hôm nay",
    "licensing.certUntil": "Đến ngày {date}",
    "licensing.certHistory": "Diễn biến",
    "licensing.certFlag": "Cảnh báo",
    "licensing.sanctionsTitle": "Xử phạt vi phạm hành chính",
    "licensing.noSanctions": "Chưa bị xử phạt lần nào.",
    "licensing.sanctionDecision": "Quyết định",
    "licensing.sanctionViolation": "Hành vi",
    "licensing.sanctionForms": "Hình thức",
    "licensing.sanctionStatus": "Tình trạng",
    "licensing.sanctionFine": "Phạt {amount} đồng",
    "licensing.sanctionPaid": "đã nộp ngày {date}",
    "licensing.sanctionUnpaid": "chưa nộp",
    "licensing.sanctionOverdue": "Quá hạn",
    "licensing.sanctionSecurity": "về an ninh, trật tự",
    "licensing.sanctionProposed": "Chưa có quyết định",
    "licensing.sanctionReferred": "Chuyển công an ngày {date}",
    "licensing.summaryTitle": "Kết luận",
    "licensing.summary.clear": "Đã được kiểm tra và không phát hiện vi phạm nào.",
    "licensing.summary.violations_resolved": "Đã có vi phạm, tất cả đã được khắc phục.",
    "licensing.summary.open_violations": "Còn vi phạm chưa khắc phục.",
    "licensing.summary.never_inspected": "Chưa được kiểm tra lần nào trong năm năm qua.",
    "licensing.inspections": "Các lần kiểm tra từ {since} đến nay",
    "licensing.noInspections": "Không có lần kiểm tra nào trong năm năm qua.",
    "licensing.date": "Ngày",
    "licensing.team": "Tổ kiểm tra",
    "licensing.outcome": "Kết quả",
    "licensing.violations": "Vi phạm",
    "licensing.followUp": "Kiểm tra lại",
    "licensing.followUp.none": "Không cần",
    "licensing.followUp.pending": "Chưa kiểm tra lại",
    "licensing.followUp.done": "Đã kiểm tra lại",
    "licensing.amended": "Đã đính chính {n} lần, hiện kết quả mới nhất",
    "licensing.notAmended": "Không",
    "licensing.amendments": "Đính chính",
    "licensing.noViolation": "Không",
    "licensing.resolvedOn": "khắc phục ngày {date}",
    "licensing.openTitle": "Vi phạm chưa khắc phục",
    "licensing.resolvedTitle": "Vi phạm đã khắc phục",
    "licensing.foundOn": "phát hiện ngày {date}",
    "licensing.noOpen": "Không có vi phạm nào chưa khắc phục.",
    "licensing.noResolved": "Không có vi phạm nào đã khắc phục.",
    "licensing.tips": "Tin báo về cơ sở",
    "licensing.noTips": "Không có tin báo nào về cơ sở.",
    "licensing.received": "Ngày tiếp nhận",
    "licensing.tipType": "Loại tin báo",
    "licensing.tipStatus": "Tình trạng",
    "licensing.handling": "Cách xử lý",
    "licensing.handledAt": "Ngày xử lý xong",
    "licensing.unknownTeam": "Không ghi nhận",
    "licensing.historyTitle": "Lịch sử tra cứu của tôi",
    "licensing.historyEmpty": "Bạn chưa tra cứu lần nào.",
    "licensing.when": "Thời điểm",
    "licensing.businesses": "Cơ sở trong kết quả",
    "licensing.notFound": "Không tìm thấy cơ sở nào",
    "licensing.more": "Xem các lần tra cứu trước",
    "licensing.andMore": "và {n} cơ sở khác",
    "licensing.unnamed": "(cơ sở không rõ tên)",
  },
  en: {
    "licensing.nav": "Licensing checks",
    "licensing.title": "Check a business before a security-and-order certificate is issued",
    "licensing.tabSearch": "Check",
    "licensing.tabHistory": "My lookups",
    "licensing.kind": "Look up by",
    "licensing.kind.q": "Name or address",
    "licensing.kind.licence_no": "Business licence number",
    "licensing.kind.tax_code": "Tax code",
    "licensing.text": "Search for",
    "licensing.text.q": "For example: hoa hong, 30 thang 4",
    "licensing.text.licence_no": "For example: 1800123456",
    "licensing.text.tax_code": "For example: 0301234567",
    "licensing.purpose": "Purpose of the lookup",
    "licensing.purposeHint": "The application number of the certificate (new or renewed), or another reason. Every lookup is recorded.",
    "licensing.purposeMissing": "Give the purpose of the lookup (for example the application number) before looking up.",
    "licensing.textMissing": "Type what to look for.",
    "licensing.search": "Look up",
    "licensing.searching": "Looking up…",
    "licensing.candidates": "{n} matching businesses: choose the one you mean",
    "licensing.noCandidates": "No business matches.",
    "licensing.near": "No business has this number. Businesses with similar numbers:",
    "licensing.mapLabel": "Map of the matching businesses",
    "licensing.pick": "Open this business",
    "licensing.cannotPick": "The business has no licence number or tax code",
    "licensing.licenceNo": "Business licence number",
    "licensing.taxCode": "Tax code",
    "licensing.none": "None",
    "licensing.record": "Record of the lookup",
    "licensing.lookupId": "Lookup number",
    "licensing.officer": "Officer",
    "licensing.checkedAt": "Looked up at",
    "licensing.asked": "Looked up",
    "licensing.print": "Print the record of the lookup",
    "licensing.newSearch": "Look up another business",
    "licensing.backToList": "Back to the list",
    "licensing.identity": "The business",
    "licensing.name": "Name",
    "licensing.category": "Trade",
    "licensing.address": "Address",
    "licensing.area": "Ward or commune",
    "licensing.owner": "Owner",
    "licensing.status": "Trading status",
    "licensing.openedOn": "Opened on",
    "licensing.certTitle": "Security-and-order certificate",
    "licensing.certNumber": "Certificate number",
    "licensing.certIssued": "Recorded on",
    "licensing.certStatus": "Status today",
    "licensing.certUntil": "Until {date}",
    "licensing.certHistory": "History",
    "licensing.certFlag": "Flag",
    "licensing.sanctionsTitle": "Administrative sanctions",
    "licensing.noSanctions": "Never sanctioned.",
    "licensing.sanctionDecision": "Decision",
    "licensing.sanctionViolation": "Violation",
    "licensing.sanctionForms": "Forms",
    "licensing.sanctionStatus": "Status",
    "licensing.sanctionFine": "Fine of {amount} VND",
    "licensing.sanctionPaid": "paid on {date}",
    "licensing.sanctionUnpaid": "not paid",
    "licensing.sanctionOverdue": "Overdue",
    "licensing.sanctionSecurity": "on security and order",
    "licensing.sanctionProposed": "No decision yet",
    "licensing.sanctionReferred": "Referred to the police on {date}",
    "licensing.summaryTitle": "Conclusion",
    "licensing.summary.clear": "Inspected, and no violation was ever found.",
    "licensing.summary.violations_resolved": "Violations were found; all have been put right.",
    "licensing.summary.open_violations": "A violation has not been put right yet.",
    "licensing.summary.never_inspected": "Not inspected in the last five years.",
    "licensing.inspections": "Inspections since {since}",
    "licensing.noInspections": "No inspection in the last five years.",
    "licensing.date": "Date",
    "licensing.team": "Team",
    "licensing.outcome": "Outcome",
    "licensing.violations": "Violations",
    "licensing.followUp": "Follow-up",
    "licensing.followUp.none": "Not needed",
    "licensing.followUp.pending": "Not yet visited",
    "licensing.followUp.done": "Visited",
    "licensing.amended": "Corrected {n} times; the latest result is shown",
    "licensing.notAmended": "No",
    "licensing.amendments": "Corrections",
    "licensing.noViolation": "None",
    "licensing.resolvedOn": "put right on {date}",
    "licensing.openTitle": "Violations not yet put right",
    "licensing.resolvedTitle": "Violations put right",
    "licensing.foundOn": "found on {date}",
    "licensing.noOpen": "No violation is waiting to be put right.",
    "licensing.noResolved": "No violation has been put right.",
    "licensing.tips": "Tips about the business",
    "licensing.noTips": "No tip about the business.",
    "licensing.received": "Received",
    "licensing.tipType": "Kind of tip",
    "licensing.tipStatus": "State",
    "licensing.handling": "Handling",
    "licensing.handledAt": "Handled on",
    "licensing.unknownTeam": "Not recorded",
    "licensing.historyTitle": "My lookups",
    "licensing.historyEmpty": "You have not looked anything up yet.",
    "licensing.when": "When",
    "licensing.businesses": "Businesses in the answer",
    "licensing.notFound": "No business found",
    "licensing.more": "Show earlier lookups",
    "licensing.andMore": "and {n} more",
    "licensing.unnamed": "(business without a name)",
  },
};

// The desk's state outlives a screen: going to the history and back, or switching the language,
// shows the same search and report again.
const state = {
  /** @type {Search} */
  search: { kind: "q", text: "", purpose: "" },
  /** @type {Answer | null} the last search's answer with candidates */
  list: null,
  /** @type {Search | null} what the list answered */
  listFor: null,
  /** @type {Answer | null} the report on screen */
  report: null,
  /** @type {Search | null} what the report answered */
  reportFor: null,
};

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function render(el, ctx) {
  const { t } = ctx;
  const tab = ctx.path[0] === "history" ? "history" : "search";
  const tabs = h("nav", { class: "lic-tabs no-print", "aria-label": t("licensing.nav") },
    h("a", { href: "#/licensing", class: tab === "search" ? "active" : "", "aria-current": tab === "search" ? "page" : null }, t("licensing.tabSearch")),
    h("a", { href: "#/licensing/history", class: tab === "history" ? "active" : "", "aria-current": tab === "history" ? "page" : null }, t("licensing.tabHistory")));
  const body = h("div", {});
  el.replaceChildren(tabs, body);
  if (tab === "history") {
    ctx.setTitle(t("licensing.historyTitle"));
    await renderHistory(body, ctx);
  } else {
    ctx.setTitle(t("licensing.nav"));
    renderSearch(body, ctx);
  }
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
function renderSearch(el, ctx) {
  const { t } = ctx;
  const s = state.search;
  const kind = /** @type {HTMLSelectElement} */ (h("select", { id: "lic-kind", name: "kind" },
    KINDS.map(k => h("option", { value: k, selected: k === s.kind }, t("licensing.kind." + k)))));
  const text = /** @type {HTMLInputElement} */ (h("input", { id: "lic-text", name: "text", type: "search", value: s.text, maxlength: 100,
    autocomplete: "off", spellcheck: "false", placeholder: t("licensing.text." + s.kind) }));
  const purpose = /** @type {HTMLInputElement} */ (h("input", { id: "lic-purpose", name: "purpose", value: s.purpose, maxlength: 200,
    autocomplete: "off", "aria-describedby": "lic-purpose-hint lic-purpose-error", "aria-required": "true" }));
  const purposeError = h("p", { id: "lic-purpose-error", class: "field-error", role: "alert", hidden: true });
  const textError = h("p", { id: "lic-text-error", class: "field-error", role: "alert", hidden: true });
  const errors = h("div", { id: "lic-error", hidden: true });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "lic-submit" }, t("licensing.search")));
  const results = h("div", { id: "lic-results" });
  kind.addEventListener("change", () => { text.placeholder = t("licensing.text." + kind.value); });

  const form = h("form", { id: "lic-form", class: "card no-print", novalidate: true },
    h("h1", {}, t("licensing.title")),
    h("div", { class: "row" },
      h("div", {}, h("label", { for: "lic-kind" }, t("licensing.kind")), kind),
      h("div", { class: "grow" }, h("label", { for: "lic-text" }, t("licensing.text")), text, textError)),
    h("label", { for: "lic-purpose" }, t("licensing.purpose"), h("span", { class: "lic-required", "aria-hidden": "true" }, " *")),
    purpose,
    h("p", { id: "lic-purpose-hint", class: "muted lic-hint" }, t("licensing.purposeHint")),
    purposeError,
    errors,
    h("div", { class: "row" }, submit));

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const want = { kind: kind.value, text: text.value.trim(), purpose: purpose.value.trim() };
    state.search = want;
    purposeError.hidden = textError.hidden = errors.hidden = true;
    purpose.removeAttribute("aria-invalid");
    text.removeAttribute("aria-invalid");
    // The purpose comes first: without it nothing is asked of the server.
    if (!want.purpose) {
      purposeError.textContent = t("licensing.purposeMissing");
      purposeError.hidden = false;
      purpose.setAttribute("aria-invalid", "true");
      purpose.focus();
      return;
    }
    if (!want.text) {
      textError.textContent = t("licensing.textMissing");
      textError.hidden = false;
      text.setAttribute("aria-invalid", "true");
      text.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t("licensing.searching");
    try {
      const ans = await check(ctx, want);
      if (ans.business) {
        state.report = ans;
        state.reportFor = want;
        state.list = null;
        state.listFor = null;
      } else {
        state.list = ans;
        state.listFor = want;
        state.report = null;
        state.reportFor = null;
      }
      showResults(results, ctx);
    } catch (ex) {
      ctx.showError(errors, ex, labels(t, want.kind));
      if (ex && ex.field === "purpose") purpose.setAttribute("aria-invalid", "true");
    } finally {
      submit.disabled = false;
      submit.textContent = t("licensing.search");
    }
  });

  el.replaceChildren(form, results);
  showResults(results, ctx);
  if (!state.report && !state.list) (s.purpose ? text : purpose).focus();
}

/**
 * labels names the API's fields as the form does.
 * @param {(key: string, vars?: Record<string, any>) => string} t
 * @param {string} kind
 */
function labels(t, kind) {
  const what = t("licensing.kind." + kind);
  return { purpose: t("licensing.purpose"), q: what, licence_no: what, tax_code: what };
}

/**
 * check asks the server. A number nobody has is an answer too (404 with near matches).
 * @param {DeskContext} ctx
 * @param {Search} s
 * @returns {Promise<Answer>}
 */
async function check(ctx, s) {
  const path = "/api/v1/licensing/check" + query({ [s.kind]: s.text, purpose: s.purpose });
  const resp = await ctx.api.request("GET", path);
  if (resp.status === 404) {
    const body = await resp.clone().json().catch(() => null);
    if (body && Array.isArray(body.candidates)) return { ...body, notFound: true };
  }
  if (!resp.ok) throw await Api.error(resp);
  return resp.json();
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
function showResults(el, ctx) {
  if (state.report) renderReport(el, ctx, state.report, state.reportFor);
  else if (state.list) renderCandidates(el, ctx, state.list);
  else el.replaceChildren();
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {Answer} ans
 */
function renderCandidates(el, ctx, ans) {
  const { t, ref } = ctx;
  const cands = ans.candidates || [];
  if (!cands.length) {
    el.replaceChildren(h("section", { class: "card", id: "lic-candidates" },
      h("p", {}, ans.notFound ? t("licensing.notFound") : t("licensing.noCandidates"))));
    return;
  }
  const open = async (/** @type {Candidate} */ c) => {
    const s = state.listFor || state.search;
    const want = c.licence_no ? { kind: "licence_no", text: c.licence_no, purpose: s.purpose } : { kind: "tax_code", text: c.tax_code, purpose: s.purpose };
    const box = h("div", {});
    el.prepend(box);
    try {
      const got = await check(ctx, want);
      if (!got.business) throw new Error(t("licensing.notFound"));
      state.report = got;
      state.reportFor = want;
      showResults(el, ctx);
      el.scrollIntoView({ block: "start" });
    } catch (ex) {
      ctx.showError(box, ex, labels(t, want.kind));
    }
  };
  const mapEl = h("div", { class: "lic-map" });
  const items = cands.map((c, i) => {
    const can = !!(c.licence_no || c.tax_code);
    return h("li", { class: "lic-candidate", dataset: { id: c.id } },
      h("span", { class: "lic-num", "aria-hidden": "true" }, String(i + 1)),
      h("div", { class: "lic-cand-body" },
        h("b", {}, c.name),
        h("div", {}, [c.address, c.area_name].filter(Boolean).join(", ")),
        h("div", { class: "muted" },
          `${t("licensing.licenceNo")}: ${c.licence_no || t("licensing.none")} · ${t("licensing.taxCode")}: ${c.tax_code || t("licensing.none")} · `,
          h("span", { class: "badge" + (c.status === "active" ? " ok" : "") }, ref.label("business_status", c.status)))),
      h("button", { type: "button", class: "secondary", disabled: !can, title: can ? null : t("licensing.cannotPick"), onclick: () => open(c) }, t("licensing.pick")));
  });
  el.replaceChildren(h("section", { class: "card", id: "lic-candidates" },
    h("h2", {}, ans.notFound ? t("licensing.near") : t("licensing.candidates", { n: ctx.fmt.num(cands.length) })),
    h("div", { class: "lic-cand-grid" }, h("ol", { class: "lic-list" }, items), mapEl)));
  const points = cands.map((c, i) => ({ id: c.id, lat: c.lat, lon: c.lon, label: String(i + 1), title: `${i + 1}. ${c.name}` }));
  pointMap(mapEl, points, {
    label: t("licensing.mapLabel"),
    bounds: wideBounds(points, 1.5),
    onSelect: p => {
      for (const li of el.querySelectorAll(".lic-candidate")) li.classList.toggle("selected", /** @type {HTMLElement} */ (li).dataset.id === p.id);
      const li = /** @type {HTMLElement | null} */ (el.querySelector(`.lic-candidate[data-id="${CSS.escape(p.id)}"]`));
      if (li) { li.scrollIntoView({ block: "nearest" }); li.querySelector("button")?.focus(); }
    },
  });
}

/**
 * certificateSection is the certificate's status today, the nightly rule's flag (Decree 96/2016
 * Art. 18.2) and its history.
 * @param {DeskContext} ctx @param {Answer} ans
 */
function certificateSection(ctx, ans) {
  const { t, fmt, ref } = ctx;
  const c = ans.certificate;
  if (!c) return null;
  const st = ans.certificate_status || c.status;
  const until = st === "suspended" ? c.suspended_until : st === "withdrawn" ? c.withdrawn_until : null;
  const tone = st === "valid" ? "badge ok" : st === "none" ? "badge" : "badge bad";
  return h("section", { class: "card", id: "lic-certificate" }, h("h2", {}, t("licensing.certTitle")),
    c.flag ? h("p", { class: "alert", id: "lic-cert-flag", role: "alert" }, h("b", {}, ref.label("certificate_flag", c.flag)),
      c.flagged_at ? h("span", { class: "muted" }, ` (${fmt.date(c.flagged_at)})`) : null) : null,
    h("dl", { class: "lic-dl" },
      h("dt", {}, t("licensing.certNumber")), h("dd", {}, c.number || "–"),
      h("dt", {}, t("licensing.certIssued")), h("dd", {}, c.issued_on ? fmt.date(c.issued_on) : "–"),
      h("dt", {}, t("licensing.certStatus")), h("dd", {}, h("span", { class: tone, id: "lic-cert-status" }, ref.label("certificate_status", st)),
        until ? " " + t("licensing.certUntil", { date: fmt.date(until) }) : "")),
    c.history && c.history.length ? h("details", { class: "lic-cert-history" }, h("summary", {}, t("licensing.certHistory")),
      h("ul", {}, c.history.map(e => h("li", {}, `${fmt.date(e.at)}: ${ref.label("certificate_event", e.event)}`,
        e.until ? ` — ${t("licensing.certUntil", { date: fmt.date(e.until) })}` : "", e.note && e.event !== "flag" ? ` (${e.note})` : "")))) : null);
}

/**
 * sanctionSection lists the business's sanctions: decision, violation, forms and where each stands.
 * @param {DeskContext} ctx @param {Answer} ans
 */
function sanctionSection(ctx, ans) {
  const { t, fmt, ref } = ctx;
  const list = ans.sanctions || [];
  const forms = (/** @type {SanctionRecord} */ s) => {
    const out = s.forms.map(f => f === "fine"
      ? `${t("licensing.sanctionFine", { amount: fmt.num(s.fine_amount) })} (${s.paid_on ? t("licensing.sanctionPaid", { date: fmt.date(s.paid_on) }) : t("licensing.sanctionUnpaid")})`
      : ref.label("sanction_form", f));
    return out.length ? out.join("; ") : "–";
  };
  return h("section", { class: "card", id: "lic-sanctions" }, h("h2", {}, t("licensing.sanctionsTitle")),
    list.length ? h("div", { class: "table-wrap" }, h("table", { class: "lic-table", id: "lic-sanction-table" },
      h("thead", {}, h("tr", {}, [t("licensing.sanctionDecision"), t("licensing.sanctionViolation"), t("licensing.sanctionForms"), t("licensing.sanctionStatus")].map(x => h("th", { scope: "col" }, x)))),
      h("tbody", {}, list.map(s => h("tr", { dataset: { sanction: s.id } },
        h("td", { "data-label": t("licensing.sanctionDecision") }, s.decision_no
          ? [h("b", {}, s.decision_no), h("div", { class: "muted small" }, `${s.decision_date ? fmt.date(s.decision_date) : ""} · ${s.authority}`)]
          : h("span", { class: "muted" }, t("licensing.sanctionProposed"))),
        h("td", { "data-label": t("licensing.sanctionViolation") }, ref.label("violation", s.violation_code),
          s.security_order ? h("div", { class: "muted small" }, t("licensing.sanctionSecurity")) : null),
        h("td", { "data-label": t("licensing.sanctionForms") }, forms(s)),
        h("td", { "data-label": t("licensing.sanctionStatus") }, ref.label("sanction_status", s.status),
          s.referred_on ? h("div", { class: "small" }, t("licensing.sanctionReferred", { date: fmt.date(s.referred_on) }), s.police_case_no ? ` (${s.police_case_no})` : "") : null,
          s.overdue ? h("span", { class: "badge bad" }, t("licensing.sanctionOverdue")) : null))))))
      : h("p", { class: "muted" }, t("licensing.noSanctions")));
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {Answer} ans
 * @param {Search | null} asked
 */
function renderReport(el, ctx, ans, asked) {
  const { t, fmt, ref } = ctx;
  const b = ans.business;
  const dl = (/** @type {[string, any][]} */ rows) => h("dl", { class: "lic-dl" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v || "–")]));
  const officer = ans.officer ? (ans.officer.display_name && ans.officer.display_name !== ans.officer.username
    ? `${ans.officer.display_name} (${ans.officer.username})` : ans.officer.username) : "";
  const record = h("section", { class: "card lic-record", id: "lic-record" },
    h("div", { class: "lic-record-head" },
      h("h2", {}, t("licensing.record")),
      h("div", { class: "row no-print" },
        h("button", { type: "button", id: "lic-print", onclick: () => window.print() }, t("licensing.print")),
        state.list ? h("button", { type: "button", class: "secondary", onclick: () => { state.report = null; showResults(el, ctx); } }, t("licensing.backToList")) : null,
        h("button", { type: "button", class: "secondary", onclick: () => { state.report = null; state.list = null; showResults(el, ctx); document.getElementById("lic-text")?.focus(); } }, t("licensing.newSearch")))),
    dl([
      [t("licensing.lookupId"), h("span", { id: "lic-lookup-id" }, String(ans.lookup_id))],
      [t("licensing.officer"), officer],
      [t("licensing.purpose"), ans.purpose],
      [t("licensing.checkedAt"), fmt.dateTime(ans.checked_at)],
      [t("licensing.asked"), asked ? `${t("licensing.kind." + asked.kind)}: ${asked.text}` : ""],
    ]));

  const identity = h("section", { class: "card" }, h("h2", {}, t("licensing.identity")), dl([
    [t("licensing.name"), h("b", { id: "lic-biz-name" }, b.name)],
    [t("licensing.category"), ref.label("category", b.category)],
    [t("licensing.address"), b.address],
    [t("licensing.area"), ans.area_name],
    [t("licensing.licenceNo"), b.licence_no],
    [t("licensing.taxCode"), b.tax_code],
    [t("licensing.owner"), b.owner_name],
    [t("licensing.status"), ref.label("business_status", b.status)],
    [t("licensing.openedOn"), b.opened_on ? fmt.date(b.opened_on) : ""],
  ]));

  const tone = { clear: "ok", violations_resolved: "ok", open_violations: "bad", never_inspected: "warn" }[ans.summary] || "warn";
  const summary = h("section", { class: "card" }, h("h2", {}, t("licensing.summaryTitle")),
    h("p", { id: "lic-summary", class: tone === "ok" ? "notice" : tone === "bad" ? "alert" : "warn" }, t("licensing.summary." + ans.summary)));

  const ins = ans.inspections || [];
  const violationList = (/** @type {Finding[]} */ vs) => vs.length
    ? h("ul", { class: "lic-violations" }, vs.map(v => h("li", {}, ref.label("violation", v.code),
      v.resolved_on ? h("span", { class: "muted" }, " (" + t("licensing.resolvedOn", { date: fmt.date(v.resolved_on) }) + ")") : null)))
    : t("licensing.noViolation");
  const inspections = h("section", { class: "card" }, h("h2", {}, t("licensing.inspections", { since: fmt.date(ans.since) })),
    ins.length ? h("div", { class: "table-wrap" }, h("table", { class: "lic-table", id: "lic-inspections" },
      h("thead", {}, h("tr", {}, [t("licensing.date"), t("licensing.team"), t("licensing.outcome"), t("licensing.violations"), t("licensing.followUp"), t("licensing.amendments")].map(x => h("th", { scope: "col" }, x)))),
      h("tbody", {}, ins.map(r => h("tr", {},
        h("td", { "data-label": t("licensing.date") }, fmt.date(r.date)),
        h("td", { "data-label": t("licensing.team") }, r.team || t("licensing.unknownTeam")),
        h("td", { "data-label": t("licensing.outcome") }, ref.label("outcome", r.outcome)),
        h("td", { "data-label": t("licensing.violations") }, violationList(r.violations || [])),
        h("td", { "data-label": t("licensing.followUp") }, t("licensing.followUp." + (r.follow_up || "none"))),
        h("td", { "data-label": t("licensing.amendments") }, r.amendments > 0 ? t("licensing.amended", { n: fmt.num(r.amendments) }) : t("licensing.notAmended")))))))
      : h("p", { class: "muted" }, t("licensing.noInspections")));

  // Each violation with the day it was found: the inspections carry both.
  const open = [], resolved = [];
  for (const r of ins) {
    for (const v of r.violations || []) (v.resolved_on ? resolved : open).push({ v, date: r.date });
  }
  const vioSection = (title, list, empty, id) => h("section", { class: "card", id },
    h("h2", {}, title),
    list.length ? h("ul", { class: "lic-violations" }, list.map(({ v, date }) => h("li", {},
      h("b", {}, ref.label("violation", v.code)), " — ", t("licensing.foundOn", { date: fmt.date(date) }),
      v.resolved_on ? ", " + t("licensing.resolvedOn", { date: fmt.date(v.resolved_on) }) : "")))
      : h("p", { class: "muted" }, empty));

  const tips = ans.tips || [];
  const tipSection = h("section", { class: "card" }, h("h2", {}, t("licensing.tips")),
    tips.length ? h("div", { class: "table-wrap" }, h("table", { class: "lic-table", id: "lic-tips" },
      h("thead", {}, h("tr", {}, [t("licensing.received"), t("licensing.tipType"), t("licensing.tipStatus"), t("licensing.handling"), t("licensing.handledAt")].map(x => h("th", { scope: "col" }, x)))),
      h("tbody", {}, tips.map(x => h("tr", {},
        h("td", { "data-label": t("licensing.received") }, fmt.date(x.received_at)),
        h("td", { "data-label": t("licensing.tipType") }, ref.label("tip_type", x.type) || "–"),
        h("td", { "data-label": t("licensing.tipStatus") }, ref.label("tip_status", x.status)),
        h("td", { "data-label": t("licensing.handling") }, ref.label("tip_handling", x.handling) || "–"),
        h("td", { "data-label": t("licensing.handledAt") }, x.handled_at ? fmt.date(x.handled_at) : "–"))))))
      : h("p", { class: "muted" }, t("licensing.noTips")));

  el.replaceChildren(h("article", { class: "lic-report", id: "lic-report" }, record, identity, summary, certificateSection(ctx, ans), sanctionSection(ctx, ans), inspections,
    vioSection(t("licensing.openTitle"), open, t("licensing.noOpen"), "lic-open"),
    vioSection(t("licensing.resolvedTitle"), resolved, t("licensing.noResolved"), "lic-resolved"),
    tipSection));
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function renderHistory(el, ctx) {
  const { t, fmt } = ctx;
  const tbody = h("tbody", {});
  const more = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "secondary", id: "lic-more", hidden: true }, t("licensing.more")));
  const errors = h("div", { hidden: true });
  const section = h("section", { class: "card", id: "lic-history" }, h("h1", {}, t("licensing.historyTitle")));
  el.replaceChildren(section);
  const page = async (before) => {
    const got = await ctx.api.get("/api/v1/licensing/lookups" + query({ before }));
    const items = got.items || [];
    for (const it of items) {
      const bs = it.businesses || [];
      const names = bs.slice(0, 3).map(b => b.name || t("licensing.unnamed")).join("; ");
      tbody.append(h("tr", { dataset: { id: String(it.id) } },
        h("td", { "data-label": t("licensing.when") }, fmt.dateTime(it.at)),
        h("td", { "data-label": t("licensing.lookupId") }, String(it.id)),
        h("td", { "data-label": t("licensing.asked") }, KINDS.includes(it.kind) ? `${t("licensing.kind." + it.kind)}: ${it.text}` : it.text),
        h("td", { "data-label": t("licensing.purpose") }, it.purpose),
        h("td", { "data-label": t("licensing.businesses") }, bs.length ? names + (bs.length > 3 ? " " + t("licensing.andMore", { n: fmt.num(bs.length - 3) }) : "") : h("span", { class: "muted" }, t("licensing.notFound")))));
    }
    more.hidden = !got.next_before;
    more.dataset.before = got.next_before ? String(got.next_before) : "";
    return items.length;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    errors.hidden = true;
    try {
      await page(Number(more.dataset.before));
    } catch (ex) {
      ctx.showError(errors, ex);
    } finally {
      more.disabled = false;
    }
  });
  const n = await page(undefined);
  if (!n) {
    section.append(h("p", { class: "muted" }, t("licensing.historyEmpty")));
    return;
  }
  section.append(h("div", { class: "table-wrap" }, h("table", { class: "lic-table" },
    h("thead", {}, h("tr", {}, [t("licensing.when"), t("licensing.lookupId"), t("licensing.asked"), t("licensing.purpose"), t("licensing.businesses")].map(x => h("th", { scope: "col" }, x)))),
    tbody)), errors, h("div", { class: "row lic-more" }, more));
}

/** @type {import("../main.js").Desk} */
export default {
  id: "licensing",
  roles: ["licensing_officer"],
  nav: { vi: "Tra cứu cấp phép", en: "Licensing checks" },
  messages,
  render,
};
