package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/demo"
	"kiemtra/indicators"
	"kiemtra/officialreport"
	"kiemtra/pdftext"
	"kiemtra/refdata"
	"kiemtra/report"
)

// TestOfficeIndicatorsFromSubmissionToTheReport walks issue 19's task on a fresh demo: a
// commune's reporting officer enters the period's outreach figures with a narrative; the lead
// department's planner returns them with a comment; the officer corrects them and the planner
// accepts them; the city's quarterly report (its PDF, read back with pdftotext) then carries
// the narrative and the target's result, and its inspection table the API's figures.
func TestOfficeIndicatorsFromSubmissionToTheReport(t *testing.T) {
	chromiumFor(t, "the targets desk test")
	m := startDemo(t, nil)
	base := "http://" + m.Addr()
	spec, err := refdata.Reorganisation2025()
	if err != nil {
		t.Fatal(err)
	}
	commune := demo.DemoCommunes(spec)[0]
	officer := "baocao." + commune
	const prog, period, quarter = "PCMD-2026-2030", "2026-H2", "2026-Q4"
	const indicator = "outreach_communes"

	p := newPageSession(t, "the targets desk test", 3*time.Minute)
	hash := func(h string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`location.hash = "` + h + `"`)
	}
	row := `#ind-owed tr[data-indicator="` + indicator + `"][data-unit^="` + commune + `"]`

	// The officer lands on what the commune owes and enters the half-year's outreach.
	p.SignIn(base, "/office/", officer, `#ind-owed, #ind-owed-none`)
	p.Do("the half-year's figures owed", hash("#/indicators/owed?period="+period), chromedp.WaitVisible(chromedp.CSS(row)))
	p.NoRawCodes("the figures owed")
	p.Shot("office-indicators-owed-vi-1280x800.png")
	p.Do("open the form", chromedp.Click(chromedp.CSS(row+` a.button`)), chromedp.WaitVisible(chromedp.CSS(`#ind-numerator`)))
	p.Do("a share above 100% is refused", chromedp.SetValue(chromedp.CSS(`#ind-numerator`), "5"), chromedp.SetValue(chromedp.CSS(`#ind-denominator`), "4"),
		chromedp.SendKeys(chromedp.CSS(`#ind-narrative`), "Tổ chức 3 buổi tuyên truyền tại chợ và khu nhà trọ."),
		chromedp.Click(chromedp.CSS(`#ind-send`)), chromedp.WaitVisible(chromedp.CSS(`#ind-numerator-error`)))
	if got := p.Text(`#ind-numerator-error`); !strings.Contains(got, "Tử số") {
		t.Errorf("a share above 100%% reads %q", got)
	}
	p.Shot("office-indicators-refused-vi-1280x800.png")
	p.Do("enter the figures", chromedp.SetValue(chromedp.CSS(`#ind-numerator`), "4"),
		chromedp.Click(chromedp.CSS(`#ind-send`)), chromedp.WaitVisible(chromedp.CSS(`#ind-notice`)))
	if got := p.Text(`#ind-state`); got != "Chờ duyệt" {
		t.Errorf("the submitted figures read %q", got)
	}
	p.Do("sign out the officer", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// The lead department returns them: a return without a comment is named first.
	sub := `#ind-review tr[data-submission]`
	p.SignIn(base, "/office/", "planner", `#desk`)
	p.Do("the figures awaiting review", hash("#/indicators/review"), chromedp.WaitVisible(chromedp.CSS(sub)))
	p.NoRawCodes("the figures awaiting review")
	p.Shot("office-indicators-review-vi-1280x800.png")
	p.Do("open the commune's figures", chromedp.Click(chromedp.CSS(`#ind-review tr[data-submission] a.button`)), chromedp.WaitVisible(chromedp.CSS(`#ind-return`)))
	if got := p.Text(`#desk`); !strings.Contains(got, "Tổ chức 3 buổi tuyên truyền") {
		t.Fatalf("the review does not show the commune's narrative: %q", got)
	}
	p.Do("return without a comment", chromedp.Click(chromedp.CSS(`#ind-return`)), chromedp.WaitVisible(chromedp.CSS(`#ind-comment-error`)))
	p.Do("return with a comment", chromedp.SendKeys(chromedp.CSS(`#ind-comment`), "Ghi rõ số buổi và số người tham dự."),
		chromedp.Click(chromedp.CSS(`#ind-return`)), chromedp.WaitVisible(chromedp.CSS(`#ind-notice`)))
	if got := p.Text(`#ind-state`); got != "Bị trả lại" {
		t.Errorf("the returned figures read %q", got)
	}
	p.Do("sign out the planner", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// The officer sees the comment, corrects the narrative and sends the figures again.
	p.SignIn(base, "/office/", officer, `#ind-owed, #ind-owed-none`)
	p.Do("the returned figures", hash("#/indicators/owed?period="+period), chromedp.WaitVisible(chromedp.CSS(row+` .ind-returned`)))
	if got := p.Text(row + ` .ind-returned`); !strings.Contains(got, "Ghi rõ số buổi") {
		t.Errorf("the owed list reads %q", got)
	}
	p.Do("correct them", chromedp.Click(chromedp.CSS(row+` a.button`)), chromedp.WaitVisible(chromedp.CSS(`#ind-returned`)))
	if got := evalJS[string](t, p.ctx, `document.querySelector('#ind-numerator').value`); got != "4" {
		t.Errorf("the correction starts from %q, want the figures sent", got)
	}
	p.Shot("office-indicators-correct-vi-1280x800.png")
	narrative := "Tổ chức 3 buổi tuyên truyền tại chợ Xuân Khánh, 245 người tham dự."
	p.Do("send the correction", chromedp.SetValue(chromedp.CSS(`#ind-narrative`), narrative),
		chromedp.Click(chromedp.CSS(`#ind-send`)), chromedp.WaitVisible(chromedp.CSS(`#ind-notice`)))
	if got := p.Text(`#desk`); !strings.Contains(got, "Phiên bản 2") {
		t.Errorf("the correction is not version 2: %q", got)
	}
	p.Do("sign out the officer again", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// The planner accepts them.
	p.SignIn(base, "/office/", "planner", `#desk`)
	p.Do("the corrected figures", hash("#/indicators/review"), chromedp.WaitVisible(chromedp.CSS(sub)),
		chromedp.Click(chromedp.CSS(sub+` a.button`)), chromedp.WaitVisible(chromedp.CSS(`#ind-accept`)),
		chromedp.Click(chromedp.CSS(`#ind-accept`)), chromedp.WaitVisible(chromedp.CSS(`#ind-notice`)))
	if got := p.Text(`#ind-state`); got != "Đã chấp nhận" {
		t.Errorf("the accepted figures read %q", got)
	}
	if got := p.Text(`#ind-versions`); !strings.Contains(got, "Bị trả lại") {
		t.Errorf("the versions read %q", got)
	}
	p.Shot("office-indicators-accepted-vi-1280x800.png")
	p.Do("the progress", hash("#/indicators?period="+quarter), chromedp.WaitVisible(chromedp.CSS(`#ind-progress tr[data-indicator="`+indicator+`"]`)))
	p.NoRawCodes("the targets' progress")
	if got := p.Text(`label.ind-signer`); !strings.HasPrefix(got, "Họ tên người ký") {
		t.Errorf("the signer's field reads %q", got)
	}
	p.Do("type the signer", chromedp.SendKeys(chromedp.CSS(`#ind-signer`), "Nguyễn Thị Hồng"))
	// Sections IV and V of the report: an empty line is dropped, each line is an item.
	p.Do("the difficulties and proposals", chromedp.SendKeys(chromedp.CSS(`#ind-difficulties`), "Kinh phí tuyên truyền còn hạn chế.\n\nMột số cơ sở thay đổi chủ."),
		chromedp.SendKeys(chromedp.CSS(`#ind-proposals`), "Tăng cường phối hợp liên ngành."),
		chromedp.Click(chromedp.CSS(`#ind-notes-save`)), chromedp.WaitVisible(chromedp.CSS(`#ind-notes-saved`)))
	p.Shot("office-indicators-progress-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-indicators-progress-vi-360x640.png")
	if w := evalJS[int](t, p.ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the progress is %d px wide on a 360 px phone", w)
	}

	// The lead department raises the 2026-2030 outreach target; an empty target is named first.
	p.Viewport(1280, 800)
	item := `#ind-set li[data-indicator="` + indicator + `"]`
	p.Do("the programme's set", hash("#/indicators/set"), chromedp.WaitVisible(chromedp.CSS(item)))
	p.NoRawCodes("the programme's indicator set")
	p.Do("an empty target", chromedp.SetValue(chromedp.CSS(item+` input[type="number"]`), ""),
		chromedp.Click(chromedp.CSS(`#ind-set-save`)), chromedp.WaitVisible(chromedp.CSS(`#ind-error, .field-error:not([hidden])`)))
	p.NoRawCodes("the set's refusal")
	p.Shot("office-indicators-set-refused-vi-1280x800.png")
	p.Do("a target of 75%", chromedp.SetValue(chromedp.CSS(item+` input[type="number"]`), "75"),
		chromedp.Click(chromedp.CSS(`#ind-set-save`)), chromedp.WaitVisible(chromedp.CSS(`#ind-notice`)))
	if got := p.Text(`#ind-notice`); !strings.Contains(got, "Đã lưu bộ chỉ tiêu, phiên bản") {
		t.Errorf("the saved set reads %q", got)
	}

	// The quarter's official report carries the accepted figures and the API's inspection table.
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if code := apiCall(t, m, "POST", "/api/v1/auth/login", `{"username":"planner","password":"`+demo.Password+`"}`, "", &s); code != 200 {
		t.Fatalf("login: %d", code)
	}
	var pr indicators.Progress
	if code := apiCall(t, m, "GET", "/api/v1/indicators/progress?programme="+prog+"&period="+quarter, "", s.AccessToken, &pr); code != 200 || pr.Row(indicator) == nil {
		t.Fatalf("progress: %d", code)
	}
	var rep report.Report
	if code := apiCall(t, m, "GET", "/api/v1/reports?programme="+prog+"&period="+quarter+"&format=json", "", s.AccessToken, &rep); code != 200 {
		t.Fatalf("the report's JSON: %d", code)
	}
	lines := reportPDFLines(t, m, "/api/v1/reports?programme="+prog+"&period="+quarter+"&format=pdf", s.AccessToken)
	flat := strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
	out := pr.Row(indicator)
	if out.Indicator.TargetMin != 0.75 {
		t.Errorf("the outreach target is %v after the planner's edit, want 0.75", out.Indicator.TargetMin)
	}
	share := *out.Total.Numerator / *out.Total.Denominator
	for _, want := range []string{"BÁO CÁO", "quý IV năm 2026", "Xã, phường tổ chức tuyên truyền phòng ngừa mại dâm", "≥ 75%",
		officialreport.Percent(share), narrative, "KẾT QUẢ KIỂM TRA CÁC CƠ SỞ", "Kinh phí tuyên truyền còn hạn chế.", "Một số cơ sở thay đổi chủ.",
		"Tăng cường phối hợp liên ngành."} {
		if !strings.Contains(flat, want) {
			t.Errorf("the quarterly report lacks %q", want)
		}
	}
	total := rep.SummaryRows()[0]
	for _, cols := range [][]report.Column{report.FigureColumns(), rep.ViolationColumns()} {
		for i := 0; i < len(cols); i += 6 {
			cells := []string{report.ShownCode(total), "Tổng cộng"}
			for _, c := range cols[i:min(i+6, len(cols))] {
				cells = append(cells, officialreport.FormatValue(c, c.Value(total)))
			}
			if !pdftext.HasRow(lines, cells) {
				var near []string
				for _, l := range lines {
					if strings.Contains(l, "Tổng cộng") {
						near = append(near, l)
					}
				}
				t.Errorf("the report's total row lacks %q; its lines: %q", cells, near)
			}
		}
	}
}

// reportPDFLines fetches a PDF of the API and reads its lines (pdftext.Lines).
func reportPDFLines(t *testing.T, m *Main, path, token string) []string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+m.Addr()+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s: %d %.200s", path, resp.StatusCode, b)
	}
	return pdftext.Lines(t, b)
}
