package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"kiemtra/geo"
	"kiemtra/models"
)

// MaxImportBytes bounds an import file. 100,000 rows of a registry spreadsheet take about 15 MB.
const MaxImportBytes = 32 << 20

// duplicateRadiusM is how close two businesses with the same normalised name must be to be
// flagged as possibly the same place.
const duplicateRadiusM = 50

// ImportBusinesses reads a CSV or GeoJSON file, checks every row and, unless dryRun, stores the
// valid rows in one transaction: new licence numbers are created, known ones updated. Rows
// without a licence number are matched to a licence-less business of the same normalised name
// within 50 m, so that importing the same file twice changes nothing.
func (s *Service) ImportBusinesses(ctx context.Context, actor string, r io.Reader, name string, dryRun bool) (*models.ImportReport, error) {
	return s.ImportBusinessesWith(ctx, actor, r, models.BusinessImportOptions{Name: name, DryRun: dryRun})
}

// ImportBusinessesWith is ImportBusinesses with the options of ReadFileWith (an .xlsx sheet, a
// column mapping, the file's type by name or content type). Rejections and possible duplicates
// of an .xlsx file carry its sheet, and their line is the spreadsheet's row number.
func (s *Service) ImportBusinessesWith(ctx context.Context, actor string, r io.Reader, opts models.BusinessImportOptions) (*models.ImportReport, error) {
	name, dryRun := opts.Name, opts.DryRun
	h := sha256.New()
	rows, err := ReadFileWith(io.TeeReader(r, h), opts, MaxImportBytes)
	if err != nil {
		return nil, err
	}
	// Matching rows without a licence and spotting duplicates need every stored business in
	// the index, including those a previous import created a moment ago.
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	ix, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	rep := &models.ImportReport{Rows: len(rows), Rejected: []models.ImportRejection{}, PossibleDuplicates: []models.PossibleDuplicate{}, DryRun: dryRun}
	wards := ix.wards
	dupLines := DuplicateLicences(rows)
	today := s.today()

	var valid []candidate
	for _, row := range rows {
		b, wardText, rejs := CheckRow(row, s.catLabels, today)
		if b != nil && b.LicenceNo != nil {
			k := LicenceKey(*b.LicenceNo)
			b.LicenceNo = &k
		}
		if b != nil && b.Status != models.BusinessActive {
			// The file does not say since when, except for a closing date.
			b.StatusSince = b.ClosedOn
		}
		if first, dup := dupLines[row.Line]; dup {
			rejs = append(rejs, Rejection{Sheet: row.Sheet, Line: row.Line, Field: "licence_no", Value: row.Fields["licence_no"],
				Message:   fmt.Sprintf("duplicate licence number in the file (first on line %d)", first),
				MessageVI: fmt.Sprintf("số giấy phép bị trùng trong tệp (lần đầu ở dòng %d)", first)})
		}
		if b != nil && len(rejs) == 0 {
			rejs = append(rejs, s.placeRow(row, b, wardText, ix.Areas, wards)...)
		}
		if len(rejs) > 0 {
			for _, rj := range rejs {
				rep.Rejected = append(rep.Rejected, models.ImportRejection{Sheet: rj.Sheet, Line: rj.Line, Field: rj.Field, Value: rj.Value, Message: rj.Message, MessageVI: rj.MessageVI})
			}
			continue
		}
		valid = append(valid, candidate{row.Sheet, row.Line, b})
	}

	// Match valid rows with stored businesses: by licence number, else by name and place.
	var licences []string
	for _, c := range valid {
		if l := c.b.Licence(); l != "" {
			licences = append(licences, l)
		}
	}
	byLicence, err := s.findByLicences(ctx, licences)
	if err != nil {
		return nil, err
	}
	nearby, err := s.sameNameNearby(ctx, ix.Businesses, valid)
	if err != nil {
		return nil, err
	}
	var create, update []*models.Business
	for i, c := range valid {
		var stored *models.Business
		if l := c.b.Licence(); l != "" {
			stored = byLicence[LicenceKey(l)]
		}
		near := nearby[i]
		if stored == nil && c.b.Licence() == "" {
			for _, n := range near {
				if n.Licence() == "" {
					stored = n
					break
				}
			}
		}
		if stored == nil {
			for _, n := range near {
				rep.PossibleDuplicates = append(rep.PossibleDuplicates, models.PossibleDuplicate{Sheet: c.sheet, Line: c.line, BusinessID: n.ID,
					Reason: fmt.Sprintf("same name as %q (licence %q) %.0f m away", n.Name, n.Licence(), geo.DistanceM(c.b.Lat, c.b.Lon, n.Lat, n.Lon))})
			}
			if s.newID != nil {
				c.b.ID = s.newID(c.b)
			}
			create = append(create, c.b)
			continue
		}
		merged := mergeImported(stored, c.b, today)
		if businessEqual(stored, merged) {
			rep.Unchanged++
			continue
		}
		update = append(update, merged)
	}
	rep.Created, rep.Updated = len(create), len(update)
	if dryRun || (len(create) == 0 && len(update) == 0) {
		return rep, nil
	}
	summary := models.ImportSummary{File: name, SHA256: hex.EncodeToString(h.Sum(nil)), Rows: rep.Rows, Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged, Rejected: len(rep.Rejected)}
	if err := s.store.ApplyImport(ctx, actor, create, update, summary); err != nil {
		return nil, err
	}
	s.changed()
	return rep, nil
}

// candidate is a row that passed its checks, waiting to be matched with the registry.
type candidate struct {
	sheet string
	line  int
	b     *models.Business
}

// placeRow checks the row's position against the areas and the ward column, and sets the
// business's area. A row with a ward but no coordinates is placed at the ward's label point and
// says so in its notes, so that the team corrects it on the first visit.
func (s *Service) placeRow(row Row, b *models.Business, wardText string, areas *geo.AreaIndex, wards *wardLookup) []Rejection {
	rej := func(field, value, en, vi string, args ...any) []Rejection {
		return []Rejection{{Sheet: row.Sheet, Line: row.Line, Field: field, Value: value, Message: fmt.Sprintf(en, args...), MessageVI: fmt.Sprintf(vi, args...)}}
	}
	var ward *models.Area
	if wardText != "" {
		w, msgEN, msgVI := wards.find(wardText)
		if w == nil {
			return []Rejection{{Sheet: row.Sheet, Line: row.Line, Field: "ward", Value: wardText, Message: msgEN, MessageVI: msgVI}}
		}
		ward = w
	}
	if b.Lat == 0 && b.Lon == 0 {
		if ward == nil {
			return rej("lat", "", "latitude and longitude are required when the ward is empty", "cần vĩ độ và kinh độ khi không có phường/xã")
		}
		b.Lat, b.Lon, b.AreaCode = ward.Lat, ward.Lon, ward.Code
		note := "Tọa độ lấy tạm theo điểm giữa " + ward.Name + " khi nhập dữ liệu; cần cập nhật vị trí thực tế."
		if b.Notes == "" {
			b.Notes = note
		} else {
			b.Notes += "\n" + note
		}
		return nil
	}
	at := areas.Locate(b.Lat, b.Lon)
	if at == nil {
		if areas.Locate(b.Lon, b.Lat) != nil {
			return rej("lat", row.Fields["lat"], "the position %.6f, %.6f is outside every area, but swapped it would be inside: latitude and longitude look swapped", "vị trí %.6f, %.6f nằm ngoài mọi khu vực, nhưng nếu đảo lại thì nằm trong: có vẻ vĩ độ và kinh độ bị đảo", b.Lat, b.Lon)
		}
		return rej("lat", row.Fields["lat"], "the position %.6f, %.6f is outside every area of the jurisdiction", "vị trí %.6f, %.6f nằm ngoài mọi khu vực hành chính thuộc phạm vi quản lý", b.Lat, b.Lon)
	}
	if ward != nil && at.Code != ward.Code && !areas.Contains(ward.Code, b.Lat, b.Lon) {
		return rej("ward", wardText, "the ward %s (%s) disagrees with the coordinates, which are in %s (%s)", "phường/xã %s (%s) không khớp với tọa độ, tọa độ nằm ở %s (%s)", ward.Name, ward.Code, at.Name, at.Code)
	}
	b.AreaCode = at.Code
	return nil
}

// findByLicences loads the stored businesses with these licence numbers, keyed by LicenceKey.
func (s *Service) findByLicences(ctx context.Context, licences []string) (map[string]*models.Business, error) {
	out := make(map[string]*models.Business, len(licences))
	const chunk = 500
	for i := 0; i < len(licences); i += chunk {
		j := min(i+chunk, len(licences))
		bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{Licences: licences[i:j], NoCount: true})
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			out[LicenceKey(b.Licence())] = b
		}
	}
	return out, nil
}

// sameNameNearby returns, for each business, the stored businesses within 50 m whose normalised
// name equals its own (other than the one with the same licence number). Candidates of every row
// are loaded in a few batched queries, not one query per row.
func (s *Service) sameNameNearby(ctx context.Context, idx *geo.PointIndex, rows []candidate) ([][]*models.Business, error) {
	hits := make([][]geo.Hit, len(rows))
	var ids []string
	seen := map[string]bool{}
	for i, c := range rows {
		hits[i] = idx.Near(c.b.Lat, c.b.Lon, duplicateRadiusM, 20)
		for _, h := range hits[i] {
			if !seen[h.ID] {
				seen[h.ID] = true
				ids = append(ids, h.ID)
			}
		}
	}
	byID := make(map[string]*models.Business, len(ids))
	const chunk = 500
	for i := 0; i < len(ids); i += chunk {
		bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{IDs: ids[i:min(i+chunk, len(ids))], NoCount: true})
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			byID[b.ID] = b
		}
	}
	out := make([][]*models.Business, len(rows))
	for i, c := range rows {
		want := NormaliseName(c.b.Name)
		for _, h := range hits[i] {
			n := byID[h.ID]
			if n != nil && NormaliseName(n.Name) == want && (c.b.Licence() == "" || LicenceKey(n.Licence()) != LicenceKey(c.b.Licence())) {
				out[i] = append(out[i], n)
			}
		}
	}
	return out, nil
}

// mergeImported returns stored with the file's values for the fields a file carries.
func mergeImported(stored, in *models.Business, today models.Date) *models.Business {
	m := *stored
	m.Name, m.Category, m.Address, m.Lat, m.Lon, m.AreaCode = in.Name, in.Category, in.Address, in.Lat, in.Lon, in.AreaCode
	if in.LicenceNo != nil {
		m.LicenceNo = in.LicenceNo
	}
	m.Phone, m.OwnerName, m.TaxCode, m.SecurityCertNo = in.Phone, in.OwnerName, in.TaxCode, in.SecurityCertNo
	if !in.OpenedOn.IsZero() {
		m.OpenedOn = in.OpenedOn
	}
	if in.Notes != "" && !strings.Contains(m.Notes, in.Notes) {
		m.Notes = strings.TrimSpace(m.Notes + "\n" + in.Notes)
	}
	if in.Status != stored.Status {
		m.Status, m.StatusSince = in.Status, today
		m.ClosedOn = models.Date{}
		if in.Status == models.BusinessClosed {
			m.ClosedOn = today
		}
	}
	// A closing date in the file is the better one, and dates the status too.
	if in.Status == models.BusinessClosed && !in.ClosedOn.IsZero() && in.ClosedOn != stored.ClosedOn {
		m.ClosedOn = in.ClosedOn
		m.StatusSince = in.ClosedOn
	}
	return &m
}

// businessEqual compares the fields an import can change.
func businessEqual(a, b *models.Business) bool {
	return a.Name == b.Name && a.Category == b.Category && a.Licence() == b.Licence() && a.Address == b.Address &&
		a.Lat == b.Lat && a.Lon == b.Lon && a.AreaCode == b.AreaCode && a.Phone == b.Phone && a.OwnerName == b.OwnerName &&
		a.TaxCode == b.TaxCode && a.SecurityCertNo == b.SecurityCertNo && a.OpenedOn == b.OpenedOn && a.Status == b.Status &&
		a.ClosedOn == b.ClosedOn && a.Notes == b.Notes
}

// wardLookup finds leaf areas by code or by Vietnamese name (accent- and case-insensitive).
type wardLookup struct {
	byCode map[string]*models.Area
	byName map[string][]*models.Area
}

// newWardLookup indexes the leaves of the area tree (the depth of the tree is data, so a leaf is
// an area without children, whatever its level).
func newWardLookup(areas []*models.Area) *wardLookup {
	hasChildren := map[string]bool{}
	for _, a := range areas {
		if a.ParentCode != nil {
			hasChildren[*a.ParentCode] = true
		}
	}
	w := &wardLookup{byCode: map[string]*models.Area{}, byName: map[string][]*models.Area{}}
	for _, a := range areas {
		if hasChildren[a.Code] {
			continue
		}
		w.byCode[a.Code] = a
		for _, key := range nameKeys(a.Name) {
			w.byName[key] = append(w.byName[key], a)
		}
	}
	return w
}

// nameKeys returns the folded name with and without its type word ("Phường Cái Khế" and "Cái Khế").
func nameKeys(name string) []string {
	f := strings.Join(strings.Fields(models.FoldVietnamese(name)), " ")
	keys := []string{f}
	for _, p := range []string{"phuong ", "xa ", "thi tran ", "dac khu "} {
		if rest, ok := strings.CutPrefix(f, p); ok {
			keys = append(keys, rest)
		}
	}
	return keys
}

func (w *wardLookup) find(text string) (*models.Area, string, string) {
	if a, ok := w.byCode[strings.TrimSpace(text)]; ok {
		return a, "", ""
	}
	key := strings.Join(strings.Fields(models.FoldVietnamese(text)), " ")
	matches := dedupe(w.byName[key])
	switch len(matches) {
	case 1:
		return matches[0], "", ""
	case 0:
		return nil, fmt.Sprintf("unknown ward %q: give a ward code or its exact name", text), fmt.Sprintf("không có phường/xã %q: hãy ghi mã hoặc đúng tên phường/xã", text)
	}
	var codes bytes.Buffer
	for i, m := range matches {
		if i > 0 {
			codes.WriteString(", ")
		}
		codes.WriteString(m.Code)
	}
	return nil, fmt.Sprintf("ward name %q is ambiguous (%s): give the ward code", text, codes.String()), fmt.Sprintf("tên phường/xã %q không rõ ràng (%s): hãy ghi mã phường/xã", text, codes.String())
}

func dedupe(as []*models.Area) []*models.Area {
	seen := map[string]bool{}
	var out []*models.Area
	for _, a := range as {
		if !seen[a.Code] {
			seen[a.Code] = true
			out = append(out, a)
		}
	}
	return out
}
