// @ts-check
// The desk of the register of places a dance hall must keep away from (Decree 54/2019/NĐ-CP:
// schools, hospitals, religious sites, historical-cultural relics at least 200 m away): the
// list with a kind filter (#/places?kind=school), the import of a CSV or Excel file (all rows
// or none; each refusal names its row and column) and the removal of a place. Planners keep the
// places in their jurisdiction; viewers read them. A dance hall's record in the registry shows
// the places found near it.

import { clearErrors, postFile } from "../forms.js";
import { h } from "../../../shared/js/dom.js";
import { ApiError } from "../../../shared/js/api.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, kind: string, name: string, address: string, lat: number, lon: number, area_code: string,
 *   ref: string, source: string, created_at: string, updated_at: string}} Place
 */

const KINDS = ["school", "hospital", "religious", "relic"];

const messages = {
  vi: {
    plNav: "Địa điểm cần cách xa",
    plTitle: "Sổ địa điểm: trường học, bệnh viện, cơ sở tôn giáo, di tích",
    plIntro: "Vũ trường phải cách trường học, bệnh viện, cơ sở tôn giáo, tín ngưỡng, di tích lịch sử - văn hóa từ 200 m trở lên (Nghị định 54/2019/NĐ-CP). Khi kiểm tra một vũ trường, đoàn kiểm tra thấy các địa điểm trong sổ ở gần nó; sổ có thể chưa đầy đủ nên đoàn vẫn tự xác định.",
    plKind: "Loại",
    plAll: "Tất cả",
    "plKind.school": "Trường học",
    "plKind.hospital": "Bệnh viện",
    "plKind.religious": "Cơ sở tôn giáo, tín ngưỡng",
    "plKind.relic": "Di tích lịch sử - văn hóa",
    plColName: "Tên",
    plColAddress: "Địa chỉ",
    plColArea: "Phường, xã",
    plColPosition: "Vị trí",
    plColSource: "Nguồn",
    plCount: "{n} địa điểm",
    plEmpty: "Chưa có địa điểm nào.",
    plDelete: "Xóa",
    plDeleteConfirm: "Xóa “{name}” khỏi sổ địa điểm?",
    plDeleted: "Đã xóa “{name}”.",
    plImportTitle: "Nhập từ tệp CSV hoặc Excel",
    plImportHint: "Cột: Loại (trường học, bệnh viện, tôn giáo, di tích), Tên, Địa chỉ, Vĩ độ, Kinh độ, Mã (không bắt buộc). Tệp chỉ được nhập khi mọi dòng đều đúng; nhập lại cùng tệp sẽ cập nhật, không tạo bản trùng.",
    plFile: "Tệp",
    plNoFile: "Hãy chọn một tệp.",
    plImport: "Nhập",
    plImporting: "Đang nhập…",
    plImported: "Đã nhập {rows} dòng: {created} địa điểm mới, {updated} địa điểm cập nhật.",
    plRefused: "Tệp chưa được nhập, không dòng nào được lưu:",
  },
  en: {
    plNav: "Places to keep away from",
    plTitle: "Register of places: schools, hospitals, religious sites, relics",
    plIntro: "A dance hall must be at least 200 m from schools, hospitals, religious sites and historical-cultural relics (Decree 54/2019/NĐ-CP). Inspecting a dance hall, the team sees the register's places near it; the register can be incomplete, so the team still checks.",
    plKind: "Kind",
    plAll: "All",
    "plKind.school": "School",
    "plKind.hospital": "Hospital",
    "plKind.religious": "Religious site",
    "plKind.relic": "Historical or cultural relic",
    plColName: "Name",
    plColAddress: "Address",
    plColArea: "Ward",
    plColPosition: "Position",
    plColSource: "Source",
    plCount: "{n} places",
    plEmpty: "No place yet.",
    plDelete: "Delete",
    plDeleteConfirm: "Delete “{name}” from the register?",
    plDeleted: "“{name}” deleted.",
    plImportTitle: "Import a CSV or Excel file",
    plImportHint: "Columns: kind (school, hospital, religious, relic), name, address, lat, lon, ref (optional). A file is imported only when every row is right; importing the same file again updates instead of duplicating.",
    plFile: "File",
    plNoFile: "Choose a file.",
    plImport: "Import",
    plImporting: "Importing…",
    plImported: "{rows} rows imported: {created} new places, {updated} updated.",
    plRefused: "The file was not imported; no row was stored:",
  },
};

/** @param {DeskContext} ctx */
function canEdit(ctx) {
  return !!ctx.user && ["admin", "planner"].includes(ctx.user.role);
}

/**
 * importForm is the import: a file, a button, and the refusal's every row listed.
 * @param {DeskContext} ctx @param {() => void} done
 */
function importForm(ctx, done) {
  const t = ctx.t;
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", id: "pl-file", accept: ".csv,.xlsx,text/csv" }));
  const fileError = h("div", { class: "field-error", id: "pl-file-error", hidden: true });
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "pl-import" }, t("plImport")));
  const general = h("div", { id: "pl-import-error", hidden: true });
  const status = h("div", { id: "pl-import-status", role: "status" });
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "pl-import", id: "pl-import-form" },
    h("p", { class: "muted" }, t("plImportHint")),
    h("div", { class: "pl-field" }, h("label", { for: "pl-file" }, t("plFile")), input, fileError),
    button, general, status));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    status.replaceChildren();
    const file = input.files && input.files[0];
    if (!file) {
      fileError.textContent = t("plNoFile");
      fileError.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = t("plImporting");
    try {
      const got = await postFile(ctx, "/api/v1/places/import", file);
      if (!got.ok) throw got.error;
      const rep = got.body;
      status.append(h("p", { class: "notice", id: "pl-imported" }, t("plImported", { rows: ctx.fmt.num(rep.rows), created: ctx.fmt.num(rep.created), updated: ctx.fmt.num(rep.updated) })));
      input.value = "";
      done();
    } catch (ex) {
      if (ex instanceof ApiError && ex.details && ex.details.length) {
        // Each problem already names its row and column, in the user's language.
        general.replaceChildren(h("div", { class: "error", role: "alert" },
          h("p", {}, t("plRefused")),
          h("ul", { id: "pl-problems" }, ex.details.map(d => h("li", { dataset: { field: d.field } }, d.message)))));
        general.hidden = false;
      } else {
        ctx.showError(general, ex, { file: t("plFile") });
      }
    } finally {
      button.disabled = false;
      button.textContent = t("plImport");
    }
  });
  return form;
}

/**
 * render draws the register: the import (for planners), the kind filter and the list.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function render(el, ctx) {
  const t = ctx.t;
  ctx.setTitle(t("plTitle"));
  const kind = KINDS.includes(ctx.query.get("kind") || "") ? /** @type {string} */ (ctx.query.get("kind")) : "";
  const listEl = h("div", { id: "pl-list" });
  const note = h("div", { id: "pl-note", role: "status" });
  const errors = h("div", { id: "pl-error", hidden: true });
  const filter = /** @type {HTMLSelectElement} */ (h("select", { id: "pl-kind" },
    h("option", { value: "" }, t("plAll")),
    KINDS.map(k => h("option", { value: k, selected: k === kind }, t(`plKind.${k}`)))));
  filter.addEventListener("change", () => ctx.go(filter.value ? `#/places?kind=${filter.value}` : "#/places"));

  /** @type {Map<string, string>} */
  const areaNames = new Map();
  const walk = (/** @type {any[]} */ ns) => {
    for (const n of ns || []) {
      areaNames.set(n.code, n.name);
      walk(n.children);
    }
  };
  const load = async () => {
    const [page, areas] = await Promise.all([
      ctx.api.get(`/api/v1/places${kind ? `?kind=${kind}` : ""}`),
      areaNames.size ? null : ctx.api.get("/api/v1/areas"),
    ]);
    if (areas) walk(areas.items);
    /** @type {Place[]} */
    const items = page.items || [];
    if (!items.length) {
      listEl.replaceChildren(h("p", { class: "muted", id: "pl-empty" }, t("plEmpty")));
      return;
    }
    const head = ["plKind", "plColName", "plColAddress", "plColArea", "plColPosition", "plColSource"];
    listEl.replaceChildren(
      h("p", { class: "muted", id: "pl-count" }, t("plCount", { n: ctx.fmt.num(page.total) })),
      h("table", { class: "stack pl-table", id: "pl-table" },
        h("thead", {}, h("tr", {}, [...head.map(k => h("th", {}, t(k))), canEdit(ctx) ? h("th", {}, "") : null])),
        h("tbody", {}, items.map(row))));
  };

  /** @param {Place} p */
  const remove = async (p, /** @type {HTMLButtonElement} */ btn) => {
    if (!window.confirm(t("plDeleteConfirm", { name: p.name }))) return;
    btn.disabled = true;
    try {
      await ctx.api.call("DELETE", `/api/v1/places/${encodeURIComponent(p.id)}`);
      note.replaceChildren(h("p", { class: "notice" }, t("plDeleted", { name: p.name })));
      await load();
    } catch (ex) {
      btn.disabled = false;
      ctx.showError(errors, ex);
    }
  };

  /** @param {Place} p */
  const row = p => h("tr", { dataset: { id: p.id, kind: p.kind } },
    h("td", { "data-label": t("plKind") }, t(`plKind.${p.kind}`)),
    h("td", { "data-label": t("plColName") }, p.name),
    h("td", { "data-label": t("plColAddress") }, p.address || "–"),
    h("td", { "data-label": t("plColArea") }, areaNames.get(p.area_code) || p.area_code),
    h("td", { "data-label": t("plColPosition") }, `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`),
    h("td", { "data-label": t("plColSource") }, p.source || "–"),
    canEdit(ctx)
      ? h("td", {}, h("button", { type: "button", class: "secondary pl-delete", "aria-label": `${t("plDelete")} ${p.name}`,
        onclick: (/** @type {Event} */ ev) => remove(p, /** @type {HTMLButtonElement} */ (ev.currentTarget)) }, t("plDelete")))
      : null);

  el.replaceChildren(
    h("h1", {}, t("plTitle")),
    h("p", { class: "muted" }, t("plIntro")),
    canEdit(ctx) ? h("section", { class: "card" }, h("h2", {}, t("plImportTitle")), importForm(ctx, () => { load().catch(ex => ctx.showError(errors, ex)); })) : null,
    h("section", { class: "card" },
      h("div", { class: "pl-field pl-filter" }, h("label", { for: "pl-kind" }, t("plKind")), filter),
      note, errors, listEl));
  await load();
}

/** @type {import("../main.js").Desk} */
export default {
  id: "places",
  roles: ["admin", "planner", "viewer"],
  nav: { vi: messages.vi.plNav, en: messages.en.plNav },
  messages,
  render,
};
