package notify

import (
	"strings"
	"testing"

	"kiemtra/models"
)

func TestPeriodsAreNamedAsTheReportsDo(t *testing.T) {
	for _, c := range []struct{ period, vi, en string }{
		{"2026-10", "Tháng 10/2026", "October 2026"},
		{"2026-Q4", "Quý IV năm 2026", "Q4 2026"},
		{"2026-H1", "6 tháng đầu năm 2026", "First half of 2026"},
		{"2026-H2", "6 tháng cuối năm 2026", "Second half of 2026"},
		{"2026", "Năm 2026", "Year 2026"},
		{"not a period", "not a period", "not a period"},
	} {
		t.Run(c.period, func(t *testing.T) {
			if vi, en := periodName(c.period); vi != c.vi || en != c.en {
				t.Fatalf("periodName(%q) = %q, %q; want %q, %q", c.period, vi, en, c.vi, c.en)
			}
		})
	}
}

func TestARejectedResultSaysWhyByItsCodeAndField(t *testing.T) {
	r := NewRenderer(nil)
	for _, c := range []struct {
		name   string
		params models.NotificationParams
		want   []string
	}{
		{"a check-in refused as invalid", models.NotificationParams{"operation": "checkin", "code": "invalid", "field": "lat"},
			[]string{"Lượt điểm danh", "dữ liệu không hợp lệ", "(trường lat)", "A check-in", "(field lat)"}},
		{"a record in conflict, at a business", models.NotificationParams{"operation": "record", "code": "conflict", "business_name": "Karaoke Ánh Dương"},
			[]string{"Biên bản đã ký tại Karaoke Ánh Dương", "xung đột", "A signed record at Karaoke Ánh Dương"}},
		{"a code the wording does not know", models.NotificationParams{"operation": "inspection", "code": "too_large"},
			[]string{"Kết quả kiểm tra", "mã lỗi too_large", "error code too_large"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			txt := r.Render(&models.Notification{Kind: models.NotifyResultRejected, Params: c.params})
			all := txt.TitleVI + "|" + txt.BodyVI + "|" + txt.TitleEN + "|" + txt.BodyEN
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("%q is not in %s", w, all)
				}
			}
		})
	}
}

func TestASubmissionDueSaysSoonOrLate(t *testing.T) {
	r := NewRenderer(nil)
	p := models.NotificationParams{"period": "2026-Q1", "unit_name": "Quận Ninh Kiều", "due": "2026-04-15", "figures": "2", "programme_name": "CT"}
	soon := r.Render(&models.Notification{Kind: models.NotifySubmissionDue, Params: p})
	p["phase"] = "late"
	late := r.Render(&models.Notification{Kind: models.NotifySubmissionDue, Params: p})
	if !strings.HasPrefix(soon.TitleVI, "Sắp đến hạn") || !strings.Contains(soon.BodyVI, "15/04/2026") || !strings.Contains(soon.TitleVI, "Quý I năm 2026") {
		t.Errorf("due soon: %+v", soon)
	}
	if !strings.HasPrefix(late.TitleVI, "Quá hạn") || !strings.Contains(late.TitleEN, "overdue") {
		t.Errorf("late: %+v", late)
	}
}
