// @ts-check
// The registry desk: planners and admins keep the list of service businesses; viewers read it.
// #/registry is the list (search without accents, filters, pages, a map of the page, an Excel
// or CSV file of every match); #/registry/ID a business with its inspections, edit (with the version it read:
// someone else's change is shown field by field), close and reopen; #/registry/new a new one.

import { bindFileCheck, postFile } from "../forms.js";
import { h } from "../../../shared/js/dom.js";
import { query } from "../../../shared/js/api.js";
import { pointMap, wideBounds } from "../../../shared/js/map.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, name: string, category: string, licence_no: string | null, security_cert_no: string, tax_code: string,
 *   address: string, phone: string, owner_name: string, lat: number, lon: number, area_code: string, status: string,
 *   status_since: string | null, opened_on: string | null, closed_on: string | null, notes: string, risk_score: number,
 *   last_inspected_on: string | null, version: number, created_at: string, updated_at: string}} Business
 * @typedef {{code: string, name: string, type_name: string, level: string, children: AreaNode[]}} AreaNode
 * @typedef {{q: string, category: string, status: string, area: string}} Filters
 * @typedef {{key: string, type?: string, wide?: boolean, required?: boolean}} Field
 */

const STATUSES = ["active", "suspended", "closed"];
const PAGE = 20;
const EDIT_ROLES = ["planner", "admin"];

// FIELDS are the inputs of the business form, in its order; key is the API's field.
/** @type {Field[]} */
const FIELDS = [
  { key: "name", wide: true, required: true },
  { key: "category", type: "category", required: true },
  { key: "status", type: "status" },
  { key: "address", wide: true },
  { key: "owner_name" },
  { key: "phone", type: "tel" },
  { key: "licence_no" },
  { key: "tax_code" },
  { key: "security_cert_no" },
  { key: "opened_on", type: "date" },
  { key: "lat", type: "number", required: true },
  { key: "lon", type: "number", required: true },
  { key: "notes", type: "textarea", wide: true },
];

/** @type {import("../../../shared/js/i18n.js").Messages} */
const messages = {
  vi: {
    "registry.nav": "Danh sách cơ sở",
    "registry.title": "Danh sách cơ sở kinh doanh dịch vụ",
    "registry.q": "Tìm theo tên, địa chỉ hoặc số giấy phép",
    "registry.qHint": "Gõ có dấu hay không dấu đều được, ví dụ: hoa hong",
    "registry.category": "Ngành nghề",
    "registry.status": "Tình trạng hoạt động",
    "registry.area": "Địa bàn",
    "registry.all": "Tất cả",
    "registry.search": "Tìm",
    "registry.clear": "Bỏ lọc",
    "registry.total": "{n} cơ sở",
    "registry.pageOf": "Trang {page}",
    "registry.prev": "Trang trước",
    "registry.next": "Trang sau",
    "registry.none": "Không có cơ sở nào phù hợp.",
    "registry.mapLabel": "Bản đồ các cơ sở trên trang này",
    "registry.add": "Thêm cơ sở",
    "registry.download": "Tải tệp CSV",
    "registry.downloadXlsx": "Tải tệp Excel",
    "registry.downloading": "Đang tải…",
    "registry.col.name": "Tên cơ sở",
    "registry.col.address": "Địa chỉ",
    "registry.field.name": "Tên cơ sở",
    "registry.field.category": "Ngành nghề",
    "registry.field.status": "Tình trạng hoạt động",
    "registry.field.address": "Địa chỉ",
    "registry.field.owner_name": "Chủ cơ sở",
    "registry.field.phone": "Điện thoại",
    "registry.field.licence_no": "Số giấy phép kinh doanh",
    "registry.field.tax_code": "Mã số thuế",
    "registry.field.security_cert_no": "Số giấy chứng nhận an ninh trật tự",
    "registry.field.opened_on": "Ngày bắt đầu hoạt động",
    "registry.field.closed_on": "Ngày ngừng hoạt động",
    "registry.field.lat": "Vĩ độ",
    "registry.field.lon": "Kinh độ",
    "registry.field.notes": "Ghi chú",
    "registry.field.version": "Phiên bản",
    "registry.field.area": "Địa bàn",
    "registry.field.q": "Nội dung tìm",
    "registry.field.id": "Mã cơ sở",
    "registry.pickHint": "Bấm vào bản đồ để chọn vị trí, hoặc nhập vĩ độ và kinh độ.",
    "registry.chooseCategory": "Chọn ngành nghề",
    "registry.back": "Quay lại danh sách",
    "registry.details": "Thông tin cơ sở",
    "registry.statusSince": "từ ngày {date}",
    "registry.lastInspected": "Lần kiểm tra gần nhất",
    "registry.never": "Chưa kiểm tra",
    "registry.distanceTitle": "Khoảng cách tới trường học, bệnh viện, cơ sở tôn giáo, di tích",
    "registry.distanceNear": "Cách {name} {m} m theo sổ địa điểm — cần kiểm tra",
    "registry.distanceNone": "Không có trường học, bệnh viện, cơ sở tôn giáo, di tích nào trong {r} m theo sổ địa điểm.",
    "registry.distanceNote": "Vũ trường phải cách các địa điểm này từ {r} m trở lên ({legal}). Sổ địa điểm có thể chưa đầy đủ.",
    "registry.risk": "Điểm rủi ro",
    "registry.updatedAt": "Cập nhật lần cuối",
    "registry.edit": "Sửa thông tin",
    "registry.save": "Lưu",
    "registry.saving": "Đang lưu…",
    "registry.cancel": "Huỷ",
    "registry.saved": "Đã lưu.",
    "registry.nothingChanged": "Không có thông tin nào thay đổi.",
    "registry.conflict": "Người khác vừa sửa cơ sở này: {changes}. Thay đổi đó đã được đưa vào biểu mẫu, các thông tin bạn nhập vẫn giữ nguyên; xem lại rồi bấm Lưu.",
    "registry.conflictBoth": "Bạn và người đó cùng sửa: {fields}; nếu bấm Lưu, nội dung bạn nhập sẽ thay thế.",
    "registry.conflictNone": "Người khác vừa lưu cơ sở này (không đổi thông tin nào bạn thấy). Bấm Lưu lần nữa.",
    "registry.changed": "{field}: “{old}” thành “{new}”",
    "registry.empty": "trống",
    "registry.close": "Ngừng hoạt động",
    "registry.closeTitle": "Ghi nhận cơ sở ngừng hoạt động",
    "registry.closeConfirm": "Xác nhận ngừng hoạt động",
    "registry.closedOnHint": "Để trống nếu cơ sở ngừng hoạt động từ hôm nay.",
    "registry.closeHint": "Cơ sở không bị xoá: vẫn còn trong danh sách với tình trạng đã ngừng hoạt động và không được chọn vào kế hoạch kiểm tra.",
    "registry.closed": "Đã ghi nhận cơ sở ngừng hoạt động.",
    "registry.reopen": "Hoạt động trở lại",
    "registry.reopened": "Đã ghi nhận cơ sở hoạt động trở lại.",
    "registry.history": "Lịch sử kiểm tra",
    "registry.noHistory": "Cơ sở chưa được kiểm tra lần nào.",
    "registry.date": "Ngày",
    "registry.outcome": "Kết quả",
    "registry.violations": "Vi phạm",
    "registry.noViolation": "Không",
    "registry.amendment": "đính chính",
    "registry.resolvedOn": "khắc phục ngày {date}",
    "registry.notes": "Ghi chú",
    "registry.newTitle": "Thêm cơ sở mới",
    "registry.create": "Thêm cơ sở",
    "registry.mapOne": "Vị trí của cơ sở",
    "registry.import": "Nhập từ tệp",
    "registry.importTitle": "Nhập danh sách cơ sở từ tệp",
    "registry.importStep1": "Bước 1: chọn tệp và kiểm tra",
    "registry.importStep2": "Bước 2: xem kết quả kiểm tra rồi xác nhận",
    "registry.importFile": "Tệp danh sách (CSV, Excel .xlsx hoặc GeoJSON)",
    "registry.importHint": "Chưa có gì được lưu ở bước này: máy chủ đọc tệp và cho biết từng dòng sai, các cơ sở có thể trùng.",
    "registry.importCheck": "Kiểm tra tệp",
    "registry.importChecking": "Đang kiểm tra…",
    "registry.importNoFile": "Cần chọn một tệp.",
    "registry.importSummary": "Tệp có {rows} dòng: {created} cơ sở mới, {updated} cơ sở được cập nhật, {unchanged} không đổi, {rejected} lỗi.",
    "registry.importDone": "Đã nhập: {created} cơ sở mới, {updated} cơ sở được cập nhật, {unchanged} không đổi. {rejected} lỗi không được nhập.",
    "registry.importRejected": "Các dòng có lỗi (không được nhập)",
    "registry.importNoErrors": "Không có dòng nào bị lỗi.",
    "registry.importDuplicates": "Có thể trùng với cơ sở đã có",
    "registry.importDuplicateOf": "xem cơ sở đã có",
    "registry.importLine": "Dòng",
    "registry.importSheet": "Trang tính",
    "registry.importField": "Cột",
    "registry.importValue": "Giá trị",
    "registry.importMessage": "Lỗi",
    "registry.importConfirm": "Xác nhận nhập các dòng hợp lệ",
    "registry.importConfirming": "Đang nhập…",
    "registry.importOther": "Chọn tệp khác",
    "registry.importNothing": "Không có dòng hợp lệ nào để nhập.",
    "registry.col.ward": "Phường, xã",
    "registry.col.owner": "Chủ cơ sở",
    "registry.col.file": "Tệp",
    "registry.col.other": "Khác",
  },
  en: {
    "registry.nav": "Business registry",
    "registry.title": "Registry of service businesses",
    "registry.q": "Search by name, address or licence number",
    "registry.qHint": "With or without Vietnamese accents, for example: hoa hong",
    "registry.category": "Trade",
    "registry.status": "Trading status",
    "registry.area": "Area",
    "registry.all": "All",
    "registry.search": "Search",
    "registry.clear": "Clear the filters",
    "registry.total": "{n} businesses",
    "registry.pageOf": "Page {page}",
    "registry.prev": "Previous page",
    "registry.next": "Next page",
    "registry.none": "No business matches.",
    "registry.mapLabel": "Map of the businesses on this page",
    "registry.add": "Add a business",
    "registry.download": "Download CSV",
    "registry.downloadXlsx": "Download Excel",
    "registry.downloading": "Downloading…",
    "registry.col.name": "Name",
    "registry.col.address": "Address",
    "registry.field.name": "Name",
    "registry.field.category": "Trade",
    "registry.field.status": "Trading status",
    "registry.field.address": "Address",
    "registry.field.owner_name": "Owner",
    "registry.field.phone": "Phone",
    "registry.field.licence_no": "Business licence number",
    "registry.field.tax_code": "Tax code",
    "registry.field.security_cert_no": "Security-and-order certificate number",
    "registry.field.opened_on": "Opened on",
    "registry.field.closed_on": "Closed on",
    "registry.field.lat": "Latitude",
    "registry.field.lon": "Longitude",
    "registry.field.notes": "Notes",
    "registry.field.version": "Version",
    "registry.field.area": "Area",
    "registry.field.q": "Search text",
    "registry.field.id": "Business id",
    "registry.pickHint": "Click the map to pick the place, or type the latitude and longitude.",
    "registry.chooseCategory": "Choose a trade",
    "registry.back": "Back to the list",
    "registry.details": "The business",
    "registry.statusSince": "since {date}",
    "registry.lastInspected": "Last inspected",
    "registry.never": "Never inspected",
    "registry.distanceTitle": "Distance to schools, hospitals, religious sites, relics",
    "registry.distanceNear": "{name} is {m} m away according to the register of places — check it",
    "registry.distanceNone": "No school, hospital, religious site or relic within {r} m in the register of places.",
    "registry.distanceNote": "A dance hall must be at least {r} m from these places ({legal}). The register can be incomplete.",
    "registry.risk": "Risk score",
    "registry.updatedAt": "Last changed",
    "registry.edit": "Edit",
    "registry.save": "Save",
    "registry.saving": "Saving…",
    "registry.cancel": "Cancel",
    "registry.saved": "Saved.",
    "registry.nothingChanged": "Nothing was changed.",
    "registry.conflict": "Someone else has just changed this business: {changes}. Their change is now in the form and what you typed is kept; check it and press Save.",
    "registry.conflictBoth": "You both changed: {fields}; if you save, what you typed replaces theirs.",
    "registry.conflictNone": "Someone else has just saved this business (nothing you can see changed). Press Save again.",
    "registry.changed": "{field}: “{old}” to “{new}”",
    "registry.empty": "empty",
    "registry.close": "Closed down",
    "registry.closeTitle": "Record that the business closed down",
    "registry.closeConfirm": "Confirm the closing",
    "registry.closedOnHint": "Leave it empty if the business closed today.",
    "registry.closeHint": "The business is not deleted: it stays in the registry as closed and is no longer drawn into inspection plans.",
    "registry.closed": "The business is recorded as closed.",
    "registry.reopen": "Trading again",
    "registry.reopened": "The business is recorded as trading again.",
    "registry.history": "Inspections",
    "registry.noHistory": "The business has never been inspected.",
    "registry.date": "Date",
    "registry.outcome": "Outcome",
    "registry.violations": "Violations",
    "registry.noViolation": "None",
    "registry.amendment": "correction",
    "registry.resolvedOn": "put right on {date}",
    "registry.notes": "Notes",
    "registry.newTitle": "Add a business",
    "registry.create": "Add the business",
    "registry.mapOne": "Where the business is",
    "registry.import": "Import a file",
    "registry.importTitle": "Import businesses from a file",
    "registry.importStep1": "Step 1: choose the file and check it",
    "registry.importStep2": "Step 2: read the check, then confirm",
    "registry.importFile": "Registry file (CSV, Excel .xlsx or GeoJSON)",
    "registry.importHint": "Nothing is saved at this step: the server reads the file and reports each wrong line and the possible duplicates.",
    "registry.importCheck": "Check the file",
    "registry.importChecking": "Checking…",
    "registry.importNoFile": "Choose a file.",
    "registry.importSummary": "The file has {rows} lines: {created} new businesses, {updated} updated, {unchanged} unchanged, {rejected} problems.",
    "registry.importDone": "Imported: {created} new businesses, {updated} updated, {unchanged} unchanged. {rejected} problems were not imported.",
    "registry.importRejected": "Lines with problems (not imported)",
    "registry.importNoErrors": "No line has a problem.",
    "registry.importDuplicates": "Possibly already in the registry",
    "registry.importDuplicateOf": "open the existing business",
    "registry.importLine": "Line",
    "registry.importSheet": "Sheet",
    "registry.importField": "Column",
    "registry.importValue": "Value",
    "registry.importMessage": "Problem",
    "registry.importConfirm": "Confirm: import the good lines",
    "registry.importConfirming": "Importing…",
    "registry.importOther": "Choose another file",
    "registry.importNothing": "No good line to import.",
    "registry.col.ward": "Ward or commune",
    "registry.col.owner": "Owner",
    "registry.col.file": "File",
    "registry.col.other": "Other",
  },
};

// The list's filters and page outlive a visit to a business: going back shows the same page.
const state = {
  /** @type {Filters} */
  filters: { q: "", category: "", status: "", area: "" },
  /** @type {string[]} the cursors of the pages before this one */
  cursors: [],
  /** @type {string} this page's cursor */
  cursor: "",
  /** @type {Map<string, string> | null} area names by code */
  areaNames: null,
  /** @type {{code: string, label: string}[]} areas for the filter, indented by level */
  areaOptions: [],
  /** @type {string} a message to show once on the next screen */
  flash: "",
  /** @type {{code: string, features: any[]}} the boundary of the business on screen */
  outline: { code: "", features: [] },
  /** @type {string} the top of the area tree (the city, or the user's district) */
  rootCode: "",
};

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function render(el, ctx) {
  await loadAreas(ctx);
  const [id] = ctx.path;
  if (!id) return renderList(el, ctx);
  if (id === "new" && canEdit(ctx)) return renderNew(el, ctx);
  if (id === "import" && canImport(ctx)) return renderImport(el, ctx);
  return renderBusiness(el, ctx, id);
}

/** @param {DeskContext} ctx */
function canEdit(ctx) {
  return !!ctx.user && EDIT_ROLES.includes(ctx.user.role);
}

// canImport: an import may touch any district, so the API takes it from city-wide planners only.
/** @param {DeskContext} ctx */
function canImport(ctx) {
  const j = ctx.me && ctx.me.jurisdiction;
  return canEdit(ctx) && !!j && j.code === state.rootCode && !(ctx.me.team && ctx.me.team.unit_codes && ctx.me.team.unit_codes.length);
}

/** @param {DeskContext} ctx */
async function loadAreas(ctx) {
  if (state.areaNames) return;
  const got = await ctx.api.get("/api/v1/areas");
  const names = new Map(), options = [];
  const walk = (/** @type {AreaNode[]} */ ns, depth) => {
    for (const n of ns || []) {
      names.set(n.code, n.name);
      options.push({ code: n.code, label: "\u00a0\u00a0".repeat(depth) + n.name });
      walk(n.children, depth + 1);
    }
  };
  walk(got.items || [], 0);
  state.rootCode = (got.items && got.items[0] && got.items[0].code) || "";
  state.areaNames = names;
  state.areaOptions = options;
}

/**
 * outline is an area's boundary as the map's outline, or none when it cannot be had: the map
 * works without it.
 * @param {DeskContext} ctx
 * @param {string} code
 * @returns {Promise<any[]>}
 */
async function outline(ctx, code) {
  if (!code) return [];
  try {
    const a = await ctx.api.get(`/api/v1/areas/${encodeURIComponent(code)}`);
    return a && a.geometry ? [{ geometry: a.geometry }] : [];
  } catch {
    return [];
  }
}

/** @param {string} code */
function areaName(code) {
  return (state.areaNames && state.areaNames.get(code)) || "";
}

/**
 * labels names the API's fields as the screens do.
 * @param {DeskContext["t"]} t
 */
function labels(t) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const k of ["name", "category", "status", "address", "owner_name", "phone", "licence_no", "tax_code", "security_cert_no",
    "opened_on", "closed_on", "lat", "lon", "notes", "version", "area", "q", "id"]) out[k] = t("registry.field." + k);
  return out;
}

/**
 * @param {DeskContext} ctx
 * @param {string} status
 */
function statusBadge(ctx, status) {
  const tone = status === "active" ? " ok" : status === "closed" ? " bad" : " warn";
  return h("span", { class: "badge" + tone }, ctx.ref.label("business_status", status));
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function renderList(el, ctx) {
  const { t, ref } = ctx;
  ctx.setTitle(t("registry.nav"));
  const f = state.filters;
  const q = /** @type {HTMLInputElement} */ (h("input", { id: "reg-q", name: "q", type: "search", value: f.q, maxlength: 200, autocomplete: "off",
    spellcheck: "false", "aria-describedby": "reg-q-hint", placeholder: "hoa hong" }));
  const select = (id, all, options, value) => /** @type {HTMLSelectElement} */ (h("select", { id, name: id },
    h("option", { value: "" }, all), options.map(([code, label]) => h("option", { value: code, selected: code === value }, label))));
  const category = select("reg-category", t("registry.all"), ref.categories.map(c => [c.code, ref.label("category", c.code)]), f.category);
  const status = select("reg-status", t("registry.all"), STATUSES.map(s => [s, ref.label("business_status", s)]), f.status);
  const area = select("reg-area", t("registry.all"), state.areaOptions.map(a => [a.code, a.label]), f.area);
  const errors = h("div", { id: "reg-error", hidden: true });
  const results = h("div", { id: "reg-results" });
  const form = h("form", { id: "reg-form", class: "card", role: "search" },
    h("div", { class: "reg-head" },
      h("h1", {}, t("registry.title")),
      h("div", { class: "row" },
        canEdit(ctx) ? h("a", { class: "button", href: "#/registry/new", id: "reg-add" }, t("registry.add")) : null,
        canImport(ctx) ? h("a", { class: "button secondary", href: "#/registry/import", id: "reg-import" }, t("registry.import")) : null,
        canEdit(ctx) ? h("button", { type: "button", class: "secondary", id: "reg-download-xlsx", onclick: (ev) => download(ctx, errors, /** @type {HTMLButtonElement} */ (ev.currentTarget), "xlsx") }, t("registry.downloadXlsx")) : null,
        canEdit(ctx) ? h("button", { type: "button", class: "secondary", id: "reg-download", onclick: (ev) => download(ctx, errors, /** @type {HTMLButtonElement} */ (ev.currentTarget), "csv") }, t("registry.download")) : null)),
    h("div", { class: "reg-filters" },
      h("div", { class: "reg-q" }, h("label", { for: "reg-q" }, t("registry.q")), q, h("p", { id: "reg-q-hint", class: "muted reg-hint" }, t("registry.qHint"))),
      h("div", {}, h("label", { for: "reg-category" }, t("registry.category")), category),
      h("div", {}, h("label", { for: "reg-status" }, t("registry.status")), status),
      h("div", {}, h("label", { for: "reg-area" }, t("registry.area")), area)),
    h("div", { class: "row" },
      h("button", { type: "submit", id: "reg-submit" }, t("registry.search")),
      h("button", { type: "button", class: "secondary", onclick: () => { state.filters = { q: "", category: "", status: "", area: "" }; state.cursors = []; state.cursor = ""; renderList(el, ctx); } }, t("registry.clear"))),
    errors);
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    state.filters = { q: q.value.trim(), category: category.value, status: status.value, area: area.value };
    state.cursors = [];
    state.cursor = "";
    results.replaceChildren(h("p", { class: "muted loading" }, t("loading")));
    showPage(results, errors, ctx);
  });
  for (const s of [category, status, area]) s.addEventListener("change", () => form.requestSubmit());
  el.replaceChildren(form, results);
  await showPage(results, errors, ctx);
}

/**
 * @param {Filters} f
 * @param {string} cursor
 * @param {number} limit
 */
function listPath(f, cursor, limit) {
  return "/api/v1/businesses" + query({ q: f.q, category: f.category, status: f.status, area: f.area, cursor, limit });
}

/**
 * @param {HTMLElement} el
 * @param {HTMLElement} errors
 * @param {DeskContext} ctx
 */
async function showPage(el, errors, ctx) {
  const { t, fmt, ref } = ctx;
  errors.hidden = true;
  let got;
  try {
    got = await ctx.api.get(listPath(state.filters, state.cursor, PAGE));
  } catch (ex) {
    ctx.showError(errors, ex, labels(t));
    el.replaceChildren();
    return;
  }
  /** @type {Business[]} */
  const items = got.items || [];
  if (!items.length) {
    el.replaceChildren(h("section", { class: "card", id: "reg-list" }, h("p", {}, t("registry.none"))));
    return;
  }
  const first = state.cursors.length * PAGE;
  const rows = items.map((b, i) => h("tr", { dataset: { id: b.id } },
    h("td", { class: "reg-num-cell" }, h("span", { class: "reg-num" }, String(first + i + 1))),
    h("td", { "data-label": t("registry.col.name") }, h("a", { href: `#/registry/${encodeURIComponent(b.id)}` }, b.name)),
    h("td", { "data-label": t("registry.category") }, ref.label("category", b.category)),
    h("td", { "data-label": t("registry.col.address") }, b.address || "–"),
    h("td", { "data-label": t("registry.area") }, areaName(b.area_code) || "–"),
    h("td", { "data-label": t("registry.status") }, statusBadge(ctx, b.status))));
  const prev = h("button", { type: "button", class: "secondary", id: "reg-prev", disabled: !state.cursors.length, onclick: () => {
    state.cursor = state.cursors.pop() || "";
    showPage(el, errors, ctx);
  } }, t("registry.prev"));
  const next = h("button", { type: "button", class: "secondary", id: "reg-next", disabled: !got.next_cursor, onclick: () => {
    state.cursors.push(state.cursor);
    state.cursor = got.next_cursor;
    showPage(el, errors, ctx);
  } }, t("registry.next"));
  const mapEl = h("div", { class: "reg-map" });
  el.replaceChildren(h("section", { class: "card", id: "reg-list" },
    h("div", { class: "reg-head" },
      h("h2", { id: "reg-total" }, t("registry.total", { n: fmt.num(got.total) })),
      h("span", { class: "muted" }, t("registry.pageOf", { page: fmt.num(state.cursors.length + 1) }))),
    mapEl,
    h("div", { class: "table-wrap" }, h("table", { class: "reg-table" },
      h("thead", {}, h("tr", {}, ["", t("registry.col.name"), t("registry.category"), t("registry.col.address"), t("registry.area"), t("registry.status")].map(x => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows))),
    h("div", { class: "row reg-pager" }, prev, next)));
  const points = items.map((b, i) => ({ id: b.id, lat: b.lat, lon: b.lon, label: String(first + i + 1), title: `${first + i + 1}. ${b.name}`,
    colour: b.status === "closed" ? "#777" : undefined }));
  pointMap(mapEl, points, {
    label: t("registry.mapLabel"),
    bounds: wideBounds(points, 2.6),
    onSelect: p => ctx.go(`#/registry/${encodeURIComponent(p.id)}`),
  });
}

/**
 * download asks the server for every business the filters match (not just the page) as a file
 * in the import's columns, in the user's language, so that it can be edited and imported again.
 * @param {DeskContext} ctx
 * @param {HTMLElement} errors
 * @param {HTMLButtonElement} button
 * @param {"csv" | "xlsx"} format
 */
async function download(ctx, errors, button, format) {
  const { t } = ctx;
  const label = button.textContent;
  button.disabled = true;
  button.textContent = t("registry.downloading");
  errors.hidden = true;
  const f = state.filters;
  try {
    await ctx.api.download("/api/v1/businesses/export" + query({ format, lang: ctx.lang, q: f.q, category: f.category, status: f.status, area: f.area }),
      `co-so.${format}`);
  } catch (ex) {
    ctx.showError(errors, ex, labels(t));
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {string} id
 */
async function renderBusiness(el, ctx, id) {
  const { t } = ctx;
  const [b, hist, chk] = await Promise.all([
    ctx.api.get(`/api/v1/businesses/${encodeURIComponent(id)}`),
    ctx.api.get(`/api/v1/businesses/${encodeURIComponent(id)}/inspections`),
    ctx.api.getOptional(`/api/v1/businesses/${encodeURIComponent(id)}/distance-check`),
  ]);
  state.outline = { code: b.area_code, features: await outline(ctx, b.area_code) };
  ctx.setTitle(b.name);
  const note = h("div", { id: "reg-note", role: "status" });
  if (state.flash) {
    note.append(h("p", { class: "notice" }, state.flash));
    state.flash = "";
  }
  const body = h("div", {});
  el.replaceChildren(
    h("p", { class: "no-print" }, h("a", { href: "#/registry", id: "reg-back" }, "← " + t("registry.back"))),
    note, body, distanceSection(ctx, chk), historySection(ctx, hist.items || []));
  showBusiness(body, note, ctx, b);
}

/**
 * distanceSection shows, for a dance hall, the register's places within the rule's distance
 * (GET /businesses/{id}/distance-check); nothing for other businesses.
 * @param {DeskContext} ctx
 * @param {any} chk
 */
function distanceSection(ctx, chk) {
  if (!chk || !chk.applies) return null;
  const { t, fmt } = ctx;
  const places = chk.places || [];
  return h("section", { class: "card", id: "reg-distance" },
    h("h2", {}, t("registry.distanceTitle")),
    places.length
      ? h("ul", { class: "reg-distance-near" }, places.map((/** @type {any} */ p) => h("li", { class: "bad", dataset: { kind: p.kind } },
        "⚠ ", t("registry.distanceNear", { name: p.name, m: fmt.num(Math.round(p.distance_m)) }))))
      : h("p", { class: "reg-distance-none" }, t("registry.distanceNone", { r: fmt.num(chk.radius_m) })),
    h("p", { class: "muted" }, t("registry.distanceNote", { r: fmt.num(chk.radius_m), legal: chk.legal })));
}

/**
 * showBusiness draws the business's details and its actions into el.
 * @param {HTMLElement} el
 * @param {HTMLElement} note
 * @param {DeskContext} ctx
 * @param {Business} b
 */
function showBusiness(el, note, ctx, b) {
  const { t, fmt, ref } = ctx;
  const dl = (/** @type {[string, any][]} */ rows) => h("dl", { class: "reg-dl" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v || "–")]));
  const errors = h("div", { id: "reg-error", hidden: true });
  const actions = h("div", { class: "row no-print" });
  if (canEdit(ctx)) {
    actions.append(h("button", { type: "button", id: "reg-edit", onclick: () => editBusiness(el, note, ctx, b) }, t("registry.edit")));
    if (b.status === "closed") {
      actions.append(h("button", { type: "button", class: "secondary", id: "reg-reopen", onclick: async (ev) => {
        const btn = /** @type {HTMLButtonElement} */ (ev.currentTarget);
        btn.disabled = true;
        try {
          const got = await ctx.api.patch(`/api/v1/businesses/${encodeURIComponent(b.id)}`, { version: b.version, status: "active" });
          note.replaceChildren(h("p", { class: "notice" }, t("registry.reopened")));
          showBusiness(el, note, ctx, got);
        } catch (ex) {
          btn.disabled = false;
          ctx.showError(errors, ex, labels(t));
        }
      } }, t("registry.reopen")));
    } else {
      actions.append(h("button", { type: "button", class: "secondary", id: "reg-close", onclick: () => closeForm(el, note, ctx, b) }, t("registry.close")));
    }
  }
  const mapEl = h("div", { class: "reg-map-one" });
  el.replaceChildren(h("section", { class: "card", id: "reg-business" },
    h("div", { class: "reg-head" }, h("h1", { id: "reg-name" }, b.name), actions),
    errors,
    h("div", { class: "reg-grid" },
      dl(/** @type {[string, any][]} */ ([
        [t("registry.field.category"), ref.label("category", b.category)],
        [t("registry.field.status"), h("span", { id: "reg-status-now" }, statusBadge(ctx, b.status),
          b.status_since ? " " + t("registry.statusSince", { date: fmt.date(b.status_since) }) : "")],
        [t("registry.field.address"), b.address],
        [t("registry.field.area"), areaName(b.area_code)],
        [t("registry.field.owner_name"), b.owner_name],
        [t("registry.field.phone"), h("span", { id: "reg-phone" }, b.phone || "–")],
        [t("registry.field.licence_no"), b.licence_no],
        [t("registry.field.tax_code"), b.tax_code],
        [t("registry.field.security_cert_no"), b.security_cert_no],
        [t("registry.field.opened_on"), b.opened_on ? fmt.date(b.opened_on) : ""],
        b.closed_on ? [t("registry.field.closed_on"), fmt.date(b.closed_on)] : null,
        [t("registry.lastInspected"), b.last_inspected_on ? fmt.date(b.last_inspected_on) : t("registry.never")],
        [t("registry.risk"), fmt.num(Math.round(b.risk_score * 100) / 100)],
        [t("registry.field.notes"), b.notes],
        [t("registry.updatedAt"), b.updated_at ? `${fmt.date(b.updated_at)} ${fmt.time(b.updated_at)}` : ""],
      ].filter(Boolean))),
      mapEl)));
  pointMap(mapEl, [{ id: b.id, lat: b.lat, lon: b.lon, label: "", title: b.name, colour: b.status === "closed" ? "#777" : undefined }],
    { label: t("registry.mapOne"), outline: state.outline.code === b.area_code ? state.outline.features : [] });
}

/**
 * closeForm asks the day the business closed down and records it (a status change, never a delete).
 * @param {HTMLElement} el
 * @param {HTMLElement} note
 * @param {DeskContext} ctx
 * @param {Business} b
 */
function closeForm(el, note, ctx, b) {
  const { t } = ctx;
  // Empty means today on the server's calendar (this computer's clock may be a day off).
  const day = /** @type {HTMLInputElement} */ (h("input", { type: "date", id: "reg-closed-on", "aria-describedby": "reg-closed-on-hint" }));
  const errors = h("div", { hidden: true });
  const form = h("form", { class: "card", id: "reg-close-form" },
    h("h2", {}, t("registry.closeTitle")),
    h("label", { for: "reg-closed-on" }, t("registry.field.closed_on")), day,
    h("p", { class: "muted reg-hint", id: "reg-closed-on-hint" }, t("registry.closedOnHint")),
    h("p", { class: "muted reg-hint" }, t("registry.closeHint")),
    errors,
    h("div", { class: "row" },
      h("button", { type: "submit", class: "danger", id: "reg-close-confirm" }, t("registry.closeConfirm")),
      h("button", { type: "button", class: "secondary", onclick: () => showBusiness(el, note, ctx, b) }, t("registry.cancel"))));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    try {
      const got = await ctx.api.patch(`/api/v1/businesses/${encodeURIComponent(b.id)}`, { version: b.version, status: "closed", closed_on: day.value || null });
      note.replaceChildren(h("p", { class: "notice" }, t("registry.closed")));
      showBusiness(el, note, ctx, got);
    } catch (ex) {
      ctx.showError(errors, ex, labels(t));
    }
  });
  el.querySelector("#reg-business")?.after(form);
  day.focus();
}

/**
 * @param {DeskContext} ctx
 * @param {any[]} items
 */
function historySection(ctx, items) {
  const { t, fmt, ref } = ctx;
  if (!items.length) return h("section", { class: "card", id: "reg-history" }, h("h2", {}, t("registry.history")), h("p", { class: "muted" }, t("registry.noHistory")));
  const cols = [t("registry.date"), t("registry.outcome"), t("registry.violations"), t("registry.notes")];
  return h("section", { class: "card", id: "reg-history" }, h("h2", {}, t("registry.history")),
    h("div", { class: "table-wrap" }, h("table", { class: "reg-table" },
      h("thead", {}, h("tr", {}, cols.map(c => h("th", { scope: "col" }, c)))),
      h("tbody", {}, items.map(r => h("tr", {},
        h("td", { "data-label": cols[0] }, fmt.date(r.finished_at || r.started_at), r.amends_id ? h("span", { class: "muted" }, ` (${t("registry.amendment")})`) : null),
        h("td", { "data-label": cols[1] }, ref.label("outcome", r.outcome)),
        h("td", { "data-label": cols[2] }, (r.findings || []).length ? h("ul", { class: "reg-violations" }, r.findings.map(f => h("li", {}, ref.label("violation", f.code),
          f.resolved_on ? h("span", { class: "muted" }, ` (${t("registry.resolvedOn", { date: fmt.date(f.resolved_on) })})`) : null))) : t("registry.noViolation")),
        h("td", { "data-label": cols[3] }, r.notes || "–")))))));
}

/**
 * valueOf is a business's field as the form shows it.
 * @param {any} b
 * @param {string} key
 */
function valueOf(b, key) {
  const v = b ? b[key] : "";
  if (v === null || v === undefined) return "";
  return String(v);
}

/**
 * businessForm builds the inputs of FIELDS with an error line under each.
 * @param {DeskContext} ctx
 * @param {any} b the values to start with
 */
function businessForm(ctx, b) {
  const { t, ref } = ctx;
  /** @type {Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} */
  const inputs = {};
  /** @type {Record<string, HTMLElement>} */
  const errs = {};
  const cells = FIELDS.map(f => {
    const id = "reg-f-" + f.key, value = valueOf(b, f.key);
    const errId = id + "-error";
    let input;
    if (f.type === "category") {
      input = h("select", { id, name: f.key }, h("option", { value: "" }, t("registry.chooseCategory")),
        ref.categories.map(c => h("option", { value: c.code, selected: c.code === value }, ref.label("category", c.code))));
    } else if (f.type === "status") {
      input = h("select", { id, name: f.key }, STATUSES.map(s => h("option", { value: s, selected: s === (value || "active") }, ref.label("business_status", s))));
    } else if (f.type === "textarea") {
      input = h("textarea", { id, name: f.key, rows: 3, maxlength: 4000 }, value);
    } else {
      input = h("input", { id, name: f.key, type: f.type === "number" ? "text" : f.type || "text", inputmode: f.type === "number" ? "decimal" : null, value, autocomplete: "off" });
    }
    input.setAttribute("aria-describedby", errId);
    if (f.required) input.setAttribute("aria-required", "true");
    inputs[f.key] = /** @type {any} */ (input);
    errs[f.key] = h("p", { id: errId, class: "field-error", hidden: true });
    return h("div", { class: "reg-field" + (f.wide ? " wide" : "") },
      h("label", { for: id }, t("registry.field." + f.key), f.required ? h("span", { class: "reg-required", "aria-hidden": "true" }, " *") : null),
      input, errs[f.key]);
  });
  /** read answers the form's values as the API takes them. */
  const read = () => {
    /** @type {Record<string, any>} */
    const out = {};
    for (const f of FIELDS) {
      const v = inputs[f.key].value.trim();
      if (f.type === "number") out[f.key] = v === "" ? 0 : Number(v.replace(",", "."));
      else if (f.type === "date") out[f.key] = v || null;
      else out[f.key] = v;
    }
    return out;
  };
  /** fieldErrors puts each of the server's problems under its input; answers whether all went under one. */
  const fieldErrors = (ex) => {
    for (const f of FIELDS) {
      errs[f.key].hidden = true;
      inputs[f.key].removeAttribute("aria-invalid");
    }
    const problems = ex && ex.details && ex.details.length ? ex.details : ex && ex.field ? [{ field: ex.field, message: ex.message }] : [];
    let first = null, placed = 0;
    for (const p of problems) {
      if (!errs[p.field]) continue;
      placed++;
      errs[p.field].textContent = p.message ? p.message.charAt(0).toLocaleUpperCase() + p.message.slice(1) : "";
      errs[p.field].hidden = false;
      inputs[p.field].setAttribute("aria-invalid", "true");
      first = first || inputs[p.field];
    }
    first?.focus();
    return placed > 0 && placed === problems.length;
  };
  return { cells, inputs, read, fieldErrors };
}

/**
 * same tells whether a form value and a record's value are the same.
 * @param {any} a
 * @param {any} b
 */
function same(a, b) {
  const n = (v) => (v === null || v === undefined ? "" : typeof v === "number" ? String(v) : String(v).trim());
  return n(a) === n(b);
}

/**
 * editBusiness shows the form over the details; it saves the changed fields with the version
 * it read. When someone else saved in between, the fresh record is compared with what the form
 * started from and the differences are named; the user's typing stays.
 * @param {HTMLElement} el
 * @param {HTMLElement} note
 * @param {DeskContext} ctx
 * @param {Business} b
 */
function editBusiness(el, note, ctx, b) {
  const { t, fmt, ref } = ctx;
  note.replaceChildren();
  let base = b;
  const form = businessForm(ctx, b);
  const errors = h("div", { id: "reg-form-error", hidden: true });
  const conflict = h("div", { id: "reg-conflict", hidden: true, role: "alert" });
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "reg-save" }, t("registry.save")));
  const el2 = h("form", { class: "card", id: "reg-edit-form", novalidate: true },
    h("h1", {}, b.name), conflict,
    h("div", { class: "reg-fields" }, form.cells),
    errors,
    h("div", { class: "row" }, save,
      h("button", { type: "button", class: "secondary", id: "reg-cancel", onclick: () => showBusiness(el, note, ctx, base) }, t("registry.cancel"))));
  const shown = (key, v) => {
    if (v === null || v === undefined || v === "") return t("registry.empty");
    if (key === "category") return ref.label("category", v);
    if (key === "status") return ref.label("business_status", v);
    if (key === "opened_on") return fmt.date(v);
    return String(v);
  };
  el2.addEventListener("submit", async ev => {
    ev.preventDefault();
    errors.hidden = true;
    const values = form.read();
    /** @type {Record<string, any>} */
    const upd = { version: base.version };
    for (const f of FIELDS) if (!same(values[f.key], base[f.key])) upd[f.key] = values[f.key];
    if (Object.keys(upd).length === 1) {
      note.replaceChildren(h("p", { class: "notice" }, t("registry.nothingChanged")));
      showBusiness(el, note, ctx, base);
      return;
    }
    save.disabled = true;
    save.textContent = t("registry.saving");
    try {
      const got = await ctx.api.patch(`/api/v1/businesses/${encodeURIComponent(b.id)}`, upd);
      note.replaceChildren(h("p", { class: "notice" }, t("registry.saved")));
      showBusiness(el, note, ctx, got);
    } catch (ex) {
      if (ex && ex.status === 409 && ex.code === "conflict") {
        try {
          const fresh = await ctx.api.get(`/api/v1/businesses/${encodeURIComponent(b.id)}`);
          const theirs = FIELDS.filter(f => !same(fresh[f.key], base[f.key]));
          const changes = theirs.map(f => t("registry.changed", { field: t("registry.field." + f.key), old: shown(f.key, base[f.key]), new: shown(f.key, fresh[f.key]) }));
          // Their change comes into the fields the user left alone; where both changed a field,
          // the user's typing stays and is named.
          const both = [];
          for (const f of theirs) {
            if (same(values[f.key], base[f.key])) form.inputs[f.key].value = valueOf(fresh, f.key);
            else if (!same(values[f.key], fresh[f.key])) both.push(t("registry.field." + f.key));
          }
          conflict.replaceChildren(h("p", { class: "warn" }, changes.length ? t("registry.conflict", { changes: changes.join("; ") }) : t("registry.conflictNone"),
            both.length ? " " + t("registry.conflictBoth", { fields: both.join(", ") }) : ""));
          conflict.hidden = false;
          base = fresh;
          el2.scrollIntoView({ block: "start" });
        } catch (ex2) {
          ctx.showError(errors, ex2, labels(t));
        }
      } else if (!form.fieldErrors(ex)) {
        ctx.showError(errors, ex, labels(t));
      }
    } finally {
      save.disabled = false;
      save.textContent = t("registry.save");
    }
  });
  el.replaceChildren(el2);
  form.inputs.name.focus();
}

/**
 * renderNew is the form of a new business, with a map to pick its place. The business's id is
 * made here, so that a retried request cannot create it twice.
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
function renderNew(el, ctx) {
  const { t } = ctx;
  ctx.setTitle(t("registry.newTitle"));
  const id = crypto.randomUUID();
  const form = businessForm(ctx, { status: "active" });
  const errors = h("div", { id: "reg-form-error", hidden: true });
  const mapEl = h("div", { class: "reg-map-pick" });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "reg-create" }, t("registry.create")));
  const f = h("form", { class: "card", id: "reg-new-form", novalidate: true },
    h("h1", {}, t("registry.newTitle")),
    h("div", { class: "reg-fields" }, form.cells),
    h("p", { class: "muted reg-hint" }, t("registry.pickHint")),
    mapEl,
    errors,
    h("div", { class: "row" }, submit, h("a", { class: "button secondary", href: "#/registry" }, t("registry.cancel"))));
  /** @type {any[]} */
  let city = [];
  const draw = () => {
    const lat = Number(form.inputs.lat.value.replace(",", ".")), lon = Number(form.inputs.lon.value.replace(",", "."));
    const picked = form.inputs.lat.value && form.inputs.lon.value && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null;
    pointMap(mapEl, [], { label: t("registry.mapOne"), picked, outline: city, onPick: (la, lo) => {
      form.inputs.lat.value = la.toFixed(6);
      form.inputs.lon.value = lo.toFixed(6);
      draw();
    } });
  };
  form.inputs.lat.addEventListener("change", draw);
  form.inputs.lon.addEventListener("change", draw);
  f.addEventListener("submit", async ev => {
    ev.preventDefault();
    errors.hidden = true;
    form.fieldErrors(null);
    submit.disabled = true;
    try {
      const got = await ctx.api.post("/api/v1/businesses", { id, ...form.read() });
      state.flash = t("registry.saved");
      ctx.go(`#/registry/${encodeURIComponent(got.id)}`);
    } catch (ex) {
      if (!form.fieldErrors(ex)) ctx.showError(errors, ex, labels(t));
    } finally {
      submit.disabled = false;
    }
  });
  el.replaceChildren(h("p", {}, h("a", { href: "#/registry" }, "← " + t("registry.back"))), f);
  draw();
  outline(ctx, state.rootCode).then(fs => { city = fs; draw(); });
  form.inputs.name.focus();
}

/**
 * importFile sends the file to the import, as a dry run or for real.
 * @param {DeskContext} ctx
 * @param {File} file
 * @param {boolean} dry
 */
async function importFile(ctx, file, dry) {
  const got = await postFile(ctx, "/api/v1/businesses/import" + query({ dry_run: dry ? "true" : "" }), file);
  if (!got.ok) throw got.error;
  return got.body;
}

/**
 * columnLabel names a column of the import's report.
 * @param {DeskContext["t"]} t
 * @param {string} field
 */
function columnLabel(t, field) {
  const own = { ward: "registry.col.ward", owner: "registry.col.owner", file: "registry.col.file" }[field];
  if (own) return t(own);
  if (FIELDS.some(f => f.key === field) || field === "closed_on") return t("registry.field." + field);
  return field && !/[_\s]/.test(field) && !/^[a-z]+$/.test(field) ? field : t("registry.col.other");
}

/**
 * renderImport is the two steps of an import: the dry run's report, then the confirmation.
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
function renderImport(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("registry.importTitle"));
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", id: "reg-import-file", accept: ".csv,.xlsx,.geojson,.json,text/csv",
    "aria-describedby": "reg-import-hint reg-import-file-error" }));
  const fileError = h("p", { id: "reg-import-file-error", class: "field-error", hidden: true });
  const errors = h("div", { id: "reg-import-error", hidden: true });
  const check = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "reg-import-check" }, t("registry.importCheck")));
  const report = h("div", { id: "reg-import-report" });
  const form = h("form", { class: "card", id: "reg-import-form" },
    h("h1", {}, t("registry.importTitle")),
    h("h2", {}, t("registry.importStep1")),
    h("label", { for: "reg-import-file" }, t("registry.importFile")), input, fileError,
    h("p", { class: "muted reg-hint", id: "reg-import-hint" }, t("registry.importHint")),
    errors,
    h("div", { class: "row" }, check, h("a", { class: "button secondary", href: "#/registry" }, t("registry.cancel"))));
  const counts = (r) => ({ rows: fmt.num(r.rows), created: fmt.num(r.created), updated: fmt.num(r.updated), unchanged: fmt.num(r.unchanged), rejected: fmt.num((r.rejected || []).length) });
  const showReport = (r, file) => {
    const rejected = r.rejected || [], dups = r.possible_duplicates || [];
    const sheets = rejected.some(x => x.sheet) || dups.some(x => x.sheet);
    const where = (x) => (sheets && x.sheet ? `${x.sheet}, ` : "") + fmt.num(x.line);
    const cols = [t("registry.importLine"), t("registry.importField"), t("registry.importValue"), t("registry.importMessage")];
    const good = r.created + r.updated;
    const confirm = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id: "reg-import-confirm", disabled: !r.dry_run || good === 0 }, t("registry.importConfirm")));
    const confirmError = h("div", { hidden: true });
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      confirm.textContent = t("registry.importConfirming");
      confirmError.hidden = true;
      try {
        showReport(await importFile(ctx, file, false), file);
      } catch (ex) {
        ctx.showError(confirmError, ex, labels(t));
        confirm.disabled = false;
        confirm.textContent = t("registry.importConfirm");
      }
    });
    report.replaceChildren(h("section", { class: "card", id: "reg-import-result" },
      h("h2", {}, r.dry_run ? t("registry.importStep2") : t("registry.import")),
      h("p", { id: "reg-import-summary", class: r.dry_run ? (rejected.length ? "warn" : "notice") : "notice" },
        t(r.dry_run ? "registry.importSummary" : "registry.importDone", counts(r))),
      h("h3", {}, t("registry.importRejected")),
      rejected.length ? h("div", { class: "table-wrap" }, h("table", { class: "reg-table", id: "reg-import-rejected" },
        h("thead", {}, h("tr", {}, cols.map(c => h("th", { scope: "col" }, c)))),
        h("tbody", {}, rejected.map(x => h("tr", {},
          h("td", { "data-label": cols[0] }, where(x)),
          h("td", { "data-label": cols[1] }, columnLabel(t, x.field)),
          h("td", { "data-label": cols[2] }, x.value || "–"),
          h("td", { "data-label": cols[3] }, ctx.lang === "vi" ? x.message_vi || x.message : x.message))))))
        : h("p", { class: "muted" }, t("registry.importNoErrors")),
      dups.length ? h("h3", {}, t("registry.importDuplicates")) : null,
      dups.length ? h("ul", { id: "reg-import-duplicates" }, dups.map(d => h("li", {}, `${t("registry.importLine")} ${where(d)}: `,
        h("a", { href: `#/registry/${encodeURIComponent(d.business_id)}` }, t("registry.importDuplicateOf")),
        ctx.lang === "en" && d.reason ? ` (${d.reason})` : ""))) : null,
      confirmError,
      h("div", { class: "row" },
        r.dry_run ? confirm : null,
        r.dry_run && good === 0 ? h("span", { class: "muted" }, t("registry.importNothing")) : null,
        h("button", { type: "button", class: "secondary", onclick: () => { input.value = ""; report.replaceChildren(); input.focus(); } }, t("registry.importOther")))));
    report.scrollIntoView({ block: "start" });
  };
  bindFileCheck(/** @type {HTMLFormElement} */ (form), {
    input, fileError, check,
    texts: { noFile: t("registry.importNoFile"), checking: t("registry.importChecking"), check: t("registry.importCheck") },
    clear: () => { errors.hidden = true; report.replaceChildren(); },
    run: async file => showReport(await importFile(ctx, file, true), file),
    fail: ex => ctx.showError(errors, ex, { ...labels(t), file: t("registry.col.file") }),
  });
  el.replaceChildren(h("p", {}, h("a", { href: "#/registry" }, "← " + t("registry.back"))), form, report);
}

/** @type {import("../main.js").Desk} */
export default {
  id: "registry",
  roles: ["planner", "admin", "viewer"],
  nav: { vi: "Cơ sở", en: "Registry" },
  messages,
  render,
};
