// @ts-check
// The desk of teams and accounts: the teams with their members, agencies, units and weekly
// capacity (#/people), one team's capacity, working days and members (#/people/team/ID), and
// for admins the accounts (#/people/users, #/people/users/new, #/people/users/ID). What a change
// leaves odd (a team without an enabled member, a user whose jurisdiction does not hold their
// team's area) is said before saving; the API's refusals are shown next to their fields.

import { clearErrors, field, showFieldErrors } from "../forms.js";
import { h } from "../../../shared/js/dom.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, username: string, display_name: string, agency: string, role: string, area_code: string,
 *   team_id: string | null, disabled: boolean, version: number}} Person
 * @typedef {{id: string, name: string, level: string, area_code: string, areas: string[] | null, weekly_capacity: number,
 *   working_days: number[], version: number, members: Person[], warnings: string[],
 *   decision_no?: string, decision_date?: string | null, decision_by?: string}} Team
 * @typedef {{code: string, name_vi: string, name_en: string, short_vi: string, active: boolean}} Agency
 * @typedef {{code: string, name: string, type_name: string, level: string, children: AreaNode[]}} AreaNode
 * @typedef {{code: string, name: string, path: string, depth: number}} AreaInfo
 * @typedef {{teams: Team[], users: Person[], agencies: Map<string, Agency>, areas: Map<string, AreaInfo>, areaList: AreaInfo[]}} Data
 */

const messages = {
  vi: {
    peopleNav: "Tổ và tài khoản",
    peopleTabs: "Các trang về tổ và tài khoản",
    peopleTeamsTab: "Tổ công tác",
    peopleUsersTab: "Tài khoản",
    peopleTeamsTitle: "Tổ công tác",
    peopleColTeam: "Tổ",
    peopleColUnits: "Địa bàn phụ trách",
    peopleColMembers: "Thành viên",
    peopleColCapacity: "Năng lực mỗi tuần",
    peopleColDays: "Ngày làm việc",
    peopleColNotes: "Lưu ý",
    peopleCapacityN: "{n} lượt kiểm tra",
    peopleNoMembers: "Chưa có thành viên",
    peopleDisabledMark: "(đã khóa)",
    peopleOpen: "Mở",
    peopleBackTeams: "‹ Danh sách tổ",
    peopleBackUsers: "‹ Danh sách tài khoản",
    peopleTeamTitle: "Tổ: {name}",
    peopleCapacity: "Năng lực mỗi tuần (số lượt kiểm tra)",
    peopleDecision: "Quyết định thành lập đoàn",
    peopleDecisionHint: "Biên bản kiểm tra của tổ ghi căn cứ này. Nhập đủ số, ngày và người ký, hoặc xóa số để bỏ.",
    peopleDecisionNo: "Số quyết định",
    peopleDecisionDate: "Ngày ký",
    peopleDecisionBy: "Người ký (ví dụ Chủ tịch UBND thành phố Cần Thơ)",
    peopleDays: "Ngày làm việc",
    peopleMembers: "Thành viên",
    peopleMembersHint: "Đánh dấu những người thuộc tổ. Chỉ hiện tài khoản đang hoạt động có địa bàn bao gồm địa bàn của tổ; người chưa thuộc tổ nào ở đầu danh sách.",
    peopleAddMembers: "Thêm thành viên ({n} người có thể thêm)",
    peopleFromTeam: "đang ở tổ {team}",
    peopleSave: "Lưu thay đổi",
    peopleSaving: "Đang lưu…",
    peopleSaved: "Đã lưu.",
    peopleNothing: "Không có gì thay đổi.",
    peopleBeforeSave: "Trước khi lưu, xin lưu ý:",
    peopleConfirmSave: "Vẫn lưu",
    peopleCancel: "Thôi",
    peopleWarnNoMembers: "tổ sẽ không còn thành viên nào đang hoạt động và sẽ không được giao nhiệm vụ cho đến khi có thành viên",
    peopleWarnOneAgency: "mọi thành viên cùng một cơ quan: đoàn liên ngành nên có thành viên của ít nhất hai cơ quan",
    peopleWarnEmptied: "tổ {team} sẽ không còn thành viên nào đang hoạt động",
    peopleWarnDropDisabled: "tài khoản của {name} đã bị khóa nên sẽ được bỏ khỏi tổ",
    peopleWarnOutside: "địa bàn {area} không bao gồm địa bàn {teamArea} của tổ {team}: người dùng sẽ không mở được nhiệm vụ của tổ",
    peopleWarnCapacity: "năng lực mỗi tuần giảm từ {from} xuống {to}: kế hoạch có thể thiếu ngày công",
    peopleServerWarnings: "Hệ thống lưu ý:",
    peopleDay1: "Thứ Hai", peopleDay2: "Thứ Ba", peopleDay3: "Thứ Tư", peopleDay4: "Thứ Năm",
    peopleDay5: "Thứ Sáu", peopleDay6: "Thứ Bảy", peopleDay7: "Chủ Nhật",
    peopleDayShort1: "T2", peopleDayShort2: "T3", peopleDayShort3: "T4", peopleDayShort4: "T5",
    peopleDayShort5: "T6", peopleDayShort6: "T7", peopleDayShort7: "CN",
    peopleUsersTitle: "Tài khoản",
    peopleSearch: "Tìm theo tên hoặc tên đăng nhập",
    peopleNewUser: "Tạo tài khoản",
    peopleColName: "Họ tên",
    peopleColRole: "Vai trò",
    peopleColAgency: "Cơ quan",
    peopleColArea: "Địa bàn",
    peopleColStatus: "Trạng thái",
    peopleActive: "Đang hoạt động",
    peopleDisabled: "Đã khóa",
    peopleUserAudit: "Nhật ký thay đổi của tài khoản",
    peopleNoTeam: "Không thuộc tổ nào",
    peopleUsersCount: "{n} tài khoản",
    peopleNoUsers: "Không có tài khoản nào khớp.",
    peopleNewTitle: "Tạo tài khoản mới",
    peopleUserTitle: "Tài khoản: {name}",
    peopleUsername: "Tên đăng nhập",
    peopleUsernameHint: "Chữ thường không dấu, chữ số, dấu chấm hoặc gạch dưới.",
    peopleDisplayName: "Họ tên",
    peopleRole: "Vai trò",
    peopleAgency: "Cơ quan",
    peopleArea: "Địa bàn phụ trách",
    peopleTeam: "Tổ công tác",
    peoplePassword: "Mật khẩu",
    peopleChoose: "— Chọn —",
    peopleCreate: "Tạo tài khoản",
    peopleCreated: "Đã tạo tài khoản {username}.",
    peopleNewPassword: "Mật khẩu của {username}: {password}",
    peoplePasswordOnce: "Mật khẩu chỉ hiện một lần này. Hãy ghi lại và trao tận tay người dùng; họ nên đổi mật khẩu sau khi đăng nhập.",
    peopleOpenUser: "Mở tài khoản này",
    peopleDisable: "Khóa tài khoản",
    peopleEnable: "Mở khóa tài khoản",
    peopleDisabledNow: "Đã khóa tài khoản.",
    peopleEnabledNow: "Đã mở khóa tài khoản.",
    peopleResetPassword: "Đặt lại mật khẩu",
    peopleResetConfirm: "Đặt mật khẩu mới cho {username}? Mật khẩu cũ sẽ không dùng được nữa.",
    peopleResetDone: "Đã đặt lại mật khẩu.",
    peopleStatusLine: "Trạng thái: {status}",
    peopleSelf: "Đây là tài khoản của bạn: bạn không thể tự khóa hay bỏ quyền quản trị của mình.",
  },
  en: {
    peopleNav: "Teams, accounts",
    peopleTabs: "Teams and accounts pages",
    peopleTeamsTab: "Teams",
    peopleUsersTab: "Accounts",
    peopleTeamsTitle: "Teams",
    peopleColTeam: "Team",
    peopleColUnits: "Units served",
    peopleColMembers: "Members",
    peopleColCapacity: "Weekly capacity",
    peopleColDays: "Working days",
    peopleColNotes: "Notes",
    peopleCapacityN: "{n} inspections",
    peopleNoMembers: "No members yet",
    peopleDisabledMark: "(disabled)",
    peopleOpen: "Open",
    peopleBackTeams: "‹ The teams",
    peopleBackUsers: "‹ The accounts",
    peopleTeamTitle: "Team: {name}",
    peopleCapacity: "Weekly capacity (inspections)",
    peopleDecision: "Decision setting up the team",
    peopleDecisionHint: "The team's inspection records cite it as their basis. Enter its number, date and signer, or clear the number to remove it.",
    peopleDecisionNo: "Decision number",
    peopleDecisionDate: "Signed on",
    peopleDecisionBy: "Signed by (for example Chủ tịch UBND thành phố Cần Thơ)",
    peopleDays: "Working days",
    peopleMembers: "Members",
    peopleMembersHint: "Tick the team's members. Only enabled accounts whose jurisdiction holds the team's area are listed; those in no team come first.",
    peopleAddMembers: "Add members ({n} who may join)",
    peopleFromTeam: "now in {team}",
    peopleSave: "Save the changes",
    peopleSaving: "Saving…",
    peopleSaved: "Saved.",
    peopleNothing: "Nothing changed.",
    peopleBeforeSave: "Before saving, note:",
    peopleConfirmSave: "Save anyway",
    peopleCancel: "Cancel",
    peopleWarnNoMembers: "the team will have no enabled member and gets no visits until it has one",
    peopleWarnOneAgency: "every member is of one agency: an interagency team should have members of at least two",
    peopleWarnEmptied: "team {team} will have no enabled member left",
    peopleWarnDropDisabled: "the account of {name} is disabled: they leave the team",
    peopleWarnOutside: "the jurisdiction {area} does not hold {teamArea}, the area of team {team}: the user could not open the team's tasks",
    peopleWarnCapacity: "the weekly capacity goes down from {from} to {to}: the plan may lack team-days",
    peopleServerWarnings: "The system notes:",
    peopleDay1: "Monday", peopleDay2: "Tuesday", peopleDay3: "Wednesday", peopleDay4: "Thursday",
    peopleDay5: "Friday", peopleDay6: "Saturday", peopleDay7: "Sunday",
    peopleDayShort1: "Mon", peopleDayShort2: "Tue", peopleDayShort3: "Wed", peopleDayShort4: "Thu",
    peopleDayShort5: "Fri", peopleDayShort6: "Sat", peopleDayShort7: "Sun",
    peopleUsersTitle: "Accounts",
    peopleSearch: "Search by name or username",
    peopleNewUser: "New account",
    peopleColName: "Name",
    peopleColRole: "Role",
    peopleColAgency: "Agency",
    peopleColArea: "Jurisdiction",
    peopleColStatus: "Status",
    peopleActive: "Enabled",
    peopleDisabled: "Disabled",
    peopleUserAudit: "The account's audit log",
    peopleNoTeam: "No team",
    peopleUsersCount: "{n} accounts",
    peopleNoUsers: "No account matches.",
    peopleNewTitle: "New account",
    peopleUserTitle: "Account: {name}",
    peopleUsername: "Username",
    peopleUsernameHint: "Lower-case letters without accents, digits, dots or underscores.",
    peopleDisplayName: "Full name",
    peopleRole: "Role",
    peopleAgency: "Agency",
    peopleArea: "Jurisdiction",
    peopleTeam: "Team",
    peoplePassword: "Password",
    peopleChoose: "— Choose —",
    peopleCreate: "Create the account",
    peopleCreated: "Account {username} created.",
    peopleNewPassword: "Password of {username}: {password}",
    peoplePasswordOnce: "The password is shown this once only. Write it down and hand it to the user; they should change it after signing in.",
    peopleOpenUser: "Open this account",
    peopleDisable: "Disable the account",
    peopleEnable: "Enable the account",
    peopleDisabledNow: "The account is disabled.",
    peopleEnabledNow: "The account is enabled.",
    peopleResetPassword: "Reset the password",
    peopleResetConfirm: "Set a new password for {username}? The old one will stop working.",
    peopleResetDone: "The password was reset.",
    peopleStatusLine: "Status: {status}",
    peopleSelf: "This is your own account: you cannot disable it or give up your admin role.",
  },
};

const ADMIN = "admin";
const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** @param {DeskContext} ctx */
const isAdmin = ctx => ctx.user && ctx.user.role === ADMIN;

/**
 * flattenAreas lists the unit tree in order, each with its path of codes ("/a/b/c/").
 * @param {AreaNode[]} nodes @param {string} parent @param {number} depth @param {AreaInfo[]} out
 */
function flattenAreas(nodes, parent, depth, out) {
  for (const n of nodes || []) {
    const path = `${parent}${n.code}/`;
    out.push({ code: n.code, name: n.type_name && !n.name.startsWith(n.type_name) ? `${n.type_name} ${n.name}` : n.name, path, depth });
    flattenAreas(n.children, path, depth + 1, out);
  }
  return out;
}

/**
 * load reads what every screen of the desk names: teams, accounts (admins), agencies, units.
 * @param {DeskContext} ctx @returns {Promise<Data>}
 */
async function load(ctx) {
  const [teams, users, agencies, areas] = await Promise.all([
    ctx.api.get("/api/v1/teams"),
    isAdmin(ctx) ? ctx.api.get("/api/v1/users") : Promise.resolve({ items: [] }),
    ctx.api.get("/api/v1/agencies"),
    ctx.api.get("/api/v1/areas"),
  ]);
  const areaList = flattenAreas(areas.items, "/", 0, []);
  return {
    teams: teams.items || [],
    users: users.items || [],
    agencies: new Map((agencies.items || []).map(a => [a.code, a])),
    areas: new Map(areaList.map(a => [a.code, a])),
    areaList,
  };
}

/** @param {DeskContext} ctx @param {Data} d @param {string} code */
function agencyName(ctx, d, code) {
  const a = d.agencies.get(code);
  if (!a) return "—";
  return ctx.lang === "en" ? a.name_en || a.name_vi : a.short_vi || a.name_vi;
}

/** @param {Data} d @param {string} code */
const areaName = (d, code) => (d.areas.get(code) || { name: "—" }).name;

/**
 * covers reports whether the unit outer holds (or is) inner, by their paths.
 * @param {Data} d @param {string} outer @param {string} inner
 */
function covers(d, outer, inner) {
  const o = d.areas.get(outer), i = d.areas.get(inner);
  return !!o && !!i && i.path.startsWith(o.path);
}

/** @param {DeskContext} ctx @param {Team} team */
function daysText(ctx, team) {
  return (team.working_days || []).map(n => ctx.t(`peopleDayShort${n}`)).join(", ");
}

/** @param {string} s folds a text for a search: no accents, no case */
const fold = s => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();

/** @param {Person} p */
const personName = p => p.display_name || p.username;

/** @param {DeskContext} ctx @param {string} active */
function tabs(ctx, active) {
  const t = ctx.t;
  const link = (id, hash, label) => h("a", { href: hash, class: id === active ? "active" : "", "aria-current": id === active ? "page" : null }, label);
  return h("nav", { class: "people-tabs", "aria-label": t("peopleTabs") },
    link("teams", "#/people", t("peopleTeamsTab")),
    isAdmin(ctx) ? link("users", "#/people/users", t("peopleUsersTab")) : null);
}




/**
 * confirmBox shows what a change leaves odd and answers whether to go on (in the page: a
 * browser dialog would stop the page's tests and cannot be styled).
 * @param {DeskContext} ctx @param {HTMLElement} el @param {string[]} warnings @returns {Promise<boolean>}
 */
function confirmBox(ctx, el, warnings) {
  const t = ctx.t;
  return new Promise(resolve => {
    const done = ok => { el.replaceChildren(); el.hidden = true; resolve(ok); };
    el.replaceChildren(h("div", { class: "warn people-confirm", role: "alertdialog", "aria-labelledby": "people-confirm-title" },
      h("b", { id: "people-confirm-title" }, t("peopleBeforeSave")),
      h("ul", {}, warnings.map(w => h("li", {}, cap(w)))),
      h("div", { class: "row" },
        h("button", { type: "button", id: "people-confirm-yes", onclick: () => done(true) }, t("peopleConfirmSave")),
        h("button", { type: "button", class: "secondary", id: "people-confirm-no", onclick: () => done(false) }, t("peopleCancel")))));
    el.hidden = false;
    /** @type {HTMLElement | null} */ (el.querySelector("#people-confirm-yes"))?.focus();
  });
}

/** @param {string} s */
const cap = s => (s ? s.charAt(0).toLocaleUpperCase() + s.slice(1) : s);

/** @param {DeskContext} ctx @param {string[]} warnings */
function serverWarnings(ctx, warnings) {
  if (!warnings || !warnings.length) return null;
  return h("div", { class: "warn", id: "people-server-warnings" }, h("b", {}, ctx.t("peopleServerWarnings")),
    h("ul", {}, warnings.map(w => h("li", {}, cap(w)))));
}

/**
 * A strong random password for a new account or a reset, made in the browser from the
 * system's random source (crypto.getRandomValues); the server checks its strength and hashes it.
 * Letters and digits people do not confuse (no 0/O, 1/l/I), in groups of four.
 */
function randomPassword() {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = new Uint8Array(16);
  const out = [];
  while (out.length < 16) {
    crypto.getRandomValues(bytes);
    for (const b of bytes) {
      if (b < 256 - (256 % alphabet.length) && out.length < 16) out.push(alphabet[b % alphabet.length]);
    }
  }
  return [0, 4, 8, 12].map(i => out.slice(i, i + 4).join("")).join("-");
}

/** @param {DeskContext} ctx @param {string} username @param {string} password */
function passwordBox(ctx, username, password) {
  return h("div", { class: "notice people-password", id: "people-password", role: "status" },
    h("p", {}, ctx.t("peopleNewPassword", { username, password: "" }), h("code", { id: "people-password-value" }, password)),
    h("p", { class: "small" }, ctx.t("peoplePasswordOnce")));
}

// ---------------------------------------------------------------------------------------------
// Teams

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Data} d */
function renderTeams(el, ctx, d) {
  const t = ctx.t, fmt = ctx.fmt;
  ctx.setTitle(t("peopleTeamsTitle"));
  const rows = d.teams.map(team => h("tr", { dataset: { team: team.id } },
    h("td", { "data-label": t("peopleColTeam") }, h("a", { href: `#/people/team/${encodeURIComponent(team.id)}` }, team.name),
      (team.warnings || []).map(w => h("div", { class: "badge warn people-warning" }, cap(w)))),
    h("td", { "data-label": t("peopleColUnits") }, (team.areas && team.areas.length ? team.areas : [team.area_code]).map(c => areaName(d, c)).join(", ")),
    h("td", { "data-label": t("peopleColMembers") }, team.members.length
      ? h("ul", { class: "people-members" }, team.members.map(m => h("li", { class: m.disabled ? "people-off" : "" },
        personName(m), h("span", { class: "muted" }, ` (${agencyName(ctx, d, m.agency)})`), m.disabled ? ` ${t("peopleDisabledMark")}` : "")))
      : h("span", { class: "muted" }, t("peopleNoMembers"))),
    h("td", { "data-label": t("peopleColCapacity"), class: "people-capacity" }, t("peopleCapacityN", { n: fmt.num(team.weekly_capacity) }),
      h("div", { class: "muted small" }, daysText(ctx, team)))));
  el.replaceChildren(tabs(ctx, "teams"), h("section", { class: "card" },
    h("h1", {}, t("peopleTeamsTitle")),
    h("table", { class: "stack people-teams", id: "people-teams" },
      h("thead", {}, h("tr", {}, ["peopleColTeam", "peopleColUnits", "peopleColMembers", "peopleColCapacity"].map(k => h("th", {}, t(k))))),
      h("tbody", {}, rows))));
}

/**
 * candidates are who may be a member of team: its members and, for an admin, every enabled
 * account whose jurisdiction holds the team's area (a planner sees the members of the teams).
 * @param {DeskContext} ctx @param {Data} d @param {Team} team @returns {Person[]}
 */
function candidates(ctx, d, team) {
  const byID = new Map();
  for (const m of team.members) byID.set(m.id, m);
  const pool = isAdmin(ctx) ? d.users : d.teams.flatMap(x => x.members);
  for (const u of pool) {
    if (byID.has(u.id) || u.disabled || !covers(d, u.area_code, team.area_code)) continue;
    if (u.role !== "inspector" && u.role !== "team_lead") continue;
    byID.set(u.id, u);
  }
  return [...byID.values()];
}

/**
 * teamWarnings says, before saving, what the new member list and capacity leave odd: the team
 * without an enabled member, of one agency only, the teams the new members leave empty, and a
 * lower capacity.
 * @param {DeskContext} ctx @param {Data} d @param {Team} team @param {Person[] | null} chosen the new members, null when unchanged
 * @param {number} capacity
 */
function teamWarnings(ctx, d, team, chosen, capacity) {
  const t = ctx.t, out = [];
  const enabled = (chosen || []).filter(m => !m.disabled);
  if (chosen && !enabled.length) out.push(t("peopleWarnNoMembers"));
  else if (chosen && new Set(enabled.map(m => m.agency)).size < 2) out.push(t("peopleWarnOneAgency"));
  chosen = chosen || [];
  const left = new Set(chosen.filter(m => m.team_id && m.team_id !== team.id).map(m => /** @type {string} */ (m.team_id)));
  for (const id of left) {
    const other = d.teams.find(x => x.id === id);
    if (!other) continue;
    const stay = other.members.filter(m => !m.disabled && !chosen.some(c => c.id === m.id));
    if (!stay.length) out.push(t("peopleWarnEmptied", { team: other.name }));
  }
  if (capacity < team.weekly_capacity) out.push(t("peopleWarnCapacity", { from: ctx.fmt.num(team.weekly_capacity), to: ctx.fmt.num(capacity) }));
  return out;
}

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Data} d @param {string} id */
function renderTeam(el, ctx, d, id) {
  const t = ctx.t;
  const team = d.teams.find(x => x.id === id);
  if (!team) {
    el.replaceChildren(tabs(ctx, "teams"), h("section", { class: "card" }, h("p", {}, t("notFound"))));
    return;
  }
  ctx.setTitle(t("peopleTeamTitle", { name: team.name }));
  const labels = { weekly_capacity: t("peopleCapacity"), working_days: t("peopleDays"), members: t("peopleMembers"),
    decision_no: t("peopleDecisionNo"), decision_date: t("peopleDecisionDate"), decision_by: t("peopleDecisionBy") };
  const fields = { weekly_capacity: "people-capacity", working_days: "people-days", members: "people-members",
    decision_no: "people-decision-no", decision_date: "people-decision-date", decision_by: "people-decision-by" };
  const decNo = /** @type {HTMLInputElement} */ (h("input", { type: "text", maxlength: "60", value: team.decision_no || "" }));
  const decDate = /** @type {HTMLInputElement} */ (h("input", { type: "date", value: team.decision_date || "" }));
  const decBy = /** @type {HTMLInputElement} */ (h("input", { type: "text", maxlength: "200", value: team.decision_by || "" }));
  const decision = h("fieldset", { class: "people-decision" }, h("legend", {}, t("peopleDecision")),
    h("p", { class: "muted small" }, t("peopleDecisionHint")),
    field("people-field", "people-decision-no", t("peopleDecisionNo"), decNo),
    field("people-field", "people-decision-date", t("peopleDecisionDate"), decDate),
    field("people-field", "people-decision-by", t("peopleDecisionBy"), decBy));
  const capInput = /** @type {HTMLInputElement} */ (h("input", { type: "number", min: "0", step: "1", inputmode: "numeric", value: String(team.weekly_capacity) }));
  const days = h("fieldset", { class: "people-days", id: "people-days" }, h("legend", {}, t("peopleDays")),
    DAYS.map(n => h("label", { class: "people-check" },
      h("input", { type: "checkbox", value: String(n), checked: team.working_days.includes(n) }), t(`peopleDay${n}`))),
    h("div", { class: "field-error", id: "people-days-error", hidden: true }));
  const cands = candidates(ctx, d, team);
  /** @param {Person} u */
  const memberBox = u => {
    const other = u.team_id && u.team_id !== team.id ? d.teams.find(x => x.id === u.team_id) : null;
    return h("label", { class: "people-check", dataset: { search: fold(`${u.display_name} ${u.username}`) } },
      h("input", { type: "checkbox", value: u.id, checked: team.members.some(m => m.id === u.id) }),
      h("span", {}, h("b", {}, personName(u)), h("span", { class: "muted" }, ` · ${ctx.ref.label("role", u.role)} · ${agencyName(ctx, d, u.agency)}`),
        u.disabled ? ` ${t("peopleDisabledMark")}` : "",
        other ? h("span", { class: "muted" }, ` · ${t("peopleFromTeam", { team: other.name })}`) : null));
  };
  const current = cands.filter(u => team.members.some(m => m.id === u.id));
  // Those in no team first: they are the likeliest new members.
  const others = cands.filter(u => !team.members.some(m => m.id === u.id)).sort((a, b) => Number(!!a.team_id) - Number(!!b.team_id));
  const filter = /** @type {HTMLInputElement} */ (h("input", { type: "search", id: "people-member-filter", "aria-label": t("peopleSearch"), placeholder: t("peopleSearch") }));
  const otherList = h("div", { class: "people-memberlist" }, others.map(memberBox));
  filter.addEventListener("input", () => {
    const q = fold(filter.value.trim());
    for (const l of otherList.querySelectorAll("label")) /** @type {HTMLElement} */ (l).hidden = !!q && !(/** @type {HTMLElement} */ (l).dataset.search || "").includes(q);
  });
  const members = h("fieldset", { class: "people-members-set", id: "people-members" }, h("legend", {}, t("peopleMembers")),
    h("div", { class: "people-memberlist" }, current.map(memberBox)),
    others.length ? h("details", { id: "people-add" }, h("summary", {}, t("peopleAddMembers", { n: ctx.fmt.num(others.length) })),
      h("p", { class: "muted small" }, t("peopleMembersHint")), filter, otherList) : null,
    h("div", { class: "field-error", id: "people-members-error", hidden: true }));
  const confirmEl = h("div", { id: "people-confirm", hidden: true });
  const general = h("div", { id: "people-error", hidden: true });
  const status = h("div", { id: "people-status", role: "status" });
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "people-save" }, t("peopleSave")));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "people-form", id: "people-team-form", novalidate: true },
    field("people-field", "people-capacity", t("peopleCapacity"), capInput), days, decision, members, confirmEl, general, h("div", { class: "row" }, save), status));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    status.replaceChildren();
    const capacity = capInput.value.trim() === "" ? NaN : Number(capInput.value);
    const wd = [...days.querySelectorAll("input:checked")].map(i => Number(/** @type {HTMLInputElement} */ (i).value));
    const ids = [...members.querySelectorAll("input:checked")].map(i => /** @type {HTMLInputElement} */ (i).value);
    /** @type {Record<string, any>} */
    const body = { version: team.version };
    if (capacity !== team.weekly_capacity) body.weekly_capacity = Number.isFinite(capacity) ? capacity : -1;
    if (wd.join(",") !== team.working_days.join(",")) body.working_days = wd;
    if (decNo.value.trim() !== (team.decision_no || "")) body.decision_no = decNo.value.trim();
    // An emptied date is sent as "", which removes it: the API then names it if the number stays.
    if (decDate.value !== (team.decision_date || "")) body.decision_date = decDate.value;
    if (decBy.value.trim() !== (team.decision_by || "")) body.decision_by = decBy.value.trim();
    const same = ids.length === team.members.length && ids.every(i => team.members.some(m => m.id === i));
    // A new member list may not name a disabled account (the API refuses it): they leave the team.
    const dropped = same ? [] : cands.filter(u => u.disabled && ids.includes(u.id));
    if (!same) body.members = ids.filter(i => !dropped.some(u => u.id === i));
    if (Object.keys(body).length === 1) {
      status.replaceChildren(h("p", { class: "muted" }, t("peopleNothing")));
      return;
    }
    const chosen = same ? null : cands.filter(u => ids.includes(u.id));
    const warnings = [...dropped.map(u => t("peopleWarnDropDisabled", { name: personName(u) })),
      ...teamWarnings(ctx, d, team, chosen, Number.isFinite(capacity) ? capacity : team.weekly_capacity)];
    if (warnings.length && !(await confirmBox(ctx, confirmEl, warnings))) return;
    save.disabled = true;
    save.textContent = t("peopleSaving");
    try {
      const saved = /** @type {Team} */ (await ctx.api.patch(`/api/v1/teams/${encodeURIComponent(team.id)}`, body));
      const fresh = await load(ctx);
      renderTeam(el, ctx, fresh, team.id);
      const st = el.querySelector("#people-status");
      if (st) st.replaceChildren(...[h("div", { class: "notice" }, t("peopleSaved")), serverWarnings(ctx, saved.warnings)].filter(x => x !== null));
    } catch (ex) {
      save.disabled = false;
      save.textContent = t("peopleSave");
      showFieldErrors(ctx, form, general, ex, fields, labels);
    }
  });
  el.replaceChildren(tabs(ctx, "teams"), h("section", { class: "card" },
    h("a", { href: "#/people", class: "people-back" }, t("peopleBackTeams")),
    h("h1", {}, t("peopleTeamTitle", { name: team.name })),
    h("p", { class: "muted" }, `${t("peopleColUnits")}: ${(team.areas && team.areas.length ? team.areas : [team.area_code]).map(c => areaName(d, c)).join(", ")}`),
    serverWarnings(ctx, team.warnings),
    form));
}

// ---------------------------------------------------------------------------------------------
// Accounts

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Data} d */
function renderUsers(el, ctx, d) {
  const t = ctx.t;
  ctx.setTitle(t("peopleUsersTitle"));
  const search = /** @type {HTMLInputElement} */ (h("input", { type: "search", id: "people-search", "aria-label": t("peopleSearch"), placeholder: t("peopleSearch") }));
  const count = h("p", { class: "muted", id: "people-count" });
  const body = h("tbody", {});
  const draw = () => {
    const q = fold(search.value.trim());
    const list = d.users.filter(u => !q || fold(`${u.display_name} ${u.username}`).includes(q));
    count.textContent = t("peopleUsersCount", { n: ctx.fmt.num(list.length) });
    body.replaceChildren(...list.map(u => {
      const team = u.team_id ? d.teams.find(x => x.id === u.team_id) : null;
      return h("tr", { class: u.disabled ? "people-off" : "", dataset: { user: u.id, username: u.username } },
        // The username is what the person signs in with and what a colleague asks about.
        h("td", { "data-label": t("peopleColName") }, h("a", { href: `#/people/users/${encodeURIComponent(u.id)}` }, personName(u)),
          u.display_name ? h("small", { class: "muted people-username username" }, u.username) : ""),
        h("td", { "data-label": t("peopleColRole") }, ctx.ref.label("role", u.role)),
        h("td", { "data-label": t("peopleColAgency") }, agencyName(ctx, d, u.agency)),
        h("td", { "data-label": t("peopleColArea") }, areaName(d, u.area_code)),
        h("td", { "data-label": t("peopleColTeam") }, team ? team.name : h("span", { class: "muted" }, t("peopleNoTeam"))),
        h("td", { "data-label": t("peopleColStatus") }, h("span", { class: u.disabled ? "badge bad" : "badge ok" }, t(u.disabled ? "peopleDisabled" : "peopleActive"))));
    }));
    if (!list.length) body.append(h("tr", {}, h("td", { colspan: "6", class: "muted" }, t("peopleNoUsers"))));
  };
  search.addEventListener("input", draw);
  draw();
  el.replaceChildren(tabs(ctx, "users"), h("section", { class: "card" },
    h("div", { class: "row people-head" }, h("h1", { class: "grow" }, t("peopleUsersTitle")),
      h("a", { class: "button", href: "#/people/users/new", id: "people-new" }, t("peopleNewUser"))),
    h("div", { class: "row" }, search), count,
    h("table", { class: "stack people-users", id: "people-users" },
      h("thead", {}, h("tr", {}, ["peopleColName", "peopleColRole", "peopleColAgency", "peopleColArea", "peopleColTeam", "peopleColStatus"].map(k => h("th", {}, t(k))))),
      body)));
}

/**
 * The selects of an account's form: role, agency, jurisdiction and team.
 * @param {DeskContext} ctx @param {Data} d @param {Partial<Person>} u
 */
function userSelects(ctx, d, u) {
  const t = ctx.t;
  const opt = (value, label, selected) => h("option", { value, selected: value === selected }, label);
  const role = /** @type {HTMLSelectElement} */ (h("select", {},
    u.role ? null : opt("", t("peopleChoose"), ""),
    ctx.ref.codes("role").map(c => opt(c, ctx.ref.label("role", c), u.role || ""))));
  const agencies = [...d.agencies.values()].filter(a => a.active || a.code === u.agency);
  const agency = /** @type {HTMLSelectElement} */ (h("select", {},
    u.agency ? null : opt("", t("peopleChoose"), ""),
    agencies.map(a => opt(a.code, ctx.lang === "en" ? a.name_en || a.name_vi : a.name_vi, u.agency || ""))));
  const area = /** @type {HTMLSelectElement} */ (h("select", {},
    u.area_code ? null : opt("", t("peopleChoose"), ""),
    d.areaList.map(a => opt(a.code, `${"\u00a0\u00a0".repeat(a.depth)}${a.name}`, u.area_code || ""))));
  const team = /** @type {HTMLSelectElement} */ (h("select", {},
    opt("", t("peopleNoTeam"), u.team_id || ""),
    d.teams.map(x => opt(x.id, x.name, u.team_id || ""))));
  return { role, agency, area, team };
}

/**
 * userWarnings says, before saving, what an account's new jurisdiction, team or state leave
 * odd: a jurisdiction that does not hold the team's area, the old team without an enabled member.
 * @param {DeskContext} ctx @param {Data} d @param {Partial<Person>} cur @param {{area: string, team: string, disabled: boolean}} next
 */
function userWarnings(ctx, d, cur, next) {
  const t = ctx.t, out = [];
  const team = next.team ? d.teams.find(x => x.id === next.team) : null;
  if (team && next.area && !covers(d, next.area, team.area_code)) {
    out.push(t("peopleWarnOutside", { area: areaName(d, next.area), teamArea: areaName(d, team.area_code), team: team.name }));
  }
  const old = cur.team_id ? d.teams.find(x => x.id === cur.team_id) : null;
  if (old && !cur.disabled && (next.disabled || next.team !== old.id)) {
    if (!old.members.some(m => m.id !== cur.id && !m.disabled)) out.push(t("peopleWarnEmptied", { team: old.name }));
  }
  return out;
}

/** @param {DeskContext} ctx */
function userLabels(ctx) {
  const t = ctx.t;
  return {
    username: t("peopleUsername"), display_name: t("peopleDisplayName"), role: t("peopleRole"), agency: t("peopleAgency"),
    area_code: t("peopleArea"), team_id: t("peopleTeam"), password: t("peoplePassword"), disabled: t("peopleColStatus"),
  };
}

const USER_FIELDS = {
  username: "people-username", display_name: "people-name", role: "people-role", agency: "people-agency",
  area_code: "people-area", team_id: "people-team",
};

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Data} d */
function renderNewUser(el, ctx, d) {
  const t = ctx.t;
  ctx.setTitle(t("peopleNewTitle"));
  const labels = userLabels(ctx);
  const username = /** @type {HTMLInputElement} */ (h("input", { type: "text", autocomplete: "off", autocapitalize: "none", spellcheck: "false", maxlength: "64" }));
  const name = /** @type {HTMLInputElement} */ (h("input", { type: "text", autocomplete: "off", maxlength: "100" }));
  const s = userSelects(ctx, d, {});
  const preview = h("div", { id: "people-preview", class: "warn", hidden: true });
  const general = h("div", { id: "people-error", hidden: true });
  const status = h("div", { id: "people-status", role: "status" });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "people-create" }, t("peopleCreate")));
  const showPreview = () => {
    const w = userWarnings(ctx, d, {}, { area: s.area.value, team: s.team.value, disabled: false });
    preview.replaceChildren(...(w.length ? [h("b", {}, t("peopleBeforeSave")), h("ul", {}, w.map(x => h("li", {}, cap(x))))] : []));
    preview.hidden = !w.length;
  };
  s.area.addEventListener("change", showPreview);
  s.team.addEventListener("change", showPreview);
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "people-form people-grid", id: "people-user-form", novalidate: true },
    field("people-field", USER_FIELDS.username, labels.username, username, t("peopleUsernameHint")),
    field("people-field", USER_FIELDS.display_name, labels.display_name, name),
    field("people-field", USER_FIELDS.role, labels.role, s.role),
    field("people-field", USER_FIELDS.agency, labels.agency, s.agency),
    field("people-field", USER_FIELDS.area_code, labels.area_code, s.area),
    field("people-field", USER_FIELDS.team_id, labels.team_id, s.team),
    h("div", { class: "people-wide" }, preview, general, h("div", { class: "row" }, submit), status)));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    status.replaceChildren();
    const password = randomPassword();
    const body = {
      username: username.value.trim(), display_name: name.value.trim(), role: s.role.value, agency: s.agency.value,
      area_code: s.area.value, team_id: s.team.value || null, password,
    };
    submit.disabled = true;
    try {
      const u = /** @type {Person} */ (await ctx.api.post("/api/v1/users", body));
      el.replaceChildren(tabs(ctx, "users"), h("section", { class: "card", id: "people-created" },
        h("a", { href: "#/people/users", class: "people-back" }, t("peopleBackUsers")),
        h("h1", { id: "people-created-title" }, t("peopleCreated", { username: u.username })),
        passwordBox(ctx, u.username, password),
        h("a", { class: "button", href: `#/people/users/${encodeURIComponent(u.id)}`, id: "people-open-created", dataset: { id: u.id } }, t("peopleOpenUser"))));
    } catch (ex) {
      submit.disabled = false;
      showFieldErrors(ctx, form, general, ex, USER_FIELDS, labels);
    }
  });
  el.replaceChildren(tabs(ctx, "users"), h("section", { class: "card" },
    h("a", { href: "#/people/users", class: "people-back" }, t("peopleBackUsers")),
    h("h1", {}, t("peopleNewTitle")), form));
}

/** @param {HTMLElement} el @param {DeskContext} ctx @param {Data} d @param {string} id @param {Node[]} [notes] */
function renderUser(el, ctx, d, id, notes = []) {
  const t = ctx.t;
  const u = d.users.find(x => x.id === id);
  if (!u) {
    el.replaceChildren(tabs(ctx, "users"), h("section", { class: "card" }, h("p", {}, t("notFound"))));
    return;
  }
  ctx.setTitle(t("peopleUserTitle", { name: personName(u) }));
  const self = ctx.user && ctx.user.id === u.id;
  const labels = userLabels(ctx);
  const username = /** @type {HTMLInputElement} */ (h("input", { type: "text", readonly: true, value: u.username }));
  const name = /** @type {HTMLInputElement} */ (h("input", { type: "text", maxlength: "100", value: u.display_name }));
  const s = userSelects(ctx, d, u);
  const preview = h("div", { id: "people-preview", class: "warn", hidden: true });
  const confirmEl = h("div", { id: "people-confirm", hidden: true });
  const general = h("div", { id: "people-error", hidden: true });
  const status = h("div", { id: "people-status", role: "status" }, notes);
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "people-save" }, t("peopleSave")));
  const next = (disabled = u.disabled) => ({ area: s.area.value, team: s.team.value, disabled });
  const showPreview = () => {
    const w = userWarnings(ctx, d, u, next());
    preview.replaceChildren(...(w.length ? [h("b", {}, t("peopleBeforeSave")), h("ul", {}, w.map(x => h("li", {}, cap(x))))] : []));
    preview.hidden = !w.length;
  };
  s.area.addEventListener("change", showPreview);
  s.team.addEventListener("change", showPreview);
  /**
   * send PATCHes the user after saying what the change leaves odd, then redraws with notes.
   * @param {Record<string, any>} body @param {string[]} warnings @param {(saved: any) => Node[]} after
   */
  const send = async (body, warnings, after) => {
    clearErrors(form, general);
    status.replaceChildren();
    if (warnings.length && !(await confirmBox(ctx, confirmEl, warnings))) return;
    for (const b of form.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (b).disabled = true;
    try {
      const saved = await ctx.api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { version: u.version, ...body });
      const fresh = await load(ctx);
      renderUser(el, ctx, fresh, u.id, [...after(saved), serverWarnings(ctx, saved.warnings)].filter(Boolean));
    } catch (ex) {
      for (const b of form.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (b).disabled = false;
      showFieldErrors(ctx, form, general, ex, USER_FIELDS, labels);
    }
  };
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "people-form people-grid", id: "people-user-form", novalidate: true },
    field("people-field", USER_FIELDS.username, labels.username, username),
    field("people-field", USER_FIELDS.display_name, labels.display_name, name),
    field("people-field", USER_FIELDS.role, labels.role, s.role),
    field("people-field", USER_FIELDS.agency, labels.agency, s.agency),
    field("people-field", USER_FIELDS.area_code, labels.area_code, s.area),
    field("people-field", USER_FIELDS.team_id, labels.team_id, s.team),
    h("div", { class: "people-wide" }, preview, confirmEl, general,
      h("div", { class: "row" }, save,
        self ? null : h("button", { type: "button", class: u.disabled ? "secondary" : "danger", id: "people-toggle", onclick: () => {
          const disabled = !u.disabled;
          send({ disabled }, disabled ? userWarnings(ctx, d, u, { area: u.area_code, team: u.team_id || "", disabled }) : [],
            () => [h("div", { class: "notice" }, t(disabled ? "peopleDisabledNow" : "peopleEnabledNow"))]);
        } }, t(u.disabled ? "peopleEnable" : "peopleDisable")),
        h("button", { type: "button", class: "secondary", id: "people-reset", onclick: () => {
          const password = randomPassword();
          send({ password }, [t("peopleResetConfirm", { username: u.username })],
            () => [h("div", { class: "notice" }, t("peopleResetDone")), passwordBox(ctx, u.username, password)]);
        } }, t("peopleResetPassword"))),
      status)));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    /** @type {Record<string, any>} */
    const body = {};
    if (name.value.trim() !== u.display_name) body.display_name = name.value;
    if (s.role.value !== u.role) body.role = s.role.value;
    if (s.agency.value !== u.agency) body.agency = s.agency.value;
    if (s.area.value !== u.area_code) body.area_code = s.area.value;
    if (s.team.value !== (u.team_id || "")) body.team_id = s.team.value;
    if (!Object.keys(body).length) {
      clearErrors(form, general);
      status.replaceChildren(h("p", { class: "muted" }, t("peopleNothing")));
      return;
    }
    send(body, userWarnings(ctx, d, u, next()), () => [h("div", { class: "notice" }, t("peopleSaved"))]);
  });
  el.replaceChildren(tabs(ctx, "users"), h("section", { class: "card" },
    h("a", { href: "#/people/users", class: "people-back" }, t("peopleBackUsers")),
    h("h1", {}, t("peopleUserTitle", { name: personName(u) })),
    h("p", { class: "row" }, h("span", { class: u.disabled ? "badge bad" : "badge ok", id: "people-user-status" }, t(u.disabled ? "peopleDisabled" : "peopleActive")),
      // What was done to the account, and by whom, is the audit log's: admins read it there.
      h("a", { href: `#/ops/audit?entity_type=user&entity_id=${encodeURIComponent(u.id)}`, id: "people-user-audit" }, t("peopleUserAudit"))),
    self ? h("p", { class: "muted" }, t("peopleSelf")) : null,
    form));
  showPreview();
}

/** @type {import("../main.js").Desk} */
export default {
  id: "people",
  roles: ["admin", "planner"],
  nav: { vi: messages.vi.peopleNav, en: messages.en.peopleNav },
  messages,
  async render(el, ctx) {
    const d = await load(ctx);
    const [what, id] = ctx.path;
    if (what === "team" && id) renderTeam(el, ctx, d, id);
    else if (what === "users" && isAdmin(ctx)) {
      if (id === "new") renderNewUser(el, ctx, d);
      else if (id) renderUser(el, ctx, d, id);
      else renderUsers(el, ctx, d);
    } else renderTeams(el, ctx, d);
  },
};
