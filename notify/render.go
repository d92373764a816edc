package notify

import (
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
