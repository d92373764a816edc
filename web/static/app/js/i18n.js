// @ts-check
// Texts of the app in Vietnamese (the default) and English, and the reference data the phone
// needs offline: business categories, violation codes, outcomes. The violation codes mirror
// refdata/data/violations.json; web/appdata_test.go fails when they drift apart.

const vi = {
  app: 'Kiểm tra liên ngành',
  loading: 'Đang tải…',
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  login: 'Đăng nhập',
  loggingIn: 'Đang đăng nhập…',
  loginOffline: 'Cần có mạng để đăng nhập. Dữ liệu trên máy vẫn được giữ.',
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
  reason_coverage: 'Chưa kiểm tra trong chương trình',
  reason_reinspection: 'Kiểm tra lại theo rủi ro',
  reason_requeue: 'Kiểm tra lại (lần trước không vào được)',
  reason_follow_up: 'Kiểm tra việc khắc phục vi phạm',
  reason_tip: 'Tin báo khẩn',
  flag_off_site: 'ngoài địa điểm',
  flag_no_checkin: 'không điểm danh',
  flag_short_visit: 'thời gian kiểm tra ngắn',
  flag_outside_task_day: 'khác ngày được giao',
  flag_mocked_location: 'vị trí giả lập',
  flag_zero_accuracy: 'sai số 0 m',
  flag_impossible_travel: 'di chuyển bất thường',
};

const en = {
  app: 'Interagency inspection',
  loading: 'Loading…',
  username: 'Username',
  password: 'Password',
  login: 'Sign in',
  loggingIn: 'Signing in…',
  loginOffline: 'Signing in needs a connection. The data on this phone is kept.',
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
  reason_coverage: 'Not yet inspected in the programme',
  reason_reinspection: 'Re-inspection by risk',
  reason_requeue: 'Repeat of a missed visit',
  reason_follow_up: 'Follow-up of a violation',
  reason_tip: 'Urgent tip',
  flag_off_site: 'off site',
  flag_no_checkin: 'no check-in',
  flag_short_visit: 'short visit',
  flag_outside_task_day: 'not on the task’s day',
  flag_mocked_location: 'mocked location',
  flag_zero_accuracy: 'zero accuracy',
  flag_impossible_travel: 'impossible travel',
};

// [code, vi, en]
const CATEGORIES = [
  ['accommodation', 'Cơ sở lưu trú', 'Accommodation'],
  ['karaoke', 'Karaoke', 'Karaoke'],
  ['dance_hall', 'Vũ trường', 'Dance hall'],
  ['bar', 'Quán bar, pub', 'Bar, pub'],
  ['massage', 'Xoa bóp, xông hơi', 'Massage, sauna'],
  ['spa', 'Spa, thẩm mỹ', 'Spa, beauty salon'],
  ['hair_salon', 'Hớt tóc thanh nữ', 'Hair-wash salon'],
  ['hostess_restaurant', 'Nhà hàng có tiếp viên', 'Restaurant with hostesses'],
  ['hostess_cafe', 'Cà phê có tiếp viên', 'Café with hostesses'],
  ['other', 'Loại hình khác', 'Other'],
];

// [code, severity, vi, en]
export const VIOLATIONS = [
  ['LIC_REG', 'medium', 'Không có hoặc sai giấy chứng nhận đăng ký kinh doanh', 'No valid business registration'],
  ['LIC_ANTT', 'high', 'Không có giấy chứng nhận đủ điều kiện về an ninh, trật tự', 'No certificate of security-and-order conditions'],
  ['LAB_CONTRACT', 'medium', 'Không có hợp đồng lao động bằng văn bản với người lao động', 'Workers without written labour contracts'],
  ['LAB_MINOR', 'high', 'Sử dụng người dưới 18 tuổi làm công việc bị cấm', 'Workers under 18 in prohibited work'],
  ['RES_STAFF', 'low', 'Người lao động chưa đăng ký tạm trú', 'Staff temporary residence not registered'],
  ['HEALTH_CHECK', 'low', 'Người lao động chưa khám sức khỏe định kỳ', 'Staff without periodic health checks'],
  ['FIRE_SAFETY', 'medium', 'Không bảo đảm điều kiện phòng cháy, chữa cháy', 'Fire safety conditions not met'],
  ['KAR_ROOM_AREA', 'medium', 'Phòng hát karaoke dưới 20 m2', 'Karaoke room under 20 m2'],
  ['ROOM_LOCK', 'high', 'Lắp chốt cửa bên trong phòng hoặc thiết bị báo động đối phó kiểm tra', 'Latches inside rooms or alarm devices to evade inspection'],
  ['HOURS', 'medium', 'Hoạt động ngoài giờ cho phép', 'Operating outside permitted hours'],
  ['CONTENT', 'medium', 'Hình ảnh, nội dung không phù hợp', 'Inappropriate images or content'],
  ['DANCE_MINOR', 'high', 'Cho người dưới 18 tuổi vào vũ trường', 'Customers under 18 in a dance hall'],
  ['ACC_NOTIFY', 'medium', 'Không thông báo lưu trú cho cơ quan công an', 'Guest stay not notified to the police'],
  ['MAS_FACILITY', 'medium', 'Cơ sở xoa bóp không bảo đảm điều kiện (chuông báo, ánh sáng, quy trình, tách biệt)', 'Massage facility conditions not met (bell, light, procedure poster, separation)'],
  ['INDECENT', 'high', 'Có biểu hiện khiêu dâm, kích dục', 'Indecent or sexually suggestive activity'],
  ['PROSTITUTION', 'critical', 'Phát hiện hành vi mua bán dâm, chứa mại dâm, môi giới mại dâm', 'Buying or selling sex, harbouring or brokering prostitution found'],
  ['OTHER', 'low', 'Vi phạm khác', 'Other violation'],
];

// [code, vi, en]; the first two mean the team got in and answered the checklist.
export const OUTCOMES = [
  ['compliant', 'Không vi phạm', 'Compliant'],
  ['violation', 'Có vi phạm', 'Violation found'],
  ['closed', 'Cơ sở đóng cửa', 'Closed'],
  ['refused', 'Từ chối kiểm tra', 'Refused entry'],
  ['not_found', 'Không tìm thấy cơ sở', 'Business not found'],
];

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

const pickLang = (row, vIdx) => (lang === 'en' ? row[vIdx + 1] : row[vIdx]);

export function categoryName(code) {
  const c = CATEGORIES.find((r) => r[0] === code);
  return c ? pickLang(c, 1) : code;
}

// agencyName names an agency by its code from the list GET /api/v1/agencies gave (kept on the
// phone): in Vietnamese its short name, in English its English name; an unknown code shows as
// it is.
export function agencyName(code, agencies) {
  const a = (agencies || []).find((x) => x.code === code);
  if (!a) return code || '';
  return lang === 'en' ? a.name_en || a.name_vi : a.short_vi || a.name_vi;
}

export function violationName(code) {
  const v = VIOLATIONS.find((r) => r[0] === code);
  return v ? pickLang(v, 2) : code;
}

export function violationSeverity(code) {
  const v = VIOLATIONS.find((r) => r[0] === code);
  return v ? v[1] : 'low';
}

export function outcomeName(code) {
  const o = OUTCOMES.find((r) => r[0] === code);
  return o ? pickLang(o, 1) : code;
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
