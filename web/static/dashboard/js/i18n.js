// @ts-check
// Texts of the dashboard in Vietnamese (the default) and English. The names of codes come from
// the server's reference tables (shared/js/ref.js), numbers and dates from shared/js/format.js.

import { Format } from "../../shared/js/format.js";
import { Ref } from "../../shared/js/ref.js";
import { getLang, setLang } from "../../shared/js/i18n.js";

export const STRINGS = {
  vi: {
    appName: "kiemtra",
    appTagline: "Kế hoạch và tiến độ kiểm tra cơ sở kinh doanh dịch vụ",
    otherLang: "English",
    otherLangCode: "en",
    loginTitle: "Đăng nhập",
    loginIntro: "Đăng nhập cho mọi cán bộ: cán bộ lập kế hoạch vào bảng điều khiển (bản đồ bao phủ, tiến độ, báo cáo); công an cấp phép, cán bộ tiếp nhận tin báo và tổ trưởng vào trang làm việc của mình.",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    signIn: "Đăng nhập",
    signingIn: "Đang đăng nhập…",
    signOut: "Đăng xuất",
    officeLink: "Trang làm việc",
    sessionEnded: "Phiên làm việc đã kết thúc, vui lòng đăng nhập lại.",
    skipToTable: "Bỏ qua bản đồ, tới bảng số liệu",
    programme: "Chương trình",
    year: "Năm",
    category: "Loại hình",
    allCategories: "Tất cả loại hình",
    jurisdiction: "Địa bàn",
    asOf: "Số liệu tính đến",
    loading: "Đang tải số liệu…",
    sanctionsTitle: "Xử lý vi phạm năm {year}",
    sanctionsNote: "Theo ngày quyết định; tiền phạt tính bằng đồng.",
    retry: "Thử lại",
    mapTitle: "Bản đồ bao phủ",
    mapLabel: "Bản đồ {area}: {metric} theo {level}",
    levelLabel: "Cấp hiển thị",
    colourBy: "Tô màu theo",
    byCoverage: "Bao phủ chương trình",
    byProgress: "Tiến độ năm",
    showPoints: "Hiện cơ sở",
    backUp: "Lên một cấp",
    noBusinesses: "Không có cơ sở",
    legendCoverage: "Tỷ lệ cơ sở đã kiểm tra trong chương trình",
    legendProgress: "Tỷ lệ cơ sở đã kiểm tra trong năm (chỉ tiêu {target})",
    legendPoints: "Cơ sở kinh doanh",
    metCoverage: "100% (hoàn thành)",
    metTarget: "≥ {target} (đạt chỉ tiêu)",
    yearTarget: "Chỉ tiêu năm {year}",
    yearTargetDone: "Đạt {progress} chỉ tiêu năm",
    programmeCoverage: "Bao phủ chương trình",
    leadAgency: "Cơ quan chủ trì: {name}",
    neverLeft: "Còn {n} cơ sở chưa được kiểm tra lần nào",
    allCovered: "Tất cả cơ sở đã được kiểm tra",
    expectedNow: "Mốc cần đạt đến nay",
    forecast: "Dự báo",
    markerExpected: "mốc cần đạt đến nay",
    markerForecast: "dự báo theo nhịp độ hiện tại",
    onTrack: "Đúng tiến độ",
    offTrack: "Chậm tiến độ",
    onTrackYes: "Đúng tiến độ",
    onTrackNo: "Chậm",
    forecastYear: "Dự báo cuối năm {year}: {share} (chỉ tiêu {target})",
    forecastDeadline: "Dự báo bao phủ tại hạn chót {deadline}: {coverage}",
    forecastPace: "Theo nhịp độ 8 tuần gần nhất.",
    finishedYear: "Năm {year} đã kết thúc: số liệu là kết quả thực tế.",
    burndownTitle: "Cơ sở chưa được kiểm tra lần nào",
    burndownActual: "Thực tế",
    burndownTarget: "Lộ trình về 0 tại hạn chót",
    burndownDeadline: "Hạn chót",
    burndownToday: "Hôm nay",
    burndownFallback: "Chưa có dữ liệu theo tháng: biểu đồ dựng từ số liệu cuối mỗi năm.",
    burndownEmpty: "Chưa có dữ liệu.",
    burndownLabel: "Biểu đồ số cơ sở chưa được kiểm tra lần nào từ {start} đến hạn chót {deadline}; hiện còn {now}.",
    tableTitle: "Tiến độ theo địa bàn",
    tableCaption: "Tiến độ theo {levels}, năm {year}, chương trình {programme}. Bấm tiêu đề cột để sắp xếp.",
    tableCaptionExpand: "Bấm ▸ để xem các {units}.",
    and: " và ",
    colArea: "Địa bàn",
    colOnTrack: "Tiến độ",
    onTrackDef: "Đúng tiến độ khi, với nhịp độ 8 tuần gần nhất, cả tỷ lệ kiểm tra cuối năm và tỷ lệ bao phủ khi kết thúc chương trình đều đạt chỉ tiêu.",
    // The estimated prevalence (prevalence.js).
    prevLow: "Ít mẫu: khoảng tin cậy rộng, chỉ mang tính tham khảo",
    prevLowShort: "ít mẫu",
    prevSuppressed: "(dưới {n} cơ sở được kiểm tra)",
    prevSuppressedTitle: "Không công bố: dưới {n} cơ sở của mẫu được kiểm tra, quá ít để ước tính.",
    prevNone: "Chưa có cơ sở nào của mẫu được kiểm tra",
    prevNoPlan: "Chưa có kế hoạch năm {year} được phê duyệt: chưa có mẫu để ước tính",
    prevCategory: "Chỉ ước tính cho tất cả loại hình: mẫu của kế hoạch được chọn trên toàn bộ phạm vi chương trình",
    prevInterval: "KTC 95%: {interval}",
    prevIntervalTitle: "Tỷ lệ ước tính và khoảng tin cậy 95% của nó",
    prevSample: "Mẫu: {n} cơ sở được kiểm tra, {v} cơ sở có vi phạm",
    prevSampleOnly: "Mẫu: {n} cơ sở được kiểm tra",
    prevSampleOf: "mẫu kế hoạch năm {year}",
    prevLegend: "Tỷ lệ cơ sở vi phạm được ước tính từ mẫu ngẫu nhiên của kế hoạch năm (có trọng số theo xác suất được chọn), không phải từ tất cả các lượt kiểm tra; số nhỏ bên dưới là khoảng tin cậy 95%.",
    prevLegendLow: "Ít mẫu (cỡ mẫu hiệu dụng dưới {n}): khoảng tin cậy rộng, chỉ mang tính tham khảo.",
    prevLegendSuppressed: "Không công bố: dưới {n} cơ sở của mẫu được kiểm tra.",
    target: "chỉ tiêu",
    total: "Tổng cộng",
    expand: "Xem các {units} của {name}",
    collapse: "Thu gọn {name}",
    showOnMap: "Xem {name} trên bản đồ",
    sortBy: "Sắp xếp theo {col}",
    details: "Chi tiết cơ sở",
    close: "Đóng",
    address: "Địa chỉ",
    owner: "Chủ cơ sở",
    licence: "Giấy phép",
    status: "Tình trạng trên bản đồ",
    lastInspected: "Lần kiểm tra gần nhất",
    never: "Chưa có",
    history: "Lịch sử kiểm tra",
    noHistory: "Chưa có lần kiểm tra nào.",
    findings: "Vi phạm",
    loadingDetails: "Đang tải…",
    reports: "Báo cáo định kỳ",
    reportsIntro: "Báo cáo quý, 6 tháng và năm do hệ thống lập khi kỳ báo cáo kết thúc.",
    reportPeriod: "Kỳ",
    reportArea: "Địa bàn",
    reportFormat: "Định dạng",
    reportGenerated: "Lập lúc",
    reportSize: "Dung lượng",
    reportFiles: "Tệp",
    kpiLabel: "Tiến độ so với chỉ tiêu",
    download: "Tải xuống",
    noReports: "Chưa có báo cáo nào được lưu.",
    newReport: "Lập báo cáo",
    makeReport: "Tải báo cáo",
    // The reports panel (reports.js).
    reportMakeTitle: "Lập báo cáo",
    reportMakeIntro: "Báo cáo của bất kỳ kỳ nào trong chương trình, theo số liệu hiện có; kỳ chưa kết thúc được tính đến hôm nay.",
    reportToDate: "đến nay",
    reportWholeArea: "{name} (toàn địa bàn)",
    reportYourArea: "Địa bàn của bạn",
    reportMaking: "Đang lập báo cáo…",
    reportDownloaded: "Đã tải báo cáo {period}.",
    reportArchiveTitle: "Báo cáo đã lưu",
    allProgrammes: "Tất cả chương trình",
    allPeriods: "Tất cả các kỳ",
    allUnits: "Tất cả địa bàn",
    archiveChooseProgramme: "Chọn chương trình để lọc theo kỳ",
    pageSize: "Số tệp mỗi trang",
    noReportsMatch: "Không có báo cáo đã lưu nào khớp với bộ lọc.",
    archivePages: "Trang của danh sách báo cáo đã lưu",
    pagePrev: "Trang trước",
    pageNext: "Trang sau",
    pageRange: "{from}–{to} trong {total} tệp",
    pageRangeNone: "Hết danh sách ({total} tệp)",
    // The plan's targets panel (targets.js).
    targetsTitle: "Các chỉ tiêu của kế hoạch",
    targetsSummary: "Năm {year}, {unit}: {met}/{n} chỉ tiêu đạt.",
    targetsIndicator: "Chỉ tiêu",
    targetsTarget: "Mục tiêu",
    targetsResult: "Kết quả",
    targetsAssess: "Đánh giá",
    targetsEarlier: "Các kỳ trước",
    targetsHalf1: "6 tháng đầu {y}",
    targetsHalf2: "6 tháng cuối {y}",
    targetsQuarter: "Quý {q}/{y}",
    targetsMonth: "Tháng {m}/{y}",
    targetsMet: "Đạt",
    targetsNotMet: "Chưa đạt",
    targetsNoData: "Chưa có số liệu",
    targetsChange: "tăng {a}–{b}/năm",
    targetsChangeMin: "tăng ≥ {a}/năm",
    targetsInOffice: "Số liệu, duyệt và báo cáo định kỳ",
    // The yearly plans panel (plans.js).
    plansTitle: "Kế hoạch kiểm tra hằng năm",
    plansIntro: "Mỗi kế hoạch được cam kết trước (đầu vào và mã bí mật được công bố bằng mã băm), rồi hạt giống chọn cơ sở được tạo từ kết quả một kỳ quay xổ số kiến thiết diễn ra sau đó: không ai chọn được cơ sở bị kiểm tra. Ai cũng kiểm chứng được trên trang công khai của kế hoạch.",
    plansNone: "Chương trình chưa có kế hoạch năm nào.",
    plansYear: "Năm",
    plansAttempt: "Lần lập",
    plansStatus: "Trạng thái",
    plansDraw: "Kỳ quay số",
    plansSelected: "Số cơ sở",
    plansFits: "Năng lực các tổ",
    plansVerify: "Kiểm chứng",
    plansVerifyLink: "Trang công khai",
    plansDrawWaiting: "chờ kết quả",
    plansServerSeed: "hạt giống do máy chủ tạo",
    plansPreview: "(dự kiến)",
    plansFitsYes: "đủ",
    plansFitsNo: "thiếu chỗ cho {n} lượt",
    planStatus_committed: "Đã cam kết, chờ kết quả quay số",
    planStatus_draft: "Đã chọn, chờ phê duyệt",
    planStatus_approved: "Đã phê duyệt",
    planStatus_superseded: "Đã được thay bằng kế hoạch lập sau",
    planStatus_other: "Khác",
    plansOpen: "Làm việc",
    plansOpenAct: "Nhập kết quả, phê duyệt",
    plansOpenRead: "Xem số liệu",
    plansInOffice: "Lập, quay số và phê duyệt kế hoạch ở trang làm việc",
    errorPrefix: "Lỗi",
    networkError: "Không kết nối được với máy chủ.",
  },
  en: {
    appName: "kiemtra",
    appTagline: "Inspection plans and progress for service businesses",
    otherLang: "Tiếng Việt",
    otherLangCode: "vi",
    loginTitle: "Sign in",
    loginIntro: "One sign-in for every officer: planners reach the dashboard (coverage maps, progress, reports); licensing police, tip officers and team leads reach their own desk.",
    username: "Username",
    password: "Password",
    signIn: "Sign in",
    signingIn: "Signing in…",
    signOut: "Sign out",
    officeLink: "Office desks",
    sessionEnded: "Your session has ended; please sign in again.",
    skipToTable: "Skip the map, go to the figures",
    programme: "Programme",
    year: "Year",
    category: "Category",
    allCategories: "All categories",
    jurisdiction: "Jurisdiction",
    asOf: "Figures as of",
    loading: "Loading figures…",
    sanctionsTitle: "Sanctions in {year}",
    sanctionsNote: "By the decision's date; fines in VND.",
    retry: "Retry",
    mapTitle: "Coverage map",
    mapLabel: "Map of {area}: {metric} by {level}",
    levelLabel: "Show",
    colourBy: "Colour by",
    byCoverage: "Programme coverage",
    byProgress: "Yearly progress",
    showPoints: "Show businesses",
    backUp: "Up one level",
    noBusinesses: "No businesses",
    legendCoverage: "Share of businesses inspected in the programme",
    legendProgress: "Share of businesses inspected this year (target {target})",
    legendPoints: "Businesses",
    metCoverage: "100% (complete)",
    metTarget: "≥ {target} (target met)",
    yearTarget: "{year} target",
    yearTargetDone: "{progress} of the yearly target",
    programmeCoverage: "Programme coverage",
    leadAgency: "Lead agency: {name}",
    neverLeft: "{n} businesses never inspected",
    allCovered: "Every business has been inspected",
    expectedNow: "Where we should be by now",
    forecast: "Forecast",
    markerExpected: "where we should be by now",
    markerForecast: "forecast at the current pace",
    onTrack: "On track",
    offTrack: "Behind",
    onTrackYes: "On track",
    onTrackNo: "Behind",
    forecastYear: "Forecast for the end of {year}: {share} (target {target})",
    forecastDeadline: "Forecast coverage at the deadline {deadline}: {coverage}",
    forecastPace: "At the pace of the last 8 weeks.",
    finishedYear: "{year} is over: these are the final figures.",
    burndownTitle: "Businesses not yet inspected",
    burndownActual: "Actual",
    burndownTarget: "Path to zero at the deadline",
    burndownDeadline: "Deadline",
    burndownToday: "Today",
    burndownFallback: "No monthly figures: the chart is drawn from the year-end figures.",
    burndownEmpty: "No figures yet.",
    burndownLabel: "Chart of the businesses never inspected from {start} to the deadline {deadline}; {now} now.",
    tableTitle: "Progress by area",
    tableCaption: "Progress by {levels}, {year}, programme {programme}. Click a column heading to sort.",
    tableCaptionExpand: "Click ▸ to see the {units}.",
    and: " and ",
    colArea: "Area",
    colOnTrack: "Progress",
    onTrackDef: "On track when, at the pace of the last 8 weeks, both the year's share and the coverage at the deadline reach their targets.",
    prevLow: "Few sample businesses: a wide interval, for reference only",
    prevLowShort: "few sample businesses",
    prevSuppressed: "(fewer than {n} inspected)",
    prevSuppressedTitle: "Not published: fewer than {n} businesses of the sample inspected, too few to estimate.",
    prevNone: "No business of the sample inspected yet",
    prevNoPlan: "No approved plan for {year}: no sample to estimate from",
    prevCategory: "Estimated for all categories only: the plan's sample is drawn over the programme's whole scope",
    prevInterval: "95% CI: {interval}",
    prevIntervalTitle: "The estimated share and its 95% confidence interval",
    prevSample: "Sample: {n} businesses inspected, {v} with violations",
    prevSampleOnly: "Sample: {n} businesses inspected",
    prevSampleOf: "{year} plan sample",
    prevLegend: "The share of violating businesses is estimated from the year plan's random sample (weighted by the chance of selection), not from all inspections; the small figures under it are its 95% confidence interval.",
    prevLegendLow: "Few sample businesses (effective sample under {n}): a wide interval, for reference only.",
    prevLegendSuppressed: "Not published: fewer than {n} businesses of the sample inspected.",
    target: "target",
    total: "Total",
    expand: "Show the {units} of {name}",
    collapse: "Hide the {units} of {name}",
    showOnMap: "Show {name} on the map",
    sortBy: "Sort by {col}",
    details: "Business details",
    close: "Close",
    address: "Address",
    owner: "Owner",
    licence: "Licence",
    status: "Map status",
    lastInspected: "Last inspected",
    never: "Never",
    history: "Inspection history",
    noHistory: "No inspections yet.",
    findings: "Findings",
    loadingDetails: "Loading…",
    reports: "Periodic reports",
    reportsIntro: "Quarterly, six-monthly and yearly reports, made when a period closes.",
    reportPeriod: "Period",
    reportArea: "Area",
    reportFormat: "Format",
    reportGenerated: "Generated",
    reportSize: "Size",
    reportFiles: "Files",
    kpiLabel: "Progress against the targets",
    download: "Download",
    noReports: "No reports have been kept yet.",
    newReport: "Make a report",
    makeReport: "Download report",
    // The reports panel (reports.js).
    reportMakeTitle: "Make a report",
    reportMakeIntro: "A report of any period of the programme, from the figures as they stand; a period still running is counted to date.",
    reportToDate: "to date",
    reportWholeArea: "{name} (whole area)",
    reportYourArea: "Your area",
    reportMaking: "Making the report…",
    reportDownloaded: "Report for {period} downloaded.",
    reportArchiveTitle: "Kept reports",
    allProgrammes: "All programmes",
    allPeriods: "All periods",
    allUnits: "All units",
    archiveChooseProgramme: "Choose a programme to filter by period",
    pageSize: "Files per page",
    noReportsMatch: "No kept report matches the filters.",
    archivePages: "Pages of the kept reports",
    pagePrev: "Previous",
    pageNext: "Next",
    pageRange: "{from}–{to} of {total} files",
    pageRangeNone: "End of the list ({total} files)",
    // The yearly plans panel (plans.js).
    // The plan's targets panel (targets.js).
    targetsTitle: "The plan's targets",
    targetsSummary: "{year}, {unit}: {met} of {n} targets met.",
    targetsIndicator: "Indicator",
    targetsTarget: "Target",
    targetsResult: "Result",
    targetsAssess: "Assessment",
    targetsEarlier: "Earlier periods",
    targetsHalf1: "H1 {y}",
    targetsHalf2: "H2 {y}",
    targetsQuarter: "Q{n} {y}",
    targetsMonth: "{m}/{y}",
    targetsMet: "Met",
    targetsNotMet: "Not met",
    targetsNoData: "No figures yet",
    targetsChange: "up {a}–{b} a year",
    targetsChangeMin: "up ≥ {a} a year",
    targetsInOffice: "Figures, review and periodic report",
    plansTitle: "Yearly inspection plans",
    plansIntro: "Each plan is committed first (its inputs and a secret published by their hashes); the seed that selects the businesses then comes from the result of a public lottery draw held afterwards: nobody can choose who is inspected. Anyone can check it on the plan's public page.",
    plansNone: "The programme has no yearly plan yet.",
    plansYear: "Year",
    plansAttempt: "Draft",
    plansStatus: "Status",
    plansDraw: "Draw",
    plansSelected: "Businesses",
    plansFits: "Teams' capacity",
    plansVerify: "Verification",
    plansVerifyLink: "Public page",
    plansDrawWaiting: "waiting for the result",
    plansServerSeed: "seed drawn by the server",
    plansPreview: "(preview)",
    plansFitsYes: "enough",
    plansFitsNo: "{n} visits without a place",
    planStatus_committed: "Committed, waiting for its draw",
    planStatus_draft: "Selected, waiting for approval",
    planStatus_approved: "Approved",
    planStatus_superseded: "Superseded by a later draft",
    planStatus_other: "Other",
    plansOpen: "Work on it",
    plansOpenAct: "Enter the draw, approve",
    plansOpenRead: "Read the figures",
    plansInOffice: "Draft, draw and approve plans in the officers' desk",
    errorPrefix: "Error",
    networkError: "The server cannot be reached.",
  },
};

/**
 * @typedef {{key: string, kind: string, of?: string, name: string, name_en: string, definition: string, definition_en: string, numerator?: string, denominator?: string}} Measure
 * @typedef {{key: string, name: string, name_en: string, definition: string, definition_en: string, measure?: string}} MapStatus
 */

// I18n holds the chosen language and formats texts, numbers and dates in it.
export class I18n {
  constructor() {
    this.lang = getLang();
    this.fmt = new Format(this.lang);
    /** @type {import("../../shared/js/ref.js").Tables} */
    this.tables = { categories: [], violations: [], labels: {}, on_site: null };
    this.ref = new Ref(this.tables, this.lang);
    this.listeners = [];
    this.agencies = new Map();
    /** @type {Map<string, Measure>} */
    this.measures = new Map();
    /** @type {Map<string, MapStatus>} */
    this.statuses = new Map();
  }

  // setMeasures keeps the server's vocabulary of figures (GET /api/v1/measures): every figure
  // and map status is named and defined from it, as the reports and the API name them.
  /** @param {{measures: Measure[], map_statuses: MapStatus[]}} vocab */
  setMeasures(vocab) {
    this.measures = new Map(vocab.measures.map(m => [m.key, m]));
    this.statuses = new Map(vocab.map_statuses.map(m => [m.key, m]));
  }

  /** measure is a figure's name in the chosen language. @param {string} key */
  measure(key) {
    const m = this.measures.get(key);
    return m ? (this.lang === "en" ? m.name_en : m.name) : key;
  }

  /** measureDef is a figure's one-line definition. @param {string} key */
  measureDef(key) {
    const m = this.measures.get(key);
    return m ? (this.lang === "en" ? m.definition_en : m.definition) : "";
  }

  /** statusDef is a map status's definition. @param {string} code */
  statusDef(code) {
    const m = this.statuses.get(code);
    return m ? (this.lang === "en" ? m.definition_en : m.definition) : "";
  }

  // setReference keeps the server's reference tables (GET /api/v1/reference).
  /** @param {import("../../shared/js/ref.js").Tables} tables */
  setReference(tables) {
    this.tables = tables;
    this.ref = new Ref(tables, this.lang);
  }

  /** categories lists the categories, in the server's order. */
  get categories() { return this.ref.categories; }

  // setAgencies keeps the agencies (GET /api/v1/agencies, the inactive ones too) that agency()
  // names.
  setAgencies(list) { this.agencies = new Map((list || []).map(a => [a.code, a])); }

  get locale() { return this.lang === "vi" ? "vi-VN" : "en-GB"; }

  set(lang) {
    this.lang = lang === "en" ? "en" : "vi";
    setLang(this.lang);
    this.fmt = new Format(this.lang);
    this.ref = new Ref(this.tables, this.lang);
    for (const fn of this.listeners) fn(this.lang);
  }

  onChange(fn) { this.listeners.push(fn); }

  // t returns the text for key with {name} placeholders filled from vars.
  t(key, vars) {
    let s = STRINGS[this.lang][key];
    if (s === undefined) s = STRINGS.vi[key] ?? key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s.normalize("NFC");
  }

  status(code) {
    const m = this.statuses.get(code);
    return m ? (this.lang === "en" ? m.name_en : m.name) : code;
  }
  outcome(code) { return this.ref.label("outcome", code); }

  category(code, short = false) { return this.ref.category(code, short); }

  // agency names an agency by its code: in Vietnamese its short name (the full one with
  // full), in English its English name. A code the list does not have shows as it is.
  agency(code, full = false) {
    const a = this.agencies.get(code);
    if (!a) return code || "";
    if (this.lang === "en") return a.name_en || a.name_vi;
    return full ? a.name_vi : a.short_vi || a.name_vi;
  }

  violation(code) { return this.ref.violation(code); }

  pct(ratio, digits = 1) { return this.fmt.pct(ratio, digits); }
  num(n) { return this.fmt.num(n); }
  date(iso) { return this.fmt.date(iso); }
  dateTime(iso) { return this.fmt.dateTime(iso); }
  bytes(n) { return this.fmt.bytes(n); }
}
