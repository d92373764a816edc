// @ts-check
// Texts of the app in Vietnamese (the default) and English, and the names of the codes the
// server sends. Those names (categories, violations, outcomes, task reasons, review flags) are
// not copied here: they come from the server's reference tables (GET /api/v1/reference), which
// the sync keeps on the phone (data.js) and hands over with setReference. Until the tables are
// there (only on the very first sign-in, which is online), a code shows as itself.

const vi = {
  app: 'Kiểm tra liên ngành',
  loading: 'Đang tải…',
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  login: 'Đăng nhập',
  loggingIn: 'Đang đăng nhập…',
  loginOffline: 'Cần có mạng để đăng nhập. Dữ liệu trên máy vẫn được giữ.',
  notTeamApp: 'Ứng dụng này dành cho thành viên đoàn kiểm tra. Công việc của tài khoản này ở trang làm việc của cán bộ.',
  openOffice: 'Mở trang làm việc',
  loginNetwork: 'Không kết nối được máy chủ. Thử lại sau.',
  loginOtherUser: 'Máy còn {n} mục chưa gửi của {user}. Hãy đăng nhập bằng tài khoản này, hoặc đăng xuất để xoá.',
  sessionExpired: 'Phiên đăng nhập đã hết hạn. Đăng nhập lại để gửi tiếp; {n} mục đang chờ vẫn được giữ trên máy.',
  route: 'Lộ trình',
  today: 'Hôm nay',
  stops: '{n} điểm',
  doneOf: '{done}/{n} xong',
  list: 'Danh sách',
  map: 'Bản đồ',
  noStops: 'Hôm nay tổ chưa có điểm kiểm tra nào.',
  notLoaded: 'Chưa tải được lộ trình. Cần có mạng lần đầu.',
  updated: 'Cập nhật {time}',
  staleDay: 'Lộ trình ngày {day}: chưa cập nhật được cho hôm nay.',
  offline: 'Ngoại tuyến',
  online: 'Trực tuyến',
  offlineNote: 'Đang ngoại tuyến: mọi thứ được lưu trên máy và tự gửi khi có mạng.',
  queue: 'Chờ gửi',
  queueTitle: 'Hàng đợi gửi',
  queueEmpty: 'Không có gì chờ gửi.',
  sendNow: 'Gửi ngay',
  sending: 'Đang gửi…',
  sent: 'Đã gửi',
  recentlySent: 'Đã gửi gần đây',
  rejected: 'Bị từ chối',
  waiting: 'Chờ gửi',
  waitingResult: 'Chờ kết quả được nhận',
  fix: 'Sửa',
  youAreHere: 'Bạn ở đây',
  distanceUnknown: 'chưa rõ vị trí',
  back: 'Quay lại',
  directions: 'Chỉ đường',
  call: 'Gọi',
  address: 'Địa chỉ',
  owner: 'Chủ cơ sở',
  phone: 'Điện thoại',
  licence: 'Giấy phép KD',
  securityCert: 'GCN ANTT',
  taxCode: 'Mã số thuế',
  none: 'không có',
  reason: 'Lý do',
  due: 'Hạn',
  lastInspection: 'Lần kiểm tra trước',
  neverInspected: 'Chưa kiểm tra lần nào',
  checkin: 'Điểm danh',
  checkinHere: 'Điểm danh tại đây',
  checkinHint: 'Chưa điểm danh. Khi đến nơi, bấm “Điểm danh tại đây”: vị trí của điện thoại được ghi lại.',
  locating: 'Đang lấy vị trí…',
  checkedIn: 'Đã điểm danh lúc {time}',
  distanceAcc: 'Cách cơ sở {d} · sai số ±{acc} m',
  offSite: 'Bạn đang cách cơ sở {d}, ngoài phạm vi {r} m. Điểm danh vẫn được ghi nhưng sẽ bị đánh dấu “ngoài địa điểm”.',
  checkinAnyway: 'Vẫn điểm danh',
  retryLocation: 'Lấy lại vị trí',
  onSiteServer: 'Máy chủ xác nhận: tại địa điểm',
  offSiteServer: 'Máy chủ ghi nhận: ngoài địa điểm',
  noLocation: 'Không lấy được vị trí ({why}). Bạn vẫn có thể kiểm tra; kết quả sẽ được ghi là “không điểm danh”.',
  noLocationDenied: 'quyền vị trí bị chặn',
  noLocationUnavailable: 'không có tín hiệu định vị',
  noLocationTimeout: 'quá thời gian chờ',
  continueWithout: 'Tiếp tục không điểm danh',
  skippedCheckin: 'Không điểm danh ({why}).',
  skippedNote: 'Không điểm danh được: {why}.',
  startInspection: 'Bắt đầu kiểm tra',
  continueInspection: 'Tiếp tục kiểm tra',
  viewResult: 'Xem kết quả',
  checklist: 'Bảng kiểm',
  answered: '{a}/{n} đã trả lời',
  yes: 'Có',
  no: 'Không',
  na: 'K.áp dụng',
  note: 'Ghi chú',
  addNote: '+ Ghi chú',
  violationIf: 'Vi phạm',
  distanceNear: 'Cách {name} {m} m theo sổ địa điểm — cần kiểm tra',
  distanceNone: 'Không có trường học, bệnh viện, cơ sở tôn giáo, di tích nào trong {r} m theo sổ địa điểm',
  findings: 'Vi phạm ghi nhận',
  noFindings: 'Chưa ghi nhận vi phạm nào.',
  fromAnswer: 'theo câu {id}',
  addFinding: 'Thêm vi phạm khác',
  chooseCode: 'Chọn mã vi phạm…',
  add: 'Thêm',
  remove: 'Xoá',
  photos: 'Ảnh',
  takePhoto: 'Chụp ảnh',
  photoTooLarge: 'Ảnh quá lớn ({mb} MB), không xử lý được trên máy. Hãy chụp lại với độ phân giải thấp hơn.',
  photoUnreadable: 'Không đọc được ảnh này (chỉ nhận ảnh JPEG hoặc PNG).',
  photoResized: 'Đã thu nhỏ còn {w}×{h}, {kb} KB',
  outcome: 'Kết quả',
  outcomeAuto: 'Tự chọn theo bảng kiểm',
  generalNotes: 'Ghi chú chung',
  submit: 'Gửi kết quả',
  submitOffline: 'Lưu và gửi khi có mạng',
  missingAnswers: 'Còn {n} câu chưa trả lời.',
  outcomeMismatch: 'Kết quả “không vi phạm” nhưng có vi phạm được ghi nhận.',
  outcomeNeedsFinding: 'Kết quả “vi phạm” cần ít nhất một vi phạm.',
  dropAnswers: 'Với kết quả này, câu trả lời và vi phạm sẽ không được gửi.',
  queued: 'Đã lưu trên máy, chờ gửi.',
  resultSent: 'Kết quả đã được máy chủ nhận.',
  resultRejected: 'Máy chủ từ chối kết quả. Hãy sửa và gửi lại:',
  flags: 'Cần xem xét',
  me: 'Tài khoản',
  team: 'Tổ',
  agency: 'Cơ quan',
  language: 'Ngôn ngữ',
  refresh: 'Tải lại lộ trình',
  logout: 'Đăng xuất và xoá dữ liệu trên máy',
  logoutConfirm: 'Còn {n} mục chưa gửi sẽ bị mất. Vẫn đăng xuất?',
  leaving: 'Đang đăng xuất và xoá dữ liệu trên máy…',
  newVersion: 'Đã có phiên bản mới. Chạm để tải lại.',
  status_released: 'Chưa đến',
  status_checked: 'Đã điểm danh',
  status_draft: 'Đang kiểm tra',
  status_queued: 'Chờ gửi',
  status_sent: 'Đã gửi',
  status_rejected: 'Bị từ chối',
  status_done: 'Đã xong',
  status_missed: 'Không kiểm tra được',
  status_withdrawn: 'Đã rút khỏi lộ trình',
  kind_checkin: 'Điểm danh',
  kind_inspection: 'Kết quả kiểm tra',
  kind_photo: 'Ảnh',
  kind_record: 'Biên bản đã ký',
  notes: 'Thông báo',
  notesCount: '{n} thông báo chưa đọc',
  notesEmpty: 'Chưa có thông báo nào.',
  unread: 'Chưa đọc',
  push: 'Thông báo đẩy trên máy này',
  pushOn: 'Đang bật: máy này nhận thông báo cả khi ứng dụng đang đóng.',
  pushOff: 'Đang tắt. Bật để nhận ngay nhiệm vụ khẩn và lộ trình mới cả khi ứng dụng đang đóng.',
  pushEnable: 'Bật thông báo đẩy',
  pushDisable: 'Tắt thông báo đẩy',
  pushDenied: 'Trình duyệt đã chặn thông báo của ứng dụng. Hãy cho phép thông báo trong cài đặt của trình duyệt.',
  pushUnsupported: 'Trình duyệt trên máy này không nhận được thông báo đẩy. Thông báo vẫn có trong danh sách của ứng dụng.',
  pushOffServer: 'Máy chủ chưa bật thông báo đẩy. Thông báo vẫn có trong danh sách của ứng dụng.',
  pushFailed: 'Chưa bật được thông báo đẩy.',
  pushOffline: 'Cần có mạng để bật hoặc tắt thông báo đẩy.',
  noteSettings: 'Cài đặt thông báo',
  noteSettingsOffline: 'Cần có mạng để xem và đổi cài đặt thông báo.',
  noteKind_urgent_tip: 'Nhiệm vụ kiểm tra khẩn',
  noteKind_team_day: 'Lộ trình của tổ được giao hoặc thay đổi',
  noteKind_result_rejected: 'Kết quả gửi lên bị máy chủ từ chối',
  noteChannel_in_app: 'Trong danh sách của ứng dụng',
  noteChannel_push: 'Thông báo đẩy',
  quietHours: 'Giờ yên lặng',
  quietHint: 'Trong giờ này thông báo chờ đến hết giờ mới gửi, trừ nhiệm vụ kiểm tra khẩn. Giờ theo múi giờ {zone}.',
  quietFrom: 'Từ',
  quietTo: 'đến',
  noteSave: 'Lưu cài đặt',
  noteSaved: 'Đã lưu cài đặt thông báo.',
};

const en = {
  app: 'Interagency inspection',
  loading: 'Loading…',
  username: 'Username',
  password: 'Password',
  login: 'Sign in',
  loggingIn: 'Signing in…',
  loginOffline: 'Signing in needs a connection. The data on this phone is kept.',
  notTeamApp: 'This app is for inspection team members. This account works in the officers’ pages.',
  openOffice: 'Open the officers’ pages',
  loginNetwork: 'Cannot reach the server. Try again later.',
  loginOtherUser: 'This phone holds {n} unsent items of {user}. Sign in as that user, or log out to delete them.',
  sessionExpired: 'Your session has expired. Sign in again to carry on sending; the {n} waiting items stay on this phone.',
  route: 'Route',
  today: 'Today',
  stops: '{n} stops',
  doneOf: '{done}/{n} done',
  list: 'List',
  map: 'Map',
  noStops: 'The team has no visits today.',
  notLoaded: 'The route is not loaded yet. The first time needs a connection.',
  updated: 'Updated {time}',
  staleDay: 'Route of {day}: today’s could not be loaded yet.',
  offline: 'Offline',
  online: 'Online',
  offlineNote: 'Offline: everything is saved on the phone and sent when the network returns.',
  queue: 'To send',
  queueTitle: 'Waiting to be sent',
  queueEmpty: 'Nothing is waiting.',
  sendNow: 'Send now',
  sending: 'Sending…',
  sent: 'Sent',
  recentlySent: 'Sent recently',
  rejected: 'Rejected',
  waiting: 'Waiting',
  waitingResult: 'Waits for its result to be accepted',
  fix: 'Fix',
  youAreHere: 'You are here',
  distanceUnknown: 'position unknown',
  back: 'Back',
  directions: 'Directions',
  call: 'Call',
  address: 'Address',
  owner: 'Owner',
  phone: 'Phone',
  licence: 'Business licence',
  securityCert: 'Security certificate',
  taxCode: 'Tax code',
  none: 'none',
  reason: 'Reason',
  due: 'Due',
  lastInspection: 'Last inspection',
  neverInspected: 'Never inspected',
  checkin: 'Check-in',
  checkinHere: 'Check in here',
  checkinHint: 'Not checked in. On arrival, tap “Check in here”: the phone’s position is recorded.',
  locating: 'Getting your position…',
  checkedIn: 'Checked in at {time}',
  distanceAcc: '{d} from the business · accuracy ±{acc} m',
  offSite: 'You are {d} from the business, outside the {r} m radius. The check-in is recorded but marked “off site”.',
  checkinAnyway: 'Check in anyway',
  retryLocation: 'Try again',
  onSiteServer: 'Server: on site',
  offSiteServer: 'Server: off site',
  noLocation: 'No position ({why}). You can still inspect; the result will be recorded as “no check-in”.',
  noLocationDenied: 'location permission blocked',
  noLocationUnavailable: 'no location signal',
  noLocationTimeout: 'timed out',
  continueWithout: 'Continue without check-in',
  skippedCheckin: 'No check-in ({why}).',
  skippedNote: 'No check-in: {why}.',
  startInspection: 'Start inspection',
  continueInspection: 'Continue inspection',
  viewResult: 'View result',
  checklist: 'Checklist',
  answered: '{a}/{n} answered',
  yes: 'Yes',
  no: 'No',
  na: 'N/A',
  note: 'Note',
  addNote: '+ Note',
  violationIf: 'Violation',
  distanceNear: '{name} is {m} m away according to the register of places — check it',
  distanceNone: 'No school, hospital, religious site or relic within {r} m in the register of places',
  findings: 'Findings',
  noFindings: 'No violation recorded.',
  fromAnswer: 'from item {id}',
  addFinding: 'Add another violation',
  chooseCode: 'Choose a violation…',
  add: 'Add',
  remove: 'Remove',
  photos: 'Photos',
  takePhoto: 'Take a photo',
  photoTooLarge: 'The photo is too large ({mb} MB) to process on the phone. Take it again at a lower resolution.',
  photoUnreadable: 'This picture cannot be read (JPEG or PNG only).',
  photoResized: 'Resized to {w}×{h}, {kb} KB',
  outcome: 'Outcome',
  outcomeAuto: 'Chosen from the checklist',
  generalNotes: 'General notes',
  submit: 'Submit result',
  submitOffline: 'Save and send when online',
  missingAnswers: '{n} items are not answered.',
  outcomeMismatch: 'Outcome “compliant” but violations are recorded.',
  outcomeNeedsFinding: 'Outcome “violation” needs at least one finding.',
  dropAnswers: 'With this outcome, answers and findings are not sent.',
  queued: 'Saved on the phone, waiting to be sent.',
  resultSent: 'The server has the result.',
  resultRejected: 'The server rejected the result. Fix it and send again:',
  flags: 'For review',
  me: 'Account',
  team: 'Team',
  agency: 'Agency',
  language: 'Language',
  refresh: 'Reload the route',
  logout: 'Log out and delete the data on this phone',
  logoutConfirm: '{n} unsent items will be lost. Log out anyway?',
  leaving: 'Logging out and deleting the data on this phone…',
  newVersion: 'A new version is ready. Tap to reload.',
  status_released: 'To visit',
  status_checked: 'Checked in',
  status_draft: 'In progress',
  status_queued: 'Waiting to send',
  status_sent: 'Sent',
  status_rejected: 'Rejected',
  status_done: 'Done',
  status_missed: 'Missed',
  status_withdrawn: 'Withdrawn',
  kind_checkin: 'Check-in',
  kind_inspection: 'Inspection result',
  kind_photo: 'Photo',
  kind_record: 'Signed record',
  notes: 'Notifications',
  notesCount: '{n} unread',
  notesEmpty: 'No notifications yet.',
  unread: 'Unread',
  push: 'Push notifications on this phone',
  pushOn: 'On: this phone is notified even while the app is closed.',
  pushOff: 'Off. Turn it on to hear of urgent visits and new routes at once, even while the app is closed.',
  pushEnable: 'Turn on push',
  pushDisable: 'Turn off push',
  pushDenied: 'The browser blocks the app\'s notifications. Allow them in the browser\'s settings.',
  pushUnsupported: 'The browser on this phone cannot receive push notifications. They are still in the app\'s list.',
  pushOffServer: 'Push notifications are not set up on the server. They are still in the app\'s list.',
  pushFailed: 'Push could not be turned on.',
  pushOffline: 'Turning push on or off needs the network.',
  noteSettings: 'Notification settings',
  noteSettingsOffline: 'The notification settings need the network.',
  noteKind_urgent_tip: 'Urgent inspections',
  noteKind_team_day: 'The team\'s route released or changed',
  noteKind_result_rejected: 'A result the server refused',
  noteChannel_in_app: 'In the app\'s list',
  noteChannel_push: 'Push',
  quietHours: 'Quiet hours',
  quietHint: 'During these hours notifications wait until they end, except urgent inspections. Times in {zone}.',
  quietFrom: 'From',
  quietTo: 'to',
  noteSave: 'Save the settings',
  noteSaved: 'The notification settings are saved.',
};

let lang = 'vi';

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'vi';
  document.documentElement.lang = lang;
}

export function getLang() { return lang; }

// t returns the text for key in the current language with {name} placeholders filled.
export function t(key, params) {
  let s = (lang === 'en' ? en : vi)[key] ?? vi[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

/**
 * @typedef {{vi: string, en: string}} Label
 * @typedef {{code: string, vi: string, en: string, short_vi: string, short_en: string}} Category
 * @typedef {{code: string, vi: string, en: string, severity: string, refer_to_police: boolean}} Violation
 * @typedef {{radius_m: number, max_accuracy_m: number}} OnSiteRule
 * @typedef {{categories: Category[], violations: Violation[], labels: Record<string, Record<string, Label>>, on_site: OnSiteRule}} Reference
 */

/** @type {Reference | null} */
let ref = null;

/**
 * setReference gives the naming functions the server's reference tables (null: not loaded).
 * @param {Reference | null} tables
 */
export function setReference(tables) { ref = tables || null; }

/** @param {Label} l */
const pick = (l) => (lang === 'en' ? l.en || l.vi : l.vi);

// categoryName names a business category in its short form, which fits a phone's line.
export function categoryName(code) {
  const c = ref?.categories?.find((x) => x.code === code);
  if (!c) return code || '';
  return lang === 'en' ? c.short_en || c.en : c.short_vi || c.vi;
}

// agencyName names an agency by its code from the list GET /api/v1/agencies gave (kept on the
// phone): in Vietnamese its short name, in English its English name; an unknown code shows as
// it is.
export function agencyName(code, agencies) {
  const a = (agencies || []).find((x) => x.code === code);
  if (!a) return code || '';
  return lang === 'en' ? a.name_en || a.name_vi : a.short_vi || a.name_vi;
}

const violation = (code) => ref?.violations?.find((x) => x.code === code);

export function violationName(code) {
  const v = violation(code);
  return v ? pick(v) : code || '';
}

// violationSeverity is low, medium, high or critical; '' while the tables are not loaded.
export function violationSeverity(code) {
  return violation(code)?.severity || '';
}

// violationCodes lists the violation codes in the server's order.
export const violationCodes = () => (ref?.violations || []).map((v) => v.code);

// label names a code of one of the tables' kinds (outcome, task_reason, flag, ...).
export function label(kind, code) {
  const l = ref?.labels?.[kind]?.[code];
  return l ? pick(l) : code || '';
}

export const outcomeName = (code) => label('outcome', code);
export const reasonName = (code) => label('task_reason', code);
export const flagName = (code) => label('flag', code);

/**
 * onSiteRule is the server's rule for a check-in at the business, or null while the tables
 * are not loaded (the phone then gives no verdict of its own).
 * @returns {OnSiteRule | null}
 */
export function onSiteRule() {
  const r = ref?.on_site;
  return r && r.radius_m > 0 ? r : null;
}

const locale = () => (lang === 'en' ? 'en-GB' : 'vi-VN');

// distance formats metres as "350 m" or "1,2 km".
export function distance(m) {
  if (m == null || !isFinite(m)) return '';
  if (m < 1000) return `${Math.round(m / 10) * 10} m`;
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: m < 10000 ? 1 : 0 }).format(m / 1000)} km`;
}

export function time(d) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(d));
}

// day formats "2026-11-02" as the weekday and date.
export function day(s, long) {
  const [y, m, d] = s.split('-').map(Number);
  /** @type {Intl.DateTimeFormatOptions} */
  const opts = long ? { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' } : { day: '2-digit', month: '2-digit', year: 'numeric' };
  return new Intl.DateTimeFormat(locale(), { ...opts, timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

export function kb(bytes) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(bytes / 1024);
}
