// @ts-check
// The sanctions desk: the sanctions of the user's jurisdiction with their next deadline, the
// overdue ones marked (#/sanctions, ?status=..., ?overdue=1); a proposal from a business and one
// of its findings (#/sanctions/new?business=ID&inspection=ID); and one sanction's page
// (#/sanctions/ID) with a form for each step: the decision, the fine's payment, each remedial
// measure done, the referral to the police. Planners and admins record the steps; viewers read.
// The API's refusals show beside their fields and what was typed stays.

import { clearErrors, field, showFieldErrors } from "../forms.js";
import { h } from "../../../shared/js/dom.js";
import { query } from "../../../shared/js/api.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{text: string, deadline: string | null, done_on: string | null}} Measure
 * @typedef {{id: string, business_id: string, business_name: string, area_code: string, inspection_id: string | null,
 *   violation_code: string, status: string, penalty_article: string, fine_min: number, fine_max: number, security_order: boolean,
 *   proposal_note: string, proposed_by: string, proposed_at: string, decision_no: string, decision_date: string | null,
 *   authority: string, warning: boolean, fine_amount: number, confiscation: string, suspension_start: string | null,
 *   suspension_end: string | null, withdrawal: boolean, withdrawal_start: string | null, withdrawal_end: string | null,
 *   measures: Measure[], follow_up_task_id: string | null, paid_on: string | null, paid_amount: number, receipt_no: string,
 *   referred_on: string | null, police_case_no: string, referral_outcome: string, forms: string[], fine_due: string | null,
 *   next_due: string | null, overdue: boolean, today: string, version: number}} Sanction
 */

/** @type {import("../../../shared/js/i18n.js").Messages} */
const messages = {
  vi: {
    sanNav: "Xử phạt",
    sanTitle: "Xử phạt vi phạm hành chính",
    sanNew: "Đề xuất xử phạt",
    sanFilterStatus: "Tình trạng",
    sanAll: "Tất cả",
    sanOverdueOnly: "Chỉ quá hạn",
    sanApply: "Lọc",
    sanCount: "{n} trường hợp, {o} quá hạn",
    sanNone: "Không có trường hợp nào.",
    sanColBusiness: "Cơ sở",
    sanColViolation: "Hành vi vi phạm",
    sanColDecision: "Quyết định",
    sanColForms: "Hình thức",
    sanColDue: "Hạn tiếp theo",
    sanColStatus: "Tình trạng",
    sanOverdue: "Quá hạn",
    sanNoDecision: "Chưa có quyết định",
    sanBack: "‹ Danh sách xử phạt",
    sanPageTitle: "Xử phạt: {name}",
    sanProposal: "Đề xuất",
    sanArticle: "Căn cứ xử phạt",
    sanRange: "Khung tiền phạt",
    sanRangeValue: "{min} – {max} đồng",
    sanNoRange: "Danh mục không quy định phạt tiền",
    sanSecurity: "Về an ninh, trật tự",
    sanYes: "Có",
    sanNo: "Không",
    sanProposedBy: "Người đề xuất",
    sanNote: "Ghi chú",
    sanInspection: "Kết quả kiểm tra",
    sanDecision: "Quyết định xử phạt",
    sanNumber: "Số quyết định",
    sanDate: "Ngày quyết định",
    sanAuthority: "Người có thẩm quyền",
    sanAuthorityHint: "Ví dụ: Chủ tịch UBND phường Ninh Kiều",
    sanWarning: "Cảnh cáo",
    sanFine: "Số tiền phạt (đồng)",
    sanConfiscation: "Tịch thu (tang vật, phương tiện)",
    sanSuspensionStart: "Đình chỉ hoạt động từ ngày",
    sanSuspensionEnd: "Đình chỉ đến ngày",
    sanWithdrawal: "Tước giấy phép, chứng chỉ",
    sanWithdrawalStart: "Tước từ ngày",
    sanWithdrawalEnd: "Tước đến ngày",
    sanMeasures: "Biện pháp khắc phục hậu quả",
    sanMeasureText: "Biện pháp {n}",
    sanMeasureDeadline: "Thời hạn biện pháp {n}",
    sanAddMeasure: "Thêm biện pháp",
    sanDecide: "Ghi nhận quyết định",
    sanDecided: "Đã ghi nhận quyết định.",
    sanFollowUp: "Đã tạo lượt phúc tra để kiểm tra việc khắc phục; lượt này vào kế hoạch của tổ.",
    sanFineDue: "Hạn nộp phạt: {date}",
    sanPayment: "Nộp phạt",
    sanPaidOn: "Ngày nộp",
    sanAmount: "Số tiền (đồng)",
    sanReceipt: "Số biên lai",
    sanRecordPayment: "Ghi nhận nộp phạt",
    sanPaid: "Đã nộp {amount} đồng ngày {date}, biên lai {receipt}.",
    sanPaidNow: "Đã ghi nhận nộp phạt.",
    sanDeadline: "hạn {date}",
    sanDoneOn: "Ngày hoàn thành",
    sanMarkDone: "Ghi nhận hoàn thành",
    sanMeasureDone: "hoàn thành ngày {date}",
    sanMeasureSaved: "Đã ghi nhận biện pháp hoàn thành.",
    sanReferral: "Chuyển cơ quan công an",
    sanReferredOn: "Ngày chuyển",
    sanCaseNo: "Số hồ sơ vụ án (nếu đã khởi tố)",
    sanOutcome: "Kết quả",
    sanRecordReferral: "Ghi nhận",
    sanReferralSaved: "Đã ghi nhận việc chuyển hồ sơ.",
    sanCertificate: "Giấy chứng nhận an ninh, trật tự",
    sanCertUntil: "đến ngày {date}",
    sanNewTitle: "Đề xuất xử phạt",
    sanBusiness: "Cơ sở",
    sanFind: "Tìm cơ sở (tên, địa chỉ, số giấy phép)",
    sanSearch: "Tìm",
    sanChoose: "— Chọn —",
    sanNoInspection: "Không gắn với kết quả kiểm tra",
    sanViolation: "Hành vi vi phạm",
    sanPropose: "Gửi đề xuất",
    sanSaving: "Đang lưu…",
    sanReadOnly: "Bạn chỉ có quyền xem.",
    sanCertNotRequired: "Ngành nghề của cơ sở không thuộc diện phải có giấy chứng nhận đủ điều kiện về an ninh, trật tự.",
    sanProposeOnly: "Tổ trưởng đề xuất; quyết định xử phạt và theo dõi chấp hành do cán bộ lập kế hoạch ghi.",
    sanFound: "{n} cơ sở",
  },
  en: {
    sanNav: "Sanctions",
    sanTitle: "Administrative sanctions",
    sanNew: "Propose a sanction",
    sanFilterStatus: "Status",
    sanAll: "All",
    sanOverdueOnly: "Overdue only",
    sanApply: "Filter",
    sanCount: "{n} cases, {o} overdue",
    sanNone: "No case.",
    sanColBusiness: "Business",
    sanColViolation: "Violation",
    sanColDecision: "Decision",
    sanColForms: "Forms",
    sanColDue: "Next deadline",
    sanColStatus: "Status",
    sanOverdue: "Overdue",
    sanNoDecision: "No decision yet",
    sanBack: "‹ The sanctions",
    sanPageTitle: "Sanction: {name}",
    sanProposal: "Proposal",
    sanArticle: "Penalty article",
    sanRange: "Fine range",
    sanRangeValue: "{min} – {max} VND",
    sanNoRange: "The catalogue gives no fine",
    sanSecurity: "On security and order",
    sanYes: "Yes",
    sanNo: "No",
    sanProposedBy: "Proposed by",
    sanNote: "Note",
    sanInspection: "Inspection",
    sanDecision: "Sanction decision",
    sanNumber: "Decision number",
    sanDate: "Decision date",
    sanAuthority: "Competent authority",
    sanAuthorityHint: "For example: Chair of the Ninh Kiều ward People's Committee",
    sanWarning: "Warning",
    sanFine: "Fine (VND)",
    sanConfiscation: "Confiscation (goods, means)",
    sanSuspensionStart: "Suspended from",
    sanSuspensionEnd: "Suspended until",
    sanWithdrawal: "Withdrawal of the licence or certificate",
    sanWithdrawalStart: "Withdrawn from",
    sanWithdrawalEnd: "Withdrawn until",
    sanMeasures: "Remedial measures",
    sanMeasureText: "Measure {n}",
    sanMeasureDeadline: "Deadline of measure {n}",
    sanAddMeasure: "Add a measure",
    sanDecide: "Record the decision",
    sanDecided: "The decision is recorded.",
    sanFollowUp: "A follow-up visit to check the measures was created; it joins the team's plan.",
    sanFineDue: "Fine due by {date}",
    sanPayment: "Payment",
    sanPaidOn: "Paid on",
    sanAmount: "Amount (VND)",
    sanReceipt: "Receipt number",
    sanRecordPayment: "Record the payment",
    sanPaid: "Paid {amount} VND on {date}, receipt {receipt}.",
    sanPaidNow: "The payment is recorded.",
    sanDeadline: "due {date}",
    sanDoneOn: "Done on",
    sanMarkDone: "Record as done",
    sanMeasureDone: "done on {date}",
    sanMeasureSaved: "The measure is recorded as done.",
    sanReferral: "Referral to the police",
    sanReferredOn: "Referred on",
    sanCaseNo: "Criminal case number (once opened)",
    sanOutcome: "Outcome",
    sanRecordReferral: "Record",
    sanReferralSaved: "The referral is recorded.",
    sanCertificate: "Security-and-order certificate",
    sanCertUntil: "until {date}",
    sanNewTitle: "Propose a sanction",
    sanBusiness: "Business",
    sanFind: "Find a business (name, address, licence number)",
    sanSearch: "Search",
    sanChoose: "— Choose —",
    sanNoInspection: "Not tied to an inspection",
    sanViolation: "Violation",
    sanPropose: "Send the proposal",
    sanSaving: "Saving…",
    sanReadOnly: "You may read only.",
    sanCertNotRequired: "The business's trade does not need a security-and-order certificate.",
    sanProposeOnly: "Team leads propose; the decision and its follow-through are recorded by the planners.",
    sanFound: "{n} businesses",
  },
};

const WRITERS = ["admin", "planner"];
// A team lead proposes a sanction for what the team found; the decision is the planners'.
const PROPOSERS = [...WRITERS, "team_lead"];

/** @param {DeskContext} ctx */
const canWrite = ctx => !!ctx.user && WRITERS.includes(ctx.user.role);
/** @param {DeskContext} ctx */
const canPropose = ctx => !!ctx.user && PROPOSERS.includes(ctx.user.role);

// The server's calendar day (each sanction tells it): the API refuses a date after it, and the
// browser's clock and zone may differ.
let serverToday = "";
const todayISO = () => serverToday || new Date().toISOString().slice(0, 10);

/**
 * input makes a form control with a value kept across refusals (the form is not redrawn).
 * @param {string} type @param {string} [value] @param {Record<string, any>} [attrs]
 */
function input(type, value, attrs) {
  return /** @type {HTMLInputElement} */ (h("input", { type, value: value || "", ...(attrs || {}) }));
}

/** @param {DeskContext} ctx @param {Sanction} s */
function formsText(ctx, s) {
  if (!s.forms || !s.forms.length) return "–";
  return s.forms.map(f => f === "fine" ? `${ctx.ref.label("sanction_form", f)} ${ctx.fmt.num(s.fine_amount)} đ` : ctx.ref.label("sanction_form", f)).join(", ");
}

// ---------------------------------------------------------------------------------------------
// The list

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderList(el, ctx) {
  const { t, fmt, ref } = ctx;
  ctx.setTitle(t("sanTitle"));
  const status = ctx.query.get("status") || "";
  const overdue = ctx.query.get("overdue") === "1";
  const res = await ctx.api.get("/api/v1/sanctions" + query({ status, overdue: overdue ? "true" : "", limit: "200" }));
  /** @type {Sanction[]} */
  const items = res.items || [];
  serverToday = res.today || serverToday;
  const statusSel = /** @type {HTMLSelectElement} */ (h("select", { id: "san-status" }, h("option", { value: "" }, t("sanAll")),
    ref.codes("sanction_status").map(c => h("option", { value: c, selected: c === status }, ref.label("sanction_status", c)))));
  const overdueBox = input("checkbox", "", { id: "san-overdue", checked: overdue });
  const filter = h("form", { class: "row san-filter", id: "san-filter", onsubmit: (/** @type {Event} */ ev) => {
    ev.preventDefault();
    ctx.go("#/sanctions" + query({ status: statusSel.value, overdue: overdueBox.checked ? "1" : "" }));
  } },
  field("san-field", "san-status", t("sanFilterStatus"), statusSel),
  h("label", { class: "san-check" }, overdueBox, t("sanOverdueOnly")),
  h("button", { type: "submit" }, t("sanApply")));
  const rows = items.map(s => h("tr", { class: s.overdue ? "san-row san-late" : "san-row", dataset: { sanction: s.id } },
    h("td", { "data-label": t("sanColBusiness") }, h("a", { href: `#/sanctions/${encodeURIComponent(s.id)}` }, s.business_name || s.business_id)),
    h("td", { "data-label": t("sanColViolation") }, ref.label("violation", s.violation_code)),
    h("td", { "data-label": t("sanColDecision") }, s.decision_no ? `${s.decision_no} · ${fmt.date(s.decision_date)}` : h("span", { class: "muted" }, t("sanNoDecision"))),
    h("td", { "data-label": t("sanColForms") }, formsText(ctx, s)),
    h("td", { "data-label": t("sanColDue") }, s.next_due ? fmt.date(s.next_due) : "–",
      s.overdue ? h("span", { class: "badge bad san-late-badge" }, t("sanOverdue")) : null),
    h("td", { "data-label": t("sanColStatus") }, ref.label("sanction_status", s.status))));
  const late = items.filter(s => s.overdue).length;
  el.replaceChildren(h("section", { class: "card" },
    h("div", { class: "row san-head" }, h("h1", { class: "grow" }, t("sanTitle")),
      canPropose(ctx) ? h("a", { class: "button", href: "#/sanctions/new", id: "san-new" }, t("sanNew")) : null),
    filter,
    h("p", { class: "muted", id: "san-count" }, t("sanCount", { n: fmt.num(res.total || 0), o: fmt.num(late) })),
    items.length ? h("table", { class: "stack san-table", id: "san-list" },
      h("thead", {}, h("tr", {}, ["sanColBusiness", "sanColViolation", "sanColDecision", "sanColForms", "sanColDue", "sanColStatus"].map(k => h("th", {}, t(k))))),
      h("tbody", {}, rows)) : h("p", { class: "muted" }, t("sanNone"))));
}

// ---------------------------------------------------------------------------------------------
// A new proposal

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderNew(el, ctx) {
  const { t, fmt, ref } = ctx;
  ctx.setTitle(t("sanNewTitle"));
  const given = ctx.query.get("business") || "";
  const bizSel = /** @type {HTMLSelectElement} */ (h("select", { id: "san-business" }, h("option", { value: "" }, t("sanChoose"))));
  const insSel = /** @type {HTMLSelectElement} */ (h("select", { id: "san-inspection" }, h("option", { value: "" }, t("sanNoInspection"))));
  const vioSel = /** @type {HTMLSelectElement} */ (h("select", { id: "san-violation" }, h("option", { value: "" }, t("sanChoose")),
    ref.codes("violation").map(c => h("option", { value: c }, ref.label("violation", c)))));
  const note = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "san-note", rows: "3", maxlength: "1000" }));
  const q = input("search", "", { id: "san-q", "aria-label": t("sanFind"), placeholder: t("sanFind") });
  const found = h("span", { class: "muted", id: "san-found" });
  /** @param {any[]} list */
  const fill = list => {
    bizSel.replaceChildren(h("option", { value: "" }, t("sanChoose")), ...list.map(b => h("option", { value: b.id, selected: b.id === given }, `${b.name} — ${b.address || ""}`)));
    found.textContent = t("sanFound", { n: fmt.num(list.length) });
  };
  const loadInspections = async () => {
    insSel.replaceChildren(h("option", { value: "" }, t("sanNoInspection")));
    if (!bizSel.value) return;
    const res = await ctx.api.get(`/api/v1/businesses/${encodeURIComponent(bizSel.value)}/inspections`);
    for (const it of res.items || []) {
      if (!(it.findings || []).length) continue;
      insSel.append(h("option", { value: it.id, dataset: { codes: it.findings.map(f => f.code).join(",") }, selected: it.id === ctx.query.get("inspection") },
        `${fmt.date(it.finished_at)} — ${it.findings.map(f => ref.label("violation", f.code)).join(", ")}`));
    }
    pickCode();
  };
  // A finding names the violation: the first of the chosen inspection's is proposed.
  const pickCode = () => {
    const opt = /** @type {HTMLOptionElement | undefined} */ (insSel.selectedOptions[0]);
    const codes = (opt && opt.dataset.codes || "").split(",").filter(Boolean);
    if (codes.length && !vioSel.value) vioSel.value = codes[0];
  };
  bizSel.addEventListener("change", () => { loadInspections().catch(ex => ctx.showError(general, ex)); });
  insSel.addEventListener("change", pickCode);
  const search = async () => {
    const res = await ctx.api.get("/api/v1/businesses" + query({ q: q.value.trim(), limit: "50" }));
    fill(res.items || []);
  };
  const general = h("div", { id: "san-error", hidden: true });
  const labels = { business_id: t("sanBusiness"), inspection_id: t("sanInspection"), violation_code: t("sanViolation"), note: t("sanNote") };
  const fields = { business_id: "san-business", inspection_id: "san-inspection", violation_code: "san-violation", note: "san-note" };
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "san-propose" }, t("sanPropose")));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "san-form", id: "san-new-form", novalidate: true },
    h("div", { class: "row san-search" }, q, h("button", { type: "button", class: "secondary", id: "san-search", onclick: () => { search().catch(ex => ctx.showError(general, ex)); } }, t("sanSearch")), found),
    field("san-field", "san-business", t("sanBusiness"), bizSel),
    field("san-field", "san-inspection", t("sanInspection"), insSel),
    field("san-field", "san-violation", t("sanViolation"), vioSel),
    field("san-field san-wide", "san-note", t("sanNote"), note),
    general, h("div", { class: "row" }, save)));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    save.disabled = true;
    save.textContent = t("sanSaving");
    try {
      const s = await ctx.api.post("/api/v1/sanctions", { business_id: bizSel.value, inspection_id: insSel.value || null, violation_code: vioSel.value, note: note.value });
      ctx.go(`#/sanctions/${encodeURIComponent(s.id)}`);
    } catch (ex) {
      showFieldErrors(ctx, form, general, ex, fields, labels);
    } finally {
      save.disabled = false;
      save.textContent = t("sanPropose");
    }
  });
  el.replaceChildren(h("section", { class: "card" },
    h("a", { href: "#/sanctions", class: "san-back" }, t("sanBack")),
    h("h1", {}, t("sanNewTitle")), form));
  if (given) {
    const b = await ctx.api.get(`/api/v1/businesses/${encodeURIComponent(given)}`);
    fill([b]);
    await loadInspections();
  }
}

// ---------------------------------------------------------------------------------------------
// One sanction

/**
 * stepForm is the form of one step: it sends body() as a PATCH with the version read, shows the
 * refusal beside the fields and, once saved, draws the page again with a notice.
 * @param {HTMLElement} el @param {DeskContext} ctx @param {Sanction} s @param {string} id
 * @param {HTMLElement[]} controls @param {string} submit @param {() => Record<string, any>} body
 * @param {Record<string, string>} fields @param {Record<string, string>} labels @param {(saved: Sanction) => string} done
 */
function stepForm(el, ctx, s, id, controls, submit, body, fields, labels, done) {
  const t = ctx.t;
  const general = h("div", { id: `${id}-error`, hidden: true });
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: `${id}-submit` }, submit));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "san-form", id, novalidate: true }, ...controls, general, h("div", { class: "row san-wide" }, button)));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    button.disabled = true;
    button.textContent = t("sanSaving");
    try {
      const saved = await ctx.api.patch(`/api/v1/sanctions/${encodeURIComponent(s.id)}`, { version: s.version, ...body() });
      await renderOne(el, ctx, s.id, done(saved));
    } catch (ex) {
      button.disabled = false;
      button.textContent = submit;
      showFieldErrors(ctx, form, general, ex, fields, labels);
    }
  });
  return form;
}

/** @param {string} v an amount typed with dots or spaces */
const amount = v => (v.trim() === "" ? 0 : Number(v.replace(/[\s.,]/g, "")));

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Sanction} s */
function decisionForm(el, ctx, s) {
  const t = ctx.t;
  const number = input("text", "", { maxlength: "50" });
  const date = input("date", todayISO());
  const authority = input("text", "", { placeholder: t("sanAuthorityHint") });
  const warning = input("checkbox", "", { id: "san-d-warning" });
  const fine = input("text", "", { inputmode: "numeric" });
  const confiscation = input("text");
  const susStart = input("date"), susEnd = input("date");
  const withdrawal = input("checkbox", "", { id: "san-d-withdrawal" });
  const wStart = input("date"), wEnd = input("date");
  const measures = h("div", { class: "san-measures san-wide", id: "san-d-measures" });
  /** @type {Record<string, string>} */
  const labels = { "decision.number": t("sanNumber"), "decision.date": t("sanDate"), "decision.authority": t("sanAuthority"), "decision.warning": t("sanWarning"),
    "decision.fine_amount": t("sanFine"), "decision.confiscation": t("sanConfiscation"), "decision.suspension_start": t("sanSuspensionStart"),
    "decision.suspension_end": t("sanSuspensionEnd"), "decision.withdrawal": t("sanWithdrawal"), "decision.withdrawal_start": t("sanWithdrawalStart"),
    "decision.withdrawal_end": t("sanWithdrawalEnd"), "decision.measures": t("sanMeasures"), decision: t("sanDecision"), version: t("sanDecision") };
  /** @type {Record<string, string>} */
  const fields = { "decision.number": "san-d-number", "decision.date": "san-d-date", "decision.authority": "san-d-authority", "decision.warning": "san-d-warning-box",
    "decision.fine_amount": "san-d-fine", "decision.confiscation": "san-d-confiscation", "decision.suspension_start": "san-d-sus-start",
    "decision.suspension_end": "san-d-sus-end", "decision.withdrawal": "san-d-withdrawal-box", "decision.withdrawal_start": "san-d-w-start", "decision.withdrawal_end": "san-d-w-end" };
  const addMeasure = () => {
    const i = measures.children.length;
    const n = String(i + 1);
    labels[`decision.measures[${i}].text`] = t("sanMeasureText", { n });
    labels[`decision.measures[${i}].deadline`] = t("sanMeasureDeadline", { n });
    fields[`decision.measures[${i}].text`] = `san-d-m${i}-text`;
    fields[`decision.measures[${i}].deadline`] = `san-d-m${i}-deadline`;
    measures.append(h("div", { class: "row san-measure" },
      field("san-field grow", `san-d-m${i}-text`, t("sanMeasureText", { n }), input("text")),
      field("san-field", `san-d-m${i}-deadline`, t("sanMeasureDeadline", { n }), input("date"))));
  };
  addMeasure();
  const range = s.fine_max ? t("sanRangeValue", { min: ctx.fmt.num(s.fine_min), max: ctx.fmt.num(s.fine_max) }) : t("sanNoRange");
  const controls = [
    field("san-field", "san-d-number", t("sanNumber"), number),
    field("san-field", "san-d-date", t("sanDate"), date),
    field("san-field san-wide", "san-d-authority", t("sanAuthority"), authority),
    h("div", { class: "san-field", id: "san-d-warning-box" }, h("label", { class: "san-check" }, warning, t("sanWarning")), h("div", { class: "field-error", id: "san-d-warning-box-error", hidden: true })),
    field("san-field", "san-d-fine", t("sanFine"), fine, range),
    field("san-field san-wide", "san-d-confiscation", t("sanConfiscation"), confiscation),
    field("san-field", "san-d-sus-start", t("sanSuspensionStart"), susStart),
    field("san-field", "san-d-sus-end", t("sanSuspensionEnd"), susEnd),
    h("div", { class: "san-field san-wide", id: "san-d-withdrawal-box" }, h("label", { class: "san-check" }, withdrawal, t("sanWithdrawal")), h("div", { class: "field-error", id: "san-d-withdrawal-box-error", hidden: true })),
    field("san-field", "san-d-w-start", t("sanWithdrawalStart"), wStart),
    field("san-field", "san-d-w-end", t("sanWithdrawalEnd"), wEnd),
    h("h3", { class: "san-wide" }, t("sanMeasures")), measures,
    h("div", { class: "san-wide" }, h("button", { type: "button", class: "secondary", id: "san-d-add-measure", onclick: addMeasure }, t("sanAddMeasure"))),
  ];
  const body = () => {
    const ms = [...measures.querySelectorAll(".san-measure")].map(row => {
      const [text, deadline] = /** @type {HTMLInputElement[]} */ ([...row.querySelectorAll("input")]);
      return { text: text.value, deadline: deadline.value || null };
    }).filter(m => m.text.trim() || m.deadline);
    return { decision: { number: number.value, date: date.value || null, authority: authority.value, warning: warning.checked, fine_amount: amount(fine.value),
      confiscation: confiscation.value, suspension_start: susStart.value || null, suspension_end: susEnd.value || null, withdrawal: withdrawal.checked,
      withdrawal_start: wStart.value || null, withdrawal_end: wEnd.value || null, measures: ms } };
  };
  return stepForm(el, ctx, s, "san-decision-form", controls, t("sanDecide"), body, fields, labels,
    saved => saved.follow_up_task_id ? `${t("sanDecided")} ${t("sanFollowUp")}` : t("sanDecided"));
}

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Sanction} s */
function paymentForm(el, ctx, s) {
  const t = ctx.t;
  const paidOn = input("date", todayISO()), amt = input("text", String(s.fine_amount), { inputmode: "numeric" }), receipt = input("text");
  const labels = { "payment.paid_on": t("sanPaidOn"), "payment.amount": t("sanAmount"), "payment.receipt_no": t("sanReceipt"), payment: t("sanPayment") };
  const fields = { "payment.paid_on": "san-p-date", "payment.amount": "san-p-amount", "payment.receipt_no": "san-p-receipt" };
  return stepForm(el, ctx, s, "san-payment-form", [
    field("san-field", "san-p-date", t("sanPaidOn"), paidOn),
    field("san-field", "san-p-amount", t("sanAmount"), amt),
    field("san-field", "san-p-receipt", t("sanReceipt"), receipt),
  ], t("sanRecordPayment"), () => ({ payment: { paid_on: paidOn.value || null, amount: amount(amt.value), receipt_no: receipt.value } }), fields, labels, () => t("sanPaidNow"));
}

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Sanction} s @param {number} i */
function measureForm(el, ctx, s, i) {
  const t = ctx.t;
  const done = input("date", todayISO());
  const id = `san-m${i}-done`;
  return stepForm(el, ctx, s, `san-measure-form-${i}`, [field("san-field", id, t("sanDoneOn"), done)], t("sanMarkDone"),
    () => ({ measure_done: { index: i, done_on: done.value || null } }), { "measure_done.done_on": id, "measure_done.index": id },
    { "measure_done.done_on": t("sanDoneOn"), "measure_done.index": t("sanMeasures"), measure_done: t("sanMeasures") }, () => t("sanMeasureSaved"));
}

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Sanction} s */
function referralForm(el, ctx, s) {
  const t = ctx.t;
  const on = input("date", s.referred_on || todayISO()), caseNo = input("text", s.police_case_no, { maxlength: "50" });
  const outcome = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "2", maxlength: "1000" }, s.referral_outcome));
  const labels = { "referral.referred_on": t("sanReferredOn"), "referral.case_no": t("sanCaseNo"), "referral.outcome": t("sanOutcome") };
  const fields = { "referral.referred_on": "san-r-date", "referral.case_no": "san-r-case", "referral.outcome": "san-r-outcome" };
  return stepForm(el, ctx, s, "san-referral-form", [
    field("san-field", "san-r-date", t("sanReferredOn"), on),
    field("san-field", "san-r-case", t("sanCaseNo"), caseNo),
    field("san-field san-wide", "san-r-outcome", t("sanOutcome"), outcome),
  ], t("sanRecordReferral"), () => ({ referral: { referred_on: on.value || null, case_no: caseNo.value, outcome: outcome.value } }), fields, labels, () => t("sanReferralSaved"));
}

/**
 * renderOne draws a sanction's page: what it records, and the form of each step still open.
 * @param {HTMLElement} el @param {DeskContext} ctx @param {string} id @param {string} [notice]
 */
async function renderOne(el, ctx, id, notice) {
  const { t, fmt, ref } = ctx;
  /** @type {Sanction} */
  const s = await ctx.api.get(`/api/v1/sanctions/${encodeURIComponent(id)}`);
  serverToday = s.today || serverToday;
  const cert = await ctx.api.get(`/api/v1/businesses/${encodeURIComponent(s.business_id)}/certificate`).catch(() => null);
  ctx.setTitle(t("sanPageTitle", { name: s.business_name }));
  const dl = (/** @type {[string, any][]} */ rows) => h("dl", { class: "san-dl" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v === "" || v === null || v === undefined ? "–" : v)]));
  const write = canWrite(ctx) && s.status !== "referred";
  const proposal = h("section", { class: "card", id: "san-proposal" }, h("h2", {}, t("sanProposal")), dl([
    [t("sanColViolation"), ref.label("violation", s.violation_code)],
    [t("sanArticle"), s.penalty_article],
    [t("sanRange"), s.fine_max ? t("sanRangeValue", { min: fmt.num(s.fine_min), max: fmt.num(s.fine_max) }) : t("sanNoRange")],
    [t("sanSecurity"), t(s.security_order ? "sanYes" : "sanNo")],
    [t("sanProposedBy"), [h("span", { class: "username" }, s.proposed_by), ` · ${fmt.dateTime(s.proposed_at)}`]],
    [t("sanNote"), s.proposal_note],
  ]));
  const decision = h("section", { class: "card", id: "san-decision" }, h("h2", {}, t("sanDecision")));
  if (s.decision_no) {
    decision.append(dl([
      [t("sanNumber"), h("b", { id: "san-decision-no" }, s.decision_no)],
      [t("sanDate"), fmt.date(s.decision_date)],
      [t("sanAuthority"), s.authority],
      [t("sanColForms"), formsText(ctx, s)],
      [t("sanSuspensionEnd"), s.suspension_end ? `${fmt.date(s.suspension_start)} – ${fmt.date(s.suspension_end)}` : ""],
      [t("sanWithdrawalEnd"), s.withdrawal ? `${fmt.date(s.withdrawal_start)} – ${fmt.date(s.withdrawal_end)}` : ""],
      [t("sanConfiscation"), s.confiscation],
    ]));
  } else if (write) decision.append(decisionForm(el, ctx, s));
  else decision.append(h("p", { class: "muted" }, t("sanNoDecision")));

  const compliance = [];
  if (s.decision_no && s.fine_amount > 0) {
    const sec = h("section", { class: "card", id: "san-payment" }, h("h2", {}, t("sanPayment")),
      h("p", { class: s.overdue && !s.paid_on ? "alert" : "muted", id: "san-fine-due" }, t("sanFineDue", { date: fmt.date(s.fine_due) })));
    if (s.paid_on) sec.append(h("p", { class: "notice", id: "san-paid" }, t("sanPaid", { amount: fmt.num(s.paid_amount), date: fmt.date(s.paid_on), receipt: s.receipt_no })));
    else if (write) sec.append(paymentForm(el, ctx, s));
    compliance.push(sec);
  }
  if (s.measures && s.measures.length) {
    compliance.push(h("section", { class: "card", id: "san-measures" }, h("h2", {}, t("sanMeasures")),
      h("ol", { class: "san-measure-list" }, s.measures.map((m, i) => h("li", { class: !m.done_on && m.deadline && m.deadline < todayISO() ? "san-late" : "" },
        h("b", {}, m.text), " — ", t("sanDeadline", { date: fmt.date(m.deadline) }),
        m.done_on ? h("span", { class: "badge ok" }, t("sanMeasureDone", { date: fmt.date(m.done_on) })) : write ? measureForm(el, ctx, s, i) : null)))));
  }
  const referral = h("section", { class: "card", id: "san-referral" }, h("h2", {}, t("sanReferral")));
  if (s.referred_on) referral.append(dl([[t("sanReferredOn"), fmt.date(s.referred_on)], [t("sanCaseNo"), s.police_case_no], [t("sanOutcome"), s.referral_outcome]]));
  // A sanction complied with is closed; a referred one takes its case number and outcome later.
  if (canWrite(ctx) && s.status !== "complied") referral.append(referralForm(el, ctx, s));
  else if (!s.referred_on) referral.hidden = true;
  const certCard = cert ? h("section", { class: "card", id: "san-certificate" }, h("h2", {}, t("sanCertificate")),
    cert.status_today === "none" && !cert.required ? h("p", { class: "muted", id: "san-cert-status" }, t("sanCertNotRequired")) :
    h("p", {}, h("span", { class: cert.status_today === "valid" ? "badge ok" : "badge bad", id: "san-cert-status" }, ref.label("certificate_status", cert.status_today)),
      cert.number ? ` ${cert.number}` : "",
      cert.status_today === "suspended" && cert.suspended_until ? ` ${t("sanCertUntil", { date: fmt.date(cert.suspended_until) })}` : ""),
    cert.flag ? h("p", { class: "alert", id: "san-cert-flag" }, ref.label("certificate_flag", cert.flag)) : null) : null;
  el.replaceChildren(h("div", { class: "san-page" },
    h("section", { class: "card" }, h("a", { href: "#/sanctions", class: "san-back" }, t("sanBack")),
      h("h1", {}, t("sanPageTitle", { name: s.business_name })),
      h("p", {}, h("span", { class: "badge", id: "san-status" }, ref.label("sanction_status", s.status)),
        s.overdue ? h("span", { class: "badge bad" }, t("sanOverdue")) : null),
      notice ? h("div", { class: "notice", id: "san-notice", role: "status" }, notice) : null,
      canWrite(ctx) ? null : h("p", { class: "muted" }, t(canPropose(ctx) ? "sanProposeOnly" : "sanReadOnly"))),
    proposal, decision, ...compliance, referral, certCard));
}

/** @type {import("../main.js").Desk} */
export default {
  id: "sanctions",
  roles: ["planner", "admin", "viewer", "team_lead"],
  nav: { vi: messages.vi.sanNav, en: messages.en.sanNav },
  messages,
  async render(el, ctx) {
    const [what] = ctx.path;
    if (what === "new" && canPropose(ctx)) await renderNew(el, ctx);
    else if (what) await renderOne(el, ctx, what);
    else await renderList(el, ctx);
  },
};
