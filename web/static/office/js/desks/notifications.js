// @ts-check
// The caller's notifications (#/notifications): the list with its read state, each opening
// what it is about; their settings (#/notifications/settings): which kinds reach them by which
// channel, their e-mail address, the phone SMS and Zalo go to and their quiet hours; and for admins the outbox
// (#/notifications/outbox), each row's state, attempts and last error.

import { h } from "../../../shared/js/dom.js";
import { clearErrors, field, showFieldErrors } from "../forms.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: string, kind: string, link: string, title_vi: string, title_en: string, body_vi: string, body_en: string,
 *   state: string, created_at: string, read_at: string | null}} Notification
 * @typedef {{email: string, phone: string, kinds: Record<string, Record<string, boolean>>, quiet_start: string, quiet_end: string, time_zone: string,
 *   version: number, updated_at: string | null, choices: {kinds: string[], channels: string[]}}} Settings
 * @typedef {{id: string, user_id: string, channel: string, kind: string, state: string, attempts: number, last_error: string,
 *   next_attempt_at: string | null, created_at: string, sent_at: string | null}} OutboxRow
 */

const messages = {
  vi: {
    ntNav: "Thông báo",
    ntTitle: "Thông báo của tôi",
    ntTabList: "Thông báo",
    ntTabSettings: "Cài đặt",
    ntTabOutbox: "Hàng đợi gửi",
    ntUnread: "{n} thông báo chưa đọc",
    ntNone: "Chưa có thông báo nào.",
    ntNew: "Mới",
    ntOpen: "Mở",
    ntMarkRead: "Đánh dấu đã đọc",
    ntReadAt: "Đã đọc {when}",
    ntSettingsTitle: "Cài đặt thông báo",
    ntSettingsHint: "Bỏ chọn những loại thông báo bạn không muốn nhận qua từng kênh. SMS và Zalo chỉ gửi những loại bạn chọn, tới số điện thoại di động bên dưới. Trong giờ yên lặng, thông báo chờ đến hết giờ mới gửi, trừ nhiệm vụ kiểm tra khẩn cho tổ.",
    ntEmail: "Địa chỉ thư điện tử nhận thông báo",
    ntPhone: "Số điện thoại di động nhận SMS/Zalo",
    ntQuietStart: "Giờ yên lặng từ",
    ntQuietEnd: "đến",
    ntQuietZone: "Giờ theo múi giờ {zone}.",
    ntKind: "Loại thông báo",
    ntKind_urgent_tip: "Nhiệm vụ kiểm tra khẩn từ tin báo",
    ntKind_tip_due_soon: "Tin báo sắp đến hạn xử lý",
    ntKind_tip_overdue: "Tin báo quá hạn xử lý",
    ntKind_team_day: "Lịch làm việc của tổ được giao hoặc thay đổi",
    ntKind_sanction_overdue: "Xử phạt quá hạn chấp hành",
    ntKind_plan_infeasible: "Kế hoạch năm vượt năng lực các tổ",
    ntKind_result_rejected: "Kết quả gửi từ điện thoại bị máy chủ từ chối",
    ntKind_submission_due: "Số liệu chỉ tiêu sắp đến hạn hoặc quá hạn báo cáo",
    ntKind_submission_returned: "Số liệu chỉ tiêu bị trả lại để sửa",
    ntChannel_in_app: "Trong ứng dụng",
    ntChannel_email: "Thư điện tử",
    ntChannel_push: "Thông báo đẩy",
    ntChannel_sms: "Tin nhắn SMS",
    ntChannel_zalo: "Zalo",
    ntSave: "Lưu cài đặt",
    ntNoKinds: "Không có loại thông báo nào gửi tới vai trò của bạn.",
    ntSaving: "Đang lưu…",
    ntSaved: "Đã lưu cài đặt.",
    ntOutboxTitle: "Hàng đợi gửi thông báo",
    ntColWhen: "Tạo lúc",
    ntColKind: "Loại",
    ntColChannel: "Kênh",
    ntColState: "Tình trạng",
    ntColAttempts: "Số lần gửi",
    ntColError: "Lỗi gần nhất",
    ntColNext: "Gửi lại lúc",
    ntState_queued: "Đang chờ gửi",
    ntState_sent: "Đã gửi",
    ntState_failed: "Gửi không được",
    ntState_skipped: "Bỏ qua",
    ntState_read: "Đã đọc",
    ntOutboxNone: "Hàng đợi trống.",
  },
  en: {
    ntNav: "Notifications",
    ntTitle: "My notifications",
    ntTabList: "Notifications",
    ntTabSettings: "Settings",
    ntTabOutbox: "Outbox",
    ntUnread: "{n} unread",
    ntNone: "No notifications yet.",
    ntNew: "New",
    ntOpen: "Open",
    ntMarkRead: "Mark as read",
    ntReadAt: "Read {when}",
    ntSettingsTitle: "Notification settings",
    ntSettingsHint: "Untick the kinds you do not want by each channel. SMS and Zalo send only the kinds you tick, to the mobile number below. During quiet hours a notification waits until they end, except an urgent visit for the team.",
    ntEmail: "E-mail address for notifications",
    ntPhone: "Mobile phone number for SMS/Zalo",
    ntQuietStart: "Quiet hours from",
    ntQuietEnd: "to",
    ntQuietZone: "Times in {zone}.",
    ntKind: "Kind",
    ntKind_urgent_tip: "Urgent inspection from a tip",
    ntKind_tip_due_soon: "A tip's deadline is near",
    ntKind_tip_overdue: "A tip's deadline was missed",
    ntKind_team_day: "The team's day released or changed",
    ntKind_sanction_overdue: "A sanction overdue",
    ntKind_plan_infeasible: "A yearly plan beyond the teams' capacity",
    ntKind_result_rejected: "A result sent from the phone refused by the server",
    ntKind_submission_due: "Indicator figures due soon or late",
    ntKind_submission_returned: "Indicator figures returned for correction",
    ntChannel_in_app: "In the app",
    ntChannel_email: "E-mail",
    ntChannel_push: "Push",
    ntChannel_sms: "SMS",
    ntChannel_zalo: "Zalo",
    ntSave: "Save the settings",
    ntNoKinds: "No kind of notification is sent to your role.",
    ntSaving: "Saving…",
    ntSaved: "The settings are saved.",
    ntOutboxTitle: "The notification outbox",
    ntColWhen: "Created",
    ntColKind: "Kind",
    ntColChannel: "Channel",
    ntColState: "State",
    ntColAttempts: "Attempts",
    ntColError: "Last error",
    ntColNext: "Next attempt",
    ntState_queued: "Queued",
    ntState_sent: "Sent",
    ntState_failed: "Failed",
    ntState_skipped: "Skipped",
    ntState_read: "Read",
    ntOutboxNone: "The outbox is empty.",
  },
};

/** @param {DeskContext} ctx @param {string} active */
function tabs(ctx, active) {
  const list = [["list", "#/notifications", "ntTabList"], ["settings", "#/notifications/settings", "ntTabSettings"]];
  if (ctx.user.role === "admin") list.push(["outbox", "#/notifications/outbox", "ntTabOutbox"]);
  return h("nav", { class: "nt-tabs", "aria-label": ctx.t("ntNav") }, list.map(([id, href, key]) =>
    h("a", { href, class: id === active ? "active" : "", "aria-current": id === active ? "page" : null }, ctx.t(key))));
}

/** @param {DeskContext} ctx @param {string} prefix @param {string} code */
function label(ctx, prefix, code) {
  const key = `${prefix}_${code}`;
  const got = ctx.t(key);
  return got === key ? code : got;
}

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderList(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("ntTitle"));
  const res = await ctx.api.get("/api/v1/me/notifications?limit=200");
  /** @type {Notification[]} */
  const items = res.items || [];
  /** @param {Notification} n */
  const open = async n => {
    if (!n.read_at) await ctx.api.post(`/api/v1/me/notifications/${encodeURIComponent(n.id)}/read`, {});
    if (n.link) location.href = n.link;
    else await renderList(el, ctx);
  };
  const list = h("ul", { class: "nt-list", id: "nt-list" }, items.map(n => h("li", { class: n.read_at ? "nt-item" : "nt-item nt-unread", dataset: { notification: n.id, kind: n.kind } },
    h("div", { class: "nt-head" }, n.read_at ? null : h("span", { class: "badge warn" }, t("ntNew")),
      h("b", {}, ctx.lang === "en" ? n.title_en || n.title_vi : n.title_vi), h("span", { class: "muted small" }, ` · ${fmt.dateTime(n.created_at)}`)),
    h("p", {}, ctx.lang === "en" ? n.body_en || n.body_vi : n.body_vi),
    h("div", { class: "row" },
      n.link ? h("button", { type: "button", class: "secondary", onclick: () => { open(n).catch(ex => ctx.showError(errors, ex)); } }, t("ntOpen")) : null,
      n.read_at ? h("span", { class: "muted small" }, t("ntReadAt", { when: fmt.dateTime(n.read_at) }))
        : h("button", { type: "button", class: "secondary nt-read", onclick: async () => {
          try {
            await ctx.api.post(`/api/v1/me/notifications/${encodeURIComponent(n.id)}/read`, {});
            await renderList(el, ctx);
          } catch (ex) {
            ctx.showError(errors, ex);
          }
        } }, t("ntMarkRead"))))));
  const errors = h("div", { id: "nt-error", hidden: true });
  el.replaceChildren(tabs(ctx, "list"),
    h("section", { class: "card" }, h("h1", {}, t("ntTitle")),
      h("p", { class: "muted", id: "nt-unread" }, t("ntUnread", { n: fmt.num(res.unread || 0) })),
      errors,
      items.length ? list : h("p", { class: "muted", id: "nt-none" }, t("ntNone"))));
}

/** @param {HTMLElement} el @param {DeskContext} ctx @param {string} [notice] */
async function renderSettings(el, ctx, notice) {
  const t = ctx.t;
  ctx.setTitle(t("ntSettingsTitle"));
  /** @type {Settings} */
  const st = await ctx.api.get("/api/v1/me/notification-settings");
  const email = /** @type {HTMLInputElement} */ (h("input", { type: "email", value: st.email || "", maxlength: "254", autocomplete: "email" }));
  const phone = /** @type {HTMLInputElement} */ (h("input", { type: "tel", value: st.phone || "", maxlength: "20", autocomplete: "tel", inputmode: "tel" }));
  const qs = /** @type {HTMLInputElement} */ (h("input", { type: "time", value: st.quiet_start || "" }));
  const qe = /** @type {HTMLInputElement} */ (h("input", { type: "time", value: st.quiet_end || "" }));
  const { kinds, channels } = st.choices;
  /** @type {Map<string, HTMLInputElement>} */
  const boxes = new Map();
  const table = h("table", { class: "nt-kinds", id: "nt-kinds" },
    h("thead", {}, h("tr", {}, h("th", {}, t("ntKind")), channels.map(c => h("th", {}, label(ctx, "ntChannel", c))))),
    h("tbody", {}, kinds.map(k => h("tr", { dataset: { kind: k } }, h("td", {}, label(ctx, "ntKind", k)),
      channels.map(c => {
        const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", checked: !(st.kinds[k] && st.kinds[k][c] === false),
          "aria-label": `${label(ctx, "ntKind", k)} · ${label(ctx, "ntChannel", c)}`, dataset: { channel: c } }));
        boxes.set(`${k}|${c}`, box);
        return h("td", { class: "nt-box" }, box);
      })))));
  const general = h("div", { id: "nt-error", hidden: true });
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "nt-save" }, t("ntSave")));
  const fields = { email: "nt-email", phone: "nt-phone", quiet_start: "nt-quiet-start", quiet_end: "nt-quiet-end", kinds: "nt-kinds" };
  const labels = { email: t("ntEmail"), phone: t("ntPhone"), quiet_start: t("ntQuietStart"), quiet_end: `${t("ntQuietStart")} · ${t("ntQuietEnd")}`, kinds: t("ntKind") };
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "nt-form", id: "nt-form", novalidate: true },
    h("p", { class: "muted small" }, t("ntSettingsHint")),
    kinds.length ? h("div", { class: "table-wrap" }, table) : h("p", { class: "muted", id: "nt-no-kinds" }, t("ntNoKinds")),
    h("div", { class: "row nt-addresses" }, field("nt-field", "nt-email", t("ntEmail"), email), field("nt-field", "nt-phone", t("ntPhone"), phone)),
    h("div", { class: "row nt-quiet" }, field("nt-field", "nt-quiet-start", t("ntQuietStart"), qs), field("nt-field", "nt-quiet-end", t("ntQuietEnd"), qe)),
    h("p", { class: "muted small" }, t("ntQuietZone", { zone: st.time_zone })),
    general, h("div", { class: "row" }, save)));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    clearErrors(form, general);
    save.disabled = true;
    save.textContent = t("ntSaving");
    // Every switch is sent, on as well as off: SMS and Zalo are off until switched on, so an
    // unnamed channel would not mean the same on each.
    /** @type {Record<string, Record<string, boolean>>} */
    const kindsSent = {};
    for (const [key, box] of boxes) {
      const [k, c] = key.split("|");
      (kindsSent[k] = kindsSent[k] || {})[c] = box.checked;
    }
    try {
      await ctx.api.put("/api/v1/me/notification-settings", { version: st.version, email: email.value.trim(), phone: phone.value.trim(), kinds: kindsSent, quiet_start: qs.value, quiet_end: qe.value });
      await renderSettings(el, ctx, t("ntSaved"));
    } catch (ex) {
      save.disabled = false;
      save.textContent = t("ntSave");
      showFieldErrors(ctx, form, general, ex, fields, labels);
    }
  });
  el.replaceChildren(tabs(ctx, "settings"),
    h("section", { class: "card" }, h("h1", {}, t("ntSettingsTitle")),
      notice ? h("div", { class: "notice", id: "nt-notice", role: "status" }, notice) : h("div", { hidden: true }),
      form));
}

/** @param {HTMLElement} el @param {DeskContext} ctx */
async function renderOutbox(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("ntOutboxTitle"));
  const res = await ctx.api.get("/api/v1/notifications/outbox?limit=200");
  /** @type {OutboxRow[]} */
  const rows = res.items || [];
  el.replaceChildren(tabs(ctx, "outbox"),
    h("section", { class: "card" }, h("h1", {}, t("ntOutboxTitle")),
      rows.length ? h("table", { class: "stack nt-outbox", id: "nt-outbox" },
        h("thead", {}, h("tr", {}, ["ntColWhen", "ntColKind", "ntColChannel", "ntColState", "ntColAttempts", "ntColError", "ntColNext"].map(k => h("th", {}, t(k))))),
        h("tbody", {}, rows.map(r => h("tr", { dataset: { state: r.state } },
          h("td", { "data-label": t("ntColWhen") }, fmt.dateTime(r.created_at)),
          h("td", { "data-label": t("ntColKind") }, label(ctx, "ntKind", r.kind)),
          h("td", { "data-label": t("ntColChannel") }, label(ctx, "ntChannel", r.channel)),
          h("td", { "data-label": t("ntColState") }, h("span", { class: r.state === "failed" ? "badge bad" : "badge" }, label(ctx, "ntState", r.state))),
          h("td", { "data-label": t("ntColAttempts"), class: "num" }, fmt.num(r.attempts)),
          h("td", { "data-label": t("ntColError") }, r.last_error || "–"),
          h("td", { "data-label": t("ntColNext") }, r.state === "queued" && r.next_attempt_at ? fmt.dateTime(r.next_attempt_at) : "–"))))) :
        h("p", { class: "muted", id: "nt-outbox-none" }, t("ntOutboxNone"))));
}

/** @type {import("../main.js").Desk} */
export default {
  id: "notifications",
  roles: ["licensing_officer", "tip_officer", "team_lead", "planner", "admin", "viewer", "reporting_officer"],
  nav: { vi: messages.vi.ntNav, en: messages.en.ntNav },
  messages,
  async render(el, ctx) {
    const [what] = ctx.path;
    if (what === "settings") await renderSettings(el, ctx);
    else if (what === "outbox" && ctx.user.role === "admin") await renderOutbox(el, ctx);
    else await renderList(el, ctx);
  },
};
