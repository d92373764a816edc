package api

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/officialreport"
	"kiemtra/report"
)

// The official report's formats on GET /reports: its PDF, and its workbook (the document on a
// first sheet, then the period report's sheets). format=xlsx stays the period report's workbook.
const (
	FormatOfficialPDF  = "pdf"
	FormatOfficialXLSX = "official.xlsx"
)

// isOfficial reports whether a report format is one of the official report's.
func isOfficial(format string) bool {
	return format == FormatOfficialPDF || format == FormatOfficialXLSX
}

// checkReportFormat returns invalid unless GET /reports writes the format.
func checkReportFormat(format string) error {
	if isOfficial(format) || report.CheckFormat(format) == nil {
		return nil
	}
	return models.Invalid("format", "%q is not a report format: use xlsx, csv, json, pdf (the official report) or official.xlsx (its workbook)",
		"%q không phải định dạng báo cáo: dùng xlsx, csv, json, pdf (báo cáo chính thức) hoặc official.xlsx (bảng tính của báo cáo chính thức)", format)
}

// OfficialContent is what the official report says beyond the inspection figures: the results
// per target, the departments' narratives, the difficulties and the proposals.
type OfficialContent struct {
	Targets      []officialreport.Target
	Narratives   []officialreport.Narrative
	Difficulties []string
	Proposals    []string
}

// OfficialSource supplies an official report's content beyond the inspection figures for a
// resolved query (its programme in q.Prog) and the period's inspection report. Without one
// (nil) the report carries the two inspection targets computed from that report
// (InspectionTargets) and no narratives.
type OfficialSource interface {
	// OfficialContent returns the content of the period's report; its errors (invalid on the
	// period, internal) are answered as they are.
	OfficialContent(ctx context.Context, q report.Query, rep *report.Report) (*OfficialContent, error)
}

// InspectionTargets are the programme's two inspection targets judged from a period report's
// total: at least the programme's minimum share of the businesses open at the start inspected
// (a yearly target, judged on a whole year that has ended), and every eligible business
// inspected at least once by the coverage deadline (judged once the deadline has passed).
func InspectionTargets(prog *models.Programme, rep *report.Report) []officialreport.Target {
	t := rep.Total
	yes := func(b bool) *bool { return &b }
	share := officialreport.Target{
		Name:   fmt.Sprintf("Kiểm tra ít nhất %s số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm mỗi năm", pct(prog.MinYearlyShare)),
		Target: "≥ " + pct(prog.MinYearlyShare) + "/năm",
		Result: fmt.Sprintf("%s (%s/%s cơ sở)", officialreport.Percent(t.Share), num(t.InspectedOpenAtStart), num(t.OpenAtStart)),
	}
	yearEnded := !rep.ToDate && rep.Start.Month == time.January && rep.Start.Day == 1 && rep.End.Month == time.December && rep.End.Day == 31
	switch {
	case yearEnded:
		share.Met = yes(t.Share >= prog.MinYearlyShare)
	case rep.ToDate:
		share.Note = fmt.Sprintf("Chỉ tiêu năm; số liệu tính đến ngày %s", dmy(rep.AsOf))
	default:
		share.Note = "Chỉ tiêu năm; số liệu trong kỳ"
	}
	deadline := prog.CoverageDeadline
	cover := officialreport.Target{
		Name:   "100% cơ sở kinh doanh dịch vụ được kiểm tra ít nhất một lần trong thời gian thực hiện chương trình",
		Target: "100% đến " + dmy(deadline),
		Result: fmt.Sprintf("%s (%s/%s cơ sở)", officialreport.Percent(t.Coverage), num(t.Covered), num(t.Eligible)),
	}
	if !rep.ToDate && !rep.AsOf.Before(deadline) {
		cover.Met = yes(t.Covered >= t.Eligible)
	} else {
		cover.Note = fmt.Sprintf("Còn %s cơ sở chưa được kiểm tra; hạn %s", num(t.NeverInspected), dmy(deadline))
	}
	return []officialreport.Target{share, cover}
}

func pct(x float64) string {
	return strings.TrimSuffix(strings.TrimSuffix(officialreport.Percent(x), "%"), ",00") + "%"
}

func num(n int) string { return officialreport.Number(int64(n)) }

func dmy(d models.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// OfficialDocument is the official report's document information: issued by the programme's
// lead agency (lead) under the people's committee of the programme's area (city, nil: the
// report's area), to that committee, dated on day, numbered by the clerical office later.
func OfficialDocument(prog *models.Programme, lead *models.Agency, city *models.Area, rep *report.Report, day time.Time) officialreport.Document {
	name, typ := rep.AreaName, ""
	if city != nil {
		name, typ = city.Name, city.TypeName
	}
	// The unit's type and its proper name: "Thành phố" and "Cần Thơ" (a name may carry its
	// type or not).
	place := name
	for _, prefix := range []string{typ, "Thành phố", "Tỉnh"} {
		if prefix != "" && strings.HasPrefix(strings.ToLower(place), strings.ToLower(prefix)+" ") {
			typ, place = place[:len(prefix)], strings.TrimSpace(place[len(prefix):])
			break
		}
	}
	full, recipient := place, "Ủy ban nhân dân "+place
	if typ != "" {
		full, recipient = typ+" "+place, "Ủy ban nhân dân "+strings.ToLower(typ)+" "+place
	}
	issuer := lead.ShortVI
	if issuer == "" {
		issuer = lead.NameVI
	}
	title := []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"}
	if f := models.FoldVietnamese(issuer); strings.HasPrefix(f, "uy ban") || strings.HasPrefix(f, "ubnd") {
		title = []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}
	}
	return officialreport.Document{
		IssuerParent:  "UBND " + full,
		Issuer:        issuer,
		Number:        "      /BC-" + Initials(issuer),
		Place:         place,
		Date:          day,
		PeriodName:    rep.PeriodName,
		ProgrammeName: prog.Name,
		Recipient:     recipient,
		CopiesTo:      []string{"Như trên;", "Các sở, ban, ngành, UBND các xã, phường;", "Lưu: VT, " + Initials(issuer) + "."},
		SignerTitle:   title,
	}
}

// SignerName reads the name typed under the official report's signature ("Nguyễn Thị Hồng"):
// trimmed, its spaces collapsed, in NFC; empty leaves the line for the signer to write. A name
// is letters, spaces, dots and hyphens, at most 80 of them.
func SignerName(s string) (string, error) {
	s = norm.NFC.String(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return "", nil
	}
	bad := utf8.RuneCountInString(s) > 80
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			letters++
		case r == ' ' || r == '.' || r == '-':
		default:
			bad = true
		}
	}
	if bad || letters == 0 {
		return "", models.Invalid("signer", "must be the signer's name, such as Nguyễn Thị Hồng (letters, at most 80)", "phải là họ tên người ký, ví dụ Nguyễn Thị Hồng (chữ cái, tối đa 80 ký tự)")
	}
	return s, nil
}

// Initials are the letters of an agency's symbol in a document number: the first letters of its
// words without diacritics, in capitals ("Sở Y tế": SYT, "Công an thành phố": CATP).
func Initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(models.FoldVietnamese(name)) {
		if r := []rune(w)[0]; r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteString(strings.ToUpper(string(r)))
		}
	}
	return b.String()
}

// officialReport renders a resolved query's official report in a format (pdf or
// official.xlsx) around its inspection report.
func (s *Server) officialReport(ctx context.Context, q report.Query, rep *report.Report, format, signer string) ([]byte, string, string, error) {
	prog := q.Prog
	code := models.DefaultLeadAgency
	if prog.LeadAgency != nil && *prog.LeadAgency != "" {
		code = *prog.LeadAgency
	}
	lead, err := s.store.FindAgencyByCode(ctx, code)
	if err != nil {
		return nil, "", "", fmt.Errorf("the programme's lead agency %s: %w", code, err)
	}
	var city *models.Area
	if prog.RootAreaCode != nil && *prog.RootAreaCode != "" {
		a, err := s.store.FindAreaOn(ctx, *prog.RootAreaCode, rep.UnitsOn)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return nil, "", "", err
		}
		city = a
	}
	content := &OfficialContent{Targets: InspectionTargets(prog, rep)}
	if s.official != nil {
		if content, err = s.official.OfficialContent(ctx, q, rep); err != nil {
			return nil, "", "", err
		}
	}
	doc := OfficialDocument(prog, lead, city, rep, s.now().In(s.loc))
	doc.SignerName = signer
	in := officialreport.Input{Doc: doc, Targets: content.Targets,
		Narratives: content.Narratives, Difficulties: content.Difficulties, Proposals: content.Proposals, Inspection: rep}
	if format == FormatOfficialPDF {
		b, err := officialreport.PDF(in)
		return b, officialreport.FileName(rep, "pdf"), "application/pdf", err
	}
	b, err := officialreport.XLSX(in)
	return b, officialreport.FileName(rep, "xlsx"), report.ContentType(report.FormatXLSX), err
}
