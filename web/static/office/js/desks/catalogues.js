// @ts-check
// The desk of the inspection checklist and the violation catalogue: one category's checklist
// items (#/catalogues/checklist/CATEGORY), the violation catalogue (#/catalogues/violations), an
// old version of either (?version=N, read only) and their histories. Every save is a new version;
// phones get it at their next sync, and results answered on an older version stay valid. The
// API's refusals show beside the fields they name, and the form keeps what was typed.

import { clearErrors, showFieldErrors } from "../forms.js";
import { h } from "../../../shared/js/dom.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, categories: string[], vi: string, en: string, answer: string, no_is_violation: boolean,
 *   violation: string, legal: string[]}} Item
 * @typedef {{version: number, items: Item[], category: string, note: string, created_by: string, created_at: string}} ChecklistVersion
 * @typedef {{code: string, vi: string, en: string, severity: string, refer_to_police: boolean, legal_basis: string[],
 *   penalty_article: string, fine_min_vnd: number | null, fine_max_vnd: number | null}} Violation
 * @typedef {{version: number, violations: Violation[], note: string, created_by: string, created_at: string}} Catalogue
 * @typedef {{version: number, category?: string, note: string, count: number, created_by: string, created_at: string}} HistoryLine
 */

const messages = {
  vi: {
    catNav: "Bảng kiểm, vi phạm",
    catTabs: "Các trang về bảng kiểm và danh mục vi phạm",
    catChecklistTab: "Bảng kiểm",
    catViolationsTab: "Danh mục vi phạm",
    catChecklistTitle: "Bảng kiểm: {category}",
    catViolationsTitle: "Danh mục vi phạm",
    catCategory: "Loại hình kinh doanh",
    catVersionNow: "Phiên bản {n}, đang dùng",
    catVersionOld: "Phiên bản {n}: bản cũ, chỉ xem",
    catBackToCurrent: "Về phiên bản đang dùng",
    catMadeBy: "Lưu bởi {who}, {when}",
    catHint: "Lưu tạo một phiên bản mới; điện thoại nhận phiên bản mới ở lần đồng bộ sau. Kết quả kiểm tra làm theo phiên bản cũ vẫn được nhận.",
    catItem: "Mục {n}",
    catId: "Mã mục",
    catVI: "Câu hỏi (tiếng Việt)",
    catEN: "Câu hỏi (tiếng Anh)",
    catViolation: "Mã vi phạm khi trả lời “không”",
    catNoViolation: "— Không là vi phạm —",
    catLegal: "Căn cứ pháp lý (mỗi dòng một văn bản)",
    catShared: "Dùng chung với: {list}. Sửa mục này là sửa cho các loại hình đó.",
    catRemove: "Bỏ mục này",
    catAdd: "Thêm mục",
    catNote: "Ghi chú về lần sửa",
    catSave: "Lưu thành phiên bản mới",
    catSaving: "Đang lưu…",
    catSaved: "Đã lưu phiên bản {n}.",
    catHistory: "Các phiên bản",
    catColVersion: "Phiên bản",
    catColWhen: "Thời điểm",
    catColWho: "Người lưu",
    catColWhat: "Nội dung",
    catColNote: "Ghi chú",
    catItemsN: "{n} mục",
    catCodesN: "{n} mã vi phạm",
    catEdited: "sửa bảng kiểm {category}",
    catShipped: "bản phát hành",
    catRead: "Xem",
    catCurrentMark: "đang dùng",
    catCode: "Mã vi phạm",
    catName: "Tên",
    catNameVI: "Tên (tiếng Việt)",
    catNameEN: "Tên (tiếng Anh)",
    catSeverity: "Mức độ",
    catPolice: "Chuyển cơ quan công an",
    catLegalBasis: "Căn cứ pháp lý (mỗi dòng một văn bản)",
    catPenalty: "Điều khoản xử phạt",
    catFineMin: "Phạt tiền từ (đồng)",
    catFineMax: "Phạt tiền đến (đồng)",
    catFine: "Khung tiền phạt",
    catNoFine: "chưa nhập",
    catAddViolation: "Thêm mã vi phạm",
    catRemoveViolation: "Bỏ mã này",
    catBaseVersion: "Phiên bản được sửa",
    catItems: "Các mục",
    catViolations: "Danh mục",
    catYes: "Có",
    catNo: "Không",
  },
  en: {
    catNav: "Checklists, violations",
    catTabs: "Checklist and violation catalogue pages",
    catChecklistTab: "Checklist",
    catViolationsTab: "Violation catalogue",
    catChecklistTitle: "Checklist: {category}",
    catViolationsTitle: "Violation catalogue",
    catCategory: "Kind of business",
    catVersionNow: "Version {n}, in force",
    catVersionOld: "Version {n}: an old version, read only",
    catBackToCurrent: "To the version in force",
    catMadeBy: "Saved by {who}, {when}",
    catHint: "Saving makes a new version; phones get it at their next sync. Results answered on an older version are still accepted.",
    catItem: "Item {n}",
    catId: "Item code",
    catVI: "Question (Vietnamese)",
    catEN: "Question (English)",
    catViolation: "Violation code of a “no”",
    catNoViolation: "— Not a violation —",
    catLegal: "Legal references (one per line)",
    catShared: "Shared with: {list}. Editing this item edits it for them too.",
    catRemove: "Remove this item",
    catAdd: "Add an item",
    catNote: "Note on the change",
    catSave: "Save as a new version",
    catSaving: "Saving…",
    catSaved: "Version {n} saved.",
    catHistory: "Versions",
    catColVersion: "Version",
    catColWhen: "When",
    catColWho: "Saved by",
    catColWhat: "Content",
    catColNote: "Note",
    catItemsN: "{n} items",
    catCodesN: "{n} violation codes",
    catEdited: "edit of the {category} checklist",
    catShipped: "as released",
    catRead: "Read",
    catCurrentMark: "in force",
    catCode: "Violation code",
    catName: "Name",
    catNameVI: "Name (Vietnamese)",
    catNameEN: "Name (English)",
    catSeverity: "Severity",
    catPolice: "Refer to the police",
    catLegalBasis: "Legal basis (one per line)",
    catPenalty: "Penalty article",
    catFineMin: "Fine from (VND)",
    catFineMax: "Fine up to (VND)",
    catFine: "Fine range",
    catNoFine: "not entered",
    catAddViolation: "Add a violation code",
    catRemoveViolation: "Remove this code",
    catBaseVersion: "Version edited",
    catItems: "Items",
    catViolations: "Catalogue",
    catYes: "Yes",
    catNo: "No",
  },
};

const SEVERITIES = ["low", "medium", "high", "critical"];

/** @param {string} s */
const lines = s => s.split("\n").map(x => x.trim()).filter(Boolean);

/** @param {DeskContext} ctx @param {string} active */
function tabs(ctx, active) {
  const t = ctx.t;
  const link = (id, hash, label) => h("a", { href: hash, class: id === active ? "active" : "", "aria-current": id === active ? "page" : null }, label);
  return h("nav", { class: "cat-tabs", "aria-label": t("catTabs") },
    link("checklist", "#/catalogues", t("catChecklistTab")),
    link("violations", "#/catalogues/violations", t("catViolationsTab")));
}

/**
 * versionHead says which version the screen shows and who saved it.
 * @param {DeskContext} ctx @param {{version: number, created_by: string, created_at: string}} v @param {number} current @param {string} back
 */
function versionHead(ctx, v, current, back) {
  const t = ctx.t;
  const old = v.version !== current;
  return h("div", { class: "cat-version", id: "cat-version" },
    h("span", { class: old ? "badge warn" : "badge ok", id: "cat-version-badge", dataset: { version: String(v.version) } },
      t(old ? "catVersionOld" : "catVersionNow", { n: ctx.fmt.num(v.version) })),
    h("span", { class: "muted" }, t("catMadeBy", { who: v.created_by, when: ctx.fmt.dateTime(v.created_at) })),
    old ? h("a", { href: back, id: "cat-current" }, t("catBackToCurrent")) : null);
}

/**
 * history lists a catalogue's versions, each with a link to read it.
 * @param {DeskContext} ctx @param {HistoryLine[]} list @param {(n: number) => string} href @param {boolean} checklist
 */
function history(ctx, list, href, checklist) {
  const t = ctx.t;
  const current = list.length ? list[0].version : 0;
  return h("section", { class: "card" },
    h("h2", {}, t("catHistory")),
    h("table", { class: "stack cat-history", id: "cat-history" },
      h("thead", {}, h("tr", {}, ["catColVersion", "catColWhen", "catColWho", "catColWhat", "catColNote", ""].map(k => h("th", {}, k ? t(k) : "")))),
      h("tbody", {}, list.map(v => h("tr", { dataset: { version: String(v.version) } },
        h("td", { "data-label": t("catColVersion") }, ctx.fmt.num(v.version), v.version === current ? h("span", { class: "badge ok" }, ` ${t("catCurrentMark")}`) : null),
        h("td", { "data-label": t("catColWhen") }, ctx.fmt.dateTime(v.created_at)),
        h("td", { "data-label": t("catColWho") }, v.created_by),
        h("td", { "data-label": t("catColWhat") }, checklist
          ? `${t("catItemsN", { n: ctx.fmt.num(v.count) })} · ${v.category ? t("catEdited", { category: ctx.ref.label("category", v.category) }) : t("catShipped")}`
          : t("catCodesN", { n: ctx.fmt.num(v.count) })),
        h("td", { "data-label": t("catColNote") }, v.note || "—"),
        h("td", {}, h("a", { href: href(v.version), class: "cat-read" }, t("catRead"))))))));
}

/**
 * box is a labelled input with the place for its error (#ID-error), as forms.js's field.
 * @param {string} id @param {string} label @param {HTMLElement} input @param {string} [cls]
 */
function box(id, label, input, cls = "cat-field") {
  input.id = id;
  return h("div", { class: cls },
    h("label", { for: id }, label), input,
    h("div", { class: "field-error", id: `${id}-error`, hidden: true }));
}

// ---------------------------------------------------------------------------------------------
// Checklist

/**
 * renderChecklist shows one category's items of a checklist version; the version in force is a
 * form that saves the next version.
 * @param {HTMLElement} el @param {DeskContext} ctx @param {string} category @param {number} version @param {Node[]} [notes]
 */
async function renderChecklist(el, ctx, category, version, notes = []) {
  const t = ctx.t;
  const q = version ? `&version=${version}` : "";
  const [cl, hist] = await Promise.all([
    /** @type {Promise<ChecklistVersion>} */ (ctx.api.get(`/api/v1/checklists?category=${encodeURIComponent(category)}${q}`)),
    ctx.api.get("/api/v1/checklists/versions"),
  ]);
  /** @type {HistoryLine[]} */
  const list = hist.items || [];
  const current = list.length ? list[0].version : cl.version;
  const readOnly = cl.version !== current;
  const catName = ctx.ref.label("category", category);
  ctx.setTitle(t("catChecklistTitle", { category: catName }));
  const base = `#/catalogues/checklist/${encodeURIComponent(category)}`;

  const select = /** @type {HTMLSelectElement} */ (h("select", { id: "cat-category" },
    ctx.ref.codes("category").map(c => h("option", { value: c, selected: c === category }, ctx.ref.label("category", c)))));
  select.addEventListener("change", () => ctx.go(`#/catalogues/checklist/${encodeURIComponent(select.value)}`));

  /** @type {Item[]} */
  const draft = cl.items.map(it => ({ ...it, categories: [...it.categories], legal: [...(it.legal || [])] }));
  const known = new Set(cl.items.map(it => it.id));
  const codes = ctx.ref.codes("violation");
  const itemsEl = h("ol", { class: "cat-items", id: "cat-items" });
  const general = h("div", { id: "cat-error", hidden: true });
  const status = h("div", { id: "cat-status", role: "status" }, notes);
  const note = /** @type {HTMLInputElement} */ (h("input", { type: "text", maxlength: "300" }));
  /** @type {Record<string, string>} */
  let fields = {};
  /** @type {Record<string, string>} */
  let labels = {};

  const drawItems = () => {
    fields = { items: "cat-items", base_version: "cat-version", category: "cat-category" };
    labels = { items: t("catItems"), base_version: t("catBaseVersion"), category: t("catCategory") };
    itemsEl.replaceChildren(...draft.map((it, i) => {
      const p = `cat-item-${i}`;
      const name = t("catItem", { n: i + 1 });
      for (const [f, l] of [["id", "catId"], ["vi", "catVI"], ["en", "catEN"], ["violation", "catViolation"], ["legal", "catLegal"], ["answer", "catId"], ["categories", "catCategory"]]) {
        fields[`items[${i}].${f}`] = `${p}-${f === "answer" ? "id" : f === "categories" ? "id" : f}`;
        labels[`items[${i}].${f}`] = `${name} · ${t(l)}`;
      }
      (it.legal || []).forEach((_, j) => {
        fields[`items[${i}].legal[${j}]`] = `${p}-legal`;
        labels[`items[${i}].legal[${j}]`] = `${name} · ${t("catLegal")}`;
      });
      const idIn = /** @type {HTMLInputElement} */ (h("input", { type: "text", value: it.id, maxlength: "16", readonly: known.has(it.id) || readOnly, autocapitalize: "characters" }));
      idIn.addEventListener("input", () => { it.id = idIn.value.trim().toUpperCase(); });
      const vi = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "2", lang: "vi", readonly: readOnly }, it.vi));
      vi.addEventListener("input", () => { it.vi = vi.value; });
      const en = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "2", lang: "en", readonly: readOnly }, it.en));
      en.addEventListener("input", () => { it.en = en.value; });
      const viol = /** @type {HTMLSelectElement} */ (h("select", { disabled: readOnly },
        h("option", { value: "", selected: !it.violation }, t("catNoViolation")),
        codes.map(c => h("option", { value: c, selected: c === it.violation }, ctx.ref.label("violation", c)))));
      viol.addEventListener("change", () => { it.violation = viol.value; it.no_is_violation = !!viol.value; });
      const legal = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "2", readonly: readOnly }, (it.legal || []).join("\n")));
      legal.addEventListener("input", () => { it.legal = lines(legal.value); });
      const others = it.categories.filter(c => c !== category);
      return h("li", { class: "cat-item", id: p, dataset: { item: it.id } },
        h("div", { class: "cat-item-head" }, h("b", {}, name),
          readOnly ? null : h("button", { type: "button", class: "secondary cat-remove", dataset: { remove: String(i) }, onclick: () => {
            draft.splice(i, 1);
            drawItems();
          } }, t("catRemove"))),
        h("div", { class: "cat-grid" },
          box(`${p}-id`, t("catId"), idIn),
          box(`${p}-violation`, t("catViolation"), viol),
          box(`${p}-vi`, t("catVI"), vi, "cat-field cat-wide"),
          box(`${p}-en`, t("catEN"), en, "cat-field cat-wide"),
          box(`${p}-legal`, t("catLegal"), legal, "cat-field cat-wide")),
        others.length ? h("p", { class: "muted small cat-shared" }, t("catShared", { list: others.map(c => ctx.ref.label("category", c)).join(", ") })) : null);
    }));
  };
  drawItems();

  const form = versionForm(ctx, { rows: itemsEl, readOnly, addLabel: t("catAdd"), note, general, status, fields: () => fields, labels: () => labels,
    add: () => {
      draft.push({ id: "", categories: [category], vi: "", en: "", answer: "yes_no", no_is_violation: false, violation: "", legal: [] });
      drawItems();
      return `#cat-item-${draft.length - 1}-id`;
    },
    send: () => ctx.api.put(`/api/v1/checklists/${encodeURIComponent(category)}`, {
      base_version: cl.version, note: note.value.trim(),
      items: draft.map(it => ({ ...it, answer: it.answer || "yes_no", no_is_violation: !!it.violation })),
    }),
    saved: notice => renderChecklist(el, ctx, category, 0, [notice]) });

  el.replaceChildren(tabs(ctx, "checklist"),
    h("section", { class: "card" },
      h("h1", {}, t("catChecklistTitle", { category: catName })),
      h("div", { class: "cat-top" }, box("cat-category", t("catCategory"), select), versionHead(ctx, cl, current, base)),
      readOnly ? null : h("p", { class: "muted small" }, t("catHint")),
      form),
    history(ctx, list, n => `${base}?version=${n}`, true));
}

// ---------------------------------------------------------------------------------------------
// Violation catalogue

/**
 * renderViolations shows a version of the violation catalogue; the version in force is a form.
 * @param {HTMLElement} el @param {DeskContext} ctx @param {number} version @param {Node[]} [notes]
 */
async function renderViolations(el, ctx, version, notes = []) {
  const t = ctx.t;
  const [cat, hist] = await Promise.all([
    /** @type {Promise<Catalogue>} */ (ctx.api.get(`/api/v1/violations${version ? `?version=${version}` : ""}`)),
    ctx.api.get("/api/v1/violations/versions"),
  ]);
  /** @type {HistoryLine[]} */
  const list = hist.items || [];
  const current = list.length ? list[0].version : cat.version;
  const readOnly = cat.version !== current;
  ctx.setTitle(t("catViolationsTitle"));
  /** @type {Violation[]} */
  const draft = cat.violations.map(v => ({ ...v, legal_basis: [...(v.legal_basis || [])] }));
  const known = new Set(cat.violations.map(v => v.code));
  const rowsEl = h("ol", { class: "cat-items", id: "cat-violations" });
  const general = h("div", { id: "cat-error", hidden: true });
  const status = h("div", { id: "cat-status", role: "status" }, notes);
  const note = /** @type {HTMLInputElement} */ (h("input", { type: "text", maxlength: "300" }));
  /** @type {Record<string, string>} */
  let fields = {};
  /** @type {Record<string, string>} */
  let labels = {};
  /** @param {string} s */
  const amount = s => (s.trim() === "" ? null : Number(s.replace(/[.\s,]/g, "")));

  const draw = () => {
    fields = { violations: "cat-violations", base_version: "cat-version" };
    labels = { violations: t("catViolations"), base_version: t("catBaseVersion") };
    rowsEl.replaceChildren(...draft.map((v, i) => {
      const p = `cat-v-${i}`;
      const name = v.code || t("catItem", { n: i + 1 });
      for (const [f, l] of [["code", "catCode"], ["vi", "catNameVI"], ["en", "catNameEN"], ["severity", "catSeverity"], ["legal_basis", "catLegalBasis"],
        ["penalty_article", "catPenalty"], ["fine_min_vnd", "catFineMin"], ["fine_max_vnd", "catFineMax"]]) {
        fields[`violations[${i}].${f}`] = `${p}-${f}`;
        labels[`violations[${i}].${f}`] = `${name} · ${t(l)}`;
      }
      (v.legal_basis || []).forEach((_, j) => {
        fields[`violations[${i}].legal_basis[${j}]`] = `${p}-legal_basis`;
        labels[`violations[${i}].legal_basis[${j}]`] = `${name} · ${t("catLegalBasis")}`;
      });
      /** @param {string} tag @param {Record<string, any>} attrs @param {(x: any) => void} set @param {string} [text] */
      const input = (tag, attrs, set, text) => {
        const x = /** @type {HTMLInputElement} */ (h(tag, { ...attrs, readonly: readOnly }, text));
        x.addEventListener("input", () => set(x));
        return x;
      };
      const code = input("input", { type: "text", value: v.code, maxlength: "40", readonly: known.has(v.code) || readOnly }, x => { v.code = x.value.trim().toUpperCase(); });
      if (known.has(v.code)) code.readOnly = true;
      const sev = /** @type {HTMLSelectElement} */ (h("select", { disabled: readOnly },
        SEVERITIES.map(s => h("option", { value: s, selected: s === v.severity }, ctx.ref.label("severity", s)))));
      sev.addEventListener("change", () => { v.severity = sev.value; });
      const police = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", checked: v.refer_to_police, disabled: readOnly }));
      police.addEventListener("change", () => { v.refer_to_police = police.checked; });
      return h("li", { class: "cat-item", id: p, dataset: { code: v.code } },
        h("div", { class: "cat-item-head" }, h("b", {}, v.code ? ctx.ref.label("violation", v.code) : name),
          readOnly ? null : h("button", { type: "button", class: "secondary cat-remove", onclick: () => {
            draft.splice(i, 1);
            draw();
          } }, t("catRemoveViolation"))),
        h("div", { class: "cat-grid" },
          box(`${p}-code`, t("catCode"), code),
          box(`${p}-severity`, t("catSeverity"), sev),
          box(`${p}-vi`, t("catNameVI"), input("textarea", { rows: "2", lang: "vi" }, x => { v.vi = x.value; }, v.vi), "cat-field cat-wide"),
          box(`${p}-en`, t("catNameEN"), input("textarea", { rows: "2", lang: "en" }, x => { v.en = x.value; }, v.en), "cat-field cat-wide"),
          box(`${p}-legal_basis`, t("catLegalBasis"), input("textarea", { rows: "2" }, x => { v.legal_basis = lines(x.value); }, (v.legal_basis || []).join("\n")), "cat-field cat-wide"),
          box(`${p}-penalty_article`, t("catPenalty"), input("input", { type: "text", value: v.penalty_article || "" }, x => { v.penalty_article = x.value.trim(); }), "cat-field cat-wide"),
          box(`${p}-fine_min_vnd`, t("catFineMin"), input("input", { type: "text", inputmode: "numeric", value: v.fine_min_vnd == null ? "" : String(v.fine_min_vnd) }, x => { v.fine_min_vnd = amount(x.value); })),
          box(`${p}-fine_max_vnd`, t("catFineMax"), input("input", { type: "text", inputmode: "numeric", value: v.fine_max_vnd == null ? "" : String(v.fine_max_vnd) }, x => { v.fine_max_vnd = amount(x.value); })),
          h("label", { class: "cat-check" }, police, t("catPolice"))));
    }));
  };
  draw();

  const form = versionForm(ctx, { rows: rowsEl, readOnly, addLabel: t("catAddViolation"), note, general, status, fields: () => fields, labels: () => labels,
    add: () => {
      draft.push({ code: "", vi: "", en: "", severity: "medium", refer_to_police: false, legal_basis: [], penalty_article: "", fine_min_vnd: null, fine_max_vnd: null });
      draw();
      return `#cat-v-${draft.length - 1}-code`;
    },
    send: () => ctx.api.put("/api/v1/violations", { base_version: cat.version, violations: draft, note: note.value.trim() }),
    saved: notice => renderViolations(el, ctx, 0, [notice]) });
  el.replaceChildren(tabs(ctx, "violations"),
    h("section", { class: "card" },
      h("h1", {}, t("catViolationsTitle")),
      h("div", { class: "cat-top" }, versionHead(ctx, cat, current, "#/catalogues/violations")),
      readOnly ? null : h("p", { class: "muted small" }, t("catHint")),
      form),
    history(ctx, list, n => `#/catalogues/violations?version=${n}`, false));
}

/**
 * versionForm is the form of both catalogues: their rows, a button that adds one (add draws it
 * and names the input to focus), the note, and a save that sends a new version (send) and draws
 * the page again with a notice of its number (saved), or shows the refusal beside the fields.
 * @param {DeskContext} ctx
 * @param {{rows: HTMLElement, readOnly: boolean, addLabel: string, add: () => string, note: HTMLInputElement,
 *   general: HTMLElement, status: HTMLElement, fields: () => Record<string, string>, labels: () => Record<string, string>,
 *   send: () => Promise<{version: number}>, saved: (notice: HTMLElement) => Promise<void>}} o
 * @returns {HTMLFormElement}
 */
function versionForm(ctx, o) {
  const t = ctx.t;
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "cat-save" }, t("catSave")));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "cat-form", id: "cat-form", novalidate: true },
    o.rows,
    o.readOnly ? null : h("div", { class: "cat-actions" },
      h("button", { type: "button", class: "secondary", id: "cat-add", onclick: () => {
        /** @type {HTMLElement | null} */ (o.rows.querySelector(o.add()))?.focus();
      } }, o.addLabel),
      box("cat-note", t("catNote"), o.note),
      o.general,
      h("div", { class: "row" }, save),
      o.status)));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, o.general);
    o.status.replaceChildren();
    save.disabled = true;
    save.textContent = t("catSaving");
    try {
      const saved = await o.send();
      await o.saved(h("div", { class: "notice", id: "cat-saved" }, t("catSaved", { n: ctx.fmt.num(saved.version) })));
    } catch (ex) {
      save.disabled = false;
      save.textContent = t("catSave");
      showFieldErrors(ctx, form, o.general, ex, o.fields(), o.labels());
    }
  });
  return form;
}

/** @param {DeskContext} ctx */
function versionQuery(ctx) {
  const n = Number(ctx.query.get("version") || "0");
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** @type {import("../main.js").Desk} */
export default {
  id: "catalogues",
  roles: ["admin", "planner"],
  nav: { vi: messages.vi.catNav, en: messages.en.catNav },
  messages,
  async render(el, ctx) {
    const [what, arg] = ctx.path;
    if (what === "violations") return renderViolations(el, ctx, versionQuery(ctx));
    const cats = ctx.ref.codes("category");
    const category = what === "checklist" && arg && cats.includes(arg) ? arg : cats[0];
    return renderChecklist(el, ctx, category, versionQuery(ctx));
  },
};
