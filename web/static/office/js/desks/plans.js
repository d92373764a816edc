// @ts-check
// The desk of yearly plans: #/plans lists a programme's plans by year (the programme in force
// unless another is picked, #/plans?programme=CODE) and lets planners and admins preview a
// year's plan (the server's dry run: nothing stored) or commit it for a public draw; #/plans/ID
// is one plan: its figures before approving (per unit, per week against the teams' capacity,
// the never-inspected share, the shortfall), the draw's result, the approval and the reveal,
// each after a confirmation, and for planners the selected businesses with why each was chosen.
// What a plan may do next is the server's answer: a refused step is shown beside its field.

import { clearErrors, field, showFieldErrors } from "../forms.js";
import { h } from "../../../shared/js/dom.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{code: string, name: string, type_name: string, level: string, children: AreaNode[]}} AreaNode
 * @typedef {{id: string, code: string, name: string, starts_on: string, ends_on: string, min_yearly_share: number, coverage_deadline: string}} Programme
 * @typedef {{area_code: string, tasks: number, missing_team_days: number}} AreaShortfall
 * @typedef {{area_code: string, in_scope: number, uninspected: number, must_cover: number, reinspections: number}} AreaFigures
 * @typedef {{week_start: string, planned: number, capacity: number}} WeekFigures
 * @typedef {{year: number, in_scope: number, uninspected: number, must_cover: number, share_target: number, reinspections: number,
 *   total: number, feasible: boolean, shortfall: number, shortfall_areas: AreaShortfall[] | null, areas: AreaFigures[] | null, weeks: WeekFigures[] | null}} Figures
 * @typedef {{id: string, programme_id: string, year: number, status: string, attempt: number, reason: string, seed_source: string,
 *   draw_source: string, draw_date: string | null, draw_result: string, seed_revealed_at: string | null, feasible: boolean, shortfall: number,
 *   approved_at: string | null, created_at: string, figures: Figures | null, progress: Record<string, number>}} Plan
 * @typedef {{plan_id: string, business_id: string, group: string, inclusion_prob: number, week_start: string, area_code: string,
 *   business_name: string, category: string}} Item
 * @typedef {{name: string, vi: string, en: string, value: number, contribution: number}} Factor
 * @typedef {{score: number, capped: boolean, factors: Factor[], inclusion_prob: number, uniform_prob: number, floor: number}} Risk
 * @typedef {{programmes: Programme[], areas: Map<string, string>}} Data
 */

const messages = {
  vi: {
    "plans.nav": "Kế hoạch năm",
    "plans.title": "Kế hoạch kiểm tra hằng năm",
    "plans.programme": "Chương trình",
    "plans.programmeLine": "Từ {from} đến {to}; mỗi năm kiểm tra ít nhất {share} số cơ sở trong phạm vi; mọi cơ sở được kiểm tra trước {deadline}.",
    "plans.editProgramme": "Sửa chương trình",
    "plans.none": "Chương trình chưa có kế hoạch năm nào.",
    "plans.noProgramme": "Chưa có chương trình kiểm tra nào.",
    "plans.colYear": "Năm",
    "plans.colAttempt": "Lần lập",
    "plans.colStatus": "Trạng thái",
    "plans.colDraw": "Kỳ quay số",
    "plans.colTotal": "Số lượt kiểm tra",
    "plans.colFits": "Năng lực các tổ",
    "plans.open": "Xem kế hoạch",
    "plans.attemptN": "Lần {n}",
    "plans.drawWaiting": "chưa có kết quả",
    "plans.serverSeed": "hạt giống do máy chủ tạo",
    "plans.fitsYes": "Đủ",
    "plans.fitsNo": "Thiếu {n} lượt",
    "plans.previewMark": "(tạm tính)",
    "plans.draftTitle": "Xem trước hoặc lập kế hoạch năm",
    "plans.draftHelp": "“Xem trước” tính các con số từ danh sách cơ sở và năng lực các tổ hiện nay mà không lưu gì. “Cam kết kế hoạch” lưu đầu vào và công bố mã băm của chúng; danh sách cơ sở được chọn chỉ có sau kỳ quay số công khai đã chọn.",
    "plans.year": "Năm kế hoạch",
    "plans.drawDate": "Ngày quay số",
    "plans.drawDateHelp": "Một ngày thứ Tư sau hôm nay (Xổ số kiến thiết Cần Thơ). Để trống: kỳ quay gần nhất.",
    "plans.reason": "Lý do lập lại (không bắt buộc)",
    "plans.reasonRequired": "Lý do lập lại (bắt buộc: năm này đã có kế hoạch)",
    "plans.reasonShort": "Lý do lập lại",
    "plans.preview": "Xem trước",
    "plans.previewing": "Đang tính…",
    "plans.commit": "Cam kết kế hoạch",
    "plans.committing": "Đang lưu…",
    "plans.previewTitle": "Kế hoạch năm {year} nếu lập hôm nay (chưa lưu)",
    "plans.figuresTitle": "Các con số",
    "plans.total": "Tổng số lượt kiểm tra",
    "plans.inScope": "Cơ sở trong phạm vi",
    "plans.mustCover": "Lần đầu (chưa từng được kiểm tra)",
    "plans.mustCoverShare": "{pct} số cơ sở trong phạm vi",
    "plans.uninspectedLeft": "còn {n} cơ sở chưa từng được kiểm tra",
    "plans.reinspections": "Kiểm tra lại theo rủi ro",
    "plans.shareTarget": "Chỉ tiêu tối thiểu của năm",
    "plans.fits": "Các tổ đủ năng lực: mọi lượt kiểm tra đều có tổ và tuần thực hiện.",
    "plans.shortfall": "Thiếu năng lực: {n} lượt kiểm tra không tổ nào còn năng lực thực hiện trong năm.",
    "plans.shortfallArea": "{area}: {tasks} lượt, thiếu {days} ngày công của tổ",
    "plans.shortfallHint": "Tăng năng lực mỗi tuần hoặc ngày làm việc của tổ phụ trách (trang Tổ công tác), rồi xem trước lại.",
    "plans.weeksTitle": "Theo tuần: số lượt dự kiến và năng lực các tổ",
    "plans.weeksLabel": "Biểu đồ {n} tuần: nhiều nhất {max} lượt dự kiến trong một tuần, năng lực các tổ từ {capMin} đến {capMax} lượt mỗi tuần.",
    "plans.legendPlanned": "Lượt dự kiến",
    "plans.legendOver": "Vượt năng lực",
    "plans.legendCapacity": "Năng lực các tổ",
    "plans.weeksTable": "Xem số liệu từng tuần",
    "plans.colWeek": "Tuần bắt đầu",
    "plans.colPlanned": "Dự kiến",
    "plans.colCapacity": "Năng lực",
    "plans.unitsTitle": "Theo đơn vị hành chính",
    "plans.colUnit": "Đơn vị",
    "plans.colInScope": "Trong phạm vi",
    "plans.colUninspected": "Chưa từng kiểm tra",
    "plans.colMustCover": "Lần đầu",
    "plans.colReinspect": "Kiểm tra lại",
    "plans.unknownUnit": "Đơn vị không còn trong danh mục hiện hành",
    "plans.back": "‹ Các kế hoạch",
    "plans.planTitle": "Kế hoạch năm {year} · lần {n}",
    "plans.reasonLine": "Lý do lập lại: {reason}",
    "plans.drawLine": "Kỳ quay Xổ số kiến thiết Cần Thơ ngày {date}: {result}",
    "plans.committedNote": "Các con số dưới đây là tạm tính; danh sách cơ sở được chọn có sau khi nhập kết quả quay số.",
    "plans.verify": "Trang kiểm chứng công khai",
    "plans.drawTitle": "Nhập kết quả quay số",
    "plans.drawHelp": "Nhập 6 chữ số giải đặc biệt Xổ số kiến thiết Cần Thơ kỳ quay ngày {date}, sau khi có kết quả (từ 16 giờ 40). Hệ thống tạo hạt giống và danh sách cơ sở được chọn từ kết quả này.",
    "plans.result": "Kết quả giải đặc biệt",
    "plans.drawSubmit": "Nhập kết quả",
    "plans.approveTitle": "Phê duyệt",
    "plans.approveHelp": "Phê duyệt biến {total} lượt kiểm tra thành nhiệm vụ của các tổ theo từng tuần. Sau khi phê duyệt không lập lại kế hoạch năm này được nữa.",
    "plans.approve": "Phê duyệt kế hoạch…",
    "plans.approveConfirm": "Phê duyệt kế hoạch năm {year} với {total} lượt kiểm tra? Việc này không hoàn tác được.",
    "plans.approveShortfall": "Lưu ý: còn thiếu năng lực cho {n} lượt kiểm tra.",
    "plans.approveYes": "Phê duyệt",
    "plans.cancel": "Thôi",
    "plans.approved": "Đã phê duyệt ngày {date}.",
    "plans.progressTitle": "Nhiệm vụ của kế hoạch",
    "plans.revealTitle": "Công bố hạt giống",
    "plans.revealHelp": "Sau khi hết năm, công bố hạt giống để bất kỳ ai cũng rút lại được danh sách ở trang kiểm chứng. Quản trị viên có thể công bố sớm hơn.",
    "plans.reveal": "Công bố hạt giống…",
    "plans.revealConfirm": "Công bố hạt giống của kế hoạch năm {year}? Ai cũng sẽ biết được danh sách cơ sở được chọn.",
    "plans.revealYes": "Công bố",
    "plans.revealed": "Hạt giống đã được công bố ngày {date}.",
    "plans.mixTitle": "Cơ cấu rủi ro của các cơ sở được chọn",
    "plans.mixGroup": "Theo nhóm",
    "plans.mixCategory": "Theo ngành nghề",
    "plans.mixProb": "Xác suất được chọn",
    "plans.probLine": "Trung bình {mean}; {high} cơ sở có xác suất từ 50% trở lên, {low} cơ sở dưới 10%.",
    "plans.group_must_cover": "Chưa từng được kiểm tra",
    "plans.group_reinspection": "Kiểm tra lại theo rủi ro",
    "plans.group_added": "Mới mở trong năm",
    "plans.itemsTitle": "Các cơ sở được chọn ({n})",
    "plans.itemsFilter": "Lọc theo tên cơ sở",
    "plans.colBusiness": "Cơ sở",
    "plans.colCategory": "Ngành nghề",
    "plans.colGroup": "Nhóm",
    "plans.colProb": "Xác suất",
    "plans.noWeek": "chưa có tuần",
    "plans.why": "Vì sao chọn?",
    "plans.whyTitle": "Vì sao chọn {name}",
    "plans.whyScore": "Điểm rủi ro {score}{capped}; xác suất được chọn {prob}, gấp {ratio} lần nếu chọn đều trong nhóm và phường ({uniform}).",
    "plans.whyCapped": " (đã chạm giới hạn)",
    "plans.whyFactor": "{name}: nhân {x}",
    "plans.more": "Xem thêm {n} cơ sở",
    "plans.unnamed": "Cơ sở không còn trong danh sách",
  },
  en: {
    "plans.nav": "Plans",
    "plans.title": "Yearly inspection plans",
    "plans.programme": "Programme",
    "plans.programmeLine": "From {from} to {to}; at least {share} of the businesses in scope each year; every business inspected by {deadline}.",
    "plans.editProgramme": "Edit the programme",
    "plans.none": "The programme has no yearly plan yet.",
    "plans.noProgramme": "There is no inspection programme yet.",
    "plans.colYear": "Year",
    "plans.colAttempt": "Draft",
    "plans.colStatus": "Status",
    "plans.colDraw": "Draw",
    "plans.colTotal": "Inspections",
    "plans.colFits": "Team capacity",
    "plans.open": "Open the plan",
    "plans.attemptN": "Draft {n}",
    "plans.drawWaiting": "no result yet",
    "plans.serverSeed": "seed drawn by the server",
    "plans.fitsYes": "Fits",
    "plans.fitsNo": "{n} visits short",
    "plans.previewMark": "(preview)",
    "plans.draftTitle": "Preview or commit a yearly plan",
    "plans.draftHelp": "“Preview” works out the figures from today's registry and team capacity and stores nothing. “Commit the plan” stores its inputs and publishes their hash; the selection exists only after the public draw you name.",
    "plans.year": "Year",
    "plans.drawDate": "Draw date",
    "plans.drawDateHelp": "A Wednesday after today (Can Tho lottery). Empty: the next draw.",
    "plans.reason": "Reason for a new draft (optional)",
    "plans.reasonRequired": "Reason for a new draft (required: the year has a plan)",
    "plans.reasonShort": "Reason for a new draft",
    "plans.preview": "Preview",
    "plans.previewing": "Working out…",
    "plans.commit": "Commit the plan",
    "plans.committing": "Saving…",
    "plans.previewTitle": "The {year} plan if made today (not stored)",
    "plans.figuresTitle": "The figures",
    "plans.total": "Inspections in all",
    "plans.inScope": "Businesses in scope",
    "plans.mustCover": "First visits (never inspected)",
    "plans.mustCoverShare": "{pct} of the businesses in scope",
    "plans.uninspectedLeft": "{n} businesses never inspected so far",
    "plans.reinspections": "Re-inspections by risk",
    "plans.shareTarget": "The year's minimum",
    "plans.fits": "The teams have the capacity: every visit has a team and a week.",
    "plans.shortfall": "Capacity is short: {n} visits fit no team's weeks this year.",
    "plans.shortfallArea": "{area}: {tasks} visits, {days} team-days missing",
    "plans.shortfallHint": "Raise the weekly capacity or the working days of the teams serving these units (Teams desk), then preview again.",
    "plans.weeksTitle": "By week: planned visits and team capacity",
    "plans.weeksLabel": "Chart of {n} weeks: at most {max} visits planned in a week; the teams' capacity is {capMin} to {capMax} a week.",
    "plans.legendPlanned": "Planned visits",
    "plans.legendOver": "Over capacity",
    "plans.legendCapacity": "Team capacity",
    "plans.weeksTable": "Show the figures of each week",
    "plans.colWeek": "Week starting",
    "plans.colPlanned": "Planned",
    "plans.colCapacity": "Capacity",
    "plans.unitsTitle": "By unit",
    "plans.colUnit": "Unit",
    "plans.colInScope": "In scope",
    "plans.colUninspected": "Never inspected",
    "plans.colMustCover": "First visits",
    "plans.colReinspect": "Re-inspections",
    "plans.unknownUnit": "A unit no longer in the current list",
    "plans.back": "‹ The plans",
    "plans.planTitle": "The {year} plan · draft {n}",
    "plans.reasonLine": "Reason for this draft: {reason}",
    "plans.drawLine": "Can Tho lottery draw of {date}: {result}",
    "plans.committedNote": "The figures below are a preview; the selection exists once the draw's result is entered.",
    "plans.verify": "Public verification page",
    "plans.drawTitle": "Enter the draw's result",
    "plans.drawHelp": "Enter the six digits of the special prize of the Can Tho lottery draw of {date}, once the result is out (from 16:40). The seed and the selection are made from it.",
    "plans.result": "Special prize",
    "plans.drawSubmit": "Enter the result",
    "plans.approveTitle": "Approval",
    "plans.approveHelp": "Approving turns the {total} visits into the teams' tasks, week by week. After it the year cannot be drafted again.",
    "plans.approve": "Approve the plan…",
    "plans.approveConfirm": "Approve the {year} plan with {total} visits? This cannot be undone.",
    "plans.approveShortfall": "Note: capacity is short for {n} visits.",
    "plans.approveYes": "Approve",
    "plans.cancel": "Cancel",
    "plans.approved": "Approved on {date}.",
    "plans.progressTitle": "The plan's tasks",
    "plans.revealTitle": "Reveal the seed",
    "plans.revealHelp": "Once the year is over, reveal the seed so that anyone can re-derive the selection on the verification page. An admin may reveal it earlier.",
    "plans.reveal": "Reveal the seed…",
    "plans.revealConfirm": "Reveal the seed of the {year} plan? Anyone will be able to tell which businesses it selects.",
    "plans.revealYes": "Reveal",
    "plans.revealed": "The seed was revealed on {date}.",
    "plans.mixTitle": "The risk mix of the selected businesses",
    "plans.mixGroup": "By group",
    "plans.mixCategory": "By trade",
    "plans.mixProb": "Chance of selection",
    "plans.probLine": "Mean {mean}; {high} businesses at 50% or more, {low} below 10%.",
    "plans.group_must_cover": "Never inspected",
    "plans.group_reinspection": "Re-inspection by risk",
    "plans.group_added": "Opened this year",
    "plans.itemsTitle": "The selected businesses ({n})",
    "plans.itemsFilter": "Filter by name",
    "plans.colBusiness": "Business",
    "plans.colCategory": "Trade",
    "plans.colGroup": "Group",
    "plans.colProb": "Chance",
    "plans.noWeek": "no week",
    "plans.why": "Why?",
    "plans.whyTitle": "Why {name}",
    "plans.whyScore": "Risk score {score}{capped}; chance of selection {prob}, {ratio} times a uniform draw in its group and ward ({uniform}).",
    "plans.whyCapped": " (at its bound)",
    "plans.whyFactor": "{name}: times {x}",
    "plans.more": "Show {n} more",
    "plans.unnamed": "A business no longer in the registry",
  },
};

const EDITORS = ["planner", "admin"];
const GROUPS = ["must_cover", "reinspection", "added"];
const ITEMS_PAGE = 50;

/** @param {DeskContext} ctx */
const canEdit = ctx => !!ctx.user && EDITORS.includes(ctx.user.role);

/** @param {DeskContext} ctx */
const today = ctx => ctx.fmt.isoDay(new Date().toISOString());

/**
 * flattenAreas names every unit of the tree in force (with its type: "Phường An Hòa").
 * @param {AreaNode[]} nodes @param {Map<string, string>} out
 */
function flattenAreas(nodes, out) {
  for (const n of nodes || []) {
    out.set(n.code, n.type_name && !n.name.startsWith(n.type_name) ? `${n.type_name} ${n.name}` : n.name);
    flattenAreas(n.children, out);
  }
  return out;
}

/** @param {DeskContext} ctx @returns {Promise<Data>} */
async function load(ctx) {
  const [progs, areas] = await Promise.all([ctx.api.get("/api/v1/programmes"), ctx.api.get("/api/v1/areas")]);
  return { programmes: progs.items || [], areas: flattenAreas(areas.items, new Map()) };
}

/** @param {DeskContext} ctx @param {Data} d @param {string} code */
const areaName = (ctx, d, code) => d.areas.get(code) || ctx.t("plans.unknownUnit");

/** @param {DeskContext} ctx @param {Programme[]} progs the programme in force today, else the latest */
function inForce(ctx, progs) {
  const now = today(ctx);
  return progs.find(p => p.starts_on <= now && now <= p.ends_on) || [...progs].sort((a, b) => b.starts_on.localeCompare(a.starts_on))[0] || null;
}

/** @param {Programme} p */
function years(p) {
  const out = [];
  for (let y = Number(p.starts_on.slice(0, 4)); y <= Number(p.ends_on.slice(0, 4)); y++) out.push(y);
  return out;
}

/** @param {DeskContext} ctx @param {string} status */
const statusBadge = (ctx, status) => h("span", { class: `badge plans-status-${status}` }, ctx.ref.label("plan_status", status));

/** @param {string} id */
const verifyHref = (ctx, id) => `/verify/${encodeURIComponent(id)}${ctx.lang === "en" ? "?lang=en" : ""}`;




/**
 * confirmStep asks in the page (a browser dialog cannot be styled and stops the page's tests)
 * and answers whether to go on.
 * @param {HTMLElement} el @param {string} id @param {string[]} lines @param {string} yes @param {string} no
 * @returns {Promise<boolean>}
 */
function confirmStep(el, id, lines, yes, no) {
  return new Promise(resolve => {
    const done = ok => { el.replaceChildren(); el.hidden = true; resolve(ok); };
    el.replaceChildren(h("div", { class: "warn plans-confirm", role: "alertdialog", "aria-labelledby": `${id}-text`, id },
      h("div", { id: `${id}-text` }, lines.map(l => h("p", {}, l))),
      h("div", { class: "row" },
        h("button", { type: "button", id: `${id}-yes`, onclick: () => done(true) }, yes),
        h("button", { type: "button", class: "secondary", id: `${id}-no`, onclick: () => done(false) }, no))));
    el.hidden = false;
    /** @type {HTMLElement | null} */ (el.querySelector(`#${id}-yes`))?.focus();
  });
}

// ---------------------------------------------------------------------------------------------
// The figures: the same block for a preview and for a stored plan.

/** @param {DeskContext} ctx @param {Data} d @param {Figures} f */
function figuresBlock(ctx, d, f) {
  const t = ctx.t, n = x => ctx.fmt.num(x);
  const share = f.in_scope ? f.must_cover / f.in_scope : 0;
  const tile = (id, label, value, note) => h("div", { class: "plans-tile", id },
    h("div", { class: "plans-tile-label" }, label), h("div", { class: "plans-tile-value" }, value), note ? h("div", { class: "muted small" }, note) : null);
  return h("div", { class: "plans-figures" },
    h("h2", {}, t("plans.figuresTitle")),
    h("div", { class: "plans-tiles", id: "plans-figures" },
      tile("plans-fig-total", t("plans.total"), n(f.total)),
      tile("plans-fig-must", t("plans.mustCover"), n(f.must_cover), t("plans.mustCoverShare", { pct: ctx.fmt.pct(share) })),
      tile("plans-fig-reinspect", t("plans.reinspections"), n(f.reinspections)),
      tile("plans-fig-share", t("plans.shareTarget"), n(f.share_target)),
      tile("plans-fig-scope", t("plans.inScope"), n(f.in_scope), t("plans.uninspectedLeft", { n: n(f.uninspected) }))),
    shortfallBlock(ctx, d, f),
    weeksChart(ctx, f.weeks || []),
    unitsTable(ctx, d, f));
}

/** @param {DeskContext} ctx @param {Data} d @param {Figures} f */
function shortfallBlock(ctx, d, f) {
  const t = ctx.t;
  if (f.feasible && !f.shortfall) return h("div", { class: "notice", id: "plans-shortfall", dataset: { feasible: "yes" } }, t("plans.fits"));
  const areas = [...(f.shortfall_areas || [])].sort((a, b) => b.tasks - a.tasks);
  return h("div", { class: "warn", id: "plans-shortfall", dataset: { feasible: "no" } },
    h("b", {}, t("plans.shortfall", { n: ctx.fmt.num(f.shortfall) })),
    h("ul", { id: "plans-shortfall-areas" }, areas.map(a => h("li", { dataset: { area: a.area_code } },
      t("plans.shortfallArea", { area: areaName(ctx, d, a.area_code), tasks: ctx.fmt.num(a.tasks), days: ctx.fmt.num(a.missing_team_days) })))),
    h("p", { class: "small" }, t("plans.shortfallHint")));
}

/**
 * weeksChart draws the planned visits of each week as bars and the teams' capacity as a line,
 * with the same figures in a table for screen readers and for reading exact numbers.
 * @param {DeskContext} ctx @param {WeekFigures[]} weeks
 */
function weeksChart(ctx, weeks) {
  const t = ctx.t;
  if (!weeks.length) return null;
  const W = 760, H = 220, left = 40, right = 8, top = 10, bottom = 28;
  const max = Math.max(1, ...weeks.map(w => Math.max(w.planned, w.capacity)));
  const step = (W - left - right) / weeks.length;
  const y = v => top + (H - top - bottom) * (1 - v / max);
  const NS = "http://www.w3.org/2000/svg";
  /** @param {string} tag @param {Record<string, any>} attrs @param {...any} kids */
  const s = (tag, attrs, ...kids) => {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    for (const c of kids) el.append(c);
    return el;
  };
  const caps = weeks.map(w => w.capacity);
  const label = t("plans.weeksLabel", { n: weeks.length, max: ctx.fmt.num(Math.max(...weeks.map(w => w.planned))),
    capMin: ctx.fmt.num(Math.min(...caps)), capMax: ctx.fmt.num(Math.max(...caps)) });
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "plans-chart", id: "plans-chart", role: "img", "aria-label": label });
  for (const v of [0, Math.round(max / 2), max]) {
    svg.append(s("line", { x1: left, x2: W - right, y1: y(v), y2: y(v), class: "plans-grid" }),
      s("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", class: "plans-axis" }, ctx.fmt.num(v)));
  }
  weeks.forEach((w, i) => {
    const over = w.planned > w.capacity;
    svg.append(s("rect", { x: left + i * step + step * 0.15, y: y(w.planned), width: step * 0.7, height: Math.max(0, y(0) - y(w.planned)),
      class: over ? "plans-bar over" : "plans-bar" }, s("title", {}, `${ctx.fmt.date(w.week_start)}: ${ctx.fmt.num(w.planned)} / ${ctx.fmt.num(w.capacity)}`)));
    const month = w.week_start.slice(5, 7);
    // A month's name at its first week; a week of the year before keeps none (it would overlap January's).
    if ((i === 0 || weeks[i - 1].week_start.slice(5, 7) !== month) && !(i === 0 && weeks.length > 1 && weeks[1].week_start.slice(5, 7) !== month)) {
      svg.append(s("text", { x: left + i * step, y: H - 10, class: "plans-axis" }, ctx.lang === "en"
        ? new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" }).format(new Date(w.week_start + "T00:00:00Z"))
        : `T${Number(month)}`));
    }
  });
  svg.append(s("polyline", { class: "plans-cap", points: weeks.map((w, i) => `${left + i * step + step / 2},${y(w.capacity)}`).join(" ") }));
  const key = (cls, label) => h("span", { class: "plans-legend-item" }, h("span", { class: `plans-key ${cls}` }), " ", label);
  const legend = h("p", { class: "plans-legend small", "aria-hidden": "true" },
    key("bar", t("plans.legendPlanned")), key("over", t("plans.legendOver")), key("cap", t("plans.legendCapacity")));
  const table = h("details", { class: "plans-weeks-details" },
    h("summary", {}, t("plans.weeksTable")),
    h("div", { class: "table-wrap" }, h("table", { id: "plans-weeks-table" },
      h("thead", {}, h("tr", {}, ["plans.colWeek", "plans.colPlanned", "plans.colCapacity"].map(k => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, weeks.map(w => h("tr", { class: w.planned > w.capacity ? "plans-over" : "" },
        h("td", {}, ctx.fmt.date(w.week_start)), h("td", { class: "num" }, ctx.fmt.num(w.planned)), h("td", { class: "num" }, ctx.fmt.num(w.capacity))))))));
  return h("section", { class: "plans-weeks", id: "plans-weeks" }, h("h3", {}, t("plans.weeksTitle")), svg, legend, table);
}

/** @param {DeskContext} ctx @param {Data} d @param {Figures} f */
function unitsTable(ctx, d, f) {
  const t = ctx.t, n = x => ctx.fmt.num(x);
  const short = new Map((f.shortfall_areas || []).map(a => [a.area_code, a]));
  const rows = [...(f.areas || [])].sort((a, b) => (b.must_cover + b.reinspections) - (a.must_cover + a.reinspections) || areaName(ctx, d, a.area_code).localeCompare(areaName(ctx, d, b.area_code), "vi"));
  if (!rows.length) return null;
  const cols = ["plans.colUnit", "plans.colInScope", "plans.colUninspected", "plans.colMustCover", "plans.colReinspect", "plans.colTotal", "plans.colFits"];
  return h("section", { class: "plans-units" }, h("h3", {}, t("plans.unitsTitle")),
    h("div", { class: "table-wrap plans-scroll" }, h("table", { id: "plans-units" },
      h("thead", {}, h("tr", {}, cols.map(k => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, rows.map(a => {
        const s = short.get(a.area_code);
        return h("tr", { dataset: { area: a.area_code }, class: s ? "plans-over" : "" },
          h("td", { "data-label": t("plans.colUnit") }, areaName(ctx, d, a.area_code)),
          h("td", { class: "num", "data-label": t(cols[1]) }, n(a.in_scope)),
          h("td", { class: "num", "data-label": t(cols[2]) }, n(a.uninspected)),
          h("td", { class: "num", "data-label": t(cols[3]) }, n(a.must_cover)),
          h("td", { class: "num", "data-label": t(cols[4]) }, n(a.reinspections)),
          h("td", { class: "num", "data-label": t(cols[5]) }, n(a.must_cover + a.reinspections)),
          h("td", { "data-label": t(cols[6]) }, s ? t("plans.fitsNo", { n: n(s.tasks) }) : t("plans.fitsYes")));
      })))));
}

// ---------------------------------------------------------------------------------------------
// The plans of a programme, and the preview / commit form.

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Data} d @param {string} [code] */
async function renderList(el, ctx, d, code) {
  const t = ctx.t;
  ctx.setTitle(t("plans.title"));
  const prog = (code && d.programmes.find(p => p.code === code)) || inForce(ctx, d.programmes);
  if (!prog) {
    el.replaceChildren(h("section", { class: "card" }, h("h1", {}, t("plans.title")), h("p", {}, t("plans.noProgramme"))));
    return;
  }
  const r = await ctx.api.get(`/api/v1/programmes/${encodeURIComponent(prog.code)}/plans`);
  /** @type {Plan[]} */
  const plans = (r.items || []).sort((a, b) => b.year - a.year || b.attempt - a.attempt);
  const select = /** @type {HTMLSelectElement} */ (h("select", { id: "plans-programme" },
    d.programmes.map(p => h("option", { value: p.code, selected: p.code === prog.code }, `${p.name} (${p.starts_on.slice(0, 4)}–${p.ends_on.slice(0, 4)})`))));
  select.addEventListener("change", () => ctx.go(`#/plans?programme=${encodeURIComponent(select.value)}`));
  const rows = plans.map(p => {
    const f = p.figures;
    const draw = p.seed_source === "lottery"
      ? [ctx.fmt.date(p.draw_date || ""), " ", p.draw_result ? h("b", {}, p.draw_result) : h("span", { class: "muted" }, t("plans.drawWaiting"))]
      : [h("span", { class: "muted" }, t("plans.serverSeed"))];
    return h("tr", { dataset: { plan: p.id, status: p.status }, class: p.status === "superseded" ? "plans-superseded" : "" },
      h("td", { "data-label": t("plans.colYear") }, String(p.year)),
      h("td", { "data-label": t("plans.colAttempt") }, t("plans.attemptN", { n: p.attempt || 1 }), p.reason ? h("div", { class: "small muted" }, p.reason) : null),
      h("td", { "data-label": t("plans.colStatus") }, statusBadge(ctx, p.status)),
      h("td", { "data-label": t("plans.colDraw") }, ...draw),
      h("td", { class: "num", "data-label": t("plans.colTotal") }, f ? ctx.fmt.num(f.total) : "–", f && p.status === "committed" ? h("span", { class: "small muted" }, " " + t("plans.previewMark")) : null),
      h("td", { "data-label": t("plans.colFits") }, !f ? "–" : p.feasible ? t("plans.fitsYes") : h("span", { class: "plans-short" }, t("plans.fitsNo", { n: ctx.fmt.num(p.shortfall) }))),
      h("td", {}, h("a", { href: `#/plans/${encodeURIComponent(p.id)}` }, t("plans.open"))));
  });
  const head = ["plans.colYear", "plans.colAttempt", "plans.colStatus", "plans.colDraw", "plans.colTotal", "plans.colFits", ""];
  el.replaceChildren(h("section", { class: "card" },
    h("h1", {}, t("plans.title")),
    h("div", { class: "row" }, h("div", { class: "plans-field grow" }, h("label", { for: "plans-programme" }, t("plans.programme")), select),
      canEdit(ctx) ? h("a", { class: "button secondary", id: "plans-edit-programme", href: `#/programmes/${encodeURIComponent(prog.code)}` }, t("plans.editProgramme")) : null),
    h("p", { class: "muted" }, t("plans.programmeLine", { from: ctx.fmt.date(prog.starts_on), to: ctx.fmt.date(prog.ends_on),
      share: ctx.fmt.pct(prog.min_yearly_share), deadline: ctx.fmt.date(prog.coverage_deadline) })),
    plans.length
      ? h("div", { class: "table-wrap" }, h("table", { id: "plans-table", class: "plans-stack" },
        h("thead", {}, h("tr", {}, head.map(k => h("th", { scope: "col" }, k ? t(k) : "")))), h("tbody", {}, rows)))
      : h("p", { id: "plans-empty" }, t("plans.none"))),
  canEdit(ctx) ? draftForm(ctx, d, prog, plans) : null);
}

/** @param {DeskContext} ctx @param {Data} d @param {Programme} prog @param {Plan[]} plans */
function draftForm(ctx, d, prog, plans) {
  const t = ctx.t;
  const ys = years(prog);
  const next = Number(today(ctx).slice(0, 4)) + 1;
  const year = /** @type {HTMLSelectElement} */ (h("select", {}, ys.map(y => h("option", { value: String(y), selected: y === (ys.includes(next) ? next : ys[ys.length - 1]) }, String(y)))));
  const drawDate = /** @type {HTMLInputElement} */ (h("input", { type: "date" }));
  const reason = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "2", maxlength: "500" }));
  const general = h("div", { id: "plans-draft-error", hidden: true });
  const result = h("div", { id: "plans-preview-result" });
  const preview = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id: "plans-preview" }, t("plans.preview")));
  const commit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "plans-commit", class: "secondary" }, t("plans.commit")));
  const labels = { year: t("plans.year"), draw_date: t("plans.drawDate"), draw_source: t("plans.drawDate"), reason: t("plans.reasonShort") };
  const fields = { year: "plans-year", draw_date: "plans-draw-date", draw_source: "plans-draw-date", reason: "plans-reason" };
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "plans-form", id: "plans-draft", novalidate: true },
    field("plans-field", "plans-year", labels.year, year),
    field("plans-field", "plans-draw-date", labels.draw_date, drawDate, t("plans.drawDateHelp")),
    field("plans-field", "plans-reason", t("plans.reason"), reason),
    h("div", { class: "plans-wide" }, general, h("div", { class: "row" }, preview, commit))));
  const hasPlan = () => plans.some(p => p.year === Number(year.value) && p.status !== "superseded");
  const relabel = () => {
    const l = form.querySelector("#plans-reason-label");
    if (l) l.textContent = t(hasPlan() ? "plans.reasonRequired" : "plans.reason");
    reason.required = hasPlan();
  };
  year.addEventListener("change", relabel);
  relabel();
  const body = dryRun => ({ year: Number(year.value), dry_run: dryRun, draw_date: drawDate.value || undefined, reason: reason.value.trim() || undefined });
  /** @param {HTMLButtonElement} button @param {string} busy @param {() => Promise<void>} step */
  const run = async (button, busy, step) => {
    clearErrors(form, general);
    const label = button.textContent;
    preview.disabled = commit.disabled = true;
    button.textContent = t(busy);
    try {
      await step();
    } catch (ex) {
      showFieldErrors(ctx, form, general, ex, fields, labels);
    } finally {
      preview.disabled = commit.disabled = false;
      button.textContent = label;
    }
  };
  preview.addEventListener("click", () => run(preview, "plans.previewing", async () => {
    /** @type {Plan} */
    const v = await ctx.api.post(`/api/v1/programmes/${encodeURIComponent(prog.code)}/plans`, body(true));
    result.replaceChildren(h("h2", { id: "plans-preview-title" }, t("plans.previewTitle", { year: v.year })), v.figures ? figuresBlock(ctx, d, v.figures) : null);
  }));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    run(commit, "plans.committing", async () => {
      /** @type {Plan} */
      const v = await ctx.api.post(`/api/v1/programmes/${encodeURIComponent(prog.code)}/plans`, body(false));
      ctx.go(`#/plans/${encodeURIComponent(v.id)}`);
    });
  });
  return h("section", { class: "card" }, h("h2", {}, t("plans.draftTitle")), h("p", { class: "muted" }, t("plans.draftHelp")), form, result);
}

// ---------------------------------------------------------------------------------------------
// One plan.

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Data} d @param {string} id */
async function renderPlan(el, ctx, d, id) {
  const t = ctx.t;
  /** @type {Plan} */
  const p = await ctx.api.get(`/api/v1/plans/${encodeURIComponent(id)}`);
  const prog = d.programmes.find(x => x.id === p.programme_id);
  ctx.setTitle(t("plans.planTitle", { year: p.year, n: p.attempt || 1 }));
  const redraw = () => renderPlan(el, ctx, d, id);
  const head = h("section", { class: "card" },
    h("a", { href: prog ? `#/plans?programme=${encodeURIComponent(prog.code)}` : "#/plans", class: "plans-back" }, t("plans.back")),
    h("h1", { id: "plans-title" }, t("plans.planTitle", { year: p.year, n: p.attempt || 1 })),
    h("p", {}, statusBadge(ctx, p.status), prog ? h("span", { class: "muted" }, " · " + prog.name) : null),
    p.reason ? h("p", {}, t("plans.reasonLine", { reason: p.reason })) : null,
    p.seed_source === "lottery" ? h("p", { id: "plans-draw-line" }, t("plans.drawLine", { date: ctx.fmt.date(p.draw_date || ""), result: p.draw_result || t("plans.drawWaiting") })) : null,
    p.approved_at ? h("p", {}, t("plans.approved", { date: ctx.fmt.dateTime(p.approved_at) })) : null,
    p.seed_revealed_at ? h("p", { id: "plans-revealed" }, t("plans.revealed", { date: ctx.fmt.dateTime(p.seed_revealed_at) })) : null,
    h("div", { class: "row" },
      h("a", { href: verifyHref(ctx, p.id), id: "plans-verify", target: "_blank", rel: "noopener" }, t("plans.verify")),
      canEdit(ctx) && prog ? h("a", { href: `#/programmes/${encodeURIComponent(prog.code)}` }, t("plans.editProgramme")) : null));
  const parts = [head];
  if (canEdit(ctx)) {
    if (p.status === "committed") parts.push(drawStep(ctx, p, redraw));
    if (p.status === "draft") parts.push(approveStep(ctx, p, redraw));
    if ((p.status === "approved" || p.status === "draft") && !p.seed_revealed_at && (ctx.user.role === "admin" || today(ctx) > `${p.year}-12-31`)) {
      parts.push(revealStep(ctx, p, redraw));
    }
  }
  if (p.status === "approved" && p.progress && Object.keys(p.progress).length) parts.push(progressBlock(ctx, p));
  if (p.figures) {
    parts.push(h("section", { class: "card" }, p.status === "committed" ? h("p", { class: "muted" }, t("plans.committedNote")) : null, figuresBlock(ctx, d, p.figures)));
  }
  el.replaceChildren(...parts);
  // The selection tells who is inspected next: planners only, never a reader's screen.
  if (canEdit(ctx) && p.status !== "committed") {
    const holder = h("div", {}, h("p", { class: "muted loading" }, t("loading")));
    el.append(holder);
    const r = await ctx.api.get(`/api/v1/plans/${encodeURIComponent(p.id)}/items`);
    /** @type {Item[]} */
    const items = r.items || [];
    holder.replaceChildren(mixBlock(ctx, items), itemsBlock(ctx, d, p, items));
  }
}

/** @param {DeskContext} ctx @param {Plan} p @param {() => void} redraw */
function drawStep(ctx, p, redraw) {
  const t = ctx.t;
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "text", inputmode: "numeric", autocomplete: "off", maxlength: "11" }));
  const general = h("div", { id: "plans-draw-error", hidden: true });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "plans-draw" }, t("plans.drawSubmit")));
  const labels = { result: t("plans.result") };
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "plans-form", id: "plans-draw-form", novalidate: true },
    field("plans-field", "plans-result", labels.result, input), h("div", { class: "plans-wide" }, general, submit)));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    submit.disabled = true;
    try {
      await ctx.api.post(`/api/v1/plans/${encodeURIComponent(p.id)}/draw`, { result: input.value });
      redraw();
    } catch (ex) {
      submit.disabled = false;
      showFieldErrors(ctx, form, general, ex, { result: "plans-result" }, labels);
    }
  });
  return h("section", { class: "card", id: "plans-draw-step" }, h("h2", {}, t("plans.drawTitle")),
    h("p", {}, t("plans.drawHelp", { date: ctx.fmt.date(p.draw_date || "") })), form);
}

/**
 * A step that asks first (approve, reveal), then sends and redraws; the server's refusal shows
 * under the button.
 * @param {DeskContext} ctx @param {{id: string, title: string, help: string, button: string, ask: string[], yes: string, path: string}} o @param {() => void} redraw
 */
function confirmedStep(ctx, o, redraw) {
  const t = ctx.t;
  const confirmEl = h("div", { hidden: true });
  const general = h("div", { id: `${o.id}-error`, hidden: true });
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id: o.id }, o.button));
  button.addEventListener("click", async () => {
    general.hidden = true;
    button.hidden = true;
    const ok = await confirmStep(confirmEl, `${o.id}-confirm`, o.ask, o.yes, t("plans.cancel"));
    button.hidden = false;
    if (!ok) return;
    button.disabled = true;
    try {
      await ctx.api.post(o.path, undefined);
      redraw();
    } catch (ex) {
      button.disabled = false;
      ctx.showError(general, ex);
    }
  });
  return h("section", { class: "card", id: `${o.id}-step` }, h("h2", {}, o.title), h("p", {}, o.help), button, confirmEl, general);
}

/** @param {DeskContext} ctx @param {Plan} p @param {() => void} redraw */
function approveStep(ctx, p, redraw) {
  const t = ctx.t, total = ctx.fmt.num(p.figures ? p.figures.total : 0);
  const ask = [t("plans.approveConfirm", { year: p.year, total })];
  if (!p.feasible) ask.push(t("plans.approveShortfall", { n: ctx.fmt.num(p.shortfall) }));
  return confirmedStep(ctx, { id: "plans-approve", title: t("plans.approveTitle"), help: t("plans.approveHelp", { total }), button: t("plans.approve"),
    ask, yes: t("plans.approveYes"), path: `/api/v1/plans/${encodeURIComponent(p.id)}/approve` }, redraw);
}

/** @param {DeskContext} ctx @param {Plan} p @param {() => void} redraw */
function revealStep(ctx, p, redraw) {
  const t = ctx.t;
  return confirmedStep(ctx, { id: "plans-reveal", title: t("plans.revealTitle"), help: t("plans.revealHelp"), button: t("plans.reveal"),
    ask: [t("plans.revealConfirm", { year: p.year })], yes: t("plans.revealYes"), path: `/api/v1/plans/${encodeURIComponent(p.id)}/reveal` }, redraw);
}

/** @param {DeskContext} ctx @param {Plan} p */
function progressBlock(ctx, p) {
  const order = ["planned", "released", "done", "missed", "cancelled"];
  const keys = Object.keys(p.progress).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return h("section", { class: "card", id: "plans-progress" }, h("h2", {}, ctx.t("plans.progressTitle")),
    h("ul", { class: "plans-inline" }, keys.map(k => h("li", { dataset: { status: k } }, `${ctx.ref.label("task_status", k)}: ${ctx.fmt.num(p.progress[k])}`))));
}

/**
 * barRows lists shares as rows with a bar, largest first.
 * @param {DeskContext} ctx @param {[string, number][]} rows @param {number} total @param {string} id
 */
function barRows(ctx, rows, total, id) {
  return h("table", { class: "plans-mix", id }, h("tbody", {}, rows.sort((a, b) => b[1] - a[1]).map(([label, n]) => h("tr", {},
    h("th", { scope: "row" }, label),
    h("td", { class: "num" }, ctx.fmt.num(n)),
    h("td", { class: "plans-mix-bar" }, h("span", { class: "plans-track" }, h("span", { style: { width: `${total ? (100 * n) / total : 0}%` } })), ctx.fmt.pct(total ? n / total : 0))))));
}

/** @param {DeskContext} ctx @param {Item[]} items */
function mixBlock(ctx, items) {
  const t = ctx.t;
  if (!items.length) return null;
  const groups = new Map(), cats = new Map();
  for (const it of items) {
    groups.set(it.group, (groups.get(it.group) || 0) + 1);
    if (it.category) cats.set(it.category, (cats.get(it.category) || 0) + 1);
  }
  const probs = items.map(it => it.inclusion_prob);
  const mean = probs.reduce((a, b) => a + b, 0) / probs.length;
  return h("section", { class: "card", id: "plans-mix" }, h("h2", {}, t("plans.mixTitle")),
    h("div", { class: "plans-mix-grid" },
      h("div", {}, h("h3", {}, t("plans.mixGroup")),
        barRows(ctx, [...groups].map(([g, n]) => [GROUPS.includes(g) ? t(`plans.group_${g}`) : t("plans.group_reinspection"), n]), items.length, "plans-mix-group")),
      h("div", {}, h("h3", {}, t("plans.mixCategory")),
        barRows(ctx, [...cats].map(([c, n]) => [ctx.ref.label("category", c), n]), items.length, "plans-mix-category"))),
    h("h3", {}, t("plans.mixProb")),
    h("p", { id: "plans-mix-prob" }, t("plans.probLine", { mean: ctx.fmt.pct(mean), high: ctx.fmt.num(probs.filter(x => x >= 0.5).length), low: ctx.fmt.num(probs.filter(x => x < 0.1).length) })));
}

/** @param {string} s folds a text for a search: no accents, no case */
const fold = s => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();

/** @param {DeskContext} ctx @param {Data} d @param {Plan} p @param {Item[]} items */
function itemsBlock(ctx, d, p, items) {
  const t = ctx.t;
  const filter = /** @type {HTMLInputElement} */ (h("input", { type: "search", id: "plans-items-filter", "aria-label": t("plans.itemsFilter"), placeholder: t("plans.itemsFilter") }));
  const body = h("tbody", {});
  const more = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "secondary", id: "plans-items-more" }));
  let shown = ITEMS_PAGE;
  const cols = ["plans.colBusiness", "plans.colCategory", "plans.colUnit", "plans.colWeek", "plans.colGroup", "plans.colProb", ""];
  const draw = () => {
    const q = fold(filter.value.trim());
    const list = items.filter(it => !q || fold(it.business_name || "").includes(q));
    body.replaceChildren(...list.slice(0, shown).flatMap(it => itemRow(ctx, d, p, it, cols.length)));
    more.hidden = list.length <= shown;
    more.textContent = t("plans.more", { n: ctx.fmt.num(Math.min(ITEMS_PAGE, list.length - shown)) });
  };
  filter.addEventListener("input", () => { shown = ITEMS_PAGE; draw(); });
  more.addEventListener("click", () => { shown += ITEMS_PAGE; draw(); });
  draw();
  return h("section", { class: "card", id: "plans-items-card" }, h("h2", {}, t("plans.itemsTitle", { n: ctx.fmt.num(items.length) })),
    h("div", { class: "row" }, filter),
    h("div", { class: "table-wrap" }, h("table", { id: "plans-items", class: "plans-stack" },
      h("thead", {}, h("tr", {}, cols.map(k => h("th", { scope: "col" }, k ? t(k) : "")))), body)), more);
}

/** @param {DeskContext} ctx @param {Data} d @param {Plan} p @param {Item} it @param {number} span */
function itemRow(ctx, d, p, it, span) {
  const t = ctx.t;
  const name = it.business_name || t("plans.unnamed");
  const why = h("tr", { class: "plans-why", hidden: true }, h("td", { colspan: String(span) }));
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "link plans-why-button", "aria-expanded": "false" }, t("plans.why")));
  button.addEventListener("click", async () => {
    if (!why.hidden) {
      why.hidden = true;
      button.setAttribute("aria-expanded", "false");
      return;
    }
    const cell = /** @type {HTMLElement} */ (why.firstChild);
    why.hidden = false;
    button.setAttribute("aria-expanded", "true");
    cell.replaceChildren(h("p", { class: "muted" }, t("loading")));
    try {
      /** @type {Risk} */
      const r = await ctx.api.get(`/api/v1/plans/${encodeURIComponent(p.id)}/items/${encodeURIComponent(it.business_id)}/risk`);
      const num = x => new Intl.NumberFormat(ctx.fmt.locale, { maximumFractionDigits: 2 }).format(x);
      cell.replaceChildren(h("b", {}, t("plans.whyTitle", { name })),
        h("p", {}, t("plans.whyScore", { score: num(r.score), capped: r.capped ? t("plans.whyCapped") : "", prob: ctx.fmt.pct(r.inclusion_prob),
          ratio: num(r.uniform_prob ? r.inclusion_prob / r.uniform_prob : 1), uniform: ctx.fmt.pct(r.uniform_prob) })),
        h("ul", {}, (r.factors || []).map(f => h("li", {}, t("plans.whyFactor", { name: ctx.lang === "en" ? f.en : f.vi, x: num(f.contribution) })))));
    } catch (ex) {
      ctx.showError(cell, ex);
    }
  });
  const row = h("tr", { dataset: { business: it.business_id } },
    h("td", { "data-label": t("plans.colBusiness") }, it.business_name ? h("a", { href: `#/registry/${encodeURIComponent(it.business_id)}` }, name) : name),
    h("td", { "data-label": t("plans.colCategory") }, it.category ? ctx.ref.label("category", it.category) : "–"),
    h("td", { "data-label": t("plans.colUnit") }, areaName(ctx, d, it.area_code)),
    h("td", { "data-label": t("plans.colWeek") }, it.week_start ? ctx.fmt.date(it.week_start) : h("span", { class: "plans-short" }, t("plans.noWeek"))),
    h("td", { "data-label": t("plans.colGroup") }, GROUPS.includes(it.group) ? t(`plans.group_${it.group}`) : "–"),
    h("td", { class: "num", "data-label": t("plans.colProb") }, ctx.fmt.pct(it.inclusion_prob)),
    h("td", {}, button));
  return [row, why];
}

/** @type {import("../main.js").Desk} */
export default {
  id: "plans",
  roles: ["planner", "admin", "viewer"],
  nav: { vi: messages.vi["plans.nav"], en: messages.en["plans.nav"] },
  messages,
  async render(el, ctx) {
    const d = await load(ctx);
    const [id] = ctx.path;
    if (id) await renderPlan(el, ctx, d, id);
    else await renderList(el, ctx, d, ctx.query.get("programme") || "");
  },
};
