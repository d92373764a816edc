// @ts-check
// The office app's shell: sign-in (the same session as the dashboard), the desks of the user's
// role, hash routes (#/DESK/...), the language switch and error display. Each desk renders its
// own screens (js/desks/NAME.js).

import { Api, ApiError, SessionEnded } from "../../shared/js/api.js";
import { $, h } from "../../shared/js/dom.js";
import { bindSignIn, showSignIn } from "../../shared/js/signin.js";
import { getLang, makeT, setLang } from "../../shared/js/i18n.js";
import { Format } from "../../shared/js/format.js";
import { Ref } from "../../shared/js/ref.js";
import { DESKS } from "./desks/index.js";

/**
 * @typedef {import("../../shared/js/i18n.js").Messages} Messages
 * @typedef {import("../../shared/js/i18n.js").Translate} Translate
 * @typedef {{id: string, username: string, display_name?: string, role: string, agency?: string, area_code?: string, team_id?: string | null}} User
 * @typedef {object} DeskContext
 * @property {Api} api
 * @property {Translate} t
 * @property {Format} fmt
 * @property {Ref} ref
 * @property {"vi" | "en"} lang
 * @property {User} user
 * @property {any} me the answer of GET /api/v1/me (user, jurisdiction, team)
 * @property {string[]} path the route's segments after the desk's id, without the query
 * @property {URLSearchParams} query the route's query (#/DESK/...?KEY=VALUE)
 * @property {(hash: string) => void} go opens a route ("#/tips/ID")
 * @property {(el: HTMLElement, err: any, labels?: Record<string, string>) => void} showError shows an error in el, in
 *   the user's language; labels name the API's fields as the screen does ({purpose: "Lý do tra cứu"}), so that
 *   the message says which input is wrong without a raw field name
 * @property {(title: string) => void} setTitle names the screen (the document's title)
 * @typedef {object} Desk
 * @property {string} id
 * @property {string[]} roles
 * @property {{vi: string, en: string}} nav
 * @property {Messages} messages
 * @property {(el: HTMLElement, ctx: DeskContext) => void | Promise<void>} render
 */

/** @type {Messages} */
const SHELL = {
  vi: {
    appName: "kiemtra",
    appTagline: "Trang làm việc của cán bộ",
    skipToContent: "Tới nội dung chính",
    loginTitle: "Đăng nhập",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    signIn: "Đăng nhập",
    signingIn: "Đang đăng nhập…",
    signOut: "Đăng xuất",
    otherLang: "English",
    otherLangCode: "en",
    navLabel: "Các trang làm việc",
    loading: "Đang tải…",
    retry: "Thử lại",
    networkError: "Không kết nối được với máy chủ. Kiểm tra mạng rồi thử lại.",
    sessionEnded: "Phiên làm việc đã kết thúc, vui lòng đăng nhập lại.",
    loadFailed: "Không tải được trang: {message}",
    notFound: "Không có trang này.",
    errorTitle: "Không thực hiện được",
    elsewhereTitle: "Công việc của bạn ở trang khác",
    elsewhereInspector: "Thành viên đoàn kiểm tra làm việc trên ứng dụng kiểm tra (điện thoại): lộ trình, điểm danh, phiếu kiểm tra.",
    elsewhereDashboard: "Tài khoản của bạn dùng bảng điều khiển: bản đồ bao phủ, tiến độ, kế hoạch và báo cáo.",
    elsewhereNone: "Vai trò của tài khoản này chưa có trang làm việc. Liên hệ quản trị hệ thống.",
    openApp: "Mở ứng dụng kiểm tra",
    openDashboard: "Mở bảng điều khiển",
    dashboard: "Bảng điều khiển",
    unreadBadge: "{n} thông báo chưa đọc",
  },
  en: {
    appName: "kiemtra",
    appTagline: "Officers' desk",
    skipToContent: "Skip to the main content",
    loginTitle: "Sign in",
    username: "Username",
    password: "Password",
    signIn: "Sign in",
    signingIn: "Signing in…",
    signOut: "Sign out",
    otherLang: "Tiếng Việt",
    otherLangCode: "vi",
    navLabel: "Desks",
    loading: "Loading…",
    retry: "Try again",
    networkError: "Cannot reach the server. Check the network and try again.",
    sessionEnded: "Your session ended; please sign in again.",
    loadFailed: "The page could not be loaded: {message}",
    notFound: "There is no such page.",
    errorTitle: "That did not work",
    elsewhereTitle: "Your work is on another page",
    elsewhereInspector: "Inspectors work in the inspection app on their phone: the route, check-ins and checklists.",
    elsewhereDashboard: "Your account uses the dashboard: coverage maps, progress, plans and reports.",
    elsewhereNone: "This account's role has no desk yet. Ask an administrator.",
    openApp: "Open the inspection app",
    openDashboard: "Open the dashboard",
    dashboard: "Dashboard",
    unreadBadge: "{n} unread notifications",
  },
};

// DASHBOARD_ROLES use the dashboard as their home; the office app links to it.
const DASHBOARD_ROLES = ["planner", "admin", "viewer"];

const state = {
  lang: getLang(),
  /** @type {Desk[]} */
  desks: [],
  /** @type {Ref | null} */
  ref: null,
  /** @type {any} */
  me: null,
  /** @type {Translate} */
  t: makeT([SHELL], getLang()),
  rendering: 0,
};

const api = new Api(() => state.lang, () => state.t("networkError"));
api.onSessionEnded = (message) => showLogin(state.t("sessionEnded"));

function translator() {
  return makeT([SHELL, ...state.desks.map(d => d.messages)], state.lang);
}

function applyStaticTexts() {
  const t = state.t;
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(/** @type {HTMLElement} */ (el).dataset.i18nLabel));
  for (const b of document.querySelectorAll(".lang-switch")) {
    b.textContent = t("otherLang");
    /** @type {HTMLElement} */ (b).lang = t("otherLangCode");
  }
}

/** @param {string} [message] */
function showLogin(message) {
  document.title = `${state.t("appName")} · ${state.t("loginTitle")}`;
  showSignIn(message);
}

// capitalise starts a server message (written to follow a field's name) with a capital.
export function capitalise(s) {
  s = String(s || "");
  return s ? s.charAt(0).toLocaleUpperCase(state.lang === "vi" ? "vi-VN" : "en-GB") + s.slice(1) : s;
}

/**
 * showError puts an error into el: the server's message (already in the user's language), each
 * problem after the label of its field when labels name it.
 * @param {HTMLElement} el
 * @param {any} err
 * @param {Record<string, string>} [labels]
 */
function showError(el, err, labels = {}) {
  if (err instanceof SessionEnded) return;
  /** @type {string[]} */
  let lines = [];
  if (err instanceof ApiError && err.details && err.details.length) {
    lines = err.details.map(d => (labels[d.field] ? `${labels[d.field]}: ${d.message}` : capitalise(d.message)));
  } else if (err instanceof ApiError && err.field && labels[err.field]) {
    lines = [`${labels[err.field]}: ${err.message}`];
  } else {
    lines = [capitalise(err instanceof Error ? err.message : String(err))];
  }
  const box = h("div", { class: "alert", role: "alert" }, h("b", {}, state.t("errorTitle")));
  if (lines.length === 1) box.append(": " + lines[0]);
  else box.append(h("ul", {}, lines.map(l => h("li", {}, l))));
  el.replaceChildren(box);
  el.hidden = false;
}

/** @returns {Desk[]} the desks of the signed-in user's role */
function myDesks() {
  const role = api.user ? api.user.role : "";
  return state.desks.filter(d => d.roles.includes(role));
}

async function showApp() {
  $("#login-view").hidden = true;
  $("#app-view").hidden = false;
  const banner = $("#banner");
  banner.hidden = true;
  try {
    const [me, ref, mods] = await Promise.all([
      api.get("/api/v1/me"),
      Ref.load(state.lang),
      // One broken desk must not keep the others from their work.
      Promise.allSettled(DESKS.map(name => import(`./desks/${name}.js`))),
    ]);
    state.me = me;
    state.ref = ref;
    state.desks = [];
    mods.forEach((m, i) => {
      if (m.status === "fulfilled") {
        state.desks.push(/** @type {Desk} */ (m.value.default));
        addStyle(`css/${DESKS[i]}.css`);
      } else {
        console.error(`desk ${DESKS[i]}:`, m.reason);
      }
    });
  } catch (ex) {
    if (ex instanceof SessionEnded) return;
    showError(banner, ex);
    return;
  }
  state.t = translator();
  applyStaticTexts();
  renderTop();
  await route();
}

function addStyle(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href }));
}

function renderTop() {
  const t = state.t, user = api.user;
  $("#user-name").textContent = user ? user.display_name || user.username : "";
  $("#user-role").textContent = user && state.ref ? state.ref.label("role", user.role) : "";
  const nav = $("#nav");
  const links = myDesks().map(d => h("a", { href: `#/${d.id}`, dataset: { desk: d.id } }, d.nav[state.lang] || d.nav.vi));
  if (user && DASHBOARD_ROLES.includes(user.role)) links.push(h("a", { href: "/dashboard/" }, t("dashboard")));
  nav.replaceChildren(...links);
}

// showUnread puts the count of unread notifications on the notifications desk's link; it is
// read again at each screen, so reading one on the desk takes it off.
async function showUnread() {
  const a = document.querySelector('#nav a[data-desk="notifications"]');
  if (!a) return;
  let n = 0;
  try {
    n = (await api.get("/api/v1/me/notifications?limit=1")).unread || 0;
  } catch {
    return; // the desk itself says what is wrong
  }
  a.querySelector(".badge")?.remove();
  if (n > 0) a.append(h("span", { class: "badge", id: "unread-badge", title: state.t("unreadBadge", { n }), "aria-label": state.t("unreadBadge", { n }) }, String(n)));
}

// route renders the screen the hash names; a user with no desk is told where their work is.
async function route() {
  const t = state.t;
  const el = /** @type {HTMLElement} */ ($("#desk"));
  const desks = myDesks();
  // A route may end in a query (#/plans?programme=CODE): the desk is named before it.
  const [routePath, search] = location.hash.replace(/^#\/?/, "").split("?", 2);
  const parts = routePath.split("/").filter(Boolean).map(decodeURIComponent);
  if (!parts.length) {
    if (desks.length) {
      location.replace(`#/${desks[0].id}`);
      return;
    }
    renderElsewhere(el);
    return;
  }
  const desk = desks.find(d => d.id === parts[0]);
  for (const a of document.querySelectorAll("#nav a")) {
    a.classList.toggle("active", /** @type {HTMLElement} */ (a).dataset.desk === parts[0]);
    if (/** @type {HTMLElement} */ (a).dataset.desk === parts[0]) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (!desk) {
    el.replaceChildren(h("section", { class: "card" }, h("p", {}, t("notFound"))));
    return;
  }
  const n = ++state.rendering;
  showUnread();
  document.title = `${desk.nav[state.lang] || desk.nav.vi} · kiemtra`;
  // The desk owns holder from here: it may draw in steps (a list first, then its map).
  const holder = h("div", { class: "desk-" + desk.id }, h("p", { class: "muted loading" }, t("loading")));
  el.replaceChildren(holder);
  /** @type {DeskContext} */
  const ctx = {
    api, t, fmt: new Format(state.lang), ref: state.ref, lang: state.lang, user: api.user, me: state.me,
    path: parts.slice(1),
    query: new URLSearchParams(search || ""),
    go: (hash) => { location.hash = hash; },
    showError,
    setTitle: (title) => { document.title = `${title} · kiemtra`; },
  };
  try {
    await desk.render(holder, ctx);
  } catch (ex) {
    if (ex instanceof SessionEnded) return;
    if (n !== state.rendering) return;
    const box = h("div", {});
    showError(box, ex);
    holder.replaceChildren(box, h("button", { type: "button", onclick: () => route() }, t("retry")));
  }
}

/** @param {HTMLElement} el */
function renderElsewhere(el) {
  const t = state.t, role = api.user ? api.user.role : "";
  let text = t("elsewhereNone"), link = null;
  if (role === "inspector") {
    text = t("elsewhereInspector");
    link = h("a", { class: "button", href: "/app/" }, t("openApp"));
  } else if (DASHBOARD_ROLES.includes(role)) {
    text = t("elsewhereDashboard");
    link = h("a", { class: "button", href: "/dashboard/" }, t("openDashboard"));
  }
  el.replaceChildren(h("section", { class: "card elsewhere" }, h("h1", {}, t("elsewhereTitle")), h("p", {}, text), link));
}

function switchLang() {
  state.lang = state.lang === "vi" ? "en" : "vi";
  setLang(state.lang);
  state.t = translator();
  applyStaticTexts();
  if (!$("#app-view").hidden) {
    Ref.load(state.lang).then(ref => { state.ref = ref; renderTop(); route(); }, ex => showError($("#banner"), ex));
  }
}

function start() {
  setLang(state.lang);
  applyStaticTexts();
  bindSignIn(api, () => ({ signIn: state.t("signIn"), signingIn: state.t("signingIn"), locale: state.lang === "vi" ? "vi-VN" : "en-GB" }), showApp);
  for (const b of document.querySelectorAll(".lang-switch")) b.addEventListener("click", switchLang);
  $("#logout").addEventListener("click", async () => {
    await api.logout();
    location.hash = "";
    showLogin();
  });
  window.addEventListener("hashchange", () => { if (!$("#app-view").hidden) route(); });
  if (api.signedIn) showApp();
  else showLogin();
}

start();
