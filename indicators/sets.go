// Package indicators keeps a programme's measurable targets beyond inspections: the indicator
// sets, the figures units and departments submit and the lead department reviews, the periods'
// deadlines and locks, who still owes a figure, and the progress of every indicator against its
// target per unit and for the city, computed from kiemtra's own records where it knows them.
package indicators

import (
	"strings"

	"kiemtra/models"
)

// DefaultSet is the indicator set a programme starts with until a planner edits it: the
// measurable targets of Section III of Can Tho's Plan 237/KH-UBND (2021-2025), written from the
// plan's text, with lead the programme's lead agency (which consolidates the computed figures).
// No national decision for 2026-2030 was found: a later programme starts from the same targets,
// as a configurable starting point, with the agencies that took the duties over in 2025 (social
// protection went to health, information and communications to science and technology).
func DefaultSet(p *models.Programme) []*models.Indicator {
	lead := models.DefaultLeadAgency
	if p.LeadAgency != nil && *p.LeadAgency != "" {
		lead = *p.LeadAgency
	}
	before2025 := p.StartsOn.Year < 2025
	social := models.AgencyHealth
	if before2025 {
		social = models.AgencyLabour
	}
	c, d, city := models.IndicatorLevelCommune, models.IndicatorLevelDepartment, models.IndicatorLevelCity
	sub, comp := models.IndicatorSubmitted, models.IndicatorComputed
	share, count, change := models.IndicatorShare, models.IndicatorCount, models.IndicatorChange
	half, year, month, quarter := models.PeriodHalf, models.PeriodYear, models.PeriodMonth, models.PeriodQuarter
	list := []*models.Indicator{
		{Code: "outreach_communes", Section: "III.1", Kind: share, Level: c, Period: half, Agency: models.AgencyCommune, Source: sub, TargetMin: 0.70,
			NameVI: "Xã, phường, thị trấn tổ chức tuyên truyền phòng ngừa mại dâm", NameEN: "Communes running prostitution-prevention outreach",
			DefinitionVI: "Ít nhất 70% số xã, phường, thị trấn tổ chức tuyên truyền về phòng ngừa mại dâm.", DefinitionEN: "At least 70% of communes, wards and towns run outreach on preventing prostitution.",
			NumeratorVI: "Số xã, phường, thị trấn đã tổ chức tuyên truyền trong kỳ", NumeratorEN: "Communes that ran outreach in the period",
			DenominatorVI: "Tổng số xã, phường, thị trấn", DenominatorEN: "All communes, wards and towns"},
		{Code: "press_news", Section: "III.1", Kind: count, Level: city, Period: month, Agency: "press", Source: sub, TargetMin: 1,
			NameVI: "Tin, bài về phòng, chống mại dâm trên báo chí thành phố", NameEN: "Prostitution-prevention items in the city press",
			DefinitionVI: "Thông tin về phòng, chống mại dâm được đăng tải trên cơ quan báo chí thành phố hàng tháng.", DefinitionEN: "News on preventing prostitution is published in the city press every month."},
		{Code: "workers_reached", Section: "III.1", Kind: share, Level: c, Period: half, Agency: models.AgencyCommune, Source: sub, TargetMin: 0.70,
			NameVI: "Người lao động tại cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm được tuyên truyền", NameEN: "Workers in the businesses prone to prostitution reached",
			DefinitionVI: "Ít nhất 70% người lao động tại các cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm được tuyên truyền, phổ biến chính sách, pháp luật về phòng, chống mại dâm.",
			DefinitionEN: "At least 70% of the workers of the businesses prone to prostitution are told of the policy and the law on preventing it.",
			NumeratorVI:  "Số người lao động được tuyên truyền", NumeratorEN: "Workers reached", DenominatorVI: "Tổng số người lao động tại các cơ sở", DenominatorEN: "All workers of these businesses"},
		{Code: "industrial_workers_reached", Section: "III.1", Kind: share, Level: city, Period: half, Agency: models.AgencyHomeAffairs, Source: sub, TargetMin: 0.60,
			NameVI: "Người lao động trong các khu công nghiệp được tuyên truyền", NameEN: "Industrial-zone workers reached",
			DefinitionVI: "Ít nhất 60% người lao động trong các khu công nghiệp được tuyên truyền, cung cấp thông tin, kiến thức về phòng, chống tệ nạn mại dâm.",
			DefinitionEN: "At least 60% of the workers in industrial zones receive information on preventing prostitution.",
			NumeratorVI:  "Số người lao động được tuyên truyền", NumeratorEN: "Workers reached", DenominatorVI: "Tổng số người lao động trong các khu công nghiệp", DenominatorEN: "All industrial-zone workers"},
		{Code: "students_reached", Section: "III.1", Kind: share, Level: city, Period: half, Agency: models.AgencyEducation, Source: sub, TargetMin: 0.70,
			NameVI: "Học sinh, sinh viên được tuyên truyền", NameEN: "Students reached",
			DefinitionVI: "70% học sinh, sinh viên các trường trung học phổ thông, cơ sở giáo dục đại học và cơ sở giáo dục nghề nghiệp được tuyên truyền về phòng, chống tệ nạn mại dâm.",
			DefinitionEN: "70% of the students of upper-secondary schools, universities and vocational schools are reached.",
			NumeratorVI:  "Số học sinh, sinh viên được tuyên truyền", NumeratorEN: "Students reached", DenominatorVI: "Tổng số học sinh, sinh viên", DenominatorEN: "All students"},
		{Code: "local_plans", Section: "III.2", Kind: share, Level: c, Period: year, Agency: models.AgencyCommune, Source: sub, TargetMin: 1,
			NameVI: "Địa phương xây dựng kế hoạch phòng, chống tệ nạn mại dâm", NameEN: "Local units with their own prevention plan",
			DefinitionVI: "100% quận, huyện (từ năm 2025: xã, phường) xây dựng kế hoạch và tổ chức thực hiện các hoạt động phòng, chống tệ nạn mại dâm.",
			DefinitionEN: "Every district (from 2025: every commune) draws up and carries out its own plan against prostitution.",
			NumeratorVI:  "Số đơn vị có kế hoạch", NumeratorEN: "Units with a plan", DenominatorVI: "Tổng số đơn vị", DenominatorEN: "All units"},
		{Code: "local_integration", Section: "III.2", Kind: share, Level: c, Period: year, Agency: models.AgencyCommune, Source: sub, TargetMin: 1,
			NameVI: "Địa phương lồng ghép phòng, chống mại dâm với các chương trình kinh tế - xã hội", NameEN: "Local units integrating prevention in their other programmes",
			DefinitionVI: "100% quận, huyện (từ năm 2025: xã, phường) lồng ghép nhiệm vụ phòng, chống tệ nạn mại dâm với các chương trình phát triển kinh tế - xã hội, an sinh, phòng, chống ma túy, HIV/AIDS.",
			DefinitionEN: "Every local unit builds prevention into its economic, social-welfare, drugs and HIV/AIDS programmes.",
			NumeratorVI:  "Số đơn vị có lồng ghép", NumeratorEN: "Units integrating it", DenominatorVI: "Tổng số đơn vị", DenominatorEN: "All units"},
		{Code: models.IndicatorTipsInTime, Section: "III.3", Kind: share, Level: city, Period: quarter, Agency: models.AgencyPolice, Source: comp, TargetMin: 1,
			NameVI: "Tố giác, tin báo được tiếp nhận, xác minh, xử lý kịp thời", NameEN: "Tips received, verified and handled in time",
			DefinitionVI: "100% tố giác, tin báo, khiếu nại hành vi vi phạm pháp luật về phòng, chống mại dâm được tiếp nhận, xác minh, phân loại, xử lý kịp thời.",
			DefinitionEN: "Every tip or complaint is received, verified, classified and handled in time.",
			NumeratorVI:  "Số tin báo xử lý đúng hạn", NumeratorEN: "Tips handled in time", DenominatorVI: "Số tin báo đã xử lý hoặc đã quá hạn", DenominatorEN: "Tips handled or overdue"},
		{Code: models.IndicatorCrimesHandled, Section: "III.3", Kind: change, Level: city, Period: year, Agency: models.AgencyPolice, Source: comp, TargetMin: 0.03, TargetMax: 0.05,
			NameVI: "Tội phạm liên quan đến mại dâm được xử lý", NameEN: "Prostitution-related crimes handled",
			DefinitionVI: "Hàng năm, tăng 3 - 5% số tội phạm liên quan đến mại dâm được xử lý theo quy định của pháp luật; kiemtra đếm các vụ chuyển cơ quan công an từ kết quả kiểm tra.",
			DefinitionEN: "Crimes related to prostitution handled rise 3-5% a year; kiemtra counts the cases its inspections referred to the police."},
		{Code: models.IndicatorInspectionShare, Section: "III.3", Kind: share, Level: c, Period: year, Agency: lead, Source: comp, TargetMin: p.MinYearlyShare,
			NameVI: "Cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm được kiểm tra trong năm", NameEN: "Businesses prone to prostitution inspected in the year",
			DefinitionVI: "Tổ chức kiểm tra ít nhất 20% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm trên địa bàn mỗi năm.",
			DefinitionEN: "At least 20% of the businesses prone to prostitution are inspected every year.",
			NumeratorVI:  "Số cơ sở hoạt động từ ngày 1/1 đã được kiểm tra", NumeratorEN: "Businesses open on 1 January inspected", DenominatorVI: "Số cơ sở hoạt động ngày 1/1", DenominatorEN: "Businesses open on 1 January"},
		{Code: models.IndicatorCoverage, Section: "III.3", Kind: share, Level: c, Period: year, Agency: lead, Source: comp, TargetMin: 1,
			NameVI: "Cơ sở được kiểm tra ít nhất một lần trong giai đoạn", NameEN: "Businesses inspected at least once in the programme",
			DefinitionVI: "Đến cuối giai đoạn, 100% các cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm trên địa bàn được kiểm tra ít nhất một lần.",
			DefinitionEN: "By the end of the programme every such business has been inspected at least once.",
			NumeratorVI:  "Số cơ sở đã được kiểm tra", NumeratorEN: "Businesses inspected", DenominatorVI: "Số cơ sở phải kiểm tra", DenominatorEN: "Businesses to inspect"},
		{Code: "pilot_models", Section: "III.4", Kind: share, Level: c, Period: year, Agency: models.AgencyCommune, Source: sub, TargetMin: 0.10,
			NameVI: "Địa phương triển khai mô hình thí điểm phòng ngừa mại dâm, hỗ trợ giảm hại", NameEN: "Local units running pilot prevention and harm-reduction models",
			DefinitionVI: "Ít nhất 10% quận, huyện (từ năm 2025: xã, phường) xây dựng, triển khai mô hình thí điểm về phòng ngừa mại dâm, hỗ trợ can thiệp giảm hại, phòng, chống bạo lực trên cơ sở giới.",
			DefinitionEN: "At least 10% of local units run a pilot model of prevention, harm reduction or support against gender-based violence.",
			NumeratorVI:  "Số đơn vị có mô hình thí điểm", NumeratorEN: "Units with a pilot model", DenominatorVI: "Tổng số đơn vị", DenominatorEN: "All units"},
		{Code: "support_services", Section: "III.4", Kind: share, Level: city, Period: half, Agency: social, Source: sub, TargetMin: 0.60,
			NameVI: "Người bán dâm có nhu cầu được tiếp cận dịch vụ hỗ trợ xã hội", NameEN: "Sex workers in need reaching support services",
			DefinitionVI: "Ít nhất 60% người bán dâm có nhu cầu và đủ điều kiện được tiếp cận và sử dụng các dịch vụ hỗ trợ xã hội, hòa nhập cộng đồng.",
			DefinitionEN: "At least 60% of the sex workers who need and qualify for social support services reach and use them.",
			NumeratorVI:  "Số người được tiếp cận dịch vụ", NumeratorEN: "People reaching the services", DenominatorVI: "Số người có nhu cầu và đủ điều kiện", DenominatorEN: "People in need who qualify"},
		{Code: "officials_trained_city", Section: "III.5", Kind: share, Level: d, Period: year, Agency: lead, Source: sub, TargetMin: 0.70,
			NameVI: "Cán bộ, công chức, viên chức cấp thành phố được tập huấn", NameEN: "City-level officials trained",
			DefinitionVI: "Ít nhất 70% đội ngũ cán bộ, công chức, viên chức cấp tỉnh làm công tác liên quan được đào tạo, bồi dưỡng, tập huấn về phòng, chống mại dâm.",
			DefinitionEN: "At least 70% of the city-level officials concerned are trained in preventing prostitution.",
			NumeratorVI:  "Số cán bộ được tập huấn", NumeratorEN: "Officials trained", DenominatorVI: "Tổng số cán bộ làm công tác liên quan", DenominatorEN: "Officials concerned"},
		{Code: "officials_trained_local", Section: "III.5", Kind: share, Level: c, Period: year, Agency: models.AgencyCommune, Source: sub, TargetMin: 0.50,
			NameVI: "Cán bộ, công chức cấp huyện, cấp xã được tập huấn", NameEN: "Local officials trained",
			DefinitionVI: "Ít nhất 50% cán bộ, công chức, viên chức cấp huyện, cấp xã (từ năm 2025: cấp xã) làm công tác liên quan được đào tạo, bồi dưỡng, tập huấn về phòng, chống mại dâm.",
			DefinitionEN: "At least 50% of the district and commune officials concerned (from 2025: commune) are trained.",
			NumeratorVI:  "Số cán bộ được tập huấn", NumeratorEN: "Officials trained", DenominatorVI: "Tổng số cán bộ làm công tác liên quan", DenominatorEN: "Officials concerned"},
	}
	for i, ind := range list {
		ind.ProgrammeID, ind.Position = p.ID, i+1
		if !before2025 {
			for _, f := range []*string{&ind.NameVI, &ind.NameEN, &ind.DefinitionVI, &ind.DefinitionEN, &ind.NumeratorVI, &ind.NumeratorEN, &ind.DenominatorVI, &ind.DenominatorEN} {
				*f = since2025.Replace(*f)
			}
		}
		ind.Normalise()
	}
	return list
}

// since2025 words a later programme's targets for the units that exist: since 1 July 2025 there
// is no district level and no town (thị trấn), only communes and wards.
var since2025 = strings.NewReplacer(
	"xã, phường, thị trấn", "xã, phường", "Xã, phường, thị trấn", "Xã, phường",
	"cấp huyện, cấp xã (từ năm 2025: cấp xã)", "cấp xã", "Cán bộ, công chức cấp huyện, cấp xã", "Cán bộ, công chức cấp xã", "cấp huyện, cấp xã", "cấp xã",
	"quận, huyện (từ năm 2025: xã, phường)", "xã, phường", "Every district (from 2025: every commune)", "Every commune and ward",
	"communes, wards and towns", "communes and wards", "district and commune officials concerned (from 2025: commune)", "commune officials concerned")
