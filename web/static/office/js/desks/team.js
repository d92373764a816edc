// @ts-check
// The team lead's desk: the team's day (#/team, #/team/day/DATE), its week by day
// (#/team/week, #/team/week/DATE) and its inspections to review (#/team/review, one at
// #/team/review/ID). Planners and admins pick a team (#/team) and read its day and week
// (#/team/t/TEAM, #/team/t/TEAM/day/DATE, #/team/t/TEAM/week/DATE). Every code on screen is named by the reference tables (ref.label) or by
// this desk's messages.

import { h } from "../../../shared/js/dom.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, name: string, address: string, category: string}} StopBusiness
 * @typedef {{task_id: string, reason: string, status: string, window_start: string, window_end: string}} Queued
 * @typedef {{task_id: string, route_order: number, reason: string, status: string, business: StopBusiness | null,
 *   state: string, outcome: string, why: string, inspection_id: string, queued: Queued[]}} Stop
 * @typedef {{day: string, hidden: boolean, planned: number, done: number, missed: number, open: number, not_visited: number,
 *   outcomes: Record<string, number>, not_visited_why: Record<string, number>, follow_ups: number, stops: Stop[]}} WorkDay
 * @typedef {{team_id: string, from: string, to: string, today: string, days: WorkDay[]}} Week
 * @typedef {{code: string, severity: string, note: string}} Finding
 * @typedef {{id: string, inspection_id: string, version: number, note: string, reviewed_by: string, reviewed_at: string}} Review
 * @typedef {{id: string, latest_id: string, version: number, task_id: string | null, business: StopBusiness | null, finished_at: string,
 *   outcome: string, created_by: string, findings: Finding[], photos: number, flags: string[], check_flags: string[],
 *   reviewed: boolean, review: Review | null}} Item
 */

const messages = {
  vi: {
    teamNav: "Tổ của tôi",
    teamToday: "Hôm nay",
    teamWeekTab: "Tuần",
    teamReviewTab: "Cần xem xét",
    teamTabs: "Các trang của tổ",
    teamNoTeam: "Tài khoản của bạn không thuộc tổ công tác nào.",
    teamAll: "‹ Các tổ",
    teamAllTitle: "Công việc của các tổ",
    teamAllIntro: "Chọn một tổ để xem ngày làm việc và tuần của tổ: các cơ sở được giao, đã kiểm tra và còn chờ.",
    teamAllNone: "Chưa có tổ công tác nào.",
    teamAllUnits: "Toàn thành phố",
    teamColTeam: "Tổ",
    teamColUnits: "Địa bàn",
    teamColCapacity: "Năng lực mỗi tuần (lượt)",
    teamDayTitle: "Ngày làm việc của tổ {team}",
    teamProgress: "Đã kiểm tra {done} trên {planned} cơ sở được giao",
    teamProgressDetail: "{missed} không kiểm tra được · {open} còn chờ · {notVisited} không đến",
    teamNoStops: "Tổ không được giao cơ sở nào trong ngày này.",
    teamHiddenDay: "Chưa đến ngày này: nhiệm vụ của tổ chỉ hiện từ ngày thực hiện.",
    teamPrevDay: "‹ Ngày trước",
    teamNextDay: "Ngày sau ›",
    teamPrevWeek: "‹ Tuần trước",
    teamNextWeek: "Tuần sau ›",
    teamColOrder: "TT",
    teamColBusiness: "Cơ sở",
    teamColReason: "Lý do đến",
    teamColStatus: "Trạng thái",
    teamColResult: "Kết quả",
    teamColFollowUps: "Việc tiếp theo",
    teamStateDone: "Đã kiểm tra",
    teamStateMissed: "Không kiểm tra được",
    teamStateOpen: "Còn chờ",
    teamStateNotVisited: "Không đến",
    teamWhyNotReached: "Hết ngày chưa đến kịp, đã trả về danh sách chờ",
    teamWhyCancelled: "Nhiệm vụ đã hủy",
    teamWhyReassigned: "Đã giao cho tổ khác",
    teamQueued: "{reason}: từ {from} đến {to} ({status})",
    teamNone: "—",
    teamWeekTitle: "Tuần {from} – {to}",
    teamColDay: "Ngày",
    teamColPlanned: "Được giao",
    teamColDone: "Đã kiểm tra",
    teamColMissed: "Không kiểm tra được",
    teamColOpen: "Còn chờ",
    teamColNotVisited: "Không đến",
    teamColOutcomes: "Kết quả",
    teamColWhy: "Lý do không đến",
    teamWeekTotal: "Cả tuần",
    teamNotYet: "Chưa đến ngày",
    teamOpenDay: "Xem ngày",
    teamReviewTitle: "Kết quả kiểm tra cần xem xét",
    teamReviewPeriod: "Từ {from} đến {to}",
    teamReviewFrom: "Từ ngày",
    teamReviewTo: "Đến ngày",
    teamReviewShow: "Xem",
    teamReviewSummary: "{toReview} kết quả chưa xem xét · {flagged} có điểm cần chú ý · {total} kết quả",
    teamReviewEmpty: "Không có kết quả kiểm tra nào trong khoảng thời gian này.",
    teamColFinished: "Thời gian",
    teamColFlags: "Cần chú ý",
    teamColReview: "Xem xét",
    teamFlagViolation: "Có vi phạm",
    teamFlagOffSite: "Không điểm danh tại cơ sở",
    teamFlagAmended: "Đã sửa kết quả",
    teamFlagNoPhotos: "Không có ảnh",
    teamReviewedBy: "Đã xem: {who}, {when}",
    teamReviewedOlder: "Đã xem phiên bản {version}; đã sửa sau đó",
    teamNotReviewed: "Chưa xem",
    teamOpen: "Mở",
    teamBack: "‹ Danh sách",
    teamDetailTitle: "Kết quả kiểm tra: {business}",
    teamVersion: "Phiên bản {version}",
    teamFinishedAt: "Kết thúc lúc",
    teamBy: "Người gửi",
    teamOutcome: "Kết quả",
    teamFindings: "Vi phạm phát hiện",
    teamPropose: "Đề xuất xử phạt",
    teamNoFindings: "Không phát hiện vi phạm.",
    teamAnswers: "Câu trả lời trong phiếu kiểm tra",
    teamNoAnswers: "Phiếu không có câu trả lời.",
    teamAnswerYes: "Có",
    teamAnswerNo: "Không",
    teamAnswerNa: "Không áp dụng",
    teamNotes: "Ghi chú của tổ",
    teamPhotos: "Ảnh",
    teamPhotosCount: "{n} ảnh",
    teamCheckFlags: "Ghi nhận của hệ thống",
    teamAmendments: "Các lần sửa",
    teamAmendedAt: "Sửa lúc {when} bởi {who}: {outcome}",
    teamReviewNote: "Ghi chú xem xét",
    teamReviewSubmit: "Đánh dấu đã xem xét",
    teamReviewSaving: "Đang lưu…",
    teamReviewSaved: "Đã đánh dấu đã xem xét.",
    teamSeverity: "mức {severity}",
  },
  en: {
    teamNav: "My team",
    teamToday: "Today",
    teamWeekTab: "Week",
    teamReviewTab: "To review",
    teamTabs: "The team's pages",
    teamNoTeam: "Your account is not a member of a team.",
    teamAll: "‹ All teams",
    teamAllTitle: "The teams' work",
    teamAllIntro: "Choose a team to see its day and its week: the businesses assigned, inspected and still waiting.",
    teamAllNone: "There are no teams yet.",
    teamAllUnits: "The whole city",
    teamColTeam: "Team",
    teamColUnits: "Units",
    teamColCapacity: "Weekly capacity (visits)",
    teamDayTitle: "The day of {team}",
    teamProgress: "{done} of {planned} assigned businesses inspected",
    teamProgressDetail: "{missed} could not be inspected · {open} still to visit · {notVisited} not visited",
    teamNoStops: "The team was given no business that day.",
    teamHiddenDay: "This day has not begun: the team's visits show from their day.",
    teamPrevDay: "‹ Previous day",
    teamNextDay: "Next day ›",
    teamPrevWeek: "‹ Previous week",
    teamNextWeek: "Next week ›",
    teamColOrder: "No.",
    teamColBusiness: "Business",
    teamColReason: "Why visited",
    teamColStatus: "Status",
    teamColResult: "Result",
    teamColFollowUps: "What follows",
    teamStateDone: "Inspected",
    teamStateMissed: "Could not be inspected",
    teamStateOpen: "Still to visit",
    teamStateNotVisited: "Not visited",
    teamWhyNotReached: "The day ended first; back in the queue",
    teamWhyCancelled: "The visit was cancelled",
    teamWhyReassigned: "Given to another team",
    teamQueued: "{reason}: {from} to {to} ({status})",
    teamNone: "—",
    teamWeekTitle: "Week {from} – {to}",
    teamColDay: "Day",
    teamColPlanned: "Assigned",
    teamColDone: "Inspected",
    teamColMissed: "Could not inspect",
    teamColOpen: "Still to visit",
    teamColNotVisited: "Not visited",
    teamColOutcomes: "Results",
    teamColWhy: "Why not visited",
    teamWeekTotal: "Whole week",
    teamNotYet: "Not yet",
    teamOpenDay: "Open the day",
    teamReviewTitle: "Inspections to review",
    teamReviewPeriod: "From {from} to {to}",
    teamReviewFrom: "From",
    teamReviewTo: "To",
    teamReviewShow: "Show",
    teamReviewSummary: "{toReview} not reviewed · {flagged} worth a look · {total} results",
    teamReviewEmpty: "No inspections in this period.",
    teamColFinished: "When",
    teamColFlags: "Worth a look",
    teamColReview: "Review",
    teamFlagViolation: "Violations found",
    teamFlagOffSite: "No check-in at the business",
    teamFlagAmended: "Result corrected",
    teamFlagNoPhotos: "No photos",
    teamReviewedBy: "Reviewed: {who}, {when}",
    teamReviewedOlder: "Version {version} reviewed; corrected since",
    teamNotReviewed: "Not reviewed",
    teamOpen: "Open",
    teamBack: "‹ The list",
    teamDetailTitle: "Inspection: {business}",
    teamVersion: "Version {version}",
    teamFinishedAt: "Finished",
    teamBy: "Sent by",
    teamOutcome: "Result",
    teamFindings: "Violations found",
    teamPropose: "Propose a sanction",
    teamNoFindings: "No violation found.",
    teamAnswers: "Checklist answers",
    teamNoAnswers: "The checklist has no answers.",
    teamAnswerYes: "Yes",
    teamAnswerNo: "No",
    teamAnswerNa: "Not applicable",
    teamNotes: "The team's notes",
    teamPhotos: "Photos",
    teamPhotosCount: "{n} photo(s)",
    teamCheckFlags: "Noted by the system",
    teamAmendments: "Corrections",
    teamAmendedAt: "Corrected {when} by {who}: {outcome}",
    teamReviewNote: "Review note",
    teamReviewSubmit: "Mark reviewed",
    teamReviewSaving: "Saving…",
    teamReviewSaved: "Marked reviewed.",
    teamSeverity: "{severity}",
  },
};

const STATE_KEYS = { done: "teamStateDone", missed: "teamStateMissed", open: "teamStateOpen", not_visited: "teamStateNotVisited" };
const STATE_BADGE = { done: "team-flag-ok", missed: "team-flag-warn", open: "team-flag-open", not_visited: "team-flag-bad" };
const WHY_KEYS = { not_reached: "teamWhyNotReached", cancelled: "teamWhyCancelled", reassigned: "teamWhyReassigned" };
const FLAG_KEYS = { violation: "teamFlagViolation", off_site: "teamFlagOffSite", amended: "teamFlagAmended", no_photos: "teamFlagNoPhotos" };
const ANSWER_KEYS = { yes: "teamAnswerYes", no: "teamAnswerNo", na: "teamAnswerNa" };
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** @param {string} iso @param {number} n */
function addDays(iso, n) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * why names the reason a stop was not visited, or a failed visit's outcome.
 * @param {DeskContext} ctx @param {Stop} s
 */
function whyText(ctx, s) {
  if (!s.why) return "";
  return WHY_KEYS[s.why] ? ctx.t(WHY_KEYS[s.why]) : ctx.ref.label("outcome", s.why);
}

/**
 * tabs are the team's screens; a planner (team.base names the team in the route) reads the day
 * and the week, and reviews are the team lead's.
 * @param {DeskContext} ctx @param {any} team @param {string} active
 */
function tabs(ctx, team, active) {
  const t = ctx.t;
  const link = (id, hash, label) => h("a", { href: hash, class: id === active ? "active" : "", "aria-current": id === active ? "page" : null }, label);
  return h("nav", { class: "team-tabs", "aria-label": t("teamTabs") },
    team.lead ? null : h("a", { href: "#/team", id: "team-all" }, t("teamAll")),
    link("day", team.base, t("teamToday")), link("week", `${team.base}/week`, t("teamWeekTab")),
    team.lead ? link("review", "#/team/review", t("teamReviewTab")) : null);
}

/** @param {DeskContext} ctx @param {string} date */
async function loadWeek(ctx, teamID, date) {
  const q = date ? `?date=${encodeURIComponent(date)}` : "";
  return /** @type {Promise<Week>} */ (ctx.api.get(`/api/v1/teams/${encodeURIComponent(teamID)}/week${q}`));
}

/**
 * The day: the progress line and the stops.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function renderDay(el, ctx, team, date) {
  const t = ctx.t, fmt = ctx.fmt, ref = ctx.ref;
  const week = await loadWeek(ctx, team.id, date);
  const dayISO = date || week.today;
  const day = week.days.find(d => d.day === dayISO) || week.days[0];
  ctx.setTitle(`${t("teamToday")} · ${team.name}`);
  const prev = addDays(day.day, -1), next = addDays(day.day, 1);
  const navRow = h("div", { class: "row team-daynav" },
    h("a", { class: "button secondary", href: `${team.base}/day/${prev}` }, t("teamPrevDay")),
    h("b", { class: "grow team-dayname" }, fmt.weekday(day.day)),
    next <= week.today ? h("a", { class: "button secondary", href: `${team.base}/day/${next}` }, t("teamNextDay")) : null);
  const head = h("section", { class: "card" }, h("h1", {}, t("teamDayTitle", { team: team.name })), navRow);
  if (day.hidden) {
    head.append(h("p", { class: "muted" }, t("teamHiddenDay")));
    el.replaceChildren(tabs(ctx, team, "day"), head);
    return;
  }
  const pct = day.planned ? day.done / day.planned : 0;
  head.append(
    h("p", { class: "team-progress", id: "team-progress" }, t("teamProgress", { done: fmt.num(day.done), planned: fmt.num(day.planned) })),
    h("div", { class: "team-bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(day.planned), "aria-valuenow": String(day.done) },
      h("span", { style: { width: `${Math.round(pct * 100)}%` } })),
    h("p", { class: "muted" }, t("teamProgressDetail", { missed: fmt.num(day.missed), open: fmt.num(day.open), notVisited: fmt.num(day.not_visited) })));
  if (!day.stops.length) {
    head.append(h("p", { class: "muted" }, t("teamNoStops")));
    el.replaceChildren(tabs(ctx, team, "day"), head);
    return;
  }
  const rows = day.stops.map(s => {
    const b = s.business;
    const result = s.state === "done" || s.state === "missed"
      ? h("span", {}, ref.label("outcome", s.outcome))
      : h("span", { class: "muted" }, whyText(ctx, s) || t("teamNone"));
    const queued = s.queued.length
      ? h("ul", { class: "team-queued" }, s.queued.map(q => h("li", {}, t("teamQueued", {
        reason: ref.label("task_reason", q.reason), from: fmt.date(q.window_start), to: fmt.date(q.window_end), status: ref.label("task_status", q.status),
      }))))
      : h("span", { class: "muted" }, t("teamNone"));
    return h("tr", { dataset: { task: s.task_id, state: s.state } },
      h("td", { "data-label": t("teamColOrder") }, fmt.num(s.route_order)),
      h("td", { "data-label": t("teamColBusiness") }, b ? h("div", {}, h("b", {}, b.name), h("div", { class: "muted" }, ref.label("category", b.category), " · ", b.address)) : t("teamNone")),
      h("td", { "data-label": t("teamColReason") }, ref.label("task_reason", s.reason)),
      h("td", { "data-label": t("teamColStatus") }, h("span", { class: `team-flag ${STATE_BADGE[s.state] || ""}` }, t(STATE_KEYS[s.state] || "teamNone")),
        // The task's status now, when it says more than the day's state (released again, cancelled).
        ref.label("task_status", s.status) !== t(STATE_KEYS[s.state] || "teamNone") ? h("div", { class: "muted small" }, ref.label("task_status", s.status)) : null),
      h("td", { "data-label": t("teamColResult") }, result),
      h("td", { "data-label": t("teamColFollowUps") }, queued));
  });
  const table = h("div", { class: "table-wrap" }, h("table", { class: "team-stops stack" },
    h("thead", {}, h("tr", {}, ["teamColOrder", "teamColBusiness", "teamColReason", "teamColStatus", "teamColResult", "teamColFollowUps"].map(k => h("th", { scope: "col" }, t(k))))),
    h("tbody", {}, rows)));
  el.replaceChildren(tabs(ctx, team, "day"), head, h("section", { class: "card" }, table));
}

/**
 * The week as a table by day.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function renderWeek(el, ctx, team, date) {
  const t = ctx.t, fmt = ctx.fmt, ref = ctx.ref;
  const week = await loadWeek(ctx, team.id, date);
  ctx.setTitle(`${t("teamWeekTab")} · ${team.name}`);
  const nextMonday = addDays(week.to, 1);
  const navRow = h("div", { class: "row team-daynav" },
    h("a", { class: "button secondary", href: `${team.base}/week/${addDays(week.from, -7)}` }, t("teamPrevWeek")),
    h("span", { class: "grow" }),
    nextMonday <= week.today ? h("a", { class: "button secondary", href: `${team.base}/week/${nextMonday}` }, t("teamNextWeek")) : null);
  // countList lists the non-zero counts of a map of codes, each named by name(code).
  const countList = (m, name) => {
    const entries = Object.entries(m).filter(([, n]) => n > 0);
    return entries.length
      ? h("ul", { class: "team-counts" }, entries.map(([code, n]) => h("li", {}, `${name(code)}: ${fmt.num(n)}`)))
      : h("span", { class: "muted" }, t("teamNone"));
  };
  const outcomeList = (m) => countList(m, code => ref.label("outcome", code));
  const whyList = (m) => countList(m, code => (WHY_KEYS[code] ? t(WHY_KEYS[code]) : ref.label("outcome", code)));
  const total = { planned: 0, done: 0, missed: 0, open: 0, not_visited: 0, follow_ups: 0, outcomes: {}, why: {} };
  const rows = week.days.map(d => {
    const dayCell = h("td", { "data-label": t("teamColDay") }, d.hidden ? fmt.weekday(d.day) : h("a", { href: `${team.base}/day/${d.day}` }, fmt.weekday(d.day)));
    if (d.hidden) {
      return h("tr", { class: "muted", dataset: { day: d.day } }, dayCell, h("td", { colspan: "8" }, t("teamNotYet")));
    }
    for (const k of ["planned", "done", "missed", "open", "not_visited", "follow_ups"]) total[k] += d[k];
    for (const [c, n] of Object.entries(d.outcomes)) total.outcomes[c] = (total.outcomes[c] || 0) + n;
    for (const [c, n] of Object.entries(d.not_visited_why)) total.why[c] = (total.why[c] || 0) + n;
    return h("tr", { dataset: { day: d.day } }, dayCell,
      h("td", { "data-label": t("teamColPlanned") }, fmt.num(d.planned)),
      h("td", { "data-label": t("teamColDone") }, fmt.num(d.done)),
      h("td", { "data-label": t("teamColMissed") }, fmt.num(d.missed)),
      h("td", { "data-label": t("teamColOpen") }, fmt.num(d.open)),
      h("td", { "data-label": t("teamColNotVisited") }, fmt.num(d.not_visited)),
      h("td", { "data-label": t("teamColOutcomes") }, outcomeList(d.outcomes)),
      h("td", { "data-label": t("teamColWhy") }, whyList(d.not_visited_why)),
      h("td", { "data-label": t("teamColFollowUps") }, fmt.num(d.follow_ups)));
  });
  const foot = h("tr", { class: "team-total" }, h("th", { scope: "row", "data-label": "" }, t("teamWeekTotal")),
    h("td", { "data-label": t("teamColPlanned") }, fmt.num(total.planned)),
    h("td", { "data-label": t("teamColDone") }, fmt.num(total.done)),
    h("td", { "data-label": t("teamColMissed") }, fmt.num(total.missed)),
    h("td", { "data-label": t("teamColOpen") }, fmt.num(total.open)),
    h("td", { "data-label": t("teamColNotVisited") }, fmt.num(total.not_visited)),
    h("td", { "data-label": t("teamColOutcomes") }, outcomeList(total.outcomes)),
    h("td", { "data-label": t("teamColWhy") }, whyList(total.why)),
    h("td", { "data-label": t("teamColFollowUps") }, fmt.num(total.follow_ups)));
  const table = h("div", { class: "table-wrap" }, h("table", { class: "team-week stack", id: "team-week" },
    h("thead", {}, h("tr", {}, ["teamColDay", "teamColPlanned", "teamColDone", "teamColMissed", "teamColOpen", "teamColNotVisited", "teamColOutcomes", "teamColWhy", "teamColFollowUps"].map(k => h("th", { scope: "col" }, t(k))))),
    h("tbody", {}, rows), h("tfoot", {}, foot)));
  el.replaceChildren(tabs(ctx, team, "week"), h("section", { class: "card" },
    h("h1", {}, t("teamWeekTitle", { from: fmt.date(week.from), to: fmt.date(week.to) })), navRow, table));
}

/** @param {DeskContext} ctx @param {Item} it @param {(username: string) => string} [who] */
function reviewText(ctx, it, who = (u) => u) {
  if (it.reviewed && it.review) return ctx.t("teamReviewedBy", { who: who(it.review.reviewed_by), when: ctx.fmt.dateTime(it.review.reviewed_at) });
  if (it.review) return ctx.t("teamReviewedOlder", { version: it.review.version });
  return ctx.t("teamNotReviewed");
}

/** @param {DeskContext} ctx @param {string[]} flags */
function flagBadges(ctx, flags) {
  if (!flags.length) return h("span", { class: "muted" }, ctx.t("teamNone"));
  return h("span", { class: "team-flags" }, flags.map(f => h("span", { class: `team-flag ${f === "violation" ? "team-flag-bad" : "team-flag-warn"}` }, ctx.t(FLAG_KEYS[f] || "teamNone"))));
}

/**
 * The inspections to review.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function renderReviewList(el, ctx, team) {
  const t = ctx.t, fmt = ctx.fmt, ref = ctx.ref;
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const q = new URLSearchParams();
  for (const k of ["from", "to"]) if (ISO_DAY.test(params.get(k) || "")) q.set(k, params.get(k));
  ctx.setTitle(`${t("teamReviewTab")} · ${team.name}`);
  const card = h("section", { class: "card" }, h("h1", {}, t("teamReviewTitle")));
  el.replaceChildren(tabs(ctx, team, "review"), card);
  const errBox = h("div", { hidden: true });
  /** @type {any} */
  let list;
  try {
    list = await ctx.api.get(`/api/v1/teams/${encodeURIComponent(team.id)}/inspections${q.toString() ? "?" + q : ""}`);
  } catch (ex) {
    ctx.showError(errBox, ex, { from: t("teamReviewFrom"), to: t("teamReviewTo") });
    card.append(errBox);
    return;
  }
  const from = h("input", { type: "date", id: "team-review-from", value: list.from, max: list.to });
  const to = h("input", { type: "date", id: "team-review-to", value: list.to });
  const form = h("form", { class: "row team-period", onsubmit: (e) => {
    e.preventDefault();
    ctx.go(`#/team/review?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`);
  } },
  h("div", {}, h("label", { for: "team-review-from" }, t("teamReviewFrom")), from),
  h("div", {}, h("label", { for: "team-review-to" }, t("teamReviewTo")), to),
  h("button", { type: "submit", class: "secondary" }, t("teamReviewShow")));
  /** @type {Item[]} */
  const items = list.items;
  card.append(form, h("p", { id: "team-review-summary" }, t("teamReviewSummary", { toReview: fmt.num(list.to_review), flagged: fmt.num(list.flagged), total: fmt.num(items.length) })));
  if (!items.length) {
    card.append(h("p", { class: "muted" }, t("teamReviewEmpty")));
    return;
  }
  const rows = items.map(it => h("tr", { dataset: { inspection: it.id, reviewed: String(it.reviewed) }, class: it.reviewed ? "team-reviewed" : "" },
    h("td", { "data-label": t("teamColFinished") }, fmt.dateTime(it.finished_at)),
    h("td", { "data-label": t("teamColBusiness") }, it.business ? h("div", {}, h("b", {}, it.business.name), h("div", { class: "muted" }, it.business.address)) : t("teamNone")),
    h("td", { "data-label": t("teamColResult") }, ref.label("outcome", it.outcome),
      it.findings.length ? h("div", { class: "muted" }, it.findings.map(f => ref.label("violation", f.code)).join("; ")) : null),
    h("td", { "data-label": t("teamColFlags") }, flagBadges(ctx, it.flags)),
    h("td", { "data-label": t("teamColReview") }, h("span", { class: it.reviewed ? "" : "muted" }, reviewText(ctx, it, team.who))),
    h("td", {}, h("a", { class: "button secondary", href: `#/team/review/${encodeURIComponent(it.id)}` }, t("teamOpen")))));
  card.append(h("div", { class: "table-wrap" }, h("table", { class: "team-review stack", id: "team-review" },
    h("thead", {}, h("tr", {}, ["teamColFinished", "teamColBusiness", "teamColResult", "teamColFlags", "teamColReview"].map(k => h("th", { scope: "col" }, t(k))), h("th", {}))),
    h("tbody", {}, rows))));
}

/**
 * One inspection: its latest answers and findings, and the review mark.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function renderReviewOne(el, ctx, team, id) {
  const t = ctx.t, fmt = ctx.fmt, ref = ctx.ref;
  const orig = await ctx.api.get(`/api/v1/inspections/${encodeURIComponent(id)}`);
  const latestID = orig.amendments.length ? orig.amendments[orig.amendments.length - 1].id : orig.id;
  const latest = latestID === orig.id ? orig : await ctx.api.get(`/api/v1/inspections/${encodeURIComponent(latestID)}`);
  const day = fmt.isoDay(orig.finished_at);
  // The list's row tells the flags and the review of the version shown.
  const list = await ctx.api.get(`/api/v1/teams/${encodeURIComponent(team.id)}/inspections?from=${day}&to=${day}`);
  /** @type {Item | undefined} */
  let item = list.items.find(x => x.id === orig.id);
  const business = item && item.business ? item.business : null;
  let checklist = null;
  if (business) {
    // The questions as the inspection saw them: the checklist version it used.
    const v = latest.checklist_version ? `&version=${encodeURIComponent(String(latest.checklist_version))}` : "";
    try { checklist = await ctx.api.get(`/api/v1/checklists?category=${encodeURIComponent(business.category)}${v}`); } catch { checklist = null; }
  }
  const itemText = (itemID) => {
    const ci = checklist && checklist.items.find(x => x.id === itemID);
    return ci ? (ctx.lang === "en" ? ci.en || ci.vi : ci.vi) : itemID;
  };
  ctx.setTitle(`${t("teamReviewTab")} · ${business ? business.name : ""}`);
  const version = item ? item.version : orig.amendments.length + 1;
  const dl = h("dl", { class: "team-facts" },
    h("dt", {}, t("teamOutcome")), h("dd", {}, ref.label("outcome", latest.outcome), " · ", t("teamVersion", { version })),
    h("dt", {}, t("teamFinishedAt")), h("dd", {}, fmt.dateTime(orig.finished_at)),
    h("dt", {}, t("teamBy")), h("dd", {}, team.who ? team.who(orig.created_by) : orig.created_by),
    h("dt", {}, t("teamColFlags")), h("dd", {}, flagBadges(ctx, item ? item.flags : [])),
    h("dt", {}, t("teamPhotos")), h("dd", {}, t("teamPhotosCount", { n: fmt.num(item ? item.photos : orig.photos.length) })),
    latest.flags.length ? [h("dt", {}, t("teamCheckFlags")), h("dd", {}, latest.flags.map(f => ref.label("flag", f)).join("; "))] : null,
    latest.notes ? [h("dt", {}, t("teamNotes")), h("dd", {}, latest.notes)] : null);
  const findings = latest.findings.length
    ? h("ul", { class: "team-findings" }, latest.findings.map(f => h("li", {}, h("b", {}, ref.label("violation", f.code)),
      f.severity ? ` (${t("teamSeverity", { severity: ref.label("severity", f.severity) })})` : "", f.note ? ` — ${f.note}` : "")))
    : h("p", { class: "muted" }, t("teamNoFindings"));
  const answers = latest.answers.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "team-answers" }, h("tbody", {}, latest.answers.map(a => h("tr", { class: a.answer === "no" ? "team-no" : "" },
      h("td", {}, itemText(a.item_id), a.note ? h("div", { class: "muted" }, a.note) : null),
      h("td", {}, t(ANSWER_KEYS[a.answer] || "teamNone")))))))
    : h("p", { class: "muted" }, t("teamNoAnswers"));
  const amendments = orig.amendments.length
    ? [h("h2", {}, t("teamAmendments")), h("ul", {}, orig.amendments.map(a => h("li", {}, t("teamAmendedAt", { when: fmt.dateTime(a.created_at), who: team.who ? team.who(a.created_by) : a.created_by, outcome: ref.label("outcome", a.outcome) }))))]
    : null;

  const status = h("p", { id: "team-review-status" }, item ? reviewText(ctx, item, team.who) : "");
  const note = h("textarea", { id: "team-review-note", rows: "3", maxlength: "2000" });
  const msg = h("div", { hidden: true });
  const submit = h("button", { type: "submit", id: "team-review-submit" }, t("teamReviewSubmit"));
  const form = h("form", { class: "team-review-form", onsubmit: async (e) => {
    e.preventDefault();
    submit.disabled = true;
    submit.textContent = t("teamReviewSaving");
    msg.hidden = true;
    try {
      item = /** @type {Item} */ (await ctx.api.post(`/api/v1/inspections/${encodeURIComponent(orig.id)}/review`, { note: note.value, version }));
      status.textContent = reviewText(ctx, item, team.who);
      msg.replaceChildren(h("div", { class: "notice", role: "status" }, t("teamReviewSaved")));
      msg.hidden = false;
      form.hidden = true;
    } catch (ex) {
      ctx.showError(msg, ex, { note: t("teamReviewNote"), version: t("teamVersion", { version }) });
    } finally {
      submit.disabled = false;
      submit.textContent = t("teamReviewSubmit");
    }
  } },
  h("label", { for: "team-review-note" }, t("teamReviewNote")), note, submit);
  form.hidden = !!(item && item.reviewed);
  el.replaceChildren(tabs(ctx, team, "review"),
    h("section", { class: "card team-detail" },
      h("a", { href: "#/team/review" }, t("teamBack")),
      h("h1", {}, t("teamDetailTitle", { business: business ? business.name : "" })),
      business ? h("p", { class: "muted" }, ref.label("category", business.category), " · ", business.address) : null,
      dl,
      h("h2", {}, t("teamFindings")), findings,
      business && latest.findings.length
        ? h("p", {}, h("a", { class: "button secondary", id: "team-propose",
          href: `#/sanctions/new?business=${encodeURIComponent(business.id)}&inspection=${encodeURIComponent(latest.id)}` }, t("teamPropose")))
        : null,
      h("h2", {}, t("teamAnswers")), answers,
      amendments),
    h("section", { class: "card" }, h("h2", {}, t("teamColReview")), status, msg, form));
}

/**
 * memberNames maps the team's usernames to the members' names (a failure leaves usernames).
 * @param {import("../main.js").DeskContext} ctx
 * @param {string} teamID
 * @returns {Promise<Map<string, string>>}
 */
async function memberNames(ctx, teamID) {
  try {
    const t = await ctx.api.get(`/api/v1/teams/${encodeURIComponent(teamID)}`);
    return new Map((t.members || []).map(m => [m.username, m.display_name || m.username]));
  } catch {
    return new Map();
  }
}

/**
 * The teams a planner may open, each with its units and weekly capacity.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function renderTeams(el, ctx) {
  const t = ctx.t, fmt = ctx.fmt;
  ctx.setTitle(t("teamAllTitle"));
  const [teams, areas] = await Promise.all([ctx.api.get("/api/v1/teams"), ctx.api.get("/api/v1/areas").catch(() => ({ items: [] }))]);
  const names = new Map((areas.items || []).map(a => [a.code, a.name]));
  const items = (teams.items || []).filter(x => x.active !== false);
  const rows = items.map(x => h("tr", { dataset: { team: x.id } },
    h("td", { "data-label": t("teamColTeam") }, h("a", { href: `#/team/t/${encodeURIComponent(x.id)}` }, x.name)),
    h("td", { "data-label": t("teamColUnits") }, (x.areas || []).map(c => names.get(c) || c).join(", ") || t("teamAllUnits")),
    h("td", { "data-label": t("teamColCapacity"), class: "num" }, fmt.num(x.weekly_capacity || 0))));
  el.replaceChildren(h("section", { class: "card" }, h("h1", {}, t("teamAllTitle")), h("p", { class: "muted" }, t("teamAllIntro")),
    items.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "team-list", id: "team-list" },
        h("thead", {}, h("tr", {}, ["teamColTeam", "teamColUnits", "teamColCapacity"].map(k => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, rows)))
      : h("p", {}, t("teamAllNone"))));
}

/** @type {import("../main.js").Desk} */
export default {
  id: "team",
  roles: ["team_lead", "planner", "admin"],
  nav: { vi: "Việc của tổ", en: "Team work" },
  messages,
  async render(el, ctx) {
    let path = ctx.path, team;
    if (ctx.user.role === "team_lead") {
      team = ctx.me && ctx.me.team ? { ...ctx.me.team, base: "#/team", lead: true } : null;
      if (!team) {
        el.replaceChildren(h("section", { class: "card" }, h("p", {}, ctx.t("teamNoTeam"))));
        return;
      }
    } else {
      // Planners and admins read any team's day and week: #/team/t/ID/...
      if (path[0] !== "t" || !path[1]) return renderTeams(el, ctx);
      const got = await ctx.api.get(`/api/v1/teams/${encodeURIComponent(path[1])}`);
      team = { ...got, base: `#/team/t/${encodeURIComponent(got.id)}`, lead: false };
      path = path.slice(2);
    }
    const [screen, arg] = path;
    const date = arg && ISO_DAY.test(arg) ? arg : "";
    if (screen === "week") return renderWeek(el, ctx, team, date);
    if (screen && screen.startsWith("review")) {
      // Reviews and results name people by their accounts: show the members' names instead.
      const names = await memberNames(ctx, team.id);
      const named = { ...team, who: (/** @type {string} */ u) => names.get(u) || u };
      if (screen === "review" && arg && !arg.includes("?")) return renderReviewOne(el, ctx, named, arg);
      return renderReviewList(el, ctx, named);
    }
    return renderDay(el, ctx, team, screen === "day" ? date : "");
  },
};
