package places

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
)

// maxProblems bounds the problems one import reports: the first fifty say what to fix.
const maxProblems = 50

// Row is one place read from a file, with the line it came from (the spreadsheet's row number,
// the header being row 1 in a CSV file).
type Row struct {
	Line  int
	Place models.Place
}

// Canonical column names of a places file.
const (
	colKind    = "kind"
	colName    = "name"
	colAddress = "address"
	colLat     = "lat"
	colLon     = "lon"
	colRef     = "ref"
)

// Columns are the columns a places file may have, in the documented order; kind, name, lat and
// lon are required.
var Columns = []string{colKind, colName, colAddress, colLat, colLon, colRef}

// headerAliases maps folded headers (see fold) to columns, Vietnamese with or without accents.
var headerAliases = map[string]string{
	"kind": colKind, "loai": colKind, "loai_dia_diem": colKind, "loai_hinh": colKind, "phan_loai": colKind, "type": colKind,
	"name": colName, "ten": colName, "ten_dia_diem": colName, "ten_co_so": colName,
	"address": colAddress, "dia_chi": colAddress,
	"lat": colLat, "vi_do": colLat, "latitude": colLat,
	"lon": colLon, "lng": colLon, "kinh_do": colLon, "longitude": colLon,
	"ref": colRef, "ma": colRef, "ma_dia_diem": colRef, "ma_so": colRef, "id": colRef, "external_id": colRef,
	"stt": "", "so_thu_tu": "", "tt": "", // the row number offices add
}

// columnVI names the columns as a Vietnamese planner's file does, for the messages.
var columnVI = map[string]string{colKind: "Loại", colName: "Tên", colAddress: "Địa chỉ", colLat: "Vĩ độ", colLon: "Kinh độ", colRef: "Mã", "source": "Nguồn"}

// ColumnVI returns a column's Vietnamese name (the column itself when it has none).
func ColumnVI(col string) string {
	if n, ok := columnVI[col]; ok {
		return n
	}
	return col
}

// kindAliases maps folded kind values to kinds: the codes, and their Vietnamese names.
var kindAliases = map[string]string{
	"school": models.PlaceSchool, "truong": models.PlaceSchool, "truong_hoc": models.PlaceSchool,
	"hospital": models.PlaceHospital, "benh_vien": models.PlaceHospital,
	"religious": models.PlaceReligious, "ton_giao": models.PlaceReligious, "co_so_ton_giao": models.PlaceReligious,
	"tin_nguong": models.PlaceReligious, "co_so_tin_nguong": models.PlaceReligious, "co_so_ton_giao_tin_nguong": models.PlaceReligious,
	"relic": models.PlaceRelic, "di_tich": models.PlaceRelic, "di_tich_lich_su": models.PlaceRelic, "di_tich_lich_su_van_hoa": models.PlaceRelic,
}

// fold lowers, strips accents (đ too) and joins words with "_", so that "Vĩ độ", "vi do" and
// "VI_DO" are one header.
func fold(s string) string {
	var b strings.Builder
	under := false
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
	}
	return b.String()
}

// ReadFile reads a places file: CSV (comma, semicolon or tab separated, UTF-8, with a header
// row) or an .xlsx workbook (its first sheet), told apart by the name's extension, else by the
// content. The header names the columns (Columns, or their Vietnamese names: Loại, Tên, Địa
// chỉ, Vĩ độ, Kinh độ, Mã). source is what the places' Source says (the file's name).
//
// Every row is checked (models.Place.Validate) and rows that are the same place (the same
// natural key) are refused; any problem is an invalid error whose details name the row and the
// column ("rows[3].name"), up to 50, so that one attempt shows what to fix. The area is left
// for the caller, which has the area index.
func ReadFile(r io.Reader, name string, maxBytes int64) ([]Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read places file: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, models.NewError(models.ETOOLARGE, "the file is larger than %d bytes", "tệp lớn hơn %d byte", maxBytes)
	}
	var records [][]string
	var lines []int
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".xlsx" || (ext != ".csv" && bytes.HasPrefix(data, []byte("PK\x03\x04"))) {
		records, lines, err = readXLSX(data, maxBytes)
	} else {
		records, lines, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	return parseRecords(records, lines, name)
}

func invalidFile(en, vi string, args ...any) error {
	return models.Invalid("file", en, vi, args...)
}

func readCSV(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, invalidFile("the file is empty", "tệp rỗng")
	}
	if !utf8.Valid(data) {
		return nil, nil, invalidFile("the file is not UTF-8 text (save it from the spreadsheet as CSV UTF-8)", "tệp không phải văn bản UTF-8 (hãy lưu từ bảng tính dưới dạng CSV UTF-8)")
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	switch {
	case bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")):
		cr.Comma = ';'
	case bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")):
		cr.Comma = '\t'
	}
	var records [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, models.Invalid("rows["+strconv.Itoa(pe.StartLine)+"]", "row %d is not valid CSV: %v", "dòng %d không phải CSV hợp lệ: %v", pe.StartLine, pe.Err)
			}
			return nil, nil, fmt.Errorf("read places CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		records = append(records, rec)
		lines = append(lines, line)
	}
	return records, lines, nil
}

func readXLSX(data []byte, maxBytes int64) ([][]string, []int, error) {
	limit := maxBytes * 4
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 16<<20)})
	if err != nil {
		return nil, nil, invalidFile("the file is not a readable Excel workbook (.xlsx)", "tệp không phải tệp Excel (.xlsx) đọc được")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, invalidFile("the workbook has no sheet", "tệp Excel không có trang tính nào")
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, nil, invalidFile("the first sheet cannot be read", "không đọc được trang tính đầu tiên")
	}
	lines := make([]int, len(rows))
	for i := range rows {
		lines[i] = i + 1
	}
	return rows, lines, nil
}

// parseRecords finds the header (the first row that is not empty), maps its columns and
// checks each row below it.
func parseRecords(records [][]string, lines []int, source string) ([]Row, error) {
	h := 0
	for h < len(records) && blank(records[h]) {
		h++
	}
	if h == len(records) {
		return nil, invalidFile("the file has no header row", "tệp không có dòng tiêu đề")
	}
	var v models.Validation
	index := map[string]int{}
	for i, cell := range records[h] {
		k := fold(cell)
		col, ok := headerAliases[k]
		switch {
		case k == "":
		case !ok:
			v.Add("header", "column %q is not known; the columns are %s", "cột %q không được hỗ trợ; các cột là %s", cell, strings.Join(Columns, ", "))
			v.Problems[len(v.Problems)-1].MessageVI = fmt.Sprintf("cột %q không được hỗ trợ; các cột là Loại, Tên, Địa chỉ, Vĩ độ, Kinh độ, Mã", cell)
		case col == "":
		default:
			if _, dup := index[col]; dup {
				v.Add("header", "column %s is given twice", "cột %s có hai lần", ColumnVI(col))
			}
			index[col] = i
		}
	}
	for _, col := range []string{colKind, colName, colLat, colLon} {
		if _, ok := index[col]; !ok {
			v.Add("header", "the required column %s is missing", "thiếu cột bắt buộc %s", ColumnVI(col))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cell := func(rec []string, col string) (string, bool) {
		i, ok := index[col]
		if !ok || i >= len(rec) {
			return "", ok
		}
		return strings.TrimSpace(rec[i]), true
	}
	var out []Row
	seen := map[string]int{} // natural key -> line
	for j := h + 1; j < len(records) && len(v.Problems) < maxProblems; j++ {
		rec, line := records[j], lines[j]
		if blank(rec) {
			continue
		}
		at := func(col string) string { return "rows[" + strconv.Itoa(line) + "]." + col }
		add := func(col, en, vi string, args ...any) {
			v.Add(at(col), "row %d, column %s: "+en, "dòng %d, cột %s: "+vi, append([]any{line, col}, args...)...)
			v.Problems[len(v.Problems)-1].MessageVI = fmt.Sprintf("dòng %d, cột %s: "+vi, append([]any{line, ColumnVI(col)}, args...)...)
		}
		p := models.Place{Source: source}
		kind, _ := cell(rec, colKind)
		p.Kind = kindAliases[fold(kind)]
		if p.Kind == "" {
			add(colKind, "%q is not a kind: use school, hospital, religious or relic", "%q không phải loại địa điểm: dùng trường học, bệnh viện, tôn giáo hoặc di tích", kind)
		}
		p.Name, _ = cell(rec, colName)
		p.Address, _ = cell(rec, colAddress)
		p.Ref, _ = cell(rec, colRef)
		coordOK := true
		for _, c := range []struct {
			col string
			dst *float64
		}{{colLat, &p.Lat}, {colLon, &p.Lon}} {
			s, _ := cell(rec, c.col)
			// A decimal comma is what a Vietnamese spreadsheet writes.
			x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
			if err != nil {
				coordOK = false
				if s == "" {
					add(c.col, "is empty", "đang để trống")
				} else {
					add(c.col, "%q is not a number in decimal degrees", "%q không phải số độ thập phân", s)
				}
				continue
			}
			*c.dst = x
		}
		kindOK := p.Kind != ""
		if !kindOK {
			// The kind is named above; Validate still checks the other fields.
			p.Kind = models.PlaceSchool
		}
		if err := p.Validate(); err != nil {
			for _, d := range models.ErrorAs(err).Details {
				if (d.Field == "lat" || d.Field == "lon") && !coordOK {
					continue // named above
				}
				v.Problems = append(v.Problems, models.FieldError{Field: at(d.Field),
					Message:   fmt.Sprintf("row %d, column %s: %s", line, d.Field, d.Message),
					MessageVI: fmt.Sprintf("dòng %d, cột %s: %s", line, ColumnVI(d.Field), d.MessageVI)})
			}
			continue
		}
		if !kindOK || !coordOK {
			continue
		}
		if first, dup := seen[p.NaturalKey]; dup {
			add(colName, "is the same place as row %d", "trùng địa điểm với dòng %d", first)
			continue
		}
		seen[p.NaturalKey] = line
		out = append(out, Row{Line: line, Place: p})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, invalidFile("the file has no place under its header", "tệp không có địa điểm nào dưới dòng tiêu đề")
	}
	return out, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
