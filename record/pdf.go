package record

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"kiemtra/pdffont"
)

// font is the family the record is set in (pdffont's DejaVu Sans, which covers Vietnamese).
const font = pdffont.Family

// Render writes the record as a PDF in the official layout, dated created.
func Render(p *Printed, created time.Time) ([]byte, error) {
	d := p.Doc
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle("Biên bản kiểm tra "+d.Business.Name, true)
	pdf.SetAuthor(d.Agency, true)
	pdffont.Register(pdf)
	pdf.SetMargins(20, 15, 15)
	pdf.SetAutoPageBreak(true, 18)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-13)
		pdf.SetFont(font, "", 7)
		pdf.CellFormat(0, 4, fmt.Sprintf("Mã biên bản %s · phiên bản %d · SHA-256 %s · trang %d", d.InspectionID, d.Version, p.Hash, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	w := 175.0 // the width between the margins

	// The heading: the issuing body on the left, the national motto on the right.
	top := pdf.GetY()
	pdf.SetFont(font, "", 9)
	pdf.SetXY(20, top)
	pdf.MultiCell(75, 4.5, strings.ToUpper(d.Agency), "", "C", false)
	pdf.SetFont(font, "B", 9)
	pdf.SetX(20)
	pdf.MultiCell(75, 4.5, strings.ToUpper(d.Team), "", "C", false)
	left := pdf.GetY()
	pdf.SetXY(95, top)
	pdf.SetFont(font, "B", 9)
	pdf.MultiCell(100, 4.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "C", false)
	pdf.SetX(95)
	pdf.SetFont(font, "B", 10)
	pdf.MultiCell(100, 5, "Độc lập - Tự do - Hạnh phúc", "", "C", false)
	pdf.Line(125, pdf.GetY(), 165, pdf.GetY())
	pdf.SetX(95)
	pdf.SetFont(font, "", 9)
	pdf.MultiCell(100, 6, fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", placeShort(d.Place), d.FinishedAt.Day(), int(d.FinishedAt.Month()), d.FinishedAt.Year()), "", "C", false)
	pdf.SetY(max(left, pdf.GetY()) + 6)

	pdf.SetFont(font, "B", 14)
	pdf.CellFormat(w, 8, "BIÊN BẢN KIỂM TRA", "", 1, "C", false, 0, "")
	pdf.SetFont(font, "", 10)
	sub := "Cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn xã hội"
	if d.Version > 1 {
		sub += fmt.Sprintf(" (phiên bản %d, sửa đổi biên bản trước)", d.Version)
	}
	pdf.CellFormat(w, 6, sub, "", 1, "C", false, 0, "")
	pdf.Ln(3)

	para := func(s string) {
		pdf.SetFont(font, "", 10)
		pdf.MultiCell(w, 5.2, s, "", "J", false)
	}
	heading := func(s string) {
		pdf.Ln(1.5)
		pdf.SetFont(font, "B", 10.5)
		pdf.MultiCell(w, 6, s, "", "L", false)
	}
	field := func(label, value string) {
		if value == "" {
			return
		}
		pdf.SetFont(font, "B", 10)
		lw := pdf.GetStringWidth(label+" ") + 1
		pdf.CellFormat(lw, 5.2, label, "", 0, "L", false, 0, "")
		pdf.SetFont(font, "", 10)
		pdf.MultiCell(w-lw, 5.2, value, "", "L", false)
	}

	if d.TeamDecision != "" {
		para("Căn cứ " + d.TeamDecision + ";")
	}
	if d.Decision != "" {
		para("Căn cứ " + d.Decision + ".")
	}
	para(fmt.Sprintf("Hồi %02d giờ %02d phút, ngày %02d/%02d/%d, tại %s, %s tiến hành kiểm tra cơ sở kinh doanh dưới đây; kết thúc lúc %02d giờ %02d phút cùng ngày.",
		d.StartedAt.Hour(), d.StartedAt.Minute(), d.StartedAt.Day(), int(d.StartedAt.Month()), d.StartedAt.Year(), orDash(d.Place), orDash(d.Team),
		d.FinishedAt.Hour(), d.FinishedAt.Minute()))

	heading("I. THÀNH PHẦN ĐOÀN KIỂM TRA")
	if len(d.Participants) == 0 {
		para("—")
	}
	for i, m := range d.Participants {
		para(fmt.Sprintf("%d. Ông/Bà %s — %s", i+1, m.Name, m.Agency))
	}

	heading("II. CƠ SỞ ĐƯỢC KIỂM TRA")
	field("Tên cơ sở:", d.Business.Name)
	field("Loại hình:", d.Business.Category)
	field("Địa chỉ:", d.Business.Address)
	field("Giấy phép kinh doanh số:", d.Business.LicenceNo)
	field("Giấy chứng nhận đủ điều kiện về ANTT số:", d.Business.SecurityCertNo)
	field("Mã số thuế:", d.Business.TaxCode)
	field("Chủ cơ sở:", d.Business.OwnerName)
	rep := d.Representative.Name
	if d.Representative.Role != "" {
		rep += " — " + d.Representative.Role
	}
	field("Người đại diện:", orDash(rep))

	heading("III. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA")
	for i, a := range d.Answers {
		line := fmt.Sprintf("%d. [%s] %s — %s", i+1, a.ItemID, a.Question, a.Answer)
		if a.Note != "" {
			line += " (" + a.Note + ")"
		}
		para(line)
		if len(a.Legal) > 0 {
			pdf.SetFont(font, "", 8.5)
			pdf.SetX(26)
			pdf.MultiCell(w-6, 4.5, "Căn cứ: "+strings.Join(a.Legal, "; "), "", "L", false)
		}
	}
	field("Kết luận:", d.Outcome)

	heading("IV. VI PHẠM PHÁT HIỆN")
	if len(d.Findings) == 0 {
		para("Không phát hiện vi phạm.")
	}
	for i, f := range d.Findings {
		line := fmt.Sprintf("%d. %s — %s (mức độ: %s)", i+1, f.Code, f.Name, f.Severity)
		if f.Note != "" {
			line += ": " + f.Note
		}
		para(line)
		if len(f.Legal) > 0 {
			pdf.SetFont(font, "", 8.5)
			pdf.SetX(26)
			pdf.MultiCell(w-6, 4.5, "Căn cứ pháp lý: "+strings.Join(f.Legal, "; "), "", "L", false)
		}
	}
	if d.Notes != "" {
		heading("V. GHI CHÚ CỦA ĐOÀN KIỂM TRA")
		para(d.Notes)
	}

	heading("VI. Ý KIẾN CỦA NGƯỜI ĐẠI DIỆN CƠ SỞ")
	para(orDash(d.Statement))
	pdf.Ln(2)
	if d.Signed() {
		para("Biên bản được lập xong hồi " + fmt.Sprintf("%02d giờ %02d phút ngày %02d/%02d/%d", d.FinishedAt.Hour(), d.FinishedAt.Minute(), d.FinishedAt.Day(), int(d.FinishedAt.Month()), d.FinishedAt.Year()) +
			", đã đọc lại cho những người có tên trên cùng nghe và ký tên.")
	} else {
		pdf.SetFont(font, "B", 10)
		pdf.MultiCell(w, 5.2, "BIÊN BẢN CHƯA ĐƯỢC KÝ.", "", "L", false)
	}

	// Signatures: the business's representative on the left, the team on the right.
	if pdf.GetY() > 230 {
		pdf.AddPage()
	}
	pdf.Ln(4)
	y := pdf.GetY()
	pdf.SetFont(font, "B", 10)
	pdf.SetXY(20, y)
	pdf.CellFormat(85, 5, "ĐẠI DIỆN CƠ SỞ", "", 0, "C", false, 0, "")
	pdf.SetXY(110, y)
	pdf.CellFormat(85, 5, "ĐẠI DIỆN ĐOÀN KIỂM TRA", "", 0, "C", false, 0, "")
	pdf.SetFont(font, "", 8.5)
	pdf.SetXY(20, y+5)
	pdf.CellFormat(85, 4, "(Ký, ghi rõ họ tên)", "", 0, "C", false, 0, "")
	pdf.SetXY(110, y+5)
	pdf.CellFormat(85, 4, "(Ký, ghi rõ họ tên)", "", 0, "C", false, 0, "")
	imgY := y + 11
	if err := signature(pdf, "rep", p.RepresentativeSignature, 30, imgY); err != nil {
		return nil, err
	}
	if err := signature(pdf, "team", p.InspectorSignature, 120, imgY); err != nil {
		return nil, err
	}
	pdf.SetFont(font, "", 9)
	if d.Refused {
		pdf.SetXY(22, imgY+4)
		pdf.MultiCell(81, 4.5, "Người đại diện cơ sở từ chối ký biên bản. Lý do: "+orDash(d.RefusalNote), "", "C", false)
	}
	pdf.SetFont(font, "B", 10)
	pdf.SetXY(20, imgY+30)
	pdf.CellFormat(85, 5, d.Representative.Name, "", 0, "C", false, 0, "")
	pdf.SetXY(110, imgY+30)
	pdf.CellFormat(85, 5, d.Inspector, "", 0, "C", false, 0, "")
	if d.Signed() {
		pdf.SetFont(font, "", 7)
		pdf.SetXY(20, imgY+36)
		if d.RepresentativeSignatureSHA256 != "" {
			pdf.CellFormat(85, 4, "SHA-256 "+abbrev(d.RepresentativeSignatureSHA256), "", 0, "C", false, 0, "")
		}
		pdf.SetXY(110, imgY+36)
		pdf.CellFormat(85, 4, "SHA-256 "+abbrev(d.InspectorSignatureSHA256), "", 0, "C", false, 0, "")
	}

	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("rendering the record: %w", err)
	}
	return b.Bytes(), nil
}

// signature draws a signature image in a 65×26 mm box, flattened on white: PDF readers differ
// in how they show a PNG's transparency.
func signature(pdf *fpdf.Fpdf, name string, b []byte, x, y float64) error {
	if len(b) == 0 {
		return nil
	}
	src, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("reading a signature: %w", err)
	}
	r := src.Bounds()
	flat := image.NewRGBA(r)
	draw.Draw(flat, r, &image.Uniform{C: color.White}, image.Point{}, draw.Src)
	draw.Draw(flat, r, src, r.Min, draw.Over)
	var out bytes.Buffer
	if err := png.Encode(&out, flat); err != nil {
		return fmt.Errorf("encoding a signature: %w", err)
	}
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader(name, opt, &out)
	bw, bh := 65.0, 26.0
	iw, ih := float64(r.Dx()), float64(r.Dy())
	scale := min(bw/iw, bh/ih)
	pdf.ImageOptions(name, x+(bw-iw*scale)/2, y, iw*scale, ih*scale, false, opt, 0, "")
	return pdf.Error()
}

// placeShort is the place name of the date line: the last part of an address (its commune or
// city), as official documents write "Cần Thơ, ngày ...".
func placeShort(address string) string {
	parts := strings.Split(address, ",")
	p := strings.TrimSpace(parts[len(parts)-1])
	if p == "" {
		return "......"
	}
	return p
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func abbrev(h string) string {
	if len(h) <= 16 {
		return h
	}
	return h[:16] + "…"
}
