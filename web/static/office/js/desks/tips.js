// @ts-check
// The tip desk: the queue of tips by their next deadline, and each tip's page with its
// timeline, its next step as a form (verify, classify, handle), the business it is about, the
// similar tips it may be merged with, the task an urgent tip created, and the reporter's contact
// behind an explicit, audited click. Every code shown is named by the reference tables; every
// refusal is the API's message in the user's language.

import { Api, query } from "../../../shared/js/api.js";
import { h } from "../../../shared/js/dom.js";
import { pointMap } from "../../../shared/js/map.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, status: string, team_id: string | null, team_name: string, released_on: string, due_on: string, route_order: number}} TipTask
 * @typedef {object} Tip
 * @property {string} id
 * @property {string} channel
 * @property {string} received_at
 * @property {string} received_by
 * @property {string} description
 * @property {string | null} business_id
 * @property {number | null} lat
 * @property {number | null} lon
 * @property {string} place
 * @property {string | null} area_code
 * @property {string} status
 * @property {string} type
 * @property {string} severity
 * @property {string} handling
 * @property {string} handling_note
 * @property {string | null} task_id
 * @property {string | null} merged_into
 * @property {string | null} verify_due
 * @property {string | null} handle_due
 * @property {string | null} escalated_at
 * @property {string | null} [handled_at]
 * @property {boolean} overdue
 * @property {boolean} has_contact
 * @property {boolean} [reporter_contact_unavailable]
 * @property {number} version
 * @property {TipTask} [task]
 * @property {string} [public_result]
 * @property {string | null} [tracking_code]
 * @typedef {{at: string, action: string, actor: string, actor_name: string, type?: string, severity?: string, handling?: string, channel?: string, team_name?: string, deadline?: string, escalated_to?: string[]}} TipEvent
 * @typedef {{id: string, name: string, address: string, category: string, lat: number, lon: number, area_code: string, distance_m?: number}} Business
 */

const OPEN = "open", ALL = "all";

// The queue's filters, kept while the officer goes to a tip and back.
const filters = { status: OPEN, severity: "", area: "" };

// The server's clock minus this browser's (from the Date header): countdowns and "today" are
// the server's, even on a computer whose clock is wrong.
let clockOffset = 0;
const now = () => Date.now() + clockOffset;

/** @type {Map<string, string> | null} unit code -> name */
let areaNames = null;
/** @type {{code: string, name: string, depth: number}[]} */
let areaList = [];

const messages = {
  vi: {
    "tips.nav": "Tin báo",
    "tips.queueTitle": "Tin báo cần xử lý",
    "tips.queueIntro": "Xếp theo hạn gần nhất: hạn xác minh với tin mới tiếp nhận, hạn xử lý với tin đang xác minh hoặc đã phân loại.",
    "tips.filterStatus": "Tình trạng",
    "tips.filterSeverity": "Mức độ",
    "tips.filterArea": "Địa bàn",
    "tips.open": "Chưa xử lý xong",
    "tips.all": "Tất cả",
    "tips.anySeverity": "Mọi mức độ",
    "tips.anyArea": "Toàn thành phố",
    "tips.count": "{n} tin báo",
    "tips.none": "Không có tin báo nào theo bộ lọc này.",
    "tips.overdue": "Quá hạn",
    "tips.escalated": "Đã báo cáo vượt cấp",
    "tips.verifyDue": "Hạn xác minh",
    "tips.handleDue": "Hạn xử lý",
    "tips.noDeadline": "Đã xong",
    "tips.handledAt": "Xử lý xong lúc {time}",
    "tips.received": "Tiếp nhận {time}",
    "tips.back": "← Danh sách tin báo",
    "tips.title": "Tin báo tiếp nhận {time}",
    "tips.description": "Nội dung",
    "tips.place": "Địa điểm",
    "tips.area": "Địa bàn",
    "tips.business": "Cơ sở",
    "tips.channel": "Nguồn tin",
    "tips.trackingCode": "Mã tra cứu của người báo",
    "tips.type": "Loại tin báo",
    "tips.severity": "Mức độ",
    "tips.status": "Tình trạng",
    "tips.noPlace": "Chưa rõ",
    "tips.noBusiness": "Chưa xác định cơ sở",
    "tips.map": "Vị trí",
    "tips.mapLabel": "Bản đồ vị trí tin báo và cơ sở",
    "tips.noPoint": "Tin báo chưa có vị trí trên bản đồ.",
    "tips.mapTip": "Vị trí người báo chỉ",
    "tips.contactTitle": "Người báo",
    "tips.showContact": "Xem liên hệ người báo",
    "tips.contactNote": "Việc xem được ghi vào nhật ký (người xem, thời điểm).",
    "tips.contactRead": "Đã ghi nhật ký lúc {time}.",
    "tips.contactNone": "Người báo không để lại thông tin liên hệ.",
    "tips.contactUnavailable": "Không mở được thông tin liên hệ (được niêm phong bằng khóa cũ).",
    "tips.nextStep": "Bước tiếp theo",
    "tips.stepVerify": "Xác minh tin báo",
    "tips.stepClassify": "Phân loại tin báo",
    "tips.stepHandle": "Kết thúc xử lý",
    "tips.doVerify": "Bắt đầu xác minh",
    "tips.doClassify": "Phân loại",
    "tips.doHandle": "Kết thúc xử lý",
    "tips.working": "Đang lưu…",
    "tips.choose": "— Chọn —",
    "tips.chooseType": "Hãy chọn loại tin báo.",
    "tips.chooseHandling": "Hãy chọn hình thức xử lý.",
    "tips.urgentHint": "Tin báo khẩn cấp: tổ công tác phụ trách địa bàn của cơ sở được giao kiểm tra ngay trong ngày. Cần xác định cơ sở trước.",
    "tips.handling": "Hình thức xử lý",
    "tips.note": "Ghi chú, lý do",
    "tips.noteHint": "Bắt buộc khi chuyển cơ quan khác hoặc không có cơ sở xử lý.",
    "tips.publicResult": "Kết quả thông báo cho người báo",
    "tips.publicResultHint": "Người báo đọc được nội dung này khi tra cứu tin báo: không ghi tên người, không ghi thông tin cơ sở.",
    "tips.done": "Tin báo đã kết thúc.",
    "tips.handledAs": "Xử lý: {handling}",
    "tips.mergedInto": "Đã gộp vào tin báo khác.",
    "tips.openMerged": "Mở tin báo được gộp vào",
    "tips.linkTitle": "Cơ sở liên quan",
    "tips.linkKeep": "Giữ cơ sở đã chọn",
    "tips.linkSearch": "Tìm cơ sở",
    "tips.linkSearchPlaceholder": "Tên, địa chỉ, số giấy phép…",
    "tips.linkFind": "Tìm",
    "tips.linkNear": "Cơ sở quanh vị trí tin báo",
    "tips.linkNoneFound": "Không tìm thấy cơ sở nào.",
    "tips.linkPick": "Chọn",
    "tips.linkPicked": "Đã chọn: {name}",
    "tips.linkClear": "Bỏ chọn",
    "tips.linkMapHint": "Bấm một điểm trên bản đồ để chọn cơ sở.",
    "tips.linkPlace": "Hoặc ghi địa điểm",
    "tips.linkPlaceHint": "Khi chưa xác định được cơ sở: số nhà, đường, phường/xã.",
    "tips.taskTitle": "Nhiệm vụ kiểm tra đã giao",
    "tips.taskTeam": "Tổ kiểm tra: {team}",
    "tips.taskToday": "Đến kiểm tra hôm nay, {day}",
    "tips.taskDay": "Đến kiểm tra ngày {day}",
    "tips.taskDue": "Hạn chót: {day}",
    "tips.taskStatus": "Tình trạng nhiệm vụ: {status}",
    "tips.timeline": "Diễn biến",
    "tips.timelineEmpty": "Chưa có diễn biến nào.",
    "tips.ev.receive": "Tiếp nhận tin báo: {channel}",
    "tips.ev.verifying": "Bắt đầu xác minh",
    "tips.ev.classified": "Phân loại: {type}, mức độ {severity}",
    "tips.ev.classifiedTeam": "Giao {team} kiểm tra",
    "tips.ev.handled": "Kết thúc xử lý: {handling}",
    "tips.ev.merge": "Gộp vào tin báo khác",
    "tips.ev.escalate": "Quá {deadline}: báo cáo vượt cấp",
    "tips.ev.escalateTo": "Báo cho: {names}",
    "tips.ev.contact_read": "Xem thông tin liên hệ người báo",
    "tips.ev.other": "Cập nhật tin báo",
    "tips.deadline.verify": "hạn xác minh",
    "tips.deadline.handle": "hạn xử lý",
    "tips.actorPublic": "Người dân (cổng thông tin)",
    "tips.actorScheduler": "Hệ thống (tự động)",
    "tips.similarTitle": "Tin báo tương tự",
    "tips.similarIntro": "Cùng cơ sở, hoặc trong bán kính 50 m, tiếp nhận cách nhau không quá 30 ngày.",
    "tips.similarNone": "Không có tin báo tương tự.",
    "tips.thisTip": "Tin báo đang xem",
    "tips.merge": "Gộp tin báo đang xem vào tin này",
    "tips.mergeConfirm": "Gộp tin báo đang xem vào tin báo này? Tin báo đang xem sẽ kết thúc và được tính cùng tin báo này.",
    "tips.openTip": "Mở",
  },
  en: {
    "tips.nav": "Tips",
    "tips.queueTitle": "Tips to handle",
    "tips.queueIntro": "By the nearest deadline: verification for tips just received, handling for tips being verified or classified.",
    "tips.filterStatus": "Status",
    "tips.filterSeverity": "Severity",
    "tips.filterArea": "Unit",
    "tips.open": "Not yet handled",
    "tips.all": "All",
    "tips.anySeverity": "Any severity",
    "tips.anyArea": "The whole city",
    "tips.count": "{n} tips",
    "tips.none": "No tip matches these filters.",
    "tips.overdue": "Overdue",
    "tips.escalated": "Escalated",
    "tips.verifyDue": "Verify by",
    "tips.handleDue": "Handle by",
    "tips.noDeadline": "Done",
    "tips.handledAt": "Closed at {time}",
    "tips.received": "Received {time}",
    "tips.back": "← All tips",
    "tips.title": "Tip received {time}",
    "tips.description": "What was reported",
    "tips.place": "Place",
    "tips.area": "Unit",
    "tips.business": "Business",
    "tips.channel": "Channel",
    "tips.trackingCode": "The reporter's reference",
    "tips.type": "Type",
    "tips.severity": "Severity",
    "tips.status": "Status",
    "tips.noPlace": "Unknown",
    "tips.noBusiness": "No business identified",
    "tips.map": "Location",
    "tips.mapLabel": "Map of the tip's location and businesses",
    "tips.noPoint": "The tip has no location on the map.",
    "tips.mapTip": "Where the reporter pointed",
    "tips.contactTitle": "Reporter",
    "tips.showContact": "Show the reporter's contact",
    "tips.contactNote": "Reading it is recorded in the audit log (who, when).",
    "tips.contactRead": "Recorded in the audit log at {time}.",
    "tips.contactNone": "The reporter left no contact.",
    "tips.contactUnavailable": "The contact cannot be opened (sealed with an earlier key).",
    "tips.nextStep": "Next step",
    "tips.stepVerify": "Verify the tip",
    "tips.stepClassify": "Classify the tip",
    "tips.stepHandle": "Close the tip",
    "tips.doVerify": "Start verifying",
    "tips.doClassify": "Classify",
    "tips.doHandle": "Close the tip",
    "tips.working": "Saving…",
    "tips.choose": "— Choose —",
    "tips.chooseType": "Choose the tip's type.",
    "tips.chooseHandling": "Choose how it was handled.",
    "tips.urgentHint": "Urgent: the team of the business's unit is sent the same day. The business must be identified first.",
    "tips.handling": "Handling",
    "tips.note": "Note, reason",
    "tips.noteHint": "Required when referring or dismissing.",
    "tips.publicResult": "Result told to the reporter",
    "tips.publicResultHint": "The reporter reads this when tracking the tip: no names of people, no business details.",
    "tips.done": "The tip is closed.",
    "tips.handledAs": "Handled: {handling}",
    "tips.mergedInto": "Merged into another tip.",
    "tips.openMerged": "Open the tip it was merged into",
    "tips.linkTitle": "The business concerned",
    "tips.linkKeep": "Keep the chosen business",
    "tips.linkSearch": "Find a business",
    "tips.linkSearchPlaceholder": "Name, address, licence number…",
    "tips.linkFind": "Find",
    "tips.linkNear": "Businesses around the tip's location",
    "tips.linkNoneFound": "No business found.",
    "tips.linkPick": "Choose",
    "tips.linkPicked": "Chosen: {name}",
    "tips.linkClear": "Clear",
    "tips.linkMapHint": "Click a point on the map to choose its business.",
    "tips.linkPlace": "Or describe the place",
    "tips.linkPlaceHint": "When no business is identified: number, street, ward/commune.",
    "tips.taskTitle": "Inspection task sent",
    "tips.taskTeam": "Team: {team}",
    "tips.taskToday": "Visit today, {day}",
    "tips.taskDay": "Visit on {day}",
    "tips.taskDue": "At the latest: {day}",
    "tips.taskStatus": "Task status: {status}",
    "tips.timeline": "Timeline",
    "tips.timelineEmpty": "Nothing recorded yet.",
    "tips.ev.receive": "Tip received: {channel}",
    "tips.ev.verifying": "Verification started",
    "tips.ev.classified": "Classified: {type}, severity {severity}",
    "tips.ev.classifiedTeam": "Sent to {team}",
    "tips.ev.handled": "Closed: {handling}",
    "tips.ev.merge": "Merged into another tip",
    "tips.ev.escalate": "Missed the {deadline}: escalated",
    "tips.ev.escalateTo": "Reported to: {names}",
    "tips.ev.contact_read": "The reporter's contact was read",
    "tips.ev.other": "Tip updated",
    "tips.deadline.verify": "verification deadline",
    "tips.deadline.handle": "handling deadline",
    "tips.actorPublic": "The public (web form)",
    "tips.actorScheduler": "The system (automatic)",
    "tips.similarTitle": "Similar tips",
    "tips.similarIntro": "About the same business, or within 50 m, received within 30 days of each other.",
    "tips.similarNone": "No similar tip.",
    "tips.thisTip": "This tip",
    "tips.merge": "Merge this tip into this one",
    "tips.mergeConfirm": "Merge the tip you are viewing into this one? It will be closed and counted with this one.",
    "tips.openTip": "Open",
  },
};

/**
 * getTimed answers GET path and takes the server's clock from the answer's Date header.
 * @param {DeskContext} ctx
 * @param {string} path
 */
async function getTimed(ctx, path) {
  const resp = await ctx.api.request("GET", path);
  if (!resp.ok) throw await Api.error(resp);
  const date = Date.parse(resp.headers.get("Date") || "");
  if (Number.isFinite(date)) clockOffset = date - Date.now();
  return resp.json();
}

/** @param {DeskContext} ctx */
async function loadAreas(ctx) {
  if (areaNames) return;
  const names = new Map();
  const list = [];
  try {
    const tree = await ctx.api.get("/api/v1/areas");
    const walk = (nodes, depth) => {
      for (const n of nodes || []) {
        names.set(n.code, n.name);
        if (n.level !== "city") list.push({ code: n.code, name: n.name, depth });
        walk(n.children, n.level === "city" ? depth : depth + 1);
      }
    };
    walk(tree.items, 0);
  } catch {
    // Without the units' names the desk still works: places show their own words.
  }
  areaNames = names;
  areaList = list;
}

/** @param {Tip} t @returns {{kind: string, at: string | null}} */
function nextDeadline(t) {
  if (t.status === "received") return { kind: "verify", at: t.verify_due };
  if (t.status === "verifying" || t.status === "classified") return { kind: "handle", at: t.handle_due };
  return { kind: "", at: null };
}

/** @param {Tip} t */
function dueTime(t) {
  const d = nextDeadline(t).at;
  return d ? Date.parse(d) : Infinity;
}

/** @param {string} s @param {number} n */
function excerpt(s, n) {
  s = String(s || "").replace(/\s+/g, " ").trim();
  return s.length > n ? s.slice(0, n - 1).trimEnd() + "…" : s;
}

/** @param {string} sev */
function severityClass(sev) {
  return sev === "urgent" ? "bad" : sev === "high" ? "warn" : "";
}

/**
 * deadlineBlock is a tip's next deadline with its countdown and the overdue/escalated marks.
 * @param {DeskContext} ctx
 * @param {Tip} t
 */
function deadlineBlock(ctx, t) {
  const { t: tr, fmt } = ctx;
  const d = nextDeadline(t);
  const marks = [];
  if (t.overdue) marks.push(h("span", { class: "badge bad" }, tr("tips.overdue")));
  if (t.escalated_at && t.overdue) marks.push(h("span", { class: "badge warn" }, tr("tips.escalated")));
  if (!d.at) {
    const done = t.status === "handled" && t.handled_at ? tr("tips.handledAt", { time: fmt.dateTime(t.handled_at) }) : tr("tips.noDeadline");
    return h("div", { class: "tip-due done" }, h("span", { class: "muted" }, done));
  }
  return h("div", { class: "tip-due" + (t.overdue ? " overdue" : "") },
    h("span", { class: "tip-due-kind" }, tr(d.kind === "verify" ? "tips.verifyDue" : "tips.handleDue") + ": " + fmt.dateTime(d.at)),
    h("b", { class: "tip-countdown", dataset: { due: d.at } }, fmt.countdown(d.at, now())),
    marks.length ? h("span", { class: "tip-marks" }, marks) : null);
}

// tickCountdowns refreshes the countdowns under el every half minute while el is shown.
function tickCountdowns(el, fmt) {
  const timer = setInterval(() => {
    if (!el.isConnected) {
      clearInterval(timer);
      return;
    }
    for (const c of el.querySelectorAll(".tip-countdown")) c.textContent = fmt.countdown(/** @type {HTMLElement} */ (c).dataset.due, now());
  }, 30000);
}

/** @param {Tip} t */
function placeText(t) {
  const area = t.area_code && areaNames ? areaNames.get(t.area_code) : "";
  return [t.place, area].filter(Boolean).join(" · ");
}

/**
 * select builds a labelled select of a reference kind's codes.
 * @param {DeskContext} ctx
 * @param {string} id
 * @param {string} label
 * @param {{value: string, text: string}[]} options
 * @param {string} value
 */
function selectField(ctx, id, label, options, value) {
  const sel = h("select", { id, name: id }, options.map(o => h("option", { value: o.value, selected: o.value === value }, o.text)));
  return { wrap: h("div", { class: "tips-field" }, h("label", { for: id }, label), sel), sel: /** @type {HTMLSelectElement} */ (sel) };
}

/** @param {DeskContext} ctx @param {string} kind */
function refOptions(ctx, kind) {
  return ctx.ref.codes(kind).map(c => ({ value: c, text: ctx.ref.label(kind, c) }));
}

// ---- The queue ----

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderQueue(el, ctx) {
  const { t, ref, fmt } = ctx;
  ctx.setTitle(t("tips.queueTitle"));
  await loadAreas(ctx);
  const status = selectField(ctx, "tips-f-status", t("tips.filterStatus"),
    [{ value: OPEN, text: t("tips.open") }, ...refOptions(ctx, "tip_status"), { value: ALL, text: t("tips.all") }], filters.status);
  const severity = selectField(ctx, "tips-f-severity", t("tips.filterSeverity"),
    [{ value: "", text: t("tips.anySeverity") }, ...refOptions(ctx, "tip_severity")], filters.severity);
  const area = selectField(ctx, "tips-f-area", t("tips.filterArea"),
    [{ value: "", text: t("tips.anyArea") }, ...areaList.map(a => ({ value: a.code, text: "\u00a0\u00a0".repeat(a.depth) + a.name }))], filters.area);
  const list = h("div", { class: "tips-list", "aria-live": "polite" });
  const count = h("p", { class: "muted tips-count" });
  const errBox = h("div", { hidden: true });
  const load = async () => {
    filters.status = status.sel.value;
    filters.severity = severity.sel.value;
    filters.area = area.sel.value;
    errBox.hidden = true;
    list.replaceChildren(h("p", { class: "muted" }, t("loading")));
    let items = [];
    try {
      const q = { severity: filters.severity, area: filters.area, status: filters.status === OPEN || filters.status === ALL ? "" : filters.status };
      items = (await getTimed(ctx, "/api/v1/tips" + query(q))).items || [];
    } catch (ex) {
      list.replaceChildren();
      ctx.showError(errBox, ex, { area: t("tips.filterArea"), severity: t("tips.filterSeverity"), status: t("tips.filterStatus") });
      return;
    }
    if (filters.status === OPEN) items = items.filter(x => x.status !== "handled" && x.status !== "merged");
    items.sort((a, b) => dueTime(a) - dueTime(b) || Date.parse(b.received_at) - Date.parse(a.received_at));
    count.textContent = t("tips.count", { n: fmt.num(items.length) });
    if (!items.length) {
      list.replaceChildren(h("p", { class: "card muted" }, t("tips.none")));
      return;
    }
    list.replaceChildren(h("ul", { class: "tips-queue" }, items.map(x => h("li", {},
      h("a", { class: "tip-row" + (x.overdue ? " is-overdue" : ""), href: `#/tips/${encodeURIComponent(x.id)}`, dataset: { tip: x.id } },
        deadlineBlock(ctx, x),
        h("div", { class: "tip-main" },
          h("span", { class: "tip-desc" }, excerpt(x.description, 140)),
          h("span", { class: "tip-meta muted" }, [t("tips.received", { time: fmt.dateTime(x.received_at) }), ref.label("tip_channel", x.channel), placeText(x)].filter(Boolean).join(" · "))),
        h("div", { class: "tip-tags" },
          h("span", { class: "badge tip-status" }, ref.label("tip_status", x.status)),
          h("span", { class: "badge " + severityClass(x.severity) }, ref.label("tip_severity", x.severity))))))));
  };
  for (const s of [status.sel, severity.sel, area.sel]) s.addEventListener("change", load);
  el.replaceChildren(h("section", { class: "card tips-queue-card" },
    h("h1", {}, t("tips.queueTitle")),
    h("p", { class: "muted" }, t("tips.queueIntro")),
    h("div", { class: "tips-filters" }, status.wrap, severity.wrap, area.wrap),
    errBox, count, list));
  tickCountdowns(el, fmt);
  await load();
}

// ---- A tip's page ----

/** @param {HTMLElement} el @param {DeskContext} ctx @param {string} id */
async function renderTip(el, ctx, id) {
  const { t, ref, fmt } = ctx;
  await loadAreas(ctx);
  const base = `/api/v1/tips/${encodeURIComponent(id)}`;
  const [tip, timeline, similar] = await Promise.all([
    /** @type {Promise<Tip>} */ (getTimed(ctx, base)),
    ctx.api.get(base + "/timeline").then(r => r.items || [], () => null),
    ctx.api.get(base + "/similar").then(r => r.items || [], () => []),
  ]);
  /** @type {Business | null} */
  let business = null;
  if (tip.business_id) business = await ctx.api.get(`/api/v1/businesses/${encodeURIComponent(tip.business_id)}`).catch(() => null);
  ctx.setTitle(t("tips.title", { time: fmt.dateTime(tip.received_at) }));
  const reload = () => renderTip(el, ctx, id);

  const facts = h("dl", { class: "tips-facts" },
    fact(t("tips.status"), h("span", { class: "badge tip-status" }, ref.label("tip_status", tip.status))),
    fact(t("tips.severity"), h("span", { class: "badge " + severityClass(tip.severity) }, ref.label("tip_severity", tip.severity))),
    tip.type ? fact(t("tips.type"), ref.label("tip_type", tip.type)) : null,
    fact(t("tips.channel"), ref.label("tip_channel", tip.channel)),
    tip.tracking_code ? fact(t("tips.trackingCode"), h("span", { class: "tips-code" }, tip.tracking_code)) : null,
    fact(t("tips.place"), tip.place || t("tips.noPlace")),
    tip.area_code && areaNames && areaNames.get(tip.area_code) ? fact(t("tips.area"), areaNames.get(tip.area_code)) : null,
    fact(t("tips.business"), business ? h("span", {}, h("b", {}, business.name), " — ", business.address, " (", ref.label("category", business.category), ")") : t("tips.noBusiness"), "wide"));

  const mapBox = h("div", { class: "tips-map" });
  const points = [];
  if (tip.lat != null && tip.lon != null) points.push({ id: "tip", lat: tip.lat, lon: tip.lon, label: "!", colour: "#b3141b", title: t("tips.mapTip") });
  if (business) points.push({ id: business.id, lat: business.lat, lon: business.lon, label: "1", title: business.name });

  const main = h("div", { class: "tips-col" },
    h("section", { class: "card" },
      h("a", { href: "#/tips", class: "tips-back" }, t("tips.back")),
      h("h1", {}, t("tips.title", { time: fmt.dateTime(tip.received_at) })),
      deadlineBlock(ctx, tip),
      h("h2", {}, t("tips.description")),
      h("p", { class: "tips-description" }, tip.description),
      facts),
    tip.task ? taskCard(ctx, tip.task) : null,
    actionCard(ctx, tip, business, reload),
    h("section", { class: "card" }, h("h2", {}, t("tips.map")), points.length ? mapBox : h("p", { class: "muted" }, t("tips.noPoint"))));

  let events = timelineCard(ctx, timeline);
  // Reading the contact is a step of the timeline: it shows there at once.
  const refreshTimeline = async () => {
    const items = await ctx.api.get(base + "/timeline").then(r => r.items || [], () => null);
    const next = timelineCard(ctx, items);
    events.replaceWith(next);
    events = next;
  };
  const side = h("div", { class: "tips-col" },
    contactCard(ctx, tip, refreshTimeline),
    events);

  el.replaceChildren(h("div", { class: "tips-page" }, main, side), similarCard(ctx, tip, similar, reload));
  if (points.length) await drawPoints(ctx, mapBox, points, tip.area_code, business ? business.id : undefined);
  tickCountdowns(el, fmt);
}

/** @param {string} term @param {any} value @param {string} [cls] */
function fact(term, value, cls) {
  return h("div", { class: cls }, h("dt", {}, term), h("dd", {}, value));
}

/**
 * drawPoints draws the tip's points on the outline of its unit (fetched when it has one), or
 * on a small box around them: a lone point on an empty square says nothing.
 * @param {DeskContext} ctx @param {HTMLElement} box @param {any[]} points @param {string | null} areaCode @param {string} [selected]
 */
async function drawPoints(ctx, box, points, areaCode, selected) {
  let outline = [];
  if (areaCode) {
    const a = await ctx.api.get(`/api/v1/areas/${encodeURIComponent(areaCode)}`).catch(() => null);
    if (a && a.geometry) outline = [{ geometry: a.geometry }];
  }
  let bounds;
  if (!outline.length) {
    const lats = points.map(p => p.lat), lons = points.map(p => p.lon);
    const midLat = (Math.min(...lats) + Math.max(...lats)) / 2, midLon = (Math.min(...lons) + Math.max(...lons)) / 2;
    const dLat = Math.max(0.004, (Math.max(...lats) - Math.min(...lats)) / 2), dLon = Math.max(0.01, (Math.max(...lons) - Math.min(...lons)) / 2, dLat * 2.2);
    bounds = [midLon - dLon, midLat - dLat, midLon + dLon, midLat + dLat];
  }
  pointMap(box, points, { label: ctx.t("tips.mapLabel"), selected, outline, bounds });
}

/** @param {DeskContext} ctx @param {TipTask} task */
function taskCard(ctx, task) {
  const { t, fmt, ref } = ctx;
  const today = fmt.isoDay(new Date(now()).toISOString());
  const visit = task.released_on === today ? t("tips.taskToday", { day: fmt.weekday(task.released_on) }) : t("tips.taskDay", { day: fmt.weekday(task.released_on) });
  return h("section", { class: "card notice tips-task", id: "tips-task" },
    h("h2", {}, t("tips.taskTitle")),
    h("p", {}, h("b", {}, t("tips.taskTeam", { team: task.team_name || "–" }))),
    h("p", {}, visit),
    h("p", { class: "muted" }, t("tips.taskDue", { day: fmt.date(task.due_on) }), " · ", t("tips.taskStatus", { status: ref.label("task_status", task.status) })));
}

/** @param {DeskContext} ctx @param {Tip} tip @param {() => Promise<void>} onRead */
function contactCard(ctx, tip, onRead) {
  const { t, fmt } = ctx;
  const card = h("section", { class: "card tips-contact" }, h("h2", {}, t("tips.contactTitle")));
  if (!tip.has_contact) {
    card.append(h("p", { class: "muted" }, t("tips.contactNone")));
    return card;
  }
  if (tip.reporter_contact_unavailable) {
    card.append(h("p", { class: "warn" }, t("tips.contactUnavailable")));
    return card;
  }
  // Only tip officers may open it (the API refuses everyone else): nobody else sees the button.
  if (ctx.user.role !== "tip_officer") return card;
  const out = h("div", { "aria-live": "polite" });
  const btn = h("button", { type: "button", class: "secondary", id: "tips-show-contact" }, t("tips.showContact"));
  btn.addEventListener("click", async () => {
    btn.setAttribute("disabled", "");
    try {
      const c = await ctx.api.post(`/api/v1/tips/${encodeURIComponent(tip.id)}/contact`);
      out.replaceChildren(h("p", { class: "tips-contact-value", id: "tips-contact-value" }, c.contact), h("p", { class: "muted" }, t("tips.contactRead", { time: fmt.dateTime(c.read_at) })));
      btn.remove();
      await onRead();
    } catch (ex) {
      btn.removeAttribute("disabled");
      ctx.showError(out, ex);
    }
  });
  card.append(h("p", { class: "muted" }, t("tips.contactNote")), btn, out);
  return card;
}

/** @param {DeskContext} ctx @param {TipEvent[] | null} events */
function timelineCard(ctx, events) {
  const { t, fmt, ref } = ctx;
  const card = h("section", { class: "card tips-timeline" }, h("h2", {}, t("tips.timeline")));
  if (!events || !events.length) {
    card.append(h("p", { class: "muted" }, t("tips.timelineEmpty")));
    return card;
  }
  const who = (e) => e.actor_name || (e.actor === "public" ? t("tips.actorPublic") : e.actor === "scheduler" ? t("tips.actorScheduler") : e.actor);
  card.append(h("ol", { class: "tips-events" }, events.map(e => {
    let what = t("tips.ev.other");
    let more = null;
    switch (e.action) {
      case "receive": what = t("tips.ev.receive", { channel: ref.label("tip_channel", e.channel) }); break;
      case "verifying": what = t("tips.ev.verifying"); break;
      case "classified":
        what = t("tips.ev.classified", { type: ref.label("tip_type", e.type), severity: ref.label("tip_severity", e.severity) });
        if (e.team_name) more = t("tips.ev.classifiedTeam", { team: e.team_name });
        break;
      case "handled": what = t("tips.ev.handled", { handling: ref.label("tip_handling", e.handling) }); break;
      case "merge": what = t("tips.ev.merge"); break;
      case "escalate":
        what = t("tips.ev.escalate", { deadline: t(e.deadline === "verify" ? "tips.deadline.verify" : "tips.deadline.handle") });
        if (e.escalated_to && e.escalated_to.length) more = t("tips.ev.escalateTo", { names: e.escalated_to.join(", ") });
        break;
      case "contact_read": what = t("tips.ev.contact_read"); break;
    }
    return h("li", { class: "tips-event ev-" + e.action },
      h("time", { datetime: e.at }, fmt.dateTime(e.at)),
      h("span", { class: "tips-event-what" }, what),
      more ? h("span", { class: "tips-event-more" }, more) : null,
      h("span", { class: "muted tips-event-who" }, who(e)));
  })));
  return card;
}

/**
 * actionCard is the form of the tip's next step; a closed tip says how it ended.
 * @param {DeskContext} ctx @param {Tip} tip @param {Business | null} business @param {() => void} reload
 */
function actionCard(ctx, tip, business, reload) {
  const { t, ref } = ctx;
  if (tip.status === "handled" || tip.status === "merged") {
    const card = h("section", { class: "card tips-closed" }, h("h2", {}, t("tips.done")));
    if (tip.status === "merged") {
      card.append(h("p", {}, t("tips.mergedInto")));
      if (tip.merged_into) card.append(h("a", { class: "button secondary", href: `#/tips/${encodeURIComponent(tip.merged_into)}` }, t("tips.openMerged")));
    } else {
      card.append(h("p", {}, t("tips.handledAs", { handling: ref.label("tip_handling", tip.handling) })));
      if (tip.handling_note) card.append(h("p", { class: "muted" }, tip.handling_note));
      if (tip.public_result) card.append(h("p", {}, h("b", {}, t("tips.publicResult") + ": "), tip.public_result));
    }
    return card;
  }
  const errBox = h("div", { hidden: true, class: "tips-error" });
  const form = h("form", { class: "tips-step", novalidate: true });
  const steps = { received: ["tips.stepVerify", "tips.doVerify", "verifying"], verifying: ["tips.stepClassify", "tips.doClassify", "classified"], classified: ["tips.stepHandle", "tips.doHandle", "handled"] };
  const [title, action, to] = steps[tip.status] || steps.received;
  /** @type {() => Record<string, any> | null} */
  let fields = () => ({});
  if (to === "verifying" || to === "classified") {
    const link = businessLink(ctx, tip, business);
    if (to === "classified") {
      const type = selectField(ctx, "tips-type", t("tips.type"), [{ value: "", text: t("tips.choose") }, ...refOptions(ctx, "tip_type")], tip.type || "");
      const sev = selectField(ctx, "tips-severity", t("tips.severity"), refOptions(ctx, "tip_severity"), tip.severity);
      const hint = h("p", { class: "muted tips-hint", hidden: sev.sel.value !== "urgent" }, t("tips.urgentHint"));
      sev.sel.addEventListener("change", () => { hint.hidden = sev.sel.value !== "urgent"; });
      form.append(h("div", { class: "tips-row" }, type.wrap, sev.wrap), hint);
      fields = () => {
        if (!type.sel.value) {
          errBox.replaceChildren(h("div", { class: "alert", role: "alert" }, t("tips.chooseType")));
          errBox.hidden = false;
          type.sel.focus();
          return null;
        }
        return { type: type.sel.value, severity: sev.sel.value, ...link.value() };
      };
    } else {
      fields = () => link.value();
    }
    form.append(link.el);
  } else {
    const handling = selectField(ctx, "tips-handling", t("tips.handling"), [{ value: "", text: t("tips.choose") }, ...refOptions(ctx, "tip_handling")], "");
    const note = h("textarea", { id: "tips-note", rows: 3, maxlength: 2000 });
    form.append(handling.wrap,
      h("div", { class: "tips-field" }, h("label", { for: "tips-note" }, t("tips.note")), note, h("small", { class: "muted" }, t("tips.noteHint"))));
    // The public result exists once the API carries it (the public tracking page reads it).
    const pub = "public_result" in tip ? h("textarea", { id: "tips-public-result", rows: 3, maxlength: 2000 }) : null;
    if (pub) form.append(h("div", { class: "tips-field" }, h("label", { for: "tips-public-result" }, t("tips.publicResult")), pub, h("small", { class: "muted" }, t("tips.publicResultHint"))));
    fields = () => {
      if (!handling.sel.value) {
        errBox.replaceChildren(h("div", { class: "alert", role: "alert" }, t("tips.chooseHandling")));
        errBox.hidden = false;
        handling.sel.focus();
        return null;
      }
      const body = { handling: handling.sel.value, note: /** @type {HTMLTextAreaElement} */ (note).value };
      if (pub) body.public_result = /** @type {HTMLTextAreaElement} */ (pub).value;
      return body;
    };
  }
  const submit = h("button", { type: "submit", id: "tips-submit", dataset: { to } }, t(action));
  form.append(errBox, h("div", { class: "tips-actions" }, submit));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    errBox.hidden = true;
    const extra = fields();
    if (!extra) return;
    submit.setAttribute("disabled", "");
    submit.textContent = t("tips.working");
    try {
      await ctx.api.post(`/api/v1/tips/${encodeURIComponent(tip.id)}/transition`, { version: tip.version, to, ...extra });
      await reload();
    } catch (ex) {
      ctx.showError(errBox, ex, { business_id: t("tips.business"), place: t("tips.place"), type: t("tips.type"), severity: t("tips.severity"), handling: t("tips.handling"), note: t("tips.note"), public_result: t("tips.publicResult") });
      submit.removeAttribute("disabled");
      submit.textContent = t(action);
    }
  });
  return h("section", { class: "card tips-next" }, h("h2", {}, t("tips.nextStep") + ": " + t(title)), form);
}

/**
 * businessLink lets the officer name the business a tip is about, by search or on the map, or
 * describe the place; value() is what the transition sends.
 * @param {DeskContext} ctx @param {Tip} tip @param {Business | null} current
 */
function businessLink(ctx, tip, current) {
  const { t, ref, fmt } = ctx;
  /** @type {Business | null} */
  let chosen = null;
  const picked = h("p", { class: "tips-picked", "aria-live": "polite" });
  const results = h("div", { class: "tips-results" });
  const mapBox = h("div", { class: "tips-link-map", hidden: true });
  const errBox = h("div", { hidden: true });
  const search = /** @type {HTMLInputElement} */ (h("input", { id: "tips-biz-q", type: "search", placeholder: t("tips.linkSearchPlaceholder"), autocomplete: "off" }));
  const place = /** @type {HTMLInputElement} */ (h("input", { id: "tips-place", maxlength: 300, value: "" }));
  /** @type {Business[]} */
  let found = [];
  /** @type {{update: (pts: any[], o?: any) => void} | null} */
  let map = null;
  const showPicked = () => {
    picked.replaceChildren();
    if (chosen) {
      picked.append(t("tips.linkPicked", { name: chosen.name }), " ",
        h("button", { type: "button", class: "link", onclick: () => { chosen = null; showPicked(); drawMap(); } }, t("tips.linkClear")));
    } else if (current) {
      picked.append(h("span", { class: "muted" }, t("tips.linkKeep") + ": " + current.name));
    }
    for (const b of results.querySelectorAll("button[data-biz]")) b.setAttribute("aria-pressed", String(!!chosen && /** @type {HTMLElement} */ (b).dataset.biz === chosen.id));
  };
  const choose = (b) => { chosen = b; showPicked(); drawMap(); };
  const drawMap = () => {
    if (!found.length) {
      mapBox.hidden = true;
      return;
    }
    mapBox.hidden = false;
    /** @type {import("../../../shared/js/map.js").MapPoint[]} */
    const pts = found.map((b, i) => ({ id: b.id, lat: b.lat, lon: b.lon, label: String(i + 1), title: `${b.name} — ${b.address}` }));
    if (tip.lat != null && tip.lon != null) pts.push({ id: "tip", lat: tip.lat, lon: tip.lon, label: "!", title: t("tips.mapTip"), colour: "#b3141b" });
    const opts = { label: t("tips.linkMapHint"), selected: chosen ? chosen.id : undefined, onSelect: (p) => { const b = found.find(x => x.id === p.id); if (b) choose(b); } };
    if (map) map.update(pts, opts);
    else map = pointMap(mapBox, pts, opts);
  };
  const show = async (path) => {
    errBox.hidden = true;
    results.replaceChildren(h("p", { class: "muted" }, t("loading")));
    try {
      found = (await ctx.api.get(path)).items || [];
    } catch (ex) {
      found = [];
      results.replaceChildren();
      ctx.showError(errBox, ex, { q: t("tips.linkSearch") });
      drawMap();
      return;
    }
    results.replaceChildren(found.length ? h("ol", { class: "tips-biz-list" }, found.map((b, i) => h("li", {},
      h("button", { type: "button", class: "secondary tips-biz", dataset: { biz: b.id }, "aria-pressed": "false", onclick: () => choose(b) },
        h("span", { class: "tips-biz-n" }, String(i + 1)),
        h("span", {}, h("b", {}, b.name), h("br", {}), h("small", {}, [b.address, ref.label("category", b.category), b.distance_m != null ? fmt.distance(b.distance_m) : ""].filter(Boolean).join(" · "))))))) :
      h("p", { class: "muted" }, t("tips.linkNoneFound")));
    showPicked();
    drawMap();
  };
  const find = () => { if (search.value.trim()) show("/api/v1/businesses" + query({ q: search.value.trim(), limit: 8 })); };
  search.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); find(); } });
  const near = tip.lat != null && tip.lon != null ?
    h("button", { type: "button", class: "secondary", id: "tips-biz-near", onclick: () => show("/api/v1/businesses" + query({ near: `${tip.lat},${tip.lon}`, radius_m: 500, limit: 12 })) }, t("tips.linkNear")) : null;
  showPicked();
  const el = h("fieldset", { class: "tips-link" },
    h("legend", {}, t("tips.linkTitle")),
    picked,
    h("label", { for: "tips-biz-q" }, t("tips.linkSearch")),
    h("div", { class: "tips-search" }, search, h("button", { type: "button", class: "secondary", id: "tips-biz-find", onclick: find }, t("tips.linkFind"))),
    near, errBox, results, mapBox,
    h("div", { class: "tips-field" }, h("label", { for: "tips-place" }, t("tips.linkPlace")), place, h("small", { class: "muted" }, t("tips.linkPlaceHint"))));
  return {
    el,
    value: () => {
      const v = {};
      if (chosen) v.business_id = chosen.id;
      if (place.value.trim()) v.place = place.value.trim();
      return v;
    },
  };
}

/**
 * similarCard shows the tip beside each similar tip, with a merge button under each.
 * @param {DeskContext} ctx @param {Tip} tip @param {Tip[]} similar @param {() => void} reload
 */
function similarCard(ctx, tip, similar, reload) {
  const { t, ref, fmt } = ctx;
  const card = h("section", { class: "card tips-similar" }, h("h2", {}, t("tips.similarTitle")), h("p", { class: "muted" }, t("tips.similarIntro")));
  if (!similar.length) {
    card.append(h("p", { class: "muted" }, t("tips.similarNone")));
    return card;
  }
  const summary = (x, heading) => h("div", { class: "tips-sim-tip" },
    h("h3", {}, heading),
    h("p", { class: "muted" }, t("tips.received", { time: fmt.dateTime(x.received_at) })),
    h("p", {}, h("span", { class: "badge tip-status" }, ref.label("tip_status", x.status)), " ", h("span", { class: "badge " + severityClass(x.severity) }, ref.label("tip_severity", x.severity))),
    h("p", {}, excerpt(x.description, 220)),
    placeText(x) ? h("p", { class: "muted" }, placeText(x)) : null);
  const canMerge = tip.status !== "handled" && tip.status !== "merged";
  for (const s of similar) {
    const errBox = h("div", { hidden: true });
    const open = h("a", { class: "button secondary", href: `#/tips/${encodeURIComponent(s.id)}` }, t("tips.openTip"));
    const merge = canMerge && s.status !== "handled" && s.status !== "merged" ? h("button", { type: "button", class: "tips-merge", dataset: { into: s.id } }, t("tips.merge")) : null;
    if (merge) {
      merge.addEventListener("click", async () => {
        if (!window.confirm(t("tips.mergeConfirm"))) return;
        errBox.hidden = true;
        merge.setAttribute("disabled", "");
        try {
          await ctx.api.post(`/api/v1/tips/${encodeURIComponent(tip.id)}/merge`, { into: s.id, version: tip.version });
          await reload();
        } catch (ex) {
          merge.removeAttribute("disabled");
          ctx.showError(errBox, ex, { into: t("tips.similarTitle") });
        }
      });
    }
    card.append(h("div", { class: "tips-compare" },
      summary(tip, t("tips.thisTip")),
      h("div", {}, summary(s, t("tips.title", { time: fmt.dateTime(s.received_at) })), h("div", { class: "tips-actions" }, open, merge), errBox)));
  }
  return card;
}

/** @type {import("../main.js").Desk} */
export default {
  id: "tips",
  roles: ["tip_officer"],
  nav: { vi: "Tin báo", en: "Tips" },
  messages,
  async render(el, ctx) {
    if (ctx.path.length) await renderTip(el, ctx, ctx.path[0]);
    else await renderQueue(el, ctx);
  },
};
