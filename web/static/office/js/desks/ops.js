// @ts-check
// The administrator's operations desk: the scheduled jobs, their last runs and "run now"
// (#/ops), and the audit log with its filters, pages and chain check (#/ops/audit). Planners
// may read the jobs (GET /api/v1/jobs), not run them nor read the audit log: they see the jobs
// screen only, without its buttons. Jobs, actions, records and statuses are named in words by
// this desk's messages; a code it does not know is shown as plain words, never as snake_case.

import { h } from "../../../shared/js/dom.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{id: number, job: string, slot: string, kind: string, started_at: string, heartbeat_at: string | null,
 *   finished_at: string | null, status: string, result: string, error: string}} JobRun
 * @typedef {{job: string, schedule: string, last_run: JobRun | null}} JobStatus
 * @typedef {{id: number, at: string, actor: string, action: string, entity_type: string, entity_id: string}} AuditEvent
 */

const messages = {
  vi: {
    opsNav: "Vận hành",
    opsTabs: "Các trang vận hành",
    opsJobsTab: "Tác vụ định kỳ",
    opsAuditTab: "Nhật ký thao tác",
    opsJobsTitle: "Tác vụ định kỳ",
    opsJobsIntro: "Các tác vụ hệ thống tự chạy theo lịch (giờ Việt Nam). Quản trị viên có thể cho chạy ngay một tác vụ.",
    opsJobsReadOnly: "Bạn xem được kết quả các tác vụ; chỉ quản trị viên được cho chạy ngay.",
    opsNoJobs: "Máy chủ chưa đăng ký tác vụ nào.",
    opsSchedule: "Lịch chạy",
    opsLastRun: "Lần chạy gần nhất",
    opsNeverRun: "Chưa chạy lần nào.",
    opsRecentRuns: "Các lần chạy gần đây",
    opsColStarted: "Bắt đầu",
    opsColFinished: "Kết thúc",
    opsColKind: "Cách chạy",
    opsColStatus: "Kết quả",
    opsColMessage: "Ghi chú",
    opsStillRunning: "Đang chạy",
    opsHeartbeat: "còn hoạt động lúc {when}",
    opsRunNow: "Chạy ngay",
    opsRunConfirm: "Chạy tác vụ “{job}” ngay bây giờ? Tác vụ chạy như khi đến giờ theo lịch.",
    opsRunYes: "Chạy",
    opsRunNo: "Thôi",
    opsRunning: "Đang chạy…",
    opsRunDone: "Đã chạy xong “{job}”: {status}.",
    opsRunFailed: "“{job}” chạy không thành công: {status}.",
    opsRunSkipped: "“{job}” không chạy: một lần chạy khác của tác vụ này đang diễn ra.",
    opsRunTaken: "Tác vụ đang được chạy ở nơi khác; hãy tải lại trang sau ít phút.",
    opsDuration: "trong {d}",
    opsSeconds: "{n} giây",
    opsEnglishNote: "Ghi chú của hệ thống (tiếng Anh): {text}",
    opsErrorNote: "Lỗi: {text}",
    opsNone: "—",
    opsManualOnly: "Không chạy theo lịch: chỉ chạy khi quản trị viên cho chạy ngay",
    opsDaily: "Hằng ngày lúc {time}",
    opsHourly: "Hằng giờ, vào phút thứ {minute}",
    opsEveryMinutes: "Cứ {n} phút một lần",
    opsWeekly: "{day} hằng tuần lúc {time}",
    opsMonthly: "Ngày {day} hằng tháng lúc {time}",
    opsYearly: "Ngày {day} tháng {month} hằng năm lúc {time}",
    opsCronSpec: "Lịch chạy theo biểu thức cron: {spec}",
    opsDay0: "Chủ nhật", opsDay1: "Thứ Hai", opsDay2: "Thứ Ba", opsDay3: "Thứ Tư", opsDay4: "Thứ Năm", opsDay5: "Thứ Sáu", opsDay6: "Thứ Bảy",
    opsStatusRunning: "Đang chạy",
    opsStatusOk: "Thành công",
    opsStatusFailed: "Không thành công",
    opsStatusSkipped: "Bỏ qua (lần chạy khác đang diễn ra)",
    opsKindScheduled: "Theo lịch",
    opsKindManual: "Quản trị viên cho chạy",
    opsKindRetry: "Chạy lại sau sự cố",
    opsKindCatchUp: "Chạy bù lần đã lỡ",
    opsJobNightly: "Xử lý cuối ngày",
    opsJobNightlyDo: "Mỗi đêm: trả các lượt kiểm tra chưa làm xong về danh sách chờ, xếp lại các lượt bị lỡ và cập nhật dự báo tiến độ của các chương trình.",
    opsJobYearly: "Dự thảo kế hoạch năm sau",
    opsJobYearlyDo: "Lập bản dự thảo kế hoạch kiểm tra của năm sau cho từng chương trình, chờ quay số chọn cơ sở.",
    opsJobMorning: "Giao việc buổi sáng",
    opsJobMorningDo: "Giao cho các tổ lộ trình kiểm tra của ngày (và những ngày sắp tới trong thời hạn giao trước).",
    opsJobCerts: "Cảnh báo giấy chứng nhận an ninh, trật tự",
    opsJobCertsDo: "Đánh dấu cho công an các cơ sở bị xử phạt về an ninh, trật tự từ 2 lần trong 12 tháng (Điều 18.2 Nghị định 96/2016/NĐ-CP).",
    opsJobSanctionsOverdue: "Nhắc quyết định xử phạt quá hạn",
    opsJobSanctionsOverdueDo: "Thông báo cho người đề xuất và cán bộ kế hoạch phụ trách địa bàn các quyết định xử phạt đã quá hạn nộp phạt hoặc khắc phục hậu quả, mỗi thời hạn một lần.",
    opsJobSubmissionsDue: "Nhắc báo cáo số liệu chỉ tiêu",
    opsJobSubmissionsDueDo: "Thông báo cho cán bộ báo cáo của từng đơn vị các số liệu chỉ tiêu sắp đến hạn, và một lần nữa khi đã quá hạn.",
    opsActPropose: "Đề xuất xử phạt",
    opsActDecide: "Ghi nhận quyết định xử phạt",
    opsActPayment: "Ghi nhận nộp phạt",
    opsActMeasureDone: "Ghi nhận biện pháp khắc phục hoàn thành",
    opsActReferral: "Chuyển cơ quan công an",
    opsActSuspend: "Đình chỉ giấy chứng nhận",
    opsActWithdraw: "Thu hồi giấy chứng nhận",
    opsActFlag: "Cảnh báo giấy chứng nhận",
    opsEntSanction: "Xử phạt",
    opsEntCertificate: "Giấy chứng nhận an ninh, trật tự",
    opsJobTips: "Chuyển cấp tin báo quá hạn",
    opsJobTipsDo: "Báo lên người phụ trách các tin báo đã quá thời hạn xử lý.",
    opsJobReports: "Lưu trữ báo cáo",
    opsJobReportsDo: "Lập và lưu báo cáo của các kỳ đã kết thúc, để không sửa được về sau.",
    opsJobOther: "Tác vụ hệ thống.",
    opsMsgNothing: "Không có việc cần làm",
    opsMsgEscalated: "{n} tin báo quá hạn đã được chuyển cấp",
    opsMsgDueSoon: "{n} tin báo sắp đến hạn đã được nhắc",
    opsMsgSanctionsOverdue: "{n} quyết định xử phạt quá hạn",
    opsMsgUnitsOwe: "{n} đơn vị còn nợ số liệu chỉ tiêu",
    opsMsgReleased: "{n} lượt kiểm tra đã giao cho các tổ",
    opsMsgBackToPool: "{n} lượt kiểm tra chưa xong đã trả về danh sách chờ",
    opsMsgRequeued: "{n} lượt kiểm tra bị lỡ đã được xếp lại",
    opsMsgArchived: "Đã lưu {n} báo cáo",
    opsMsgReportsFailed: "{n} báo cáo không lập được",
    opsMsgNoDraft: "Không có kế hoạch nào cần dự thảo",
    opsMsgFits: "{code}: các tổ đủ sức làm phần còn lại của chương trình (cần {need} trên {avail} ngày công)",
    opsMsgShort: "{code}: dự báo thiếu {missing} ngày công từ năm {year} (cần {need}, có {avail})",
    opsMsgNoPlan: "{code}: chưa có kế hoạch năm {year} được phê duyệt",
    opsMsgOpened: "{code}: thêm {n} cơ sở mới mở trong năm vào kế hoạch",
    opsMsgDrafted: "{code} năm {year}: đã dự thảo, chờ quay số ngày {draw}: khoảng {n} lượt kiểm tra ({never} cơ sở chưa từng được kiểm tra), khả thi",
    opsMsgDraftedShort: "{code} năm {year}: đã dự thảo, chờ quay số ngày {draw}: khoảng {n} lượt kiểm tra ({never} cơ sở chưa từng được kiểm tra), không đủ năng lực",

    opsAuditTitle: "Nhật ký thao tác",
    opsAuditIntro: "Mọi thay đổi dữ liệu và mọi lần tra cứu thông tin nhạy cảm đều được ghi lại, nối thành chuỗi có chữ ký để không sửa hay xóa được mà không bị phát hiện.",
    opsAuditAdminOnly: "Chỉ quản trị viên phụ trách toàn thành phố được xem nhật ký thao tác.",
    opsFilterActor: "Người thực hiện",
    opsFilterActorHint: "Tên đăng nhập",
    opsFilterAction: "Thao tác",
    opsFilterEntity: "Loại hồ sơ",
    opsFilterEntityID: "Mã hồ sơ",
    opsFilterFrom: "Từ ngày",
    opsFilterTo: "Đến ngày",
    opsFilterAll: "Tất cả",
    opsFilterShow: "Xem",
    opsFilterClear: "Bỏ lọc",
    opsToBeforeFrom: "“Đến ngày” phải cùng hoặc sau “Từ ngày”.",
    opsRecordHistory: "Xem mọi thao tác trên hồ sơ này",
    opsColAt: "Thời gian",
    opsColActor: "Người thực hiện",
    opsColAction: "Thao tác",
    opsColRecord: "Hồ sơ",
    opsAuditEmpty: "Không có thao tác nào khớp với điều kiện lọc.",
    opsAuditPage: "Trang {page} · {n} thao tác",
    opsFirstPage: "« Trang đầu",
    opsPrevPage: "‹ Trang trước",
    opsNextPage: "Trang sau ›",
    opsVerify: "Kiểm tra chuỗi nhật ký",
    opsVerifying: "Đang kiểm tra…",
    opsVerifyOk: "Chuỗi nhật ký nguyên vẹn: đã kiểm tra {n} thao tác, không có thao tác nào bị sửa hay bị xóa.",
    opsVerifyLegacy: "Trong đó {n} thao tác được ghi trước khi có khóa ký của hệ thống.",
    opsVerifyBroken: "Chuỗi nhật ký bị phá vỡ: {message}",
    opsVerifyWhere: "Chỗ hỏng đầu tiên: thao tác số {id} lúc {at} ({action}, {who}).",
    opsVerifyCount: "Đã đọc {n} thao tác.",
    opsSystem: "Hệ thống (tác vụ tự động)",
    opsPublic: "Người dân (gửi qua trang công khai)",
    opsAnonymous: "Không rõ người thực hiện",
    opsActCreate: "Tạo mới",
    opsActUpdate: "Cập nhật",
    opsActUpsert: "Tạo mới hoặc cập nhật",
    opsActImport: "Nhập dữ liệu",
    opsActRelease: "Giao lộ trình cho các tổ",
    opsActCheckin: "Điểm danh tại cơ sở",
    opsActRecord: "Ghi kết quả kiểm tra",
    opsActAmend: "Sửa kết quả kiểm tra",
    opsActPhoto: "Thêm ảnh",
    opsActReview: "Xem xét kết quả kiểm tra",
    opsActLookup: "Tra cứu giấy phép",
    opsActExport: "Tải danh sách cơ sở",
    opsActDraw: "Quay số chọn cơ sở",
    opsActApprove: "Phê duyệt kế hoạch",
    opsActRevealSeed: "Công bố mã quay số",
    opsActFeasibility: "Đánh giá tính khả thi",
    opsActSettle: "Xác định địa bàn mới",
    opsActApply: "Áp dụng sắp xếp địa giới",
    opsActArchive: "Lưu trữ báo cáo",
    opsActRevokeSession: "Đăng xuất phiên làm việc",
    opsActSetStatus: "Đổi trạng thái nhiệm vụ",
    opsActReceive: "Tiếp nhận tin báo",
    opsActMerge: "Gộp tin báo",
    opsActEscalate: "Chuyển cấp tin báo quá hạn",
    opsActContactRead: "Xem thông tin liên hệ người báo tin",
    opsActVerifying: "Chuyển tin báo sang xác minh",
    opsActClassified: "Phân loại tin báo",
    opsActHandled: "Xử lý xong tin báo",
    opsActBench: "Đo hiệu năng",
    opsEntAgency: "Cơ quan",
    opsEntArea: "Địa bàn",
    opsEntAssignment: "Giao việc theo ngày",
    opsEntBusiness: "Cơ sở",
    opsEntBusinessImport: "Lần nhập danh sách cơ sở",
    opsEntInspection: "Kết quả kiểm tra",
    opsEntPlan: "Kế hoạch",
    opsEntProgramme: "Chương trình",
    opsEntReorganisation: "Sắp xếp địa giới",
    opsEntReport: "Báo cáo",
    opsEntSession: "Phiên làm việc",
    opsEntTask: "Nhiệm vụ",
    opsEntTeam: "Tổ công tác",
    opsEntTip: "Tin báo",
    opsEntUser: "Tài khoản",
    opsEntBench: "Đo hiệu năng",
  },
  en: {
    opsNav: "Operations",
    opsTabs: "Operations pages",
    opsJobsTab: "Scheduled jobs",
    opsAuditTab: "Audit log",
    opsJobsTitle: "Scheduled jobs",
    opsJobsIntro: "The jobs the system runs on its own, on a schedule (Vietnam time). An administrator may run a job now.",
    opsJobsReadOnly: "You can read the jobs' results; only an administrator may run one now.",
    opsNoJobs: "The server has no jobs.",
    opsSchedule: "Schedule",
    opsLastRun: "Last run",
    opsNeverRun: "It has not run yet.",
    opsRecentRuns: "Recent runs",
    opsColStarted: "Started",
    opsColFinished: "Finished",
    opsColKind: "Started by",
    opsColStatus: "Result",
    opsColMessage: "Note",
    opsStillRunning: "Running",
    opsHeartbeat: "alive at {when}",
    opsRunNow: "Run now",
    opsRunConfirm: "Run “{job}” now? It runs as it does when its time comes.",
    opsRunYes: "Run",
    opsRunNo: "Cancel",
    opsRunning: "Running…",
    opsRunDone: "“{job}” has run: {status}.",
    opsRunFailed: "“{job}” did not succeed: {status}.",
    opsRunSkipped: "“{job}” did not run: another run of it is in progress.",
    opsRunTaken: "The job is being run elsewhere; reload the page in a few minutes.",
    opsDuration: "in {d}",
    opsSeconds: "{n} s",
    opsEnglishNote: "The system's note: {text}",
    opsErrorNote: "Error: {text}",
    opsNone: "—",
    opsManualOnly: "Not scheduled: runs only when an administrator runs it now",
    opsDaily: "Daily at {time}",
    opsHourly: "Hourly, at minute {minute}",
    opsEveryMinutes: "Every {n} minutes",
    opsWeekly: "Every {day} at {time}",
    opsMonthly: "On day {day} of every month at {time}",
    opsYearly: "Every year on {day} {monthName} at {time}",
    opsCronSpec: "Cron schedule: {spec}",
    opsDay0: "Sunday", opsDay1: "Monday", opsDay2: "Tuesday", opsDay3: "Wednesday", opsDay4: "Thursday", opsDay5: "Friday", opsDay6: "Saturday",
    opsStatusRunning: "Running",
    opsStatusOk: "Succeeded",
    opsStatusFailed: "Failed",
    opsStatusSkipped: "Skipped (another run was in progress)",
    opsKindScheduled: "Its schedule",
    opsKindManual: "An administrator",
    opsKindRetry: "A retry after a failure",
    opsKindCatchUp: "A catch-up of a missed time",
    opsJobNightly: "Nightly processing",
    opsJobNightlyDo: "Every night: returns unfinished visits to the pool, requeues missed visits and updates the programmes' progress forecasts.",
    opsJobYearly: "Next year's draft plans",
    opsJobYearlyDo: "Drafts next year's inspection plan of each programme, waiting for the draw of businesses.",
    opsJobMorning: "Morning assignment",
    opsJobMorningDo: "Releases the day's routes (and the coming days' within the release horizon) to the teams.",
    opsJobCerts: "Certificate flags",
    opsJobCertsDo: "Flags for the police the businesses sanctioned at least twice in 12 months on security and order (Decree 96/2016 Art. 18.2).",
    opsJobSanctionsOverdue: "Overdue sanctions",
    opsJobSanctionsOverdueDo: "Notifies the proposer and the planners of the area of the sanctions past their payment or remedial deadline, once per deadline.",
    opsJobSubmissionsDue: "Indicator figures due",
    opsJobSubmissionsDueDo: "Tells each unit's reporting officers of the indicator figures near their deadline, and once more when they are late.",
    opsActPropose: "Sanction proposed",
    opsActDecide: "Sanction decided",
    opsActPayment: "Fine paid",
    opsActMeasureDone: "Remedial measure done",
    opsActReferral: "Referred to the police",
    opsActSuspend: "Certificate suspended",
    opsActWithdraw: "Certificate withdrawn",
    opsActFlag: "Certificate flagged",
    opsEntSanction: "Sanction",
    opsEntCertificate: "Security-and-order certificate",
    opsJobTips: "Overdue tip escalation",
    opsJobTipsDo: "Escalates tips past their handling deadline to the people responsible.",
    opsJobReports: "Report archive",
    opsJobReportsDo: "Makes and archives the reports of closed periods, so that they cannot change later.",
    opsJobOther: "A system job.",
    opsMsgNothing: "Nothing to do",
    opsMsgEscalated: "{n} overdue tips escalated",
    opsMsgDueSoon: "{n} tips near their deadline warned",
    opsMsgSanctionsOverdue: "{n} sanctions overdue",
    opsMsgUnitsOwe: "{n} units owe indicator figures",
    opsMsgReleased: "{n} visits released to the teams",
    opsMsgBackToPool: "{n} unfinished visits back to the pool",
    opsMsgRequeued: "{n} missed visits requeued",
    opsMsgArchived: "{n} reports archived",
    opsMsgReportsFailed: "{n} reports failed",
    opsMsgNoDraft: "No plan to draft",
    opsMsgFits: "{code}: the teams can do the rest of the programme ({need} of {avail} team-days needed)",
    opsMsgShort: "{code}: {missing} team-days short from {year} ({need} needed, {avail} available)",
    opsMsgNoPlan: "{code}: no approved plan for {year}",
    opsMsgOpened: "{code}: {n} businesses opened this year added to the plan",
    opsMsgDrafted: "{code} {year}: drafted, waiting for the draw on {draw}: about {n} visits ({never} never inspected), feasible",
    opsMsgDraftedShort: "{code} {year}: drafted, waiting for the draw on {draw}: about {n} visits ({never} never inspected), beyond the teams' capacity",

    opsAuditTitle: "Audit log",
    opsAuditIntro: "Every change of data and every look-up of sensitive information is recorded in a signed chain, so that no entry can be edited or deleted unnoticed.",
    opsAuditAdminOnly: "Only city-wide administrators may read the audit log.",
    opsFilterActor: "Who",
    opsFilterActorHint: "Username",
    opsFilterAction: "Action",
    opsFilterEntity: "Kind of record",
    opsFilterEntityID: "Record's id",
    opsFilterFrom: "From",
    opsFilterTo: "To",
    opsFilterAll: "All",
    opsFilterShow: "Show",
    opsFilterClear: "Clear filters",
    opsToBeforeFrom: "“To” must be the same day as “From” or later.",
    opsRecordHistory: "Show every action on this record",
    opsColAt: "Time",
    opsColActor: "Who",
    opsColAction: "Action",
    opsColRecord: "Record",
    opsAuditEmpty: "No action matches the filters.",
    opsAuditPage: "Page {page} · {n} actions",
    opsFirstPage: "« First page",
    opsPrevPage: "‹ Previous page",
    opsNextPage: "Next page ›",
    opsVerify: "Verify the log's chain",
    opsVerifying: "Verifying…",
    opsVerifyOk: "The log's chain is intact: {n} actions checked, none edited or deleted.",
    opsVerifyLegacy: "Of these, {n} were recorded before the system had its signing key.",
    opsVerifyBroken: "The log's chain is broken: {message}",
    opsVerifyWhere: "First break: action no. {id} at {at} ({action}, {who}).",
    opsVerifyCount: "{n} actions read.",
    opsSystem: "The system (a scheduled job)",
    opsPublic: "The public (the public tip page)",
    opsAnonymous: "Unknown",
    opsActCreate: "Created",
    opsActUpdate: "Updated",
    opsActUpsert: "Created or updated",
    opsActImport: "Imported",
    opsActRelease: "Routes released to the teams",
    opsActCheckin: "Checked in at a business",
    opsActRecord: "Inspection recorded",
    opsActAmend: "Inspection amended",
    opsActPhoto: "Photo added",
    opsActReview: "Inspection reviewed",
    opsActLookup: "Licence look-up",
    opsActExport: "Registry download",
    opsActDraw: "Businesses drawn",
    opsActApprove: "Plan approved",
    opsActRevealSeed: "Draw seed published",
    opsActFeasibility: "Feasibility assessed",
    opsActSettle: "New area settled",
    opsActApply: "Reorganisation applied",
    opsActArchive: "Report archived",
    opsActRevokeSession: "Session signed out",
    opsActSetStatus: "Task status changed",
    opsActReceive: "Tip received",
    opsActMerge: "Tips merged",
    opsActEscalate: "Overdue tip escalated",
    opsActContactRead: "Reporter's contact read",
    opsActVerifying: "Tip sent for verification",
    opsActClassified: "Tip classified",
    opsActHandled: "Tip handled",
    opsActBench: "Benchmark",
    opsEntAgency: "Agency",
    opsEntArea: "Area",
    opsEntAssignment: "Day's assignment",
    opsEntBusiness: "Business",
    opsEntBusinessImport: "Business import",
    opsEntInspection: "Inspection",
    opsEntPlan: "Plan",
    opsEntProgramme: "Programme",
    opsEntReorganisation: "Reorganisation",
    opsEntReport: "Report",
    opsEntSession: "Session",
    opsEntTask: "Task",
    opsEntTeam: "Team",
    opsEntTip: "Tip",
    opsEntUser: "Account",
    opsEntBench: "Benchmark",
  },
};

/** @type {Record<string, [string, string]>} each job's name and what it does, in the order of a day */
const JOBS = {
  morning_assignment: ["opsJobMorning", "opsJobMorningDo"],
  tip_escalation: ["opsJobTips", "opsJobTipsDo"],
  nightly: ["opsJobNightly", "opsJobNightlyDo"],
  certificate_flags: ["opsJobCerts", "opsJobCertsDo"],
  sanction_overdue: ["opsJobSanctionsOverdue", "opsJobSanctionsOverdueDo"],
  submission_due: ["opsJobSubmissionsDue", "opsJobSubmissionsDueDo"],
  reports: ["opsJobReports", "opsJobReportsDo"],
  yearly_plan: ["opsJobYearly", "opsJobYearlyDo"],
};

const STATUS = { running: "opsStatusRunning", ok: "opsStatusOk", failed: "opsStatusFailed", skipped: "opsStatusSkipped" };
const STATUS_BADGE = { running: "warn", ok: "ok", failed: "bad", skipped: "" };
const KINDS = { scheduled: "opsKindScheduled", manual: "opsKindManual", retry: "opsKindRetry", catch_up: "opsKindCatchUp" };

// The actions the store records (appendAudit), each in words.
const ACTIONS = {
  create: "opsActCreate", update: "opsActUpdate", upsert: "opsActUpsert", import: "opsActImport",
  release: "opsActRelease", checkin: "opsActCheckin", record: "opsActRecord", amend: "opsActAmend",
  photo: "opsActPhoto", review: "opsActReview", licensing_lookup: "opsActLookup", registry_export: "opsActExport", draw: "opsActDraw",
  approve: "opsActApprove", reveal_seed: "opsActRevealSeed", feasibility: "opsActFeasibility",
  settle: "opsActSettle", apply: "opsActApply", archive: "opsActArchive", revoke_session: "opsActRevokeSession",
  set_status: "opsActSetStatus", receive: "opsActReceive", merge: "opsActMerge", escalate: "opsActEscalate",
  contact_read: "opsActContactRead", verifying: "opsActVerifying", classified: "opsActClassified",
  handled: "opsActHandled", bench: "opsActBench", propose: "opsActPropose", decide: "opsActDecide", payment: "opsActPayment",
  measure_done: "opsActMeasureDone", referral: "opsActReferral", suspend: "opsActSuspend", withdraw: "opsActWithdraw", flag: "opsActFlag",
};

const ENTITIES = {
  agency: "opsEntAgency", area: "opsEntArea", assignment: "opsEntAssignment", business: "opsEntBusiness",
  business_import: "opsEntBusinessImport", inspection: "opsEntInspection", plan: "opsEntPlan",
  programme: "opsEntProgramme", reorganisation: "opsEntReorganisation", report: "opsEntReport",
  session: "opsEntSession", task: "opsEntTask", team: "opsEntTeam", tip: "opsEntTip", user: "opsEntUser",
  bench: "opsEntBench", sanction: "opsEntSanction", certificate: "opsEntCertificate",
};

const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE = 50;

// words turns a code the desk does not know into neutral words ("some_thing" -> "some thing").
function words(code) {
  const s = String(code || "").replace(/[_-]+/g, " ").trim();
  return s ? s.charAt(0).toLocaleUpperCase() + s.slice(1) : s;
}

/** @param {DeskContext} ctx @param {string} name */
export function jobName(ctx, name) {
  return JOBS[name] ? ctx.t(JOBS[name][0]) : words(name);
}

/** @param {DeskContext} ctx @param {string} action */
export function actionName(ctx, action) {
  return ACTIONS[action] ? ctx.t(ACTIONS[action]) : words(action);
}

/** @param {DeskContext} ctx @param {string} type */
function entityName(ctx, type) {
  return ENTITIES[type] ? ctx.t(ENTITIES[type]) : words(type);
}

const pad = (n) => String(n).padStart(2, "0");
const num = (s, lo, hi) => /^\d+$/.test(s) && Number(s) >= lo && Number(s) <= hi;

/**
 * scheduleText says a five-field cron spec in words where it is a simple one, else names it.
 * @param {DeskContext} ctx @param {string} spec
 */
export function scheduleText(ctx, spec) {
  const t = ctx.t;
  if (!spec) return t("opsManualOnly");
  const f = spec.trim().split(/\s+/);
  if (f.length === 5) {
    const [mi, ho, dom, mon, dow] = f;
    const every = /^\*\/(\d+)$/.exec(mi);
    if (every && ho === "*" && dom === "*" && mon === "*" && dow === "*") return t("opsEveryMinutes", { n: every[1] });
    if (num(mi, 0, 59) && ho === "*" && dom === "*" && mon === "*" && dow === "*") return t("opsHourly", { minute: mi });
    if (num(mi, 0, 59) && num(ho, 0, 23)) {
      const time = `${pad(ho)}:${pad(mi)}`;
      if (dom === "*" && mon === "*" && dow === "*") return t("opsDaily", { time });
      if (dom === "*" && mon === "*" && num(dow, 0, 7)) return t("opsWeekly", { day: t(`opsDay${Number(dow) % 7}`), time });
      if (num(dom, 1, 31) && mon === "*" && dow === "*") return t("opsMonthly", { day: dom, time });
      if (num(dom, 1, 31) && num(mon, 1, 12) && dow === "*") return t("opsYearly", { day: dom, month: mon, monthName: MONTHS_EN[Number(mon) - 1], time });
    }
  }
  return t("opsCronSpec", { spec });
}

/**
 * resultText says a run's result note in words where the desk knows its form; the rest is the
 * system's own (English) text, labelled as such.
 * @param {DeskContext} ctx @param {string} text
 * @returns {{said: string, rest: string}}
 */
export function resultText(ctx, text) {
  const t = ctx.t, fmt = ctx.fmt, said = [], rest = [];
  const n = (/** @type {string} */ x) => fmt.num(Number(x));
  /** @type {[RegExp, (m: RegExpExecArray) => string][]} the notes the jobs write (scheduler, tips, report) */
  const forms = [
    [/^nothing to do$/, () => t("opsMsgNothing")],
    [/^no plan to draft$/, () => t("opsMsgNoDraft")],
    [/^(\d+) missed deadlines escalated$/, m => t("opsMsgEscalated", { n: n(m[1]) })],
    [/^(\d+) tips near their deadline warned$/, m => t("opsMsgDueSoon", { n: n(m[1]) })],
    [/^(\d+) sanctions overdue$/, m => t("opsMsgSanctionsOverdue", { n: n(m[1]) })],
    [/^(\d+) units owe figures$/, m => t("opsMsgUnitsOwe", { n: n(m[1]) })],
    [/^(\d+) visits released$/, m => t("opsMsgReleased", { n: n(m[1]) })],
    [/^(\d+) unfinished visits back to the pool$/, m => t("opsMsgBackToPool", { n: n(m[1]) })],
    [/^(\d+) missed visits requeued$/, m => t("opsMsgRequeued", { n: n(m[1]) })],
    [/^archived (\d+) reports:/, m => t("opsMsgArchived", { n: n(m[1]) })],
    [/^archived ([^:]+)$/, m => t("opsMsgArchived", { n: fmt.num(m[1].split(", ").length) })],
    [/^(\d+) reports failed/, m => t("opsMsgReportsFailed", { n: n(m[1]) })],
    [/^(\S+): the rest of the programme fits \(([\d.]+) of ([\d.]+) team-days\)$/,
      m => t("opsMsgFits", { code: m[1], need: n(m[2]), avail: n(m[3]) })],
    [/^(\S+): projected short from (\d+) by ([\d.]+) team-days \(([\d.]+) needed of ([\d.]+)\)$/,
      m => t("opsMsgShort", { code: m[1], year: m[2], missing: n(m[3]), need: n(m[4]), avail: n(m[5]) })],
    [/^(\S+): no approved plan for (\d+)$/, m => t("opsMsgNoPlan", { code: m[1], year: m[2] })],
    [/^(\S+): (\d+) businesses opened this year added$/, m => t("opsMsgOpened", { code: m[1], n: n(m[2]) })],
    [/^(\S+) (\d+) committed, waiting for the draw of (\S+): about (\d+) visits \((\d+) never inspected\), feasible (true|false)$/,
      m => t(m[6] === "true" ? "opsMsgDrafted" : "opsMsgDraftedShort", { code: m[1], year: m[2], draw: /^\d{4}-\d{2}-\d{2}/.test(m[3]) ? fmt.date(m[3].slice(0, 10)) : m[3], n: n(m[4]), never: n(m[5]) })],
  ];
  for (const piece of String(text || "").split("; ").map(x => x.trim()).filter(Boolean)) {
    let done = false;
    for (const [re, say] of forms) {
      const m = re.exec(piece);
      if (m) { said.push(say(m)); done = true; break; }
    }
    if (!done) rest.push(piece);
  }
  return { said: said.join("; "), rest: rest.join("; ") };
}

/** @param {DeskContext} ctx @param {string} status */
function statusBadge(ctx, status) {
  return h("span", { class: `badge ${STATUS_BADGE[status] || ""} ops-status`, dataset: { status } }, STATUS[status] ? ctx.t(STATUS[status]) : words(status));
}

/** @param {DeskContext} ctx @param {JobRun} run */
function runNote(ctx, run) {
  const { said, rest } = resultText(ctx, run.result);
  /** @type {any[]} */
  const out = [];
  if (said) out.push(h("div", {}, said));
  // The system's own note: neutral text (no codes read as words).
  if (rest) out.push(h("div", { class: "muted ops-english", lang: "en" }, ctx.t("opsEnglishNote", { text: words(rest) === rest ? rest : rest.replace(/_/g, " ") })));
  if (run.error) out.push(h("div", { class: "ops-error", lang: "en" }, ctx.t("opsErrorNote", { text: run.error.replace(/_/g, " ") })));
  return out.length ? out : [h("span", { class: "muted" }, ctx.t("opsNone"))];
}

/** @param {DeskContext} ctx @param {JobRun} run */
function whenText(ctx, run) {
  const fmt = ctx.fmt;
  if (!run.finished_at) {
    return run.heartbeat_at ? `${ctx.t("opsStillRunning")} (${ctx.t("opsHeartbeat", { when: fmt.time(run.heartbeat_at) })})` : ctx.t("opsStillRunning");
  }
  const ms = Date.parse(run.finished_at) - Date.parse(run.started_at);
  const d = ms < 90000 ? ctx.t("opsSeconds", { n: fmt.num(Math.max(0, Math.round(ms / 1000))) }) : fmt.duration(ms);
  return `${fmt.dateTime(run.finished_at)} (${ctx.t("opsDuration", { d })})`;
}

/** @param {DeskContext} ctx @param {string} active */
function tabs(ctx, active) {
  const t = ctx.t;
  const links = [h("a", { href: "#/ops", class: active === "jobs" ? "active" : "", "aria-current": active === "jobs" ? "page" : null }, t("opsJobsTab"))];
  if (isAdmin(ctx)) links.push(h("a", { href: "#/ops/audit", class: active === "audit" ? "active" : "", "aria-current": active === "audit" ? "page" : null }, t("opsAuditTab")));
  return h("nav", { class: "ops-tabs", "aria-label": t("opsTabs") }, links);
}

/** @param {DeskContext} ctx */
function isAdmin(ctx) {
  return !!ctx.user && ctx.user.role === "admin";
}

/**
 * The jobs: each one's name, what it does, its schedule, its last run and its recent runs; an
 * administrator may run one now.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function renderJobs(el, ctx) {
  const t = ctx.t, fmt = ctx.fmt;
  ctx.setTitle(t("opsJobsTitle"));
  /** @type {{jobs: string[], latest: JobStatus[], runs: JobRun[]}} */
  const data = await ctx.api.get("/api/v1/jobs");
  const admin = isAdmin(ctx);
  const head = h("section", { class: "card" }, h("h1", {}, t("opsJobsTitle")), h("p", {}, t("opsJobsIntro")),
    admin ? null : h("p", { class: "muted" }, t("opsJobsReadOnly")));
  if (!data.latest.length) {
    el.replaceChildren(tabs(ctx, "jobs"), head, h("section", { class: "card" }, h("p", {}, t("opsNoJobs"))));
    return;
  }
  const order = Object.keys(JOBS);
  const rank = (/** @type {string} */ job) => (order.includes(job) ? order.indexOf(job) : order.length);
  const cards = [...data.latest].sort((a, b) => rank(a.job) - rank(b.job) || a.job.localeCompare(b.job)).map(st => {
    const name = jobName(ctx, st.job);
    const last = st.last_run;
    const recent = data.runs.filter(r => r.job === st.job).slice(0, 5);
    const state = last ? last.status : "";
    const card = h("section", { class: `card ops-job ${state ? "ops-job-" + state : ""}`, dataset: { job: st.job, status: state } });
    const result = h("div", { class: "ops-run-result", "aria-live": "polite" });
    /** @type {HTMLElement | null} */
    let actions = null;
    if (admin) {
      const run = h("button", { type: "button", class: "ops-run" }, t("opsRunNow"));
      const confirmBox = h("div", { class: "ops-confirm", hidden: true, role: "group" });
      const yes = h("button", { type: "button", class: "ops-run-yes" }, t("opsRunYes"));
      const no = h("button", { type: "button", class: "secondary ops-run-no" }, t("opsRunNo"));
      confirmBox.append(h("p", {}, t("opsRunConfirm", { job: name })), h("div", { class: "row" }, yes, no));
      run.addEventListener("click", () => { confirmBox.hidden = false; run.hidden = true; result.replaceChildren(); yes.focus(); });
      no.addEventListener("click", () => { confirmBox.hidden = true; run.hidden = false; run.focus(); });
      yes.addEventListener("click", async () => {
        yes.disabled = no.disabled = true;
        yes.textContent = t("opsRunning");
        try {
          /** @type {JobRun} */
          const r = await ctx.api.post(`/api/v1/jobs/${encodeURIComponent(st.job)}/run`, {});
          const status = STATUS[r.status] ? t(STATUS[r.status]) : words(r.status);
          const key = r.status === "ok" ? "opsRunDone" : r.status === "skipped" ? "opsRunSkipped" : "opsRunFailed";
          const box = h("div", { class: r.status === "ok" ? "notice" : r.status === "skipped" ? "warn" : "alert", role: "status", dataset: { status: r.status } },
            h("b", {}, t(key, { job: name, status })), runNote(ctx, r));
          await renderJobs(el, ctx);
          const again = el.querySelector(`.ops-job[data-job="${CSS.escape(st.job)}"] .ops-run-result`);
          if (again) again.replaceChildren(box);
        } catch (ex) {
          ctx.showError(result, ex);
          yes.disabled = no.disabled = false;
          yes.textContent = t("opsRunYes");
        }
      });
      actions = h("div", { class: "ops-actions" }, run, confirmBox);
    }
    const lastBlock = last
      ? h("dl", { class: "ops-facts" },
        h("dt", {}, t("opsColStatus")), h("dd", {}, statusBadge(ctx, last.status)),
        h("dt", {}, t("opsColKind")), h("dd", {}, KINDS[last.kind] ? t(KINDS[last.kind]) : words(last.kind)),
        h("dt", {}, t("opsColStarted")), h("dd", {}, fmt.dateTime(last.started_at)),
        h("dt", {}, t("opsColFinished")), h("dd", {}, whenText(ctx, last)),
        h("dt", {}, t("opsColMessage")), h("dd", {}, runNote(ctx, last)))
      : h("p", { class: "muted" }, t("opsNeverRun"));
    const table = recent.length > 1
      ? h("details", { class: "ops-recent" }, h("summary", {}, t("opsRecentRuns")),
        h("ol", { class: "ops-runs" }, recent.map(r => h("li", { class: r.status === "failed" ? "ops-failed" : "", dataset: { run: String(r.id) } },
          h("div", { class: "ops-run-line" }, statusBadge(ctx, r.status), " ", h("b", {}, fmt.dateTime(r.started_at)), " · ",
            KINDS[r.kind] ? t(KINDS[r.kind]) : words(r.kind), " · ", t("opsColFinished").toLocaleLowerCase(), ": ", whenText(ctx, r)),
          runNote(ctx, r)))))
      : null;
    card.append(
      h("div", { class: "ops-job-head" }, h("h2", {}, name), last ? statusBadge(ctx, last.status) : null),
      h("p", {}, JOBS[st.job] ? t(JOBS[st.job][1]) : t("opsJobOther")),
      h("p", { class: "ops-schedule" }, h("b", {}, t("opsSchedule") + ": "), scheduleText(ctx, st.schedule)),
      h("h3", {}, t("opsLastRun")), lastBlock, ...[table, actions, result].filter(x => x));
    return card;
  });
  el.replaceChildren(tabs(ctx, "jobs"), head, h("div", { class: "ops-jobs" }, cards));
}

/**
 * userNames maps usernames and user ids to display names, and team ids to the teams' names,
 * and lists the accounts for the "who" filter (a failure leaves usernames and ids).
 * @param {DeskContext} ctx
 * @returns {Promise<{names: Map<string, string>, accounts: {username: string, name: string}[]}>}
 */
async function userNames(ctx) {
  const names = new Map(), accounts = [];
  try {
    const res = await ctx.api.get("/api/v1/users");
    for (const u of res.items || []) {
      const name = u.display_name || u.username;
      names.set(u.username, name);
      names.set(u.id, name);
      accounts.push({ username: u.username, name });
    }
  } catch {
    // The log still reads with usernames.
  }
  try {
    const res = await ctx.api.get("/api/v1/teams");
    for (const team of res.items || []) names.set(team.id, team.name);
  } catch {
    // The log still reads with the teams' ids.
  }
  return { names, accounts };
}

/** @param {DeskContext} ctx @param {Map<string, string>} names @param {string} actor */
function whoText(ctx, names, actor) {
  if (actor === "scheduler") return ctx.t("opsSystem");
  if (actor === "public") return ctx.t("opsPublic");
  if (!actor || actor === "anonymous") return ctx.t("opsAnonymous");
  const name = names.get(actor);
  return name && name !== actor ? `${name} (${actor})` : actor;
}

/**
 * whoNode is whoText for the table: the username, when shown, is marked as a name that is not
 * translated (a username such as "admin" is not the role of that name).
 * @param {DeskContext} ctx @param {Map<string, string>} names @param {string} actor
 */
function whoNode(ctx, names, actor) {
  const name = names.get(actor);
  if (!name || name === actor || ["scheduler", "public", "anonymous", ""].includes(actor)) return whoText(ctx, names, actor);
  return [name, " ", h("span", { class: "username", translate: "no" }, `(${actor})`)];
}

/** @param {DeskContext} ctx @param {Map<string, string>} names @param {AuditEvent} e */
function recordText(ctx, names, e) {
  let id = e.entity_id;
  if (e.action === "set_status" && e.entity_type === "task") id = ctx.ref.label("task_status", id);
  else if (ISO_DAY.test(id)) id = ctx.fmt.date(id);
  else if ((e.entity_type === "user" || e.entity_type === "team") && names.has(id)) id = names.get(id) || id;
  return id ? `${entityName(ctx, e.entity_type)} · ${id}` : entityName(ctx, e.entity_type);
}

/**
 * The audit log: filters, one page of events, the chain check.
 * @param {HTMLElement} el @param {DeskContext} ctx
 */
async function renderAudit(el, ctx) {
  const t = ctx.t, fmt = ctx.fmt;
  ctx.setTitle(t("opsAuditTitle"));
  if (!isAdmin(ctx)) {
    el.replaceChildren(tabs(ctx, "audit"), h("section", { class: "card" }, h("p", {}, t("opsAuditAdminOnly"))));
    return;
  }
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const filters = { actor: params.get("actor") || "", action: params.get("action") || "", entity_type: params.get("entity_type") || "",
    entity_id: params.get("entity_id") || "", from: params.get("from") || "", to: params.get("to") || "" };
  // pages: the before_id of each page after the first, up to this one.
  const pages = (params.get("pages") || "").split(",").filter(s => /^\d+$/.test(s));
  const q = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  if (pages.length) q.set("before_id", pages[pages.length - 1]);
  const labels = { actor: t("opsFilterActor"), action: t("opsFilterAction"), entity_type: t("opsFilterEntity"), entity_id: t("opsFilterEntityID"),
    from: t("opsFilterFrom"), to: t("opsFilterTo"), before_id: t("opsNextPage"), limit: t("opsNextPage") };

  const hashFor = (f, pg) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
    if (pg.length) p.set("pages", pg.join(","));
    const s = p.toString();
    return "#/ops/audit" + (s ? "?" + s : "");
  };

  // The filters.
  const select = (id, map, nameOf, value) => h("select", { id }, h("option", { value: "" }, t("opsFilterAll")),
    Object.keys(map).map(code => [code, nameOf(code)]).sort((a, b) => a[1].localeCompare(b[1], ctx.lang))
      .map(([code, label]) => h("option", { value: code, selected: code === value }, label)));
  const { names, accounts } = await userNames(ctx);
  const actor = h("input", { id: "ops-f-actor", value: filters.actor, placeholder: t("opsFilterActorHint"), autocomplete: "off", maxlength: "200", list: "ops-f-actors" });
  const actors = h("datalist", { id: "ops-f-actors" }, accounts.map(a => h("option", { value: a.username }, a.name)));
  const action = select("ops-f-action", ACTIONS, (c) => actionName(ctx, c), filters.action);
  const entity = select("ops-f-entity", ENTITIES, (c) => entityName(ctx, c), filters.entity_type);
  const entityID = h("input", { id: "ops-f-entity-id", value: filters.entity_id, autocomplete: "off", maxlength: "200" });
  const from = h("input", { id: "ops-f-from", type: "date", value: ISO_DAY.test(filters.from) ? filters.from : "" });
  const to = h("input", { id: "ops-f-to", type: "date", value: ISO_DAY.test(filters.to) ? filters.to : "" });
  const field = (id, label, input) => h("div", { class: "ops-field" }, h("label", { for: id }, label), input);
  const formErr = h("div", { hidden: true, class: "ops-form-error" });
  const form = h("form", { class: "ops-filters", id: "ops-audit-filters", onsubmit: (e) => {
    e.preventDefault();
    // A period that ends before it starts is named here, with the screen's words.
    if (from.value && to.value && to.value < from.value) {
      formErr.replaceChildren(h("div", { class: "alert", role: "alert" }, t("opsToBeforeFrom")));
      formErr.hidden = false;
      to.setAttribute("aria-invalid", "true");
      to.focus();
      return;
    }
    ctx.go(hashFor({ actor: actor.value.trim(), action: action.value, entity_type: entity.value, entity_id: entityID.value.trim(), from: from.value, to: to.value }, []));
  } },
  field("ops-f-actor", t("opsFilterActor"), [actor, actors]),
  field("ops-f-action", t("opsFilterAction"), action),
  field("ops-f-entity", t("opsFilterEntity"), entity),
  field("ops-f-entity-id", t("opsFilterEntityID"), entityID),
  field("ops-f-from", t("opsFilterFrom"), from),
  field("ops-f-to", t("opsFilterTo"), to),
  formErr,
  h("div", { class: "ops-filter-buttons row" },
    h("button", { type: "submit", id: "ops-audit-show" }, t("opsFilterShow")),
    h("a", { class: "button secondary", href: "#/ops/audit" }, t("opsFilterClear"))));

  // The chain check.
  const verifyOut = h("div", { id: "ops-verify-result", "aria-live": "polite" });
  const verify = h("button", { type: "button", id: "ops-verify", class: "secondary" }, t("opsVerify"));
  verify.addEventListener("click", async () => {
    verify.disabled = true;
    verify.textContent = t("opsVerifying");
    verifyOut.replaceChildren();
    try {
      const v = await ctx.api.get("/api/v1/audit/verify");
      if (v.ok) {
        verifyOut.replaceChildren(h("div", { class: "notice", role: "status", dataset: { ok: "true" } },
          t("opsVerifyOk", { n: fmt.num(v.events) }), v.legacy_events ? " " + t("opsVerifyLegacy", { n: fmt.num(v.legacy_events) }) : ""));
      } else {
        const message = (ctx.lang === "vi" ? v.message_vi : v.message) || v.message || "";
        const bad = v.first_bad;
        verifyOut.replaceChildren(h("div", { class: "alert", role: "alert", dataset: { ok: "false" } },
          h("b", {}, t("opsVerifyBroken", { message })),
          bad ? h("div", {}, t("opsVerifyWhere", { id: bad.id, at: fmt.dateTime(bad.at), action: actionName(ctx, bad.action), who: whoText(ctx, names, bad.actor) })) : null,
          h("div", { class: "muted" }, t("opsVerifyCount", { n: fmt.num(v.events) }))));
      }
    } catch (ex) {
      ctx.showError(verifyOut, ex);
    } finally {
      verify.disabled = false;
      verify.textContent = t("opsVerify");
    }
  });

  const head = h("section", { class: "card" }, h("h1", {}, t("opsAuditTitle")), h("p", {}, t("opsAuditIntro")),
    h("div", { class: "row" }, verify), verifyOut);
  const list = h("section", { class: "card", id: "ops-audit" }, form);
  el.replaceChildren(tabs(ctx, "audit"), head, list);

  const errBox = h("div", { hidden: true });
  /** @type {{items: AuditEvent[], next_before: number | null}} */
  let res;
  try {
    res = await ctx.api.get(`/api/v1/audit?${q}`);
  } catch (ex) {
    ctx.showError(errBox, ex, labels);
    list.append(errBox);
    return;
  }
  // The query the list shows, for a reader (or a test) to tell this page from the one before.
  list.dataset.shown = q.toString();
  const pageNo = pages.length + 1;
  const nav = h("div", { class: "row ops-pages" },
    pages.length ? h("a", { class: "button secondary", href: hashFor(filters, []) }, t("opsFirstPage")) : null,
    pages.length ? h("a", { class: "button secondary", id: "ops-prev", href: hashFor(filters, pages.slice(0, -1)) }, t("opsPrevPage")) : null,
    h("span", { class: "grow muted", id: "ops-page" }, t("opsAuditPage", { page: fmt.num(pageNo), n: fmt.num(res.items.length) })),
    res.next_before ? h("a", { class: "button secondary", id: "ops-next", href: hashFor(filters, [...pages, String(res.next_before)]) }, t("opsNextPage")) : null);
  if (!res.items.length) {
    list.append(h("p", { class: "muted", id: "ops-audit-empty" }, t("opsAuditEmpty")), pages.length ? nav : "");
    return;
  }
  const rows = res.items.map(e => h("tr", { dataset: { id: String(e.id), action: e.action } },
    h("td", { "data-label": t("opsColAt") }, fmt.dateTime(e.at)),
    h("td", { "data-label": t("opsColActor") }, whoNode(ctx, names, e.actor)),
    h("td", { "data-label": t("opsColAction") }, actionName(ctx, e.action)),
    h("td", { "data-label": t("opsColRecord"), class: "ops-record" }, e.entity_id
      ? h("a", { href: hashFor({ entity_type: e.entity_type, entity_id: e.entity_id }, []), title: t("opsRecordHistory") }, recordText(ctx, names, e))
      : recordText(ctx, names, e))));
  list.append(nav, h("div", { class: "table-wrap" }, h("table", { class: "ops-stack ops-audit" },
    h("thead", {}, h("tr", {}, ["opsColAt", "opsColActor", "opsColAction", "opsColRecord"].map(k => h("th", { scope: "col" }, t(k))))),
    h("tbody", {}, rows))));
  if (res.next_before) list.append(nav.cloneNode(true));
}

/** @type {import("../main.js").Desk} */
export default {
  id: "ops",
  roles: ["admin", "planner"],
  nav: { vi: "Vận hành", en: "Operations" },
  messages,
  async render(el, ctx) {
    const [screen] = ctx.path;
    if (screen && screen.split("?")[0] === "audit") return renderAudit(el, ctx);
    return renderJobs(el, ctx);
  },
};
