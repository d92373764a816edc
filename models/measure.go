package models

// Measure is a figure the service shows or reports, defined once: the coverage API's and the
// period report's fields carry its key as their JSON name, the dashboard labels its cards,
// legend, table and tooltips with its names and definition (from GET /api/v1/measures), and
// the workbook and CSV file head their columns with them. Two screens that show a figure under
// one name show the same number.
type Measure struct {
	Key string `json:"key"`
	// Kind is count (a number of things), share (a fraction from 0 to 1 of two counts) or
	// estimate (a share estimated from a sample, with its interval).
	Kind string `json:"kind"`
	// Of is what a count counts: businesses, inspections, visits, tasks or tips.
	Of           string `json:"of,omitempty"`
	Name         string `json:"name"`
	NameEN       string `json:"name_en"`
	Definition   string `json:"definition"`
	DefinitionEN string `json:"definition_en"`
	// Numerator and Denominator are the measures a share divides: the denominator is shown
	// next to every share.
	Numerator   string `json:"numerator,omitempty"`
	Denominator string `json:"denominator,omitempty"`
}

// Measure kinds.
const (
	MeasureCount    = "count"
	MeasureShare    = "share"
	MeasureEstimate = "estimate"
	// MeasureFlag is a label that says how far another figure can be trusted.
	MeasureFlag = "flag"
)

// Measure keys. They are the JSON names of the figures in the coverage API and the reports.
const (
	MeasureInScope              = "in_scope"
	MeasureOpenAtStart          = "open_at_start"
	MeasureInspected            = "inspected"
	MeasureInspectedOpenAtStart = "inspected_open_at_start"
	MeasureShareInspected       = "share"
	MeasureYearTarget           = "year_target"
	MeasureTargetProgress       = "target_progress"
	MeasureEligible             = "eligible"
	MeasureCovered              = "covered"
	MeasureCoverage             = "coverage"
	MeasureNeverInspected       = "never_inspected"
	MeasureInspections          = "inspections"
	MeasureViolations           = "violations"
	MeasureViolating            = "violating"
	MeasureFollowUpsDue         = "follow_ups_due"
	MeasureFollowUpsDone        = "follow_ups_done"
	MeasureOverdueTasks         = "overdue_tasks"
	MeasureProjectedYearShare   = "projected_year_share"
	MeasureProjectedCoverage    = "projected_coverage"
	MeasureTipsReceived         = "tips_received"
	MeasureTipsVerified         = "tips_verified"
	MeasureTipsHandled          = "tips_handled"
	MeasureTipsInTime           = "tips_in_time"
	MeasureTipsOverdue          = "tips_overdue"
	MeasureSanctionDecisions    = "sanction_decisions"
	MeasureSanctionWarnings     = "sanction_warnings"
	MeasureSanctionFines        = "sanction_fines"
	MeasureSanctionFinesAmount  = "sanction_fines_amount"
	MeasureSanctionFinesPaid    = "sanction_fines_paid"
	MeasureSanctionCollected    = "sanction_fines_collected"
	MeasureSanctionConfiscation = "sanction_confiscations"
	MeasureSanctionSuspensions  = "sanction_suspensions"
	MeasureSanctionWithdrawals  = "sanction_withdrawals"
	MeasureSanctionReferrals    = "sanction_referrals"
	MeasureSanctionOverdue      = "sanction_overdue"
	MeasurePrevalence           = "prevalence"
	MeasurePrevalenceLow        = "prevalence_low"
	MeasurePrevalenceHigh       = "prevalence_high"
	MeasurePrevalenceSample     = "prevalence_sample"
	MeasurePrevalenceQuality    = "prevalence_quality"
)

// measures is the vocabulary, in the order reports list the figures.
var measures = []Measure{
	{Key: MeasureInScope, Kind: MeasureCount, Of: "businesses",
		Name: "Cơ sở thuộc diện quản lý", NameEN: "Businesses in scope",
		Definition:   "Cơ sở thuộc loại hình của chương trình, đang hoạt động vào ngày số liệu (cuối kỳ, hoặc hôm nay nếu kỳ chưa kết thúc).",
		DefinitionEN: "Businesses of the programme's categories open on the figures' day (the period's end, or today while it runs)."},
	{Key: MeasureOpenAtStart, Kind: MeasureCount, Of: "businesses",
		Name: "Cơ sở hoạt động đầu kỳ", NameEN: "Open at the start",
		Definition:   "Cơ sở thuộc diện quản lý đang hoạt động vào ngày đầu kỳ (ngày 1/1 với báo cáo năm): mẫu số của tỷ lệ kiểm tra.",
		DefinitionEN: "Businesses in scope open on the period's first day (1 January for a year): the denominator of the share inspected."},
	{Key: MeasureInspected, Kind: MeasureCount, Of: "businesses",
		Name: "Cơ sở được kiểm tra trong kỳ", NameEN: "Businesses inspected",
		Definition:   "Số cơ sở (không phải số lượt) có ít nhất một lần kiểm tra có kết quả trong kỳ đến ngày số liệu, kể cả cơ sở mở hoặc đóng cửa trong kỳ.",
		DefinitionEN: "Distinct businesses with at least one inspection with a result in the period up to the figures' day, those opened or closed during it included."},
	{Key: MeasureInspectedOpenAtStart, Kind: MeasureCount, Of: "businesses",
		Name: "Trong đó: hoạt động đầu kỳ", NameEN: "Of which open at the start",
		Definition:   "Cơ sở được kiểm tra trong kỳ đã hoạt động từ ngày đầu kỳ: tử số của tỷ lệ kiểm tra.",
		DefinitionEN: "Businesses inspected in the period that were open on its first day: the numerator of the share inspected."},
	{Key: MeasureShareInspected, Kind: MeasureShare, Numerator: MeasureInspectedOpenAtStart, Denominator: MeasureOpenAtStart,
		Name: "Tỷ lệ cơ sở được kiểm tra", NameEN: "Share inspected",
		Definition:   "Cơ sở hoạt động đầu kỳ đã được kiểm tra, chia cho số cơ sở hoạt động đầu kỳ (chỉ tiêu: ít nhất 20% mỗi năm).",
		DefinitionEN: "Businesses open at the start that were inspected, divided by those open at the start (target: at least 20% a year)."},
	{Key: MeasureYearTarget, Kind: MeasureCount, Of: "businesses",
		Name: "Chỉ tiêu năm (số cơ sở)", NameEN: "Year target (businesses)",
		Definition:   "Số cơ sở hoạt động đầu năm phải được kiểm tra trong năm: tỷ lệ tối thiểu của chương trình nhân số cơ sở hoạt động đầu kỳ, làm tròn lên.",
		DefinitionEN: "Businesses open on 1 January to inspect in the year: the programme's minimum share times those open at the start, rounded up."},
	{Key: MeasureTargetProgress, Kind: MeasureShare, Numerator: MeasureInspectedOpenAtStart, Denominator: MeasureYearTarget,
		Name: "Mức hoàn thành chỉ tiêu năm", NameEN: "Year target done",
		Definition:   "Cơ sở hoạt động đầu kỳ đã được kiểm tra, chia cho chỉ tiêu năm (100% là đạt).",
		DefinitionEN: "Businesses open at the start that were inspected, divided by the year target (100% is met)."},
	{Key: MeasureEligible, Kind: MeasureCount, Of: "businesses",
		Name: "Cơ sở phải kiểm tra trong chương trình", NameEN: "Businesses the programme must cover",
		Definition:   "Cơ sở thuộc diện quản lý đang hoạt động vào ngày số liệu và đã mở cửa trước thời hạn chương trình ít nhất thời gian ân hạn: mẫu số của tỷ lệ bao phủ.",
		DefinitionEN: "Businesses in scope open on the figures' day that opened at least the grace period before the programme's deadline: the denominator of the coverage."},
	{Key: MeasureCovered, Kind: MeasureCount, Of: "businesses",
		Name: "Đã kiểm tra ít nhất một lần trong chương trình", NameEN: "Covered by the programme",
		Definition:   "Cơ sở phải kiểm tra trong chương trình đã được kiểm tra ít nhất một lần kể từ ngày chương trình bắt đầu.",
		DefinitionEN: "Businesses the programme must cover that were inspected at least once since the programme began."},
	{Key: MeasureCoverage, Kind: MeasureShare, Numerator: MeasureCovered, Denominator: MeasureEligible,
		Name: "Tỷ lệ bao phủ của chương trình", NameEN: "Programme coverage",
		Definition:   "Cơ sở đã kiểm tra trong chương trình chia cho cơ sở phải kiểm tra (chỉ tiêu: 100% khi chương trình kết thúc).",
		DefinitionEN: "Businesses covered divided by the businesses the programme must cover (target: 100% by its end)."},
	{Key: MeasureNeverInspected, Kind: MeasureCount, Of: "businesses",
		Name: "Cơ sở chưa từng được kiểm tra", NameEN: "Never inspected",
		Definition:   "Cơ sở phải kiểm tra trong chương trình chưa được kiểm tra lần nào: cơ sở phải kiểm tra trừ cơ sở đã kiểm tra.",
		DefinitionEN: "Businesses the programme must cover that were not inspected yet: those it must cover minus those covered."},
	{Key: MeasureInspections, Kind: MeasureCount, Of: "inspections",
		Name: "Số lượt kiểm tra", NameEN: "Inspections",
		Definition:   "Số lần kiểm tra có kết quả (đạt hoặc vi phạm) trong kỳ; một cơ sở kiểm tra hai lần tính hai lượt; bản sửa biên bản không tính thêm.",
		DefinitionEN: "Inspections with a result (compliant or violation) in the period; a business inspected twice counts twice; corrections do not count again."},
	{Key: MeasureViolations, Kind: MeasureCount, Of: "violations",
		Name: "Số hành vi vi phạm phát hiện", NameEN: "Violations found",
		Definition:   "Số hành vi vi phạm ghi nhận trong các lượt kiểm tra của kỳ (theo bản biên bản mới nhất).",
		DefinitionEN: "Violations recorded by the period's inspections (in each record's latest version)."},
	{Key: MeasureViolating, Kind: MeasureCount, Of: "businesses",
		Name: "Số cơ sở vi phạm", NameEN: "Businesses with violations",
		Definition:   "Số cơ sở có ít nhất một hành vi vi phạm phát hiện trong kỳ.",
		DefinitionEN: "Distinct businesses with at least one violation found in the period."},
	{Key: MeasureFollowUpsDue, Kind: MeasureCount, Of: "visits",
		Name: "Số lượt phúc tra phải thực hiện", NameEN: "Follow-ups due",
		Definition:   "Lượt phúc tra (kiểm tra lại việc khắc phục) mà các vi phạm phát hiện trong kỳ đòi hỏi, tính theo ngày phát hiện vi phạm.",
		DefinitionEN: "Follow-up visits (checks that a violation was corrected) that the violations found in the period call for, by the day the violation was found."},
	{Key: MeasureFollowUpsDone, Kind: MeasureCount, Of: "visits",
		Name: "Số lượt phúc tra đã thực hiện", NameEN: "Follow-ups done",
		Definition:   "Trong số lượt phúc tra phải thực hiện, số lượt đã kiểm tra có kết quả đến cuối kỳ.",
		DefinitionEN: "Of the follow-ups due, those carried out with a result by the period's end."},
	{Key: MeasureOverdueTasks, Kind: MeasureCount, Of: "tasks",
		Name: "Lượt kiểm tra quá hạn", NameEN: "Overdue visits",
		Definition:   "Lượt kiểm tra đã lên lịch mà chưa thực hiện khi đã qua tuần dự kiến hoặc hết hạn (phúc tra, tin báo) vào ngày số liệu.",
		DefinitionEN: "Scheduled visits not made once their week has passed or their deadline (follow-ups, tips) has ended, on the figures' day."},
	{Key: MeasureProjectedYearShare, Kind: MeasureShare, Denominator: MeasureOpenAtStart,
		Name: "Dự báo tỷ lệ kiểm tra cuối năm", NameEN: "Forecast share at the year's end",
		Definition:   "Tỷ lệ cơ sở được kiểm tra dự kiến đạt vào cuối năm nếu giữ nhịp độ của 8 tuần gần nhất.",
		DefinitionEN: "The share inspected the year would reach at the pace of the last 8 weeks."},
	{Key: MeasureProjectedCoverage, Kind: MeasureShare, Denominator: MeasureEligible,
		Name: "Dự báo tỷ lệ bao phủ khi kết thúc chương trình", NameEN: "Forecast coverage at the deadline",
		Definition:   "Tỷ lệ bao phủ dự kiến đạt vào thời hạn chương trình nếu giữ nhịp độ của 8 tuần gần nhất.",
		DefinitionEN: "The coverage the programme would reach by its deadline at the pace of the last 8 weeks."},
	{Key: MeasureTipsReceived, Kind: MeasureCount, Of: "tips",
		Name: "Tin báo, tố giác tiếp nhận", NameEN: "Tips received",
		Definition:   "Tin báo, tố giác về cơ sở hoặc địa bàn được tiếp nhận trong kỳ.",
		DefinitionEN: "Tips about a business or a place received in the period."},
	{Key: MeasureTipsVerified, Kind: MeasureCount, Of: "tips",
		Name: "Tin báo đã xác minh", NameEN: "Tips verified",
		Definition:   "Trong số tin báo tiếp nhận trong kỳ, số tin đã bắt đầu xác minh đến cuối kỳ (hoặc hôm nay).",
		DefinitionEN: "Of the tips received in the period, those whose verification began by its end (or today)."},
	{Key: MeasureTipsHandled, Kind: MeasureCount, Of: "tips",
		Name: "Tin báo đã xử lý", NameEN: "Tips handled",
		Definition:   "Trong số tin báo tiếp nhận trong kỳ, số tin đã có kết quả xử lý đến cuối kỳ (hoặc hôm nay).",
		DefinitionEN: "Of the tips received in the period, those handled with an outcome by its end (or today)."},
	{Key: MeasureTipsInTime, Kind: MeasureCount, Of: "tips",
		Name: "Tin báo xử lý đúng hạn", NameEN: "Tips handled in time",
		Definition:   "Trong số tin báo đã xử lý, số tin được xác minh và xử lý trong thời hạn luật định.",
		DefinitionEN: "Of the tips handled, those verified and handled within their legal deadlines."},
	{Key: MeasureTipsOverdue, Kind: MeasureCount, Of: "tips",
		Name: "Tin báo quá hạn chưa xác minh, chưa xử lý", NameEN: "Tips overdue",
		Definition:   "Tin báo tiếp nhận trong kỳ đã quá hạn xác minh hoặc xử lý mà bước đó chưa làm.",
		DefinitionEN: "Tips received in the period whose verification or handling deadline passed with the step not done."},
	{Key: MeasureSanctionDecisions, Kind: MeasureCount, Of: "sanctions",
		Name: "Quyết định xử phạt vi phạm hành chính", NameEN: "Sanction decisions",
		Definition:   "Quyết định xử phạt vi phạm hành chính ban hành trong kỳ (theo ngày quyết định).",
		DefinitionEN: "Administrative sanction decisions issued in the period (by the decision's date)."},
	{Key: MeasureSanctionWarnings, Kind: MeasureCount, Of: "sanctions",
		Name: "Cảnh cáo", NameEN: "Warnings",
		Definition:   "Trong số quyết định xử phạt của kỳ, số quyết định có hình thức cảnh cáo.",
		DefinitionEN: "Of the period's decisions, those that warn."},
	{Key: MeasureSanctionFines, Kind: MeasureCount, Of: "sanctions",
		Name: "Phạt tiền (số quyết định)", NameEN: "Fines (decisions)",
		Definition:   "Trong số quyết định xử phạt của kỳ, số quyết định phạt tiền.",
		DefinitionEN: "Of the period's decisions, those that fine."},
	{Key: MeasureSanctionFinesAmount, Kind: MeasureCount, Of: "VND",
		Name: "Số tiền phạt đã quyết định (đồng)", NameEN: "Fines decided (VND)",
		Definition:   "Tổng số tiền phạt của các quyết định phạt tiền trong kỳ, tính bằng đồng.",
		DefinitionEN: "The sum of the fines decided in the period, in VND."},
	{Key: MeasureSanctionFinesPaid, Kind: MeasureCount, Of: "sanctions",
		Name: "Phạt tiền đã nộp (số quyết định)", NameEN: "Fines paid (decisions)",
		Definition:   "Trong số quyết định phạt tiền của kỳ, số quyết định đã nộp tiền phạt đến ngày số liệu.",
		DefinitionEN: "Of the period's fines, those paid by the figures' day."},
	{Key: MeasureSanctionCollected, Kind: MeasureCount, Of: "VND",
		Name: "Số tiền phạt đã thu (đồng)", NameEN: "Fines collected (VND)",
		Definition:   "Tổng số tiền phạt đã nộp của các quyết định phạt tiền trong kỳ, đến ngày số liệu, tính bằng đồng.",
		DefinitionEN: "The sum paid by the figures' day of the period's fines, in VND."},
	{Key: MeasureSanctionConfiscation, Kind: MeasureCount, Of: "sanctions",
		Name: "Tịch thu tang vật, phương tiện", NameEN: "Confiscations",
		Definition:   "Trong số quyết định xử phạt của kỳ, số quyết định có tịch thu tang vật, phương tiện.",
		DefinitionEN: "Of the period's decisions, those that confiscate."},
	{Key: MeasureSanctionSuspensions, Kind: MeasureCount, Of: "sanctions",
		Name: "Đình chỉ hoạt động", NameEN: "Suspensions",
		Definition:   "Trong số quyết định xử phạt của kỳ, số quyết định đình chỉ hoạt động có thời hạn.",
		DefinitionEN: "Of the period's decisions, those that suspend for a period."},
	{Key: MeasureSanctionWithdrawals, Kind: MeasureCount, Of: "sanctions",
		Name: "Tước giấy phép, chứng chỉ", NameEN: "Withdrawals",
		Definition:   "Trong số quyết định xử phạt của kỳ, số quyết định tước quyền sử dụng giấy phép, chứng chỉ có thời hạn.",
		DefinitionEN: "Of the period's decisions, those that withdraw a licence or certificate for a period."},
	{Key: MeasureSanctionReferrals, Kind: MeasureCount, Of: "sanctions",
		Name: "Chuyển cơ quan công an", NameEN: "Referrals to the police",
		Definition:   "Vụ việc chuyển cơ quan công an điều tra trong kỳ (theo ngày chuyển).",
		DefinitionEN: "Cases referred to the police for investigation in the period (by the referral's date)."},
	{Key: MeasureSanctionOverdue, Kind: MeasureCount, Of: "sanctions",
		Name: "Quyết định quá hạn chấp hành", NameEN: "Sanctions overdue",
		Definition:   "Trong số quyết định xử phạt của kỳ, số quyết định đã quá hạn nộp phạt (10 ngày) hoặc quá hạn thực hiện biện pháp khắc phục mà chưa thực hiện, vào ngày số liệu.",
		DefinitionEN: "Of the period's decisions, those past the fine's payment (10 days) or a remedial measure's deadline with the step not done, on the figures' day."},
	{Key: MeasurePrevalence, Kind: MeasureEstimate, Denominator: MeasurePrevalenceSample,
		Name: "Tỷ lệ cơ sở vi phạm ước tính", NameEN: "Estimated violation prevalence",
		Definition:   "Tỷ lệ cơ sở có vi phạm trong toàn bộ cơ sở, ước tính từ mẫu ngẫu nhiên của kế hoạch năm đã kiểm tra (có trọng số theo xác suất chọn).",
		DefinitionEN: "The share of businesses with a violation, estimated from the inspected random sample of the year's plan (weighted by the chance of selection)."},
	{Key: MeasurePrevalenceLow, Kind: MeasureEstimate,
		Name: "Cận dưới (khoảng tin cậy 95%)", NameEN: "95% interval: low",
		Definition:   "Cận dưới của khoảng tin cậy 95% của tỷ lệ vi phạm ước tính.",
		DefinitionEN: "The low end of the estimated prevalence's 95% interval."},
	{Key: MeasurePrevalenceHigh, Kind: MeasureEstimate,
		Name: "Cận trên (khoảng tin cậy 95%)", NameEN: "95% interval: high",
		Definition:   "Cận trên của khoảng tin cậy 95% của tỷ lệ vi phạm ước tính.",
		DefinitionEN: "The high end of the estimated prevalence's 95% interval."},
	{Key: MeasurePrevalenceSample, Kind: MeasureCount, Of: "businesses",
		Name: "Số cơ sở của mẫu đã kiểm tra", NameEN: "Sample businesses inspected",
		Definition:   "Số cơ sở của mẫu ngẫu nhiên đã được kiểm tra, mà ước tính tỷ lệ vi phạm dựa vào.",
		DefinitionEN: "The businesses of the random sample that were inspected, on which the prevalence estimate rests."},
	{Key: MeasurePrevalenceQuality, Kind: MeasureFlag,
		Name: "Độ tin cậy của ước tính", NameEN: "Reliability of the estimate",
		Definition:   "Đủ tin cậy; độ tin cậy thấp khi cỡ mẫu hiệu dụng dưới 30 (khoảng tin cậy rộng, đọc thận trọng); không công bố khi dưới 5 cơ sở của mẫu được kiểm tra (ô ước tính để trống).",
		DefinitionEN: "Reliable; low when the effective sample is under 30 (a wide interval: read with care); not published when fewer than 5 sample businesses were inspected (the estimate's cells are left blank)."},
}

// Measures returns the vocabulary, in the order reports list the figures.
func Measures() []Measure { return append([]Measure(nil), measures...) }

// MeasureOf returns the measure of a key; it panics on an unknown key, which is a programming
// error caught by any test that renders the figure.
func MeasureOf(key string) Measure {
	for _, m := range measures {
		if m.Key == key {
			return m
		}
	}
	panic("models: no measure " + key)
}

// MapStatus is the status of a business on the coverage map: each business has exactly one, so
// the legend's counts add up to the businesses on the map. Measure, when set, names the measure
// whose figure the status's count equals.
type MapStatus struct {
	Key          string `json:"key"`
	Name         string `json:"name"`
	NameEN       string `json:"name_en"`
	Definition   string `json:"definition"`
	DefinitionEN string `json:"definition_en"`
	Measure      string `json:"measure,omitempty"`
}

// MapNewlyOpened is the status of a business opened within the programme's grace period before
// its deadline and not inspected: the programme need not cover it.
const MapNewlyOpened = "newly_opened"

// mapStatuses are the map's statuses, in the order of precedence they are given (a business
// inspected this year is shown as such even if it closed since).
var mapStatuses = []MapStatus{
	{Key: MapInspectedThisYear, Measure: MeasureInspected,
		Name: "Được kiểm tra trong kỳ", NameEN: "Inspected in the period",
		Definition:   "Cơ sở được kiểm tra trong kỳ (kể cả cơ sở đã đóng cửa sau đó): số này bằng chỉ số “Cơ sở được kiểm tra trong kỳ”.",
		DefinitionEN: "Businesses inspected in the period (those closed since included): the count is the measure “Businesses inspected”."},
	{Key: MapNeverInspected, Measure: MeasureNeverInspected,
		Name: "Chưa từng được kiểm tra", NameEN: "Never inspected",
		Definition:   "Cơ sở phải kiểm tra trong chương trình chưa được kiểm tra lần nào: số này bằng chỉ số “Cơ sở chưa từng được kiểm tra”.",
		DefinitionEN: "Businesses the programme must cover that were never inspected: the count is the measure “Never inspected”."},
	{Key: MapOverdue,
		Name: "Đã kiểm tra trước đây, có lượt quá hạn", NameEN: "Covered before, a visit overdue",
		Definition:   "Cơ sở đã kiểm tra trong chương trình (chưa trong kỳ này) có lượt kiểm tra quá hạn.",
		DefinitionEN: "Businesses covered by the programme (not yet in this period) with an overdue visit."},
	{Key: MapCoveredInProgramme,
		Name: "Đã kiểm tra trong chương trình", NameEN: "Covered in the programme",
		Definition:   "Cơ sở đang hoạt động đã kiểm tra trong chương trình nhưng chưa trong kỳ này, không có lượt quá hạn.",
		DefinitionEN: "Open businesses covered by the programme but not in this period, with no overdue visit."},
	{Key: MapNewlyOpened,
		Name: "Mới mở, chưa phải kiểm tra", NameEN: "Newly opened, not yet due",
		Definition:   "Cơ sở mở cửa trong thời gian ân hạn trước thời hạn chương trình, chưa được kiểm tra: chương trình chưa bắt buộc kiểm tra.",
		DefinitionEN: "Businesses opened within the grace period before the programme's deadline and not inspected: the programme need not cover them."},
	{Key: MapClosed,
		Name: "Đã đóng cửa", NameEN: "Closed",
		Definition:   "Cơ sở đã đóng cửa vào ngày số liệu và không được kiểm tra trong kỳ.",
		DefinitionEN: "Businesses closed on the figures' day and not inspected in the period."},
}

// MapStatuses returns the map's statuses in order of precedence.
func MapStatuses() []MapStatus { return append([]MapStatus(nil), mapStatuses...) }
