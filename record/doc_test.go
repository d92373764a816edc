package record

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/pdftext"
)

func ptr[T any](v T) *T { return &v }

// testFacts is an inspection with a violation found by a "no" answer, signed by both sides.
func testFacts(t *testing.T) Facts {
	t.Helper()
	ict := time.FixedZone("ICT", 7*3600)
	started := time.Date(2026, 12, 3, 8, 5, 0, 0, ict)
	return Facts{
		Inspection: &models.Inspection{ID: "insp-1", BusinessID: "b1", TeamID: ptr("team-1"), TaskID: ptr("task-1"), StartedAt: started.UTC(),
			FinishedAt: started.Add(40 * time.Minute).UTC(), Outcome: models.OutcomeViolation, ChecklistVersion: 1,
			Answers: `[{"item_id":"G01","answer":"yes"},{"item_id":"K02","answer":"no","note":"phòng có khóa chốt"}]`, Members: `["u1","u2"]`,
			Notes: "Đã nhắc nhở chủ cơ sở."},
		Version:  2,
		Findings: []*models.Finding{{Code: "V-K02", Severity: "medium", Note: "phòng có khóa chốt"}},
		Business: &models.Business{ID: "b1", Name: "Karaoke Hoàng Yến", Category: "karaoke", Address: "12 Lý Tự Trọng, phường Ninh Kiều, Cần Thơ",
			LicenceNo: ptr("GP-123"), OwnerName: "Trần Thị Yến"},
		Team: &models.Team{ID: "team-1", Name: "Tổ kiểm tra liên ngành số 1", DecisionNo: "125/QĐ-UBND", DecisionDate: models.NewDate(2026, 1, 5),
			DecisionBy: "Chủ tịch Ủy ban nhân dân thành phố Cần Thơ"},
		Task: &models.Task{ID: "task-1", Reason: "coverage", PlanID: ptr("plan-2026")},
		Plan: &models.Plan{ID: "plan-2026", Year: 2026},
		Members: []*models.User{{ID: "u1", Username: "insp1", DisplayName: "Nguyễn Văn An", Agency: "CA"},
			{ID: "u2", Username: "insp2", DisplayName: "Lê Thị Bình", Agency: "VH"}},
		Agencies: map[string]*models.Agency{"CA": {Code: "CA", NameVI: "Công an thành phố Cần Thơ"}, "VH": {Code: "VH", NameVI: "Sở Văn hóa, Thể thao và Du lịch"}},
		Signer:   &models.User{ID: "u1", Username: "insp1", DisplayName: "Nguyễn Văn An", Agency: "CA"},
		Record: &models.InspectionRecord{InspectionID: "insp-1", RepresentativeName: "Trần Thị Yến", RepresentativeRole: "Chủ cơ sở",
			Statement: "Tôi xin khắc phục trong 7 ngày.", InspectorSignatureSHA256: "aa", RepresentativeSignatureSHA256: "bb"},
		Checklist: &models.Checklist{Version: 1, Items: []models.ChecklistItem{
			{ID: "G01", VI: "Có giấy chứng nhận đăng ký kinh doanh hợp lệ?", Legal: []string{"Nghị định 96/2016/NĐ-CP"}},
			{ID: "K02", VI: "Phòng karaoke không có khóa chốt bên trong?", NoIsViolation: true, Violation: "V-K02", Legal: []string{"Nghị định 54/2019/NĐ-CP, Điều 4"}}}},
		Violations: []models.ViolationType{{Code: "V-K02", VI: "Phòng karaoke có khóa chốt", Severity: "medium"}},
		Reference: &models.Reference{Categories: []models.Category{{Code: "karaoke", VI: "Karaoke"}},
			Labels: map[string]map[string]models.Label{"outcome": {"violation": {VI: "Có vi phạm"}}, "severity": {"medium": {VI: "Trung bình"}},
				"task_reason": {"coverage": {VI: "Chưa kiểm tra trong chương trình"}}}},
		Location: ict,
	}
}

func TestBuildRecordOfAnInspection(t *testing.T) {
	d, err := Build(testFacts(t))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name, got, want string
	}{
		{"the issuing body is the signer's agency", d.Agency, "Công an thành phố Cần Thơ"},
		{"the team", d.Team, "Tổ kiểm tra liên ngành số 1"},
		{"the decision names the plan and the task", d.Decision, "Kế hoạch kiểm tra năm 2026 (số plan-2026); Nhiệm vụ task-1: Chưa kiểm tra trong chương trình"},
		{"the team's decision with its number, date and signer", d.TeamDecision,
			"Quyết định số 125/QĐ-UBND ngày 05/01/2026 của Chủ tịch Ủy ban nhân dân thành phố Cần Thơ về việc thành lập đoàn kiểm tra liên ngành"},
		{"the place is the business's address", d.Place, "12 Lý Tự Trọng, phường Ninh Kiều, Cần Thơ"},
		{"times are in the users' zone", d.StartedAt.Format("15:04"), "08:05"},
		{"the outcome by name", d.Outcome, "Có vi phạm"},
		{"the category by name", d.Business.Category, "Karaoke"},
		{"the licence", d.Business.LicenceNo, "GP-123"},
		{"the representative", d.Representative.Name + " / " + d.Representative.Role, "Trần Thị Yến / Chủ cơ sở"},
		{"the second participant and their agency", d.Participants[1].Name + " — " + d.Participants[1].Agency, "Lê Thị Bình — Sở Văn hóa, Thể thao và Du lịch"},
		{"a no answer by name", d.Answers[1].Answer, "Không"},
		{"the answer's legal reference", strings.Join(d.Answers[1].Legal, ";"), "Nghị định 54/2019/NĐ-CP, Điều 4"},
		{"the finding by name", d.Findings[0].Name, "Phòng karaoke có khóa chốt"},
		{"the finding's legal reference from its checklist item", strings.Join(d.Findings[0].Legal, ";"), "Nghị định 54/2019/NĐ-CP, Điều 4"},
		{"the finding's severity by name", d.Findings[0].Severity, "Trung bình"},
		{"the statement", d.Statement, "Tôi xin khắc phục trong 7 ngày."},
		{"the signer", d.Inspector, "Nguyễn Văn An"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	if !d.Signed() || d.Version != 2 {
		t.Errorf("signed %v version %d, want signed version 2", d.Signed(), d.Version)
	}

	t.Run("the hash changes with the content", func(t *testing.T) {
		h1, _, _ := d.Hash()
		f := testFacts(t)
		f.Record.Statement = "Tôi không đồng ý."
		d2, err := Build(f)
		if err != nil {
			t.Fatal(err)
		}
		h2, _, _ := d2.Hash()
		if h1 == h2 || len(h1) != 64 {
			t.Errorf("hashes %q and %q", h1, h2)
		}
	})
	t.Run("a team without a decision leaves the record's content as records signed before had it", func(t *testing.T) {
		f := testFacts(t)
		f.Team.DecisionNo, f.Team.DecisionDate, f.Team.DecisionBy = "", models.Date{}, ""
		d, err := Build(f)
		if err != nil {
			t.Fatal(err)
		}
		_, b, _ := d.Hash()
		if d.TeamDecision != "" || bytes.Contains(b, []byte("team_decision")) {
			t.Errorf("decision %q in %s", d.TeamDecision, b)
		}
	})
	t.Run("a record without signatures is not signed", func(t *testing.T) {
		f := testFacts(t)
		f.Record, f.Signer = nil, nil
		d, err := Build(f)
		if err != nil {
			t.Fatal(err)
		}
		if d.Signed() || d.Agency != "Công an thành phố Cần Thơ" {
			t.Errorf("signed %v agency %q", d.Signed(), d.Agency)
		}
	})
}

// signaturePNG is a w×h transparent canvas with a dark stroke.
func signaturePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 5; x < w-5; x++ {
		img.Set(x, h/2+(x%7), color.NRGBA{0x10, 0x20, 0x60, 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRenderRecordPDF(t *testing.T) {
	d, err := Build(testFacts(t))
	if err != nil {
		t.Fatal(err)
	}
	sig := signaturePNG(t, 300, 100)
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	p := &Printed{Doc: d, Hash: strings.Repeat("ab", 32), InspectorSignature: sig, RepresentativeSignature: sig}
	b, err := Render(p, at)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:16])
	}
	text := pdftext.Text(t, b)
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BIÊN BẢN KIỂM TRA", "CÔNG AN THÀNH PHỐ CẦN THƠ",
		"Karaoke Hoàng Yến", "Trần Thị Yến", "Nguyễn Văn An", "Lê Thị Bình", "Phòng karaoke có khóa chốt", "Nghị định 54/2019/NĐ-CP, Điều 4",
		"Tôi xin khắc phục trong 7 ngày.", "ĐẠI DIỆN ĐOÀN KIỂM TRA", "Quyết định số 125/QĐ-UBND ngày 05/01/2026", "Hồi 08 giờ 05 phút", p.Hash} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "CHƯA ĐƯỢC KÝ") {
		t.Error("a signed record reads as unsigned")
	}
	if dir := os.Getenv("KIEMTRA_ARTIFACTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "record-sample.pdf"), b, 0o644)
	}

	t.Run("a refusal to sign is printed with its reason", func(t *testing.T) {
		f := testFacts(t)
		f.Record.Refused, f.Record.RefusalNote, f.Record.RepresentativeSignatureSHA256 = true, "Không đồng ý với kết luận", ""
		d, err := Build(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Render(&Printed{Doc: d, Hash: "x", InspectorSignature: sig}, at)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(pdftext.Text(t, b)), " ")
		if !strings.Contains(text, "từ chối ký biên bản. Lý do: Không đồng ý với kết luận") {
			t.Errorf("no refusal in:\n%s", text)
		}
	})
}
