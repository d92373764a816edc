// @ts-check
// Texts of the dashboard in Vietnamese (the default) and English, the category and outcome
// labels (copied from refdata/data), and number and date formatting for the chosen language.

export const STRINGS = {
  vi: {
    appName: "kiemtra",
    appTagline: "Kế hoạch và tiến độ kiểm tra cơ sở kinh doanh dịch vụ",
    otherLang: "English",
    otherLangCode: "en",
    loginTitle: "Đăng nhập",
    loginIntro: "Bảng điều khiển dành cho cán bộ lập kế hoạch: bản đồ bao phủ, tiến độ so với chỉ tiêu và báo cáo định kỳ.",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    signIn: "Đăng nhập",
    signingIn: "Đang đăng nhập…",
    signOut: "Đăng xuất",
    sessionEnded: "Phiên làm việc đã kết thúc, vui lòng đăng nhập lại.",
    notPlanner: "Tài khoản này không có quyền xem bảng điều khiển (cần vai trò lập kế hoạch, quản trị hoặc theo dõi).",
    skipToTable: "Bỏ qua bản đồ, tới bảng số liệu",
    programme: "Chương trình",
    year: "Năm",
    category: "Loại hình",
    allCategories: "Tất cả loại hình",
    jurisdiction: "Địa bàn",
    asOf: "Số liệu tính đến",
    loading: "Đang tải số liệu…",
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
    plansDrawTitle: "Nhập kết quả quay số cho kế hoạch năm {year}",
    plansDrawHelp: "Nhập 6 chữ số giải đặc biệt Xổ số kiến thiết Cần Thơ kỳ quay ngày {date}, sau khi có kết quả (từ 16 giờ 40). Hệ thống tạo hạt giống và danh sách cơ sở được chọn từ kết quả này.",
    plansDrawResult: "Giải đặc biệt (6 chữ số)",
    plansDrawSubmit: "Nhập kết quả",
    plansApproveTitle: "Phê duyệt kế hoạch năm {year}",
    plansApproveHelp: "{total} cơ sở được chọn: {first} chưa từng được kiểm tra, {again} kiểm tra lại.",
    plansShortfall: "Các tổ không đủ năng lực cho {n} lượt kiểm tra trong năm.",
    plansApprove: "Phê duyệt…",
    plansApproveConfirm: "Phê duyệt sẽ tạo nhiệm vụ kiểm tra cho các tổ và không hoàn tác được. Xác nhận?",
    plansApproveYes: "Xác nhận phê duyệt",
    cancel: "Hủy",
    plansCommitTitle: "Lập kế hoạch năm",
    plansCommitHelp: "Hệ thống lấy sổ đăng ký hiện tại làm đầu vào và cam kết kế hoạch; danh sách cơ sở chỉ có sau kỳ quay số đã chọn.",
    plansDrawDate: "Ngày quay số",
    plansDrawDateHelp: "Để trống: kỳ quay gần nhất (thứ Tư, sau hôm nay).",
    plansReason: "Ghi chú (không bắt buộc)",
    plansReasonRequired: "Lý do lập lại (bắt buộc, được công bố)",
    plansCommitSubmit: "Cam kết kế hoạch",
    errorPrefix: "Lỗi",
    networkError: "Không kết nối được với máy chủ.",
    outcomes: {
      compliant: "Không vi phạm",
      violation: "Có vi phạm",
      closed: "Cơ sở đóng cửa",
      refused: "Từ chối kiểm tra",
      not_found: "Không tìm thấy cơ sở",
    },
  },
  en: {
    appName: "kiemtra",
    appTagline: "Inspection plans and progress for service businesses",
    otherLang: "Tiếng Việt",
    otherLangCode: "vi",
    loginTitle: "Sign in",
    loginIntro: "The planners' dashboard: coverage maps, progress against the targets and periodic reports.",
    username: "Username",
    password: "Password",
    signIn: "Sign in",
    signingIn: "Signing in…",
    signOut: "Sign out",
    sessionEnded: "Your session has ended; please sign in again.",
    notPlanner: "This account may not see the dashboard (it needs the planner, admin or viewer role).",
    skipToTable: "Skip the map, go to the figures",
    programme: "Programme",
    year: "Year",
    category: "Category",
    allCategories: "All categories",
    jurisdiction: "Jurisdiction",
    asOf: "Figures as of",
    loading: "Loading figures…",
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
    plansDrawTitle: "Enter the draw result for the {year} plan",
    plansDrawHelp: "Enter the six digits of the special prize of the Can Tho lottery draw of {date}, once the result is out (from 16:40). The seed and the selection are made from it.",
    plansDrawResult: "Special prize (6 digits)",
    plansDrawSubmit: "Enter the result",
    plansApproveTitle: "Approve the {year} plan",
    plansApproveHelp: "{total} businesses selected: {first} never inspected, {again} re-inspections.",
    plansShortfall: "The teams lack capacity for {n} visits this year.",
    plansApprove: "Approve…",
    plansApproveConfirm: "Approving creates the teams' inspection tasks and cannot be undone. Confirm?",
    plansApproveYes: "Confirm the approval",
    cancel: "Cancel",
    plansCommitTitle: "Draft a yearly plan",
    plansCommitHelp: "The registry as it is now becomes the plan's inputs and the plan is committed; its selection exists only after the chosen draw.",
    plansDrawDate: "Draw date",
    plansDrawDateHelp: "Empty: the next draw (a Wednesday after today).",
    plansReason: "Note (optional)",
    plansReasonRequired: "Why the year is drafted again (required, published)",
    plansCommitSubmit: "Commit the plan",
    errorPrefix: "Error",
    networkError: "The server cannot be reached.",
    outcomes: {
      compliant: "Compliant",
      violation: "Violation",
      closed: "Closed on the day",
      refused: "Inspection refused",
      not_found: "Business not found",
    },
  },
};

// CATEGORIES are the programme's business categories (refdata/data/categories.json).
export const CATEGORIES = [
  { code: "accommodation", vi: "Cơ sở lưu trú (khách sạn, nhà nghỉ, nhà trọ, căn hộ cho thuê)", en: "Accommodation (hotel, guesthouse, rooming house, rental apartment)", short: { vi: "Cơ sở lưu trú", en: "Accommodation" } },
  { code: "karaoke", vi: "Karaoke", en: "Karaoke parlour", short: { vi: "Karaoke", en: "Karaoke" } },
  { code: "dance_hall", vi: "Vũ trường", en: "Discotheque / dance hall", short: { vi: "Vũ trường", en: "Dance hall" } },
  { code: "bar", vi: "Quán bar, pub, lounge", en: "Bar, pub, lounge", short: { vi: "Quán bar, pub, lounge", en: "Bar, pub, lounge" } },
  { code: "massage", vi: "Xoa bóp (massage), day ấn huyệt, xông hơi", en: "Massage, acupressure, sauna", short: { vi: "Xoa bóp (massage)", en: "Massage, sauna" } },
  { code: "spa", vi: "Spa, thẩm mỹ", en: "Spa, beauty salon", short: { vi: "Spa, thẩm mỹ", en: "Spa, beauty salon" } },
  { code: "hair_salon", vi: "Hớt tóc thanh nữ, cắt tóc gội đầu", en: "Hair-wash / barber salon with young female staff", short: { vi: "Hớt tóc thanh nữ", en: "Hair-wash salon" } },
  { code: "hostess_restaurant", vi: "Nhà hàng, quán nhậu có tiếp viên", en: "Restaurant or beer place with hostesses", short: { vi: "Nhà hàng có tiếp viên", en: "Restaurant with hostesses" } },
  { code: "hostess_cafe", vi: "Cà phê đèn mờ, cà phê chòi, cà phê có tiếp viên", en: "Dim-light or booth café with hostesses", short: { vi: "Cà phê có tiếp viên", en: "Café with hostesses" } },
  { code: "other", vi: "Loại hình khác", en: "Other", short: { vi: "Loại hình khác", en: "Other" } },
];

// VIOLATIONS names the findings' codes (refdata/data/violations.json).
export const VIOLATIONS = {
  LIC_REG: { vi: "Không có hoặc sai giấy chứng nhận đăng ký kinh doanh", en: "No valid business registration" },
  LIC_ANTT: { vi: "Không có giấy chứng nhận đủ điều kiện về an ninh, trật tự", en: "No certificate of security-and-order conditions" },
  LAB_CONTRACT: { vi: "Không có hợp đồng lao động bằng văn bản với người lao động", en: "Workers without written labour contracts" },
  LAB_MINOR: { vi: "Sử dụng người dưới 18 tuổi làm công việc bị cấm", en: "Workers under 18 in prohibited work" },
  RES_STAFF: { vi: "Người lao động chưa đăng ký tạm trú", en: "Staff temporary residence not registered" },
  HEALTH_CHECK: { vi: "Người lao động chưa khám sức khỏe định kỳ", en: "Staff without periodic health checks" },
  FIRE_SAFETY: { vi: "Không bảo đảm điều kiện phòng cháy, chữa cháy", en: "Fire safety conditions not met" },
  KAR_ROOM_AREA: { vi: "Phòng hát karaoke dưới 20 m2", en: "Karaoke room under 20 m2" },
  ROOM_LOCK: { vi: "Lắp chốt cửa bên trong phòng hoặc thiết bị báo động đối phó kiểm tra", en: "Latches inside rooms or alarm devices to evade inspection" },
  HOURS: { vi: "Hoạt động ngoài giờ cho phép", en: "Operating outside permitted hours" },
  CONTENT: { vi: "Hình ảnh, nội dung không phù hợp", en: "Inappropriate images or content" },
  DANCE_MINOR: { vi: "Cho người dưới 18 tuổi vào vũ trường", en: "Customers under 18 in a dance hall" },
  ACC_NOTIFY: { vi: "Không thông báo lưu trú cho cơ quan công an", en: "Guest stay not notified to the police" },
  MAS_FACILITY: { vi: "Cơ sở xoa bóp không bảo đảm điều kiện (chuông báo, ánh sáng, quy trình, tách biệt)", en: "Massage facility conditions not met (bell, light, procedure poster, separation)" },
  INDECENT: { vi: "Có biểu hiện khiêu dâm, kích dục", en: "Indecent or sexually suggestive activity" },
  PROSTITUTION: { vi: "Phát hiện hành vi mua bán dâm, chứa mại dâm, môi giới mại dâm", en: "Buying or selling sex, harbouring or brokering prostitution found" },
  OTHER: { vi: "Vi phạm khác", en: "Other violation" },
};

const LANG_KEY = "kiemtra.lang";

/**
 * @typedef {{key: string, kind: string, of?: string, name: string, name_en: string, definition: string, definition_en: string, numerator?: string, denominator?: string}} Measure
 * @typedef {{key: string, name: string, name_en: string, definition: string, definition_en: string, measure?: string}} MapStatus
 */

// I18n holds the chosen language and formats texts, numbers and dates in it.
export class I18n {
  constructor() {
    const saved = localStorage.getItem(LANG_KEY);
    this.lang = saved === "en" ? "en" : "vi";
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

  // setAgencies keeps the agencies (GET /api/v1/agencies, the inactive ones too) that agency()
  // names.
  setAgencies(list) { this.agencies = new Map((list || []).map(a => [a.code, a])); }

  get locale() { return this.lang === "vi" ? "vi-VN" : "en-GB"; }

  set(lang) {
    this.lang = lang === "en" ? "en" : "vi";
    localStorage.setItem(LANG_KEY, this.lang);
    document.documentElement.lang = this.lang;
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
  outcome(code) { return STRINGS[this.lang].outcomes[code] || code; }

  category(code, short = false) {
    const c = CATEGORIES.find(x => x.code === code);
    if (!c) return code || "";
    return short ? c.short[this.lang] : c[this.lang];
  }

  // agency names an agency by its code: in Vietnamese its short name (the full one with
  // full), in English its English name. A code the list does not have shows as it is.
  agency(code, full = false) {
    const a = this.agencies.get(code);
    if (!a) return code || "";
    if (this.lang === "en") return a.name_en || a.name_vi;
    return full ? a.name_vi : a.short_vi || a.name_vi;
  }

  violation(code) {
    const v = VIOLATIONS[code];
    return v ? v[this.lang] : code;
  }

  // pct formats a ratio (0.126) as a percentage ("12,6%"); whole numbers lose their decimals.
  pct(ratio, digits = 1) {
    if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "–";
    const v = ratio * 100;
    const d = Math.abs(v - Math.round(v)) < 0.05 ? 0 : digits;
    return new Intl.NumberFormat(this.locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(v) + "%";
  }

  num(n) {
    if (n === null || n === undefined || !Number.isFinite(n)) return "–";
    return new Intl.NumberFormat(this.locale).format(n);
  }

  // date formats an ISO day ("2030-12-31") as 31/12/2030 or 31 Dec 2030.
  date(iso) {
    if (!iso) return "–";
    const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
    const dt = new Date(Date.UTC(y, m - 1, d));
    /** @type {Intl.DateTimeFormatOptions} */
    const opts = this.lang === "vi" ? { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" } : { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
    return new Intl.DateTimeFormat(this.locale, opts).format(dt);
  }

  dateTime(iso) {
    if (!iso) return "–";
    return new Intl.DateTimeFormat(this.locale, { dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
  }

  bytes(n) {
    if (!Number.isFinite(n)) return "–";
    if (n < 1024) return this.num(n) + " B";
    if (n < 1024 * 1024) return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 }).format(n / 1024) + " KB";
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 }).format(n / 1048576) + " MB";
  }
}
