// @ts-check
// The programmes desk: planners and admins create and edit the multi-year programmes (dates,
// yearly share, coverage deadline, grace period, scope, territory, lead agency); viewers read
// them. #/programmes is the list; #/programmes/new a new one; #/programmes/CODE one programme,
// edited with the version it was read at: someone else's save in between is shown field by
// field, and the planner keeps theirs or takes the new version. Each programme links to its
// yearly plans (#/plans?programme=CODE).

import { h } from "../../../shared/js/dom.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, code: string, name: string, starts_on: string, ends_on: string, min_yearly_share: number,
 *   coverage_deadline: string, grace_days: number, scope_categories: string[] | null, root_area_code: string | null,
 *   lead_agency: string | null, version: number, created_at: string, updated_at: string}} Programme
 * @typedef {{code: string, name_vi: string, name_en: string, short_vi?: string, active: boolean}} Agency
 * @typedef {{code: string, name: string, children?: AreaNode[]}} AreaNode
 * @typedef {{agencies: Map<string, Agency>, areas: Map<string, string>, roots: {code: string, label: string}[]}} Data
 * @typedef {{field: string, message: string}} Problem
 */

const EDIT_ROLES = ["planner", "admin"];

// FIELDS are the form's inputs in its order, by the API's names.
const FIELDS = ["code", "name", "starts_on", "ends_on", "coverage_deadline", "min_yearly_share", "grace_days", "scope_categories", "root_area_code", "lead_agency"];
const DATES = ["starts_on", "ends_on", "coverage_deadline"];

/** @type {import("../../../shared/js/i18n.js").Messages} */
const messages = {
  vi: {
    "prg.nav": "Chương trình",
    "prg.title": "Chương trình kiểm tra nhiều năm",
    "prg.intro": "Mỗi chương trình đặt tỷ lệ cơ sở phải kiểm tra mỗi năm và hạn để mọi cơ sở trong phạm vi đều được kiểm tra ít nhất một lần.",
    "prg.add": "Thêm chương trình",
    "prg.none": "Chưa có chương trình nào.",
    "prg.back": "Quay lại danh sách chương trình",
    "prg.plans": "Xem kế hoạch hằng năm",
    "prg.period": "Thời gian",
    "prg.range": "{from} – {to}",
    "prg.scopeAll": "Tất cả loại hình",
    "prg.wholeRegistry": "Toàn bộ danh sách cơ sở",
    "prg.noLead": "Chưa ghi nhận",
    "prg.field.code": "Mã chương trình",
    "prg.field.name": "Tên chương trình",
    "prg.field.starts_on": "Ngày bắt đầu",
    "prg.field.ends_on": "Ngày kết thúc",
    "prg.field.coverage_deadline": "Hạn kiểm tra hết các cơ sở",
    "prg.field.min_yearly_share": "Tỷ lệ kiểm tra tối thiểu mỗi năm",
    "prg.field.grace_days": "Số ngày ân hạn",
    "prg.field.scope_categories": "Loại hình trong phạm vi",
    "prg.field.root_area_code": "Địa bàn",
    "prg.field.lead_agency": "Cơ quan chủ trì",
    "prg.field.version": "Phiên bản",
    "prg.field.year": "Năm",
    "prg.hint.code": "Ví dụ PCMD-2026-2030. Kế hoạch và báo cáo gọi chương trình bằng mã này nên không đổi được sau khi tạo.",
    "prg.hint.coverage_deadline": "Để trống: bằng ngày kết thúc.",
    "prg.hint.min_yearly_share": "Phần trăm số cơ sở đang hoạt động phải được kiểm tra mỗi năm, ví dụ 20.",
    "prg.hint.grace_days": "Cơ sở mở cửa trong chừng ấy ngày trước hạn thì không bắt buộc phải kiểm tra trước hạn (0 đến 365).",
    "prg.hint.scope_categories": "Không chọn loại hình nào: chương trình gồm mọi loại hình.",
    "prg.col.share": "Tỷ lệ mỗi năm",
    "prg.col.deadline": "Hạn bao phủ",
    "prg.col.scope": "Phạm vi",
    "prg.days": "{n} ngày",
    "prg.newTitle": "Thêm chương trình mới",
    "prg.create": "Tạo chương trình",
    "prg.save": "Lưu",
    "prg.saving": "Đang lưu…",
    "prg.cancel": "Huỷ",
    "prg.saved": "Đã lưu.",
    "prg.nothingChanged": "Không có thông tin nào thay đổi.",
    "prg.notNumber": "phải là một số, ví dụ 20",
    "prg.notWhole": "phải là một số nguyên từ 0 đến 365",
    "prg.required": "không được để trống",
    "prg.conflictTitle": "Người khác vừa sửa chương trình này",
    "prg.conflictChanges": "Những gì đã đổi:",
    "prg.conflictNone": "Người đó lưu lại mà không đổi thông tin nào bạn thấy.",
    "prg.conflictHelp": "Những ô bạn không sửa đã được cập nhật theo bản mới; những ô bạn đã sửa vẫn giữ nội dung của bạn.",
    "prg.conflictBoth": "Cả hai cùng sửa: {fields}.",
    "prg.keepMine": "Lưu nội dung của tôi",
    "prg.takeTheirs": "Lấy bản mới, bỏ nội dung của tôi",
    "prg.changed": "{field}: “{old}” thành “{new}”",
    "prg.empty": "trống",
    "prg.updatedAt": "Cập nhật lần cuối",
  },
  en: {
    "prg.nav": "Programmes",
    "prg.title": "Multi-year inspection programmes",
    "prg.intro": "Each programme sets the share of businesses to inspect every year and the deadline by which every business in its scope is inspected at least once.",
    "prg.add": "Add a programme",
    "prg.none": "There is no programme yet.",
    "prg.back": "Back to the programmes",
    "prg.plans": "See the yearly plans",
    "prg.period": "Period",
    "prg.range": "{from} – {to}",
    "prg.scopeAll": "Every trade",
    "prg.wholeRegistry": "The whole registry",
    "prg.noLead": "Not recorded",
    "prg.field.code": "Programme code",
    "prg.field.name": "Name",
    "prg.field.starts_on": "Starts on",
    "prg.field.ends_on": "Ends on",
    "prg.field.coverage_deadline": "Every business inspected by",
    "prg.field.min_yearly_share": "Minimum share inspected each year",
    "prg.field.grace_days": "Grace period (days)",
    "prg.field.scope_categories": "Trades in scope",
    "prg.field.root_area_code": "Territory",
    "prg.field.lead_agency": "Lead agency",
    "prg.field.version": "Version",
    "prg.field.year": "Year",
    "prg.hint.code": "For example PCMD-2026-2030. Plans and reports name the programme by it, so it cannot change once created.",
    "prg.hint.coverage_deadline": "Leave it empty: the end date.",
    "prg.hint.min_yearly_share": "The percentage of trading businesses to inspect every year, for example 20.",
    "prg.hint.grace_days": "Businesses that open this many days before the deadline need not be inspected by it (0 to 365).",
    "prg.hint.scope_categories": "No trade ticked: the programme covers every trade.",
    "prg.col.share": "Yearly share",
    "prg.col.deadline": "Coverage deadline",
    "prg.col.scope": "Scope",
    "prg.days": "{n} days",
    "prg.newTitle": "Add a programme",
    "prg.create": "Create the programme",
    "prg.save": "Save",
    "prg.saving": "Saving…",
    "prg.cancel": "Cancel",
    "prg.saved": "Saved.",
    "prg.nothingChanged": "Nothing was changed.",
    "prg.notNumber": "must be a number, for example 20",
    "prg.notWhole": "must be a whole number from 0 to 365",
    "prg.required": "is required",
    "prg.conflictTitle": "Someone else has just changed this programme",
    "prg.conflictChanges": "What changed:",
    "prg.conflictNone": "They saved it without changing anything you can see.",
    "prg.conflictHelp": "The fields you left alone now hold the new version; the fields you changed keep what you typed.",
    "prg.conflictBoth": "You both changed: {fields}.",
    "prg.keepMine": "Save what I typed",
    "prg.takeTheirs": "Take the new version, drop mine",
    "prg.changed": "{field}: “{old}” to “{new}”",
    "prg.empty": "empty",
    "prg.updatedAt": "Last changed",
  },
};

// A message to show once on the next screen (after a programme is created).
const state = { flash: "" };

/** @param {DeskContext} ctx */
function canEdit(ctx) {
  return !!ctx.user && EDIT_ROLES.includes(ctx.user.role);
}

/**
 * load reads the names the screens show for codes: agencies and units.
 * @param {DeskContext} ctx
 * @returns {Promise<Data>}
 */
async function load(ctx) {
  const [agencies, areas] = await Promise.all([ctx.api.get("/api/v1/agencies"), ctx.api.get("/api/v1/areas")]);
  /** @type {Map<string, string>} */
  const names = new Map();
  /** @type {{code: string, label: string}[]} */
  const roots = [];
  // A programme's territory is a unit with units under it (the city, a district): a ward alone
  // is no programme's territory, and the list of wards would bury the choice.
  const walk = (/** @type {AreaNode[]} */ ns, depth) => {
    for (const n of ns || []) {
      names.set(n.code, n.name);
      if (n.children && n.children.length) roots.push({ code: n.code, label: "\u00a0\u00a0".repeat(depth) + n.name });
      walk(n.children || [], depth + 1);
    }
  };
  walk(areas.items || [], 0);
  return { agencies: new Map((agencies.items || []).map(a => [a.code, a])), areas: names, roots };
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function render(el, ctx) {
  const data = await load(ctx);
  const [code] = ctx.path;
  if (!code) return renderList(el, ctx, data);
  if (code === "new" && canEdit(ctx)) return renderForm(el, ctx, data, null);
  /** @type {Programme} */
  const p = await ctx.api.get(`/api/v1/programmes/${encodeURIComponent(code)}`);
  return canEdit(ctx) ? renderForm(el, ctx, data, p) : renderView(el, ctx, data, p);
}

/** @param {DeskContext} ctx @param {Data} d @param {string | null} code */
function agencyName(ctx, d, code) {
  if (!code) return ctx.t("prg.noLead");
  const a = d.agencies.get(code);
  if (!a) return code;
  return ctx.lang === "en" ? a.name_en || a.name_vi : a.name_vi;
}

/** @param {DeskContext} ctx @param {Data} d @param {string | null} code */
function areaName(ctx, d, code) {
  return code ? d.areas.get(code) || code : ctx.t("prg.wholeRegistry");
}

/** @param {DeskContext} ctx @param {string[] | null} cats */
function scopeWords(ctx, cats) {
  return cats && cats.length ? cats.map(c => ctx.ref.label("category", c)).join(", ") : ctx.t("prg.scopeAll");
}

/** plansLink opens the programme's yearly plans (the plans desk). @param {DeskContext} ctx @param {Programme} p */
function plansLink(ctx, p) {
  return h("a", { href: `#/plans?programme=${encodeURIComponent(p.code)}`, class: "prg-plans" }, ctx.t("prg.plans"));
}

/**
 * labels names the API's fields as the form does.
 * @param {DeskContext["t"]} t
 */
function labels(t) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const k of [...FIELDS, "version", "year"]) out[k] = t("prg.field." + k);
  return out;
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {Data} d
 */
async function renderList(el, ctx, d) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("prg.nav"));
  const got = await ctx.api.get("/api/v1/programmes");
  /** @type {Programme[]} */
  const items = got.items || [];
  const cols = [t("prg.field.code"), t("prg.field.name"), t("prg.period"), t("prg.col.share"), t("prg.col.deadline"), t("prg.field.grace_days"),
    t("prg.col.scope"), t("prg.field.root_area_code"), t("prg.field.lead_agency"), ""];
  const rows = items.map(p => h("tr", { dataset: { code: p.code } },
    h("td", { "data-label": cols[0], class: "prg-nowrap" }, h("a", { href: `#/programmes/${encodeURIComponent(p.code)}` }, p.code)),
    h("td", { "data-label": cols[1] }, p.name),
    h("td", { "data-label": cols[2], class: "prg-nowrap" }, t("prg.range", { from: fmt.date(p.starts_on), to: fmt.date(p.ends_on) })),
    h("td", { "data-label": cols[3], class: "prg-share" }, fmt.pct(p.min_yearly_share)),
    h("td", { "data-label": cols[4], class: "prg-nowrap" }, fmt.date(p.coverage_deadline)),
    h("td", { "data-label": cols[5] }, t("prg.days", { n: fmt.num(p.grace_days) })),
    h("td", { "data-label": cols[6] }, scopeWords(ctx, p.scope_categories)),
    h("td", { "data-label": cols[7] }, areaName(ctx, d, p.root_area_code)),
    h("td", { "data-label": cols[8] }, agencyName(ctx, d, p.lead_agency)),
    h("td", {}, plansLink(ctx, p))));
  el.replaceChildren(h("section", { class: "card", id: "prg-list" },
    h("div", { class: "prg-head" },
      h("h1", {}, t("prg.title")),
      canEdit(ctx) ? h("a", { class: "button", href: "#/programmes/new", id: "prg-add" }, t("prg.add")) : null),
    h("p", { class: "muted" }, t("prg.intro")),
    items.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "prg-table" },
        h("thead", {}, h("tr", {}, cols.map(c => h("th", { scope: "col" }, c)))),
        h("tbody", {}, rows)))
      : h("p", {}, t("prg.none"))));
}

/**
 * renderView is a programme as a viewer reads it.
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {Data} d
 * @param {Programme} p
 */
function renderView(el, ctx, d, p) {
  const { t, fmt } = ctx;
  ctx.setTitle(p.name);
  const rows = /** @type {[string, string][]} */ ([
    [t("prg.field.code"), p.code],
    [t("prg.period"), t("prg.range", { from: fmt.date(p.starts_on), to: fmt.date(p.ends_on) })],
    [t("prg.field.coverage_deadline"), fmt.date(p.coverage_deadline)],
    [t("prg.field.min_yearly_share"), fmt.pct(p.min_yearly_share)],
    [t("prg.field.grace_days"), t("prg.days", { n: fmt.num(p.grace_days) })],
    [t("prg.field.scope_categories"), scopeWords(ctx, p.scope_categories)],
    [t("prg.field.root_area_code"), areaName(ctx, d, p.root_area_code)],
    [t("prg.field.lead_agency"), agencyName(ctx, d, p.lead_agency)],
    [t("prg.updatedAt"), `${fmt.date(p.updated_at)} ${fmt.time(p.updated_at)}`],
  ]);
  el.replaceChildren(
    h("p", {}, h("a", { href: "#/programmes" }, "← " + t("prg.back"))),
    h("section", { class: "card", id: "prg-view" },
      h("h1", {}, p.name),
      h("dl", { class: "prg-dl" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("p", {}, plansLink(ctx, p))));
}

/**
 * shareText is a ratio as the form shows it: a percentage without its sign (0.2: "20").
 * @param {DeskContext} ctx
 * @param {number} r
 */
function shareText(ctx, r) {
  if (r === null || r === undefined || !Number.isFinite(r)) return "";
  const s = String(Math.round(r * 100 * 10000) / 10000);
  return ctx.lang === "vi" ? s.replace(".", ",") : s;
}

/**
 * valueOf is a programme's field as the form holds it (text; the scope as sorted codes joined).
 * @param {DeskContext} ctx
 * @param {Programme | null} p
 * @param {string} key
 */
function valueOf(ctx, p, key) {
  if (!p) return "";
  if (key === "min_yearly_share") return shareText(ctx, p.min_yearly_share);
  if (key === "scope_categories") return [...(p.scope_categories || [])].sort().join(",");
  const v = /** @type {any} */ (p)[key];
  return v === null || v === undefined ? "" : String(v);
}

/**
 * programmeForm builds the inputs of FIELDS, each with its hint and its error line beside it.
 * @param {DeskContext} ctx
 * @param {Data} d
 * @param {Programme | null} p the programme edited (null: a new one)
 */
function programmeForm(ctx, d, p) {
  const { t, ref } = ctx;
  /** @type {Record<string, HTMLElement>} */
  const errs = {};
  /** @type {Record<string, HTMLInputElement | HTMLSelectElement>} */
  const inputs = {};
  /** @type {HTMLInputElement[]} */
  const boxes = [];
  const hinted = ["code", "coverage_deadline", "min_yearly_share", "grace_days", "scope_categories"];
  const cells = FIELDS.map(key => {
    const id = "prg-f-" + key, errId = id + "-error", hintId = id + "-hint";
    errs[key] = h("p", { id: errId, class: "field-error", hidden: true });
    const hint = hinted.includes(key) && !(key === "code" && p) ? h("p", { id: hintId, class: "muted prg-hint" }, t("prg.hint." + key)) : null;
    const describedBy = hint ? `${errId} ${hintId}` : errId;
    const value = valueOf(ctx, p, key);
    if (key === "scope_categories") {
      const chosen = new Set(value ? value.split(",") : []);
      const list = h("div", { class: "prg-boxes", id }, ref.categories.map(c => {
        const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", name: key, value: c.code, checked: chosen.has(c.code) }));
        boxes.push(box);
        return h("label", { class: "prg-box" }, box, " ", ref.label("category", c.code));
      }));
      return h("fieldset", { class: "prg-field wide", "aria-describedby": describedBy },
        h("legend", {}, t("prg.field." + key)), hint, list, errs[key]);
    }
    let input;
    if (key === "root_area_code") {
      const options = [...d.roots];
      if (value && !options.some(o => o.code === value)) options.push({ code: value, label: areaName(ctx, d, value) });
      // A new programme covers the top of the tree (the city), as the existing ones do.
      const pick = p ? value : (options[0] ? options[0].code : "");
      input = h("select", { id, name: key }, h("option", { value: "" }, t("prg.wholeRegistry")),
        options.map(o => h("option", { value: o.code, selected: o.code === pick }, o.label)));
    } else if (key === "lead_agency") {
      // A dissolved agency stays the choice of the programme it already leads, and no other's.
      const agencies = [...d.agencies.values()].filter(a => a.active || a.code === value);
      const pick = value || (p ? "" : "health");
      input = h("select", { id, name: key },
        p && !value ? h("option", { value: "" }, t("prg.noLead")) : null,
        agencies.map(a => h("option", { value: a.code, selected: a.code === pick }, agencyName(ctx, d, a.code))));
    } else if (DATES.includes(key)) {
      input = h("input", { id, name: key, type: "date", value });
    } else if (key === "min_yearly_share") {
      input = h("input", { id, name: key, type: "text", inputmode: "decimal", value: p ? value : "20", autocomplete: "off", class: "prg-num" });
    } else if (key === "grace_days") {
      input = h("input", { id, name: key, type: "text", inputmode: "numeric", value: p ? value : "60", autocomplete: "off", class: "prg-num" });
    } else {
      input = h("input", { id, name: key, type: "text", value, autocomplete: "off", maxlength: key === "code" ? 64 : 300,
        readonly: key === "code" && !!p, spellcheck: "false" });
    }
    input.setAttribute("aria-describedby", describedBy);
    inputs[key] = /** @type {any} */ (input);
    const unit = key === "min_yearly_share" ? h("span", { class: "prg-unit" }, "%") : key === "grace_days" ? h("span", { class: "prg-unit" }, t("prg.days", { n: "" }).trim()) : null;
    return h("div", { class: "prg-field" + (key === "name" ? " wide" : "") },
      h("label", { for: id }, t("prg.field." + key)),
      unit ? h("div", { class: "prg-with-unit" }, input, unit) : input,
      hint, errs[key]);
  });

  /** read answers the form's values as text (valueOf's shape). */
  const read = () => {
    /** @type {Record<string, string>} */
    const out = {};
    for (const key of FIELDS) {
      out[key] = key === "scope_categories" ? boxes.filter(b => b.checked).map(b => b.value).sort().join(",") : inputs[key].value.trim();
    }
    return out;
  };

  /**
   * body turns the form's text into the API's fields (only keys, when given); problems the
   * browser can tell (a share that is not a number) come back instead, under their field.
   * @param {Record<string, string>} v
   * @param {string[]} keys
   * @param {boolean} isNew
   */
  const body = (v, keys, isNew) => {
    /** @type {Record<string, any>} */
    const out = {};
    /** @type {Problem[]} */
    const problems = [];
    for (const key of keys) {
      const s = v[key];
      if (key === "min_yearly_share") {
        const n = Number(s.replace(",", "."));
        if (s === "") problems.push({ field: key, message: t("prg.required") });
        else if (!Number.isFinite(n)) problems.push({ field: key, message: t("prg.notNumber") });
        else out[key] = Math.round(n * 10000) / 1000000;
      } else if (key === "grace_days") {
        if (s === "") problems.push({ field: key, message: t("prg.required") });
        else if (!/^\d+$/.test(s)) problems.push({ field: key, message: t("prg.notWhole") });
        else out[key] = Number(s);
      } else if (key === "scope_categories") {
        out[key] = s ? s.split(",") : [];
      } else if (key === "coverage_deadline" && s === "") {
        // Empty means the end date: a new programme's default, and the same for an edit.
        if (!isNew) out[key] = v.ends_on;
      } else if (key === "root_area_code") {
        out[key] = s || (isNew ? null : "");
      } else {
        out[key] = s;
      }
    }
    return { out, problems };
  };

  /**
   * fieldErrors puts each problem beside its field; answers whether every one found its field.
   * @param {any} ex an ApiError, or {details: Problem[]}
   */
  const fieldErrors = (ex) => {
    for (const key of FIELDS) {
      errs[key].hidden = true;
      errs[key].replaceChildren();
      inputs[key]?.removeAttribute("aria-invalid");
    }
    /** @type {Problem[]} */
    const problems = ex && ex.details && ex.details.length ? ex.details : ex && ex.field ? [{ field: ex.field, message: ex.message }] : [];
    /** @type {HTMLElement | null} */
    let first = null;
    let placed = 0;
    for (const pr of problems) {
      const err = errs[pr.field];
      if (!err) continue;
      placed++;
      const text = pr.message ? pr.message.charAt(0).toLocaleUpperCase(ctx.lang === "vi" ? "vi-VN" : "en-GB") + pr.message.slice(1) : "";
      // A field may have several problems (two plan years): one line each.
      err.append(h("span", { class: "prg-err-line" }, text));
      err.hidden = false;
      const input = inputs[pr.field] || boxes[0];
      input?.setAttribute("aria-invalid", "true");
      first = first || input || null;
    }
    first?.focus();
    return placed > 0 && placed === problems.length;
  };

  /** fill puts a programme's values into the form. @param {Programme} q */
  const fill = (q) => {
    for (const key of FIELDS) {
      const v = valueOf(ctx, q, key);
      if (key === "scope_categories") {
        const chosen = new Set(v ? v.split(",") : []);
        for (const b of boxes) b.checked = chosen.has(b.value);
      } else {
        setValue(inputs[key], v);
      }
    }
  };

  /** setField puts one value in (the scope: sorted codes joined). @param {string} key @param {string} v */
  const setField = (key, v) => {
    if (key === "scope_categories") {
      const chosen = new Set(v ? v.split(",") : []);
      for (const b of boxes) b.checked = chosen.has(b.value);
    } else {
      setValue(inputs[key], v);
    }
  };

  return { cells, inputs, read, body, fieldErrors, fill, setField };
}

/**
 * setValue sets an input's or a select's value; a select gets the option when it lacks it
 * (an agency made inactive since, a unit no longer listed).
 * @param {HTMLInputElement | HTMLSelectElement} input
 * @param {string} v
 */
function setValue(input, v) {
  if (input instanceof HTMLSelectElement && ![...input.options].some(o => o.value === v)) input.append(h("option", { value: v }, v));
  input.value = v;
}

/**
 * shown is a field's value in words, for the list of what someone else changed.
 * @param {DeskContext} ctx
 * @param {Data} d
 * @param {string} key
 * @param {Programme} p
 */
function shown(ctx, d, key, p) {
  const { t, fmt } = ctx;
  const v = /** @type {any} */ (p)[key];
  if (key === "scope_categories") return scopeWords(ctx, v);
  if (key === "root_area_code") return areaName(ctx, d, v);
  if (key === "lead_agency") return agencyName(ctx, d, v);
  if (v === null || v === undefined || v === "") return t("prg.empty");
  if (DATES.includes(key)) return fmt.date(v);
  if (key === "min_yearly_share") return fmt.pct(v);
  if (key === "grace_days") return t("prg.days", { n: fmt.num(v) });
  return String(v);
}

/**
 * renderForm is a new programme's form, or a programme's for a planner: a refused save keeps
 * what was typed and shows each problem beside its field; a version conflict names what the
 * other person changed and lets the planner keep theirs or take the new version.
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {Data} d
 * @param {Programme | null} p
 */
function renderForm(el, ctx, d, p) {
  const { t } = ctx;
  ctx.setTitle(p ? p.name : t("prg.newTitle"));
  let base = p;
  const form = programmeForm(ctx, d, p);
  const note = h("div", { id: "prg-note", role: "status" });
  if (state.flash) {
    note.append(h("p", { class: "notice" }, state.flash));
    state.flash = "";
  }
  const errors = h("div", { id: "prg-form-error", hidden: true });
  const conflict = h("div", { id: "prg-conflict", hidden: true, role: "alert" });
  const label = p ? t("prg.save") : t("prg.create");
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "prg-save" }, label));
  const heading = h("h1", { id: "prg-name" }, p ? p.name : t("prg.newTitle"));
  const f = h("form", { class: "card", id: "prg-form", novalidate: true },
    h("div", { class: "prg-head" }, heading, p ? plansLink(ctx, p) : null),
    conflict,
    h("div", { class: "prg-fields" }, form.cells),
    errors,
    h("div", { class: "row" }, submit, h("a", { class: "button secondary", href: "#/programmes" }, t("prg.cancel"))));

  /** @param {Record<string, string>} values */
  const save = async (values) => {
    errors.hidden = true;
    note.replaceChildren();
    form.fieldErrors(null);
    const keys = base ? FIELDS.filter(k => k !== "code" && values[k] !== valueOf(ctx, base, k)) : FIELDS;
    if (base && !keys.length) {
      note.replaceChildren(h("p", { class: "notice" }, t("prg.nothingChanged")));
      return;
    }
    const { out, problems } = form.body(values, keys, !base);
    if (problems.length) {
      form.fieldErrors({ details: problems });
      return;
    }
    submit.disabled = true;
    submit.textContent = t("prg.saving");
    try {
      if (!base) {
        /** @type {Programme} */
        const got = await ctx.api.post("/api/v1/programmes", out);
        state.flash = t("prg.saved");
        ctx.go(`#/programmes/${encodeURIComponent(got.code)}`);
        return;
      }
      /** @type {Programme} */
      const got = await ctx.api.patch(`/api/v1/programmes/${encodeURIComponent(base.id)}`, { version: base.version, ...out });
      base = got;
      conflict.hidden = true;
      form.fill(got);
      heading.textContent = got.name;
      ctx.setTitle(got.name);
      note.replaceChildren(h("p", { class: "notice" }, t("prg.saved")));
    } catch (ex) {
      if (base && ex && ex.status === 409 && ex.code === "conflict") {
        await showConflict(values);
      } else if (!form.fieldErrors(ex)) {
        ctx.showError(errors, ex, labels(t));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = label;
    }
  };

  /**
   * showConflict reads the new version, names what changed since the form's, brings it into the
   * fields the planner left alone, and offers the two ways on.
   * @param {Record<string, string>} values what the planner had typed
   */
  const showConflict = async (values) => {
    if (!base) return;
    const old = base;
    let fresh;
    try {
      fresh = await ctx.api.get(`/api/v1/programmes/${encodeURIComponent(old.id)}`);
    } catch (ex2) {
      ctx.showError(errors, ex2, labels(t));
      return;
    }
    const theirs = FIELDS.filter(k => valueOf(ctx, fresh, k) !== valueOf(ctx, old, k));
    /** @type {string[]} */
    const both = [];
    for (const k of theirs) {
      if (values[k] === valueOf(ctx, old, k)) form.setField(k, valueOf(ctx, fresh, k));
      else if (values[k] !== valueOf(ctx, fresh, k)) both.push(t("prg.field." + k));
    }
    base = fresh;
    const keep = h("button", { type: "button", id: "prg-keep-mine", onclick: () => save(form.read()) }, t("prg.keepMine"));
    const take = h("button", { type: "button", class: "secondary", id: "prg-take-theirs", onclick: () => {
      form.fill(fresh);
      conflict.hidden = true;
      note.replaceChildren();
    } }, t("prg.takeTheirs"));
    conflict.replaceChildren(h("div", { class: "warn" },
      h("p", {}, h("b", {}, t("prg.conflictTitle"))),
      theirs.length
        ? [h("p", {}, t("prg.conflictChanges")), h("ul", { id: "prg-conflict-list" }, theirs.map(k => h("li", {},
          t("prg.changed", { field: t("prg.field." + k), old: shown(ctx, d, k, old), new: shown(ctx, d, k, fresh) }))))]
        : h("p", {}, t("prg.conflictNone")),
      h("p", {}, t("prg.conflictHelp"), both.length ? " " + t("prg.conflictBoth", { fields: both.join(", ") }) : ""),
      h("div", { class: "row" }, keep, take)));
    conflict.hidden = false;
    conflict.scrollIntoView({ block: "start" });
  };

  f.addEventListener("submit", ev => {
    ev.preventDefault();
    save(form.read());
  });
  el.replaceChildren(h("p", {}, h("a", { href: "#/programmes", id: "prg-back" }, "← " + t("prg.back"))), note, f);
  (p ? form.inputs.name : form.inputs.code).focus();
}

/** @type {import("../main.js").Desk} */
export default {
  id: "programmes",
  roles: ["planner", "admin", "viewer"],
  nav: { vi: "Chương trình", en: "Programmes" },
  messages,
  render,
};
