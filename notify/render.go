package notify

import (
	"strconv"
	"strings"
	"time"

	"kiemtra/models"
)

// Text is a notification rendered for people (models.NotificationText).
type Text = models.NotificationText

// Renderer turns a notification's kind and params into text. It is the one source of the
// wording: the e-mails use it and the in-app API answers its text beside the kind and params.
type Renderer struct {
	categories map[string]models.Category
}

// NewRenderer returns a renderer that names business categories from the reference list.
func NewRenderer(categories []models.Category) *Renderer {
	r := &Renderer{categories: map[string]models.Category{}}
	for _, c := range categories {
		r.categories[c.Code] = c
	}
	return r
}

// Render renders n. A kind it does not know (written by a newer version) reads as a plain
// "new notification" rather than failing.
func (r *Renderer) Render(n *models.Notification) Text {
	p := n.Params
	switch n.Kind {
	case models.NotifyUrgentTip:
		catVI, catEN := p["category"], p["category"]
		if c, ok := r.categories[p["category"]]; ok {
			catVI, catEN = c.VI, c.EN
		}
		place := join(", ", p["business_name"], p["business_address"])
		dayVI, dayEN := p["day"], p["day"]
		if d, err := time.Parse(time.DateOnly, p["day"]); err == nil {
			dayVI, dayEN = d.Format("02/01/2006"), d.Format("2 January 2006")
		}
		return Text{
			TitleVI: "Nhiệm vụ kiểm tra khẩn: " + p["business_name"],
			TitleEN: "Urgent inspection: " + p["business_name"],
			BodyVI: "Có tin báo khẩn về cơ sở " + place + " (" + catVI + "). Tổ " + p["team_name"] +
				" được giao kiểm tra ngay trong ngày " + dayVI + "; nhiệm vụ đã có trong lộ trình hôm nay của tổ.",
			BodyEN: "An urgent tip concerns " + place + " (" + catEN + "). Team " + p["team_name"] +
				" is to inspect it today, " + dayEN + "; the visit is in the team's route for today.",
		}
	case models.NotifyTeamDay:
		dayVI, dayEN := p["day"], p["day"]
		if d, err := time.Parse(time.DateOnly, p["day"]); err == nil {
			dayVI, dayEN = d.Format("02/01/2006"), d.Format("2 January 2006")
		}
		if p["change"] == "changed" {
			return Text{
				TitleVI: "Lộ trình ngày " + dayVI + " đã thay đổi", TitleEN: "The route of " + dayEN + " changed",
				BodyVI: "Lộ trình của tổ ngày " + dayVI + " vừa được cập nhật (" + p["visits"] + " lượt kiểm tra mới). Hãy mở ứng dụng để xem thứ tự mới.",
				BodyEN: "The team's route for " + dayEN + " was updated (" + p["visits"] + " new visits). Open the app for the new order.",
			}
		}
		return Text{
			TitleVI: "Đã giao lộ trình ngày " + dayVI, TitleEN: "The route of " + dayEN + " is out",
			BodyVI: "Tổ có " + p["visits"] + " lượt kiểm tra trong ngày " + dayVI + ". Hãy mở ứng dụng để xem lộ trình.",
			BodyEN: "The team has " + p["visits"] + " visits on " + dayEN + ". Open the app for the route.",
		}
	case models.NotifySanctionOverdue:
		dueVI, dueEN := p["due"], p["due"]
		if d, err := time.Parse(time.DateOnly, p["due"]); err == nil {
			dueVI, dueEN = d.Format("02/01/2006"), d.Format("2 January 2006")
		}
		stepVI, stepEN := "biện pháp khắc phục hậu quả", "a remedial measure"
		if p["step"] == "fine" {
			stepVI, stepEN = "nộp tiền phạt", "the fine's payment"
		}
		decVI, decEN := "", ""
		if p["decision_no"] != "" {
			decVI, decEN = " (quyết định số "+p["decision_no"]+")", " (decision "+p["decision_no"]+")"
		}
		return Text{
			TitleVI: "Quá hạn thi hành quyết định xử phạt: " + p["business_name"],
			TitleEN: "Sanction overdue: " + p["business_name"],
			BodyVI:  "Cơ sở " + p["business_name"] + decVI + " chưa hoàn thành " + stepVI + " đúng hạn " + dueVI + ". Hãy theo dõi và xử lý tiếp.",
			BodyEN:  p["business_name"] + decEN + " has not completed " + stepEN + " due on " + dueEN + ". Follow it up.",
		}
	case models.NotifyPlanInfeasible:
		return Text{
			TitleVI: "Kế hoạch năm " + p["year"] + " không còn khả thi: " + p["programme_name"],
			TitleEN: "The " + p["year"] + " plan no longer fits: " + p["programme_name"],
			BodyVI: "Kế hoạch năm " + p["year"] + " của chương trình " + p["programme_name"] + " (" + p["programme_code"] + ") còn " + p["open"] +
				" lượt kiểm tra nhưng các tổ chỉ còn " + p["capacity"] + " lượt trong năm: thiếu " + p["shortfall"] + " lượt. Hãy điều chỉnh kế hoạch hoặc năng lực các tổ.",
			BodyEN: "The " + p["year"] + " plan of " + p["programme_name"] + " (" + p["programme_code"] + ") has " + p["open"] +
				" visits left but the teams have " + p["capacity"] + " places left this year: " + p["shortfall"] + " short. Adjust the plan or the teams' capacity.",
		}
	case models.NotifyTipOverdue, models.NotifyTipDueSoon:
		stepVI, stepEN := "xác minh", "verification"
		if p["deadline"] == "handle" {
			stepVI, stepEN = "xử lý", "handling"
		}
		sevVI, sevEN := map[string]string{"urgent": "khẩn", "high": "cao", "normal": "thường"}[p["severity"]], p["severity"]
		whereVI, whereEN := "", ""
		if p["place"] != "" {
			whereVI, whereEN = " về "+p["place"], " about "+p["place"]
		}
		if n.Kind == models.NotifyTipDueSoon {
			return Text{
				TitleVI: "Tin báo sắp đến hạn " + stepVI + whereVI,
				TitleEN: "Tip near its " + stepEN + " deadline" + whereEN,
				BodyVI:  "Một tin báo (mức độ " + sevVI + ")" + whereVI + " phải được " + stepVI + " trước " + p["due"] + ". Hãy xử lý kịp thời hạn.",
				BodyEN:  "A tip (" + sevEN + " severity)" + whereEN + " must have its " + stepEN + " done by " + p["due"] + ".",
			}
		}
		return Text{
			TitleVI: "Tin báo quá hạn " + stepVI + whereVI,
			TitleEN: "Tip past its " + stepEN + " deadline" + whereEN,
			BodyVI: "Một tin báo (mức độ " + sevVI + ")" + whereVI + " đã quá hạn " + stepVI + " lúc " + p["due"] +
				" và đã được báo cáo lên cấp trên. Hãy mở tin báo trên bàn làm việc tin báo để xử lý tiếp.",
			BodyEN: "A tip (" + sevEN + " severity)" + whereEN + " passed its " + stepEN + " deadline at " + p["due"] +
				" and was escalated. Open it on the tip desk to take it on.",
		}
	case models.NotifyResultRejected:
		return resultRejected(p)
	case models.NotifySubmissionDue:
		return submissionDue(p)
	case models.NotifySubmissionReturned:
		return submissionReturned(p)
	}
	return Text{TitleVI: "Thông báo mới", TitleEN: "New notification", BodyVI: "Bạn có một thông báo mới trong kiemtra.", BodyEN: "You have a new notification in kiemtra."}
}

func join(sep string, parts ...string) string {
	var out []string
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// resultRejected words a result the server refused: what it was, for which business, and why
// by the error's code and field (the message itself may repeat what the inspector typed).
func resultRejected(p models.NotificationParams) Text {
	whatVI, whatEN := "Kết quả kiểm tra", "An inspection result"
	switch p["operation"] {
	case "checkin":
		whatVI, whatEN = "Lượt điểm danh", "A check-in"
	case "record":
		whatVI, whatEN = "Biên bản đã ký", "A signed record"
	}
	atVI, atEN := "", ""
	if p["business_name"] != "" {
		atVI, atEN = " tại "+p["business_name"], " at "+p["business_name"]
	}
	whyVI, whyEN := rejectionCode(p["code"])
	if p["field"] != "" {
		whyVI += " (trường " + p["field"] + ")"
		whyEN += " (field " + p["field"] + ")"
	}
	return Text{
		TitleVI: whatVI + atVI + " bị máy chủ từ chối",
		TitleEN: whatEN + atEN + " was refused by the server",
		BodyVI:  whatVI + atVI + " gửi từ điện thoại không được lưu: " + whyVI + ". Mục vẫn được giữ trong hàng chờ của ứng dụng: hãy mở hàng chờ, sửa và gửi lại.",
		BodyEN:  whatEN + atEN + " sent from the phone was not stored: " + whyEN + ". It is kept in the app's queue: open the queue, correct it and send it again.",
	}
}

// rejectionCode says an error code of models in words.
func rejectionCode(code string) (vi, en string) {
	switch code {
	case models.EINVALID:
		return "dữ liệu không hợp lệ", "the data is not valid"
	case models.ECONFLICT:
		return "xung đột với dữ liệu đã có trên máy chủ", "it conflicts with what the server holds"
	case models.ENOTFOUND:
		return "không tìm thấy nhiệm vụ hoặc kết quả liên quan", "the task or result it refers to was not found"
	case models.EFORBIDDEN:
		return "bạn không có quyền gửi mục này", "you may not send it"
	case models.EUNAUTHORIZED:
		return "phiên đăng nhập không hợp lệ", "the session is not valid"
	}
	return "mã lỗi " + code, "error code " + code
}

// periodName names a reporting period as the reports do: "Quý I năm 2026", "6 tháng đầu năm
// 2026", "Tháng 10/2026", "Năm 2026" (and "Q1 2026", "First half of 2026", ... in English).
func periodName(period string) (vi, en string) {
	per, err := models.ParseReportingPeriod("period", period)
	if err != nil {
		return period, period
	}
	y := strconv.Itoa(per.Year)
	switch per.Kind {
	case models.PeriodMonth:
		return "Tháng " + strconv.Itoa(per.N) + "/" + y, time.Month(per.N).String() + " " + y
	case models.PeriodQuarter:
		return "Quý " + []string{"I", "II", "III", "IV"}[per.N-1] + " năm " + y, "Q" + strconv.Itoa(per.N) + " " + y
	case models.PeriodHalf:
		if per.N == 1 {
			return "6 tháng đầu năm " + y, "First half of " + y
		}
		return "6 tháng cuối năm " + y, "Second half of " + y
	}
	return "Năm " + y, "Year " + y
}

// dateWords formats a YYYY-MM-DD date as the users read it.
func dateWords(day string) (vi, en string) {
	if d, err := time.Parse(time.DateOnly, day); err == nil {
		return d.Format("02/01/2006"), d.Format("2 January 2006")
	}
	return day, day
}

// submissionDue words a unit's figures due soon or late.
func submissionDue(p models.NotificationParams) Text {
	perVI, perEN := periodName(p["period"])
	dueVI, dueEN := dateWords(p["due"])
	if p["phase"] == "late" {
		return Text{
			TitleVI: "Quá hạn báo cáo số liệu kỳ " + perVI + ": " + p["unit_name"],
			TitleEN: "Figures of " + perEN + " overdue: " + p["unit_name"],
			BodyVI: p["unit_name"] + " còn " + p["figures"] + " chỉ tiêu của chương trình " + p["programme_name"] + " chưa báo cáo cho kỳ " + perVI +
				"; hạn cuối là " + dueVI + ". Số liệu gửi muộn vẫn được nhận, kèm lý do gửi muộn.",
			BodyEN: p["unit_name"] + " still owes " + p["figures"] + " indicators of " + p["programme_name"] + " for " + perEN +
				"; the deadline was " + dueEN + ". Late figures are still taken, with the reason they are late.",
		}
	}
	return Text{
		TitleVI: "Sắp đến hạn báo cáo số liệu kỳ " + perVI + ": " + p["unit_name"],
		TitleEN: "Figures of " + perEN + " due soon: " + p["unit_name"],
		BodyVI: p["unit_name"] + " còn " + p["figures"] + " chỉ tiêu của chương trình " + p["programme_name"] + " chưa báo cáo cho kỳ " + perVI +
			"; hạn cuối là " + dueVI + ". Hãy nhập số liệu trước hạn.",
		BodyEN: p["unit_name"] + " still owes " + p["figures"] + " indicators of " + p["programme_name"] + " for " + perEN +
			"; the deadline is " + dueEN + ". Enter the figures before then.",
	}
}

// submissionReturned words a unit's figure returned by the lead department for correction.
func submissionReturned(p models.NotificationParams) Text {
	perVI, perEN := periodName(p["period"])
	dueVI, dueEN := dateWords(p["due"])
	indVI, indEN := p["indicator_vi"], p["indicator_en"]
	if indVI == "" {
		indVI = p["indicator"]
	}
	if indEN == "" {
		indEN = p["indicator"]
	}
	return Text{
		TitleVI: "Số liệu bị trả lại để sửa: " + indVI,
		TitleEN: "Figure returned for correction: " + indEN,
		BodyVI: "Cơ quan chủ trì đã trả lại số liệu chỉ tiêu " + indVI + " (phiên bản " + p["version"] + ") của " + p["unit_name"] + ", kỳ " + perVI +
			", chương trình " + p["programme_name"] + ". Hãy mở báo cáo để xem ý kiến và gửi lại số liệu đã sửa (hạn " + dueVI + ").",
		BodyEN: "The lead department returned the figure of " + indEN + " (version " + p["version"] + ") of " + p["unit_name"] + " for " + perEN +
			", programme " + p["programme_name"] + ". Open it to read the comment and send the corrected figure (due " + dueEN + ").",
	}
}
