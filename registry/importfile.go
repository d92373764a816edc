// Package registry reads the business registry files that licensing offices send (CSV exported
// from a spreadsheet, or GeoJSON) and checks each row on its own. It needs no database: resolving
// the ward against the area index and writing to the store belong to the caller, so everything
// here is a pure function that can be fuzzed.
package registry

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"mime"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
)

// Row is one record of an import file.
//
// Line is where the record starts in the file, so that a planner can find it in a spreadsheet:
// for CSV the header is line 1 and a quoted field that spans several lines counts every line;
// for GeoJSON, which has no meaningful lines, Line is the feature's index in "features" plus 1.
//
// Fields maps canonical column names (see Columns) to trimmed, NFC-normalised text. A column
// the file does not have is absent from the map; an empty cell is present with "".
//
// Sheet is the worksheet of an .xlsx file (Line is then the spreadsheet's row number), and
// empty for the other formats.
type Row struct {
	Sheet  string
	Line   int
	Fields map[string]string
}

// Rejection is one problem with one row, in both languages, ready to show to the planner who
// sent the file. Value is the offending text, shortened when it is very long.
type Rejection struct {
	Sheet     string `json:"sheet,omitempty"`
	Line      int    `json:"line"`
	Field     string `json:"field"`
	Value     string `json:"value"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi"`
}

// Canonical column names.
const (
	colName      = "name"
	colCategory  = "category"
	colLicence   = "licence_no"
	colAddress   = "address"
	colWard      = "ward"
	colLat       = "lat"
	colLon       = "lon"
	colOpenedOn  = "opened_on"
	colClosedOn  = "closed_on"
	colStatus    = "status"
	colPhone     = "phone"
	colOwner     = "owner"
	colTaxCode   = "tax_code"
	colSecurity  = "security_cert_no"
	fieldFile    = "file"
	maxNameRunes = 200
	// Rejection values echo user input back; a cell pasted with a whole document in it must not
	// make the rejection report as large as the file.
	maxValueRunes = 200
)

var columns = []string{colName, colCategory, colLicence, colAddress, colWard, colLat, colLon,
	colOpenedOn, colStatus, colPhone, colOwner, colTaxCode, colSecurity, colClosedOn}

// Columns returns the canonical column names in the documented order, for templates and help
// text. Files may use them in any order.
func Columns() []string { return slices.Clone(columns) }

// colIgnored marks a column every office adds and that carries nothing to import: the row
// number ("STT", "Số thứ tự").
const colIgnored = "-"

// headerAliases maps a folded header (see headerKey) to its canonical column. Vietnamese headers
// are accepted with or without accents and spaces ("Tên", "ten", "Loại hình", "loai_hinh")
// because offices type their own headers; the list holds the headers of the registers that
// licensing offices (Phòng Kinh tế, Phòng Văn hóa) and the police keep. A header not listed can
// be named with a column mapping (ReadOptions.Columns, the --column flag).
var headerAliases = func() map[string]string {
	byColumn := map[string][]string{
		colName: {"ten", "ten_co_so", "ten_co_so_kinh_doanh", "ten_co_so_kd", "ten_doanh_nghiep", "ten_dn",
			"ten_ho_kinh_doanh", "ten_hkd", "ten_cua_hang", "ten_goi", "ten_thuong_mai", "business_name"},
		colCategory: {"loai_hinh", "loai_hinh_kinh_doanh", "loai_hinh_kd", "nganh_nghe", "nganh_nghe_kinh_doanh",
			"nganh_nghe_kd", "nganh_kinh_doanh", "linh_vuc", "linh_vuc_kinh_doanh", "loai_hinh_co_so", "loai_co_so"},
		colLicence: {"so_giay_phep", "so_gpkd", "gpkd", "so_giay_phep_kinh_doanh", "giay_phep_kinh_doanh",
			"so_giay_chung_nhan_dang_ky_kinh_doanh", "giay_chung_nhan_dang_ky_kinh_doanh", "so_gcn_dkkd", "so_gcndkkd",
			"gcn_dkkd", "so_dkkd", "ma_so_dkkd", "so_dang_ky_kinh_doanh", "ma_so_ho_kinh_doanh", "license_no",
			"licence_number", "license_number"},
		colAddress: {"dia_chi", "dia_chi_kinh_doanh", "dia_chi_co_so", "dia_chi_tru_so", "dia_diem_kinh_doanh",
			"dia_chi_dia_diem_kinh_doanh"},
		colWard:     {"phuong", "xa", "phuong_xa", "xa_phuong", "phuong_xa_thi_tran", "xa_phuong_thi_tran", "ma_phuong_xa", "ma_xa"},
		colLat:      {"vi_do", "latitude"},
		colLon:      {"kinh_do", "longitude"},
		colOpenedOn: {"ngay_hoat_dong", "ngay_bat_dau_hoat_dong", "ngay_cap", "ngay_cap_phep", "ngay_cap_gpkd", "ngay_thanh_lap", "ngay_dang_ky"},
		colClosedOn: {"ngay_dong_cua", "ngay_ngung_hoat_dong", "ngay_cham_dut_hoat_dong"},
		colStatus:   {"trang_thai", "trang_thai_hoat_dong", "tinh_trang", "tinh_trang_hoat_dong"},
		colPhone:    {"dien_thoai", "so_dien_thoai", "sdt", "so_dt", "dt", "dien_thoai_lien_he"},
		colOwner: {"chu_co_so", "nguoi_dai_dien", "nguoi_dai_dien_theo_phap_luat", "nguoi_dai_dien_phap_luat",
			"chu_ho_kinh_doanh", "chu_ho", "chu_doanh_nghiep", "ho_ten_chu_co_so"},
		colTaxCode: {"ma_so_thue", "mst", "ma_so_doanh_nghiep"},
		colSecurity: {"so_gcn_antt", "gcn_antt", "so_giay_chung_nhan_antt", "giay_chung_nhan_antt",
			"so_gcn_du_dieu_kien_antt", "giay_chung_nhan_du_dieu_kien_ve_antt", "so_giay_chung_nhan_du_dieu_kien_ve_antt",
			"giay_chung_nhan_du_dieu_kien_ve_an_ninh_trat_tu", "so_giay_chung_nhan_du_dieu_kien_ve_an_ninh_trat_tu"},
		// The export's columns for reading (Export): a downloaded file imports again as it is.
		colIgnored: {"stt", "so_thu_tu", "tt", "ten_phuong_xa", "ward_name", "lan_kiem_tra_gan_nhat", "last_inspected"},
	}
	m := map[string]string{}
	for c, keys := range byColumn {
		for _, k := range keys {
			m[k] = c
		}
	}
	for _, c := range columns {
		m[c] = c
	}
	return m
}()

// headerKey folds a header cell so that case, accents, surrounding spaces, a stray BOM and
// the spaces, hyphens, slashes, dots or brackets between words do not matter ("Xã/Phường" is
// xa_phuong, "Số GCN ĐKKD" so_gcn_dkkd).
func headerKey(h string) string {
	h = models.FoldVietnamese(clean(h))
	var b strings.Builder
	sep := false
	for _, r := range h {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// clean trims spaces (including the no-break spaces spreadsheets leave) and BOMs, and puts text
// in NFC so that the same name typed with composed or decomposed accents compares equal.
func clean(s string) string {
	s = strings.TrimFunc(s, isTrimmed)
	if s == "" {
		return s
	}
	s = norm.NFC.String(s)
	return strings.TrimFunc(s, isTrimmed)
}

func isTrimmed(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }

// fileError is a whole-file problem; name, when known, starts the message so that a report
// covering several uploads stays readable.
func fileError(code, name, en, vi string, args ...any) *models.Error {
	return fileErrorText(code, name, fmt.Sprintf(en, args...), fmt.Sprintf(vi, args...))
}

func fileErrorText(code, name, en, vi string) *models.Error {
	if name != "" {
		en, vi = name+": "+en, name+": "+vi
	}
	return &models.Error{Code: code, Field: fieldFile, Message: en, MessageVI: vi,
		Details: []models.FieldError{{Field: fieldFile, Message: en, MessageVI: vi}}}
}

// errTooLarge is returned by limitReader once the input passes the limit; ReadFile turns it
// into a too_large error whatever the parser made of the truncated input.
var errTooLarge = errors.New("registry: input over the size limit")

type limitReader struct {
	r    io.Reader // an io.LimitReader at max+1, so at most one byte past the limit is read
	n    int64
	max  int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.over {
		return 0, errTooLarge
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		l.over = true
		return n - int(l.n-l.max), errTooLarge
	}
	return n, err
}

// ReadFile reads an import file of at most maxBytes bytes and returns its records; name is the
// file's name (see ReadFileWith for what it says).
//
// The format is detected from the content: a zip archive is an .xlsx workbook (see
// ReadFileWith), a JSON object is a GeoJSON FeatureCollection of Point features whose
// properties use the column names; anything else is CSV. CSV is UTF-8 with or without a BOM,
// separated by commas or semicolons (whichever the header line uses outside quotes), with a
// header naming columns in any order, in English or Vietnamese (see Columns and headerAliases;
// unknown, duplicate and missing required columns are errors). Blank lines, and lines whose
// cells are all empty (spreadsheets export those), are skipped.
//
// Whole-file problems return a *models.Error with Field "file" and nothing else: code
// too_large for a file over maxBytes (detected while reading, never by reading it all first;
// a workbook whose content expands beyond 4 times maxBytes too), unsupported_media for an old
// .xls workbook or UTF-16 text, and invalid for the rest (empty file, bad header, text that is
// not UTF-8, unbalanced quotes, a record with the wrong number of fields, GeoJSON that is not a
// FeatureCollection of Point features, a workbook that cannot be read or lacks the sheet).
// Messages name the line (the sheet and row of a workbook), and start with name when it is not
// empty. A file with a header and no records is not an error: it has zero rows.
//
// The input is read through a fixed-size buffer, but the rows are kept: expect about five times
// the file's size in memory for a typical 13-column file (a map per row), so maxBytes bounds it.
// A workbook is read whole (zip needs random access), then its sheet row by row.
func ReadFile(r io.Reader, name string, maxBytes int64) ([]Row, error) {
	return ReadFileWith(r, models.BusinessImportOptions{Name: name}, maxBytes)
}

// ReadFileWith is ReadFile with the options of an import. The file's type is the one its name's
// extension (.csv, .xlsx, .geojson, .json) says, else its content type, else its content; but a
// workbook's signature wins (a workbook named .csv is read as one), an old .xls workbook, by
// name, content type or signature, is refused (unsupported_media) with a message to save it as
// .xlsx, and a file said to be .xlsx that is not a workbook is invalid. An .xlsx workbook is
// read from opts.Sheet (the first sheet when empty), with Row.Sheet set and Line the
// spreadsheet's row number. opts.Columns names the file's header for canonical columns (see
// ParseColumnMapping), over the aliases; a mapped header the file does not have is an invalid
// error.
func ReadFileWith(r io.Reader, opts models.BusinessImportOptions, maxBytes int64) ([]Row, error) {
	if maxBytes <= 0 {
		return nil, models.Errorf(models.EINTERNAL, "registry: maxBytes must be positive, got %d", maxBytes)
	}
	name := opts.Name
	lr := &limitReader{r: io.LimitReader(r, maxBytes+1), max: maxBytes}
	rows, err := readFile(bufio.NewReaderSize(lr, 64<<10), opts, maxBytes)
	if lr.over {
		return nil, fileError(models.ETOOLARGE, name,
			"the file is larger than the limit of %s", "tệp lớn hơn giới hạn %s", formatBytes(maxBytes))
	}
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func readFile(br *bufio.Reader, opts models.BusinessImportOptions, maxBytes int64) ([]Row, error) {
	name := opts.Name
	head, _ := br.Peek(br.Size())
	kind := fileKind(opts.Name, opts.ContentType)
	zip := bytes.HasPrefix(head, []byte("PK\x03\x04"))
	switch {
	case kind == kindXLS, bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		return nil, fileError(models.EUNSUPPORTEDTYPE, name,
			"this is an old Excel workbook (.xls); in Excel use Save As > Excel Workbook (.xlsx), or CSV UTF-8",
			"đây là tệp Excel cũ (.xls); trong Excel chọn Lưu thành (Save As) > Excel Workbook (.xlsx), hoặc CSV UTF-8")
	case zip:
		// The signature is surer than the name: a workbook renamed .csv is still a workbook.
		return readXLSX(br, opts, maxBytes)
	case kind == kindXLSX:
		return nil, fileError(models.EINVALID, name,
			"the file is named .xlsx but is not an Excel workbook",
			"tệp có đuôi .xlsx nhưng không phải tệp Excel")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, fileError(models.EUNSUPPORTEDTYPE, name,
			"line 1: the file is UTF-16 text, not UTF-8; save it as CSV UTF-8",
			"dòng 1: tệp được mã hoá UTF-16, không phải UTF-8; hãy lưu thành CSV UTF-8")
	}
	if bytes.HasPrefix(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	switch firstNonSpace(head) {
	case '{':
		return checkedGeoJSON(br, opts)
	case '[':
		return nil, fileError(models.EINVALID, name,
			"a JSON file must be a GeoJSON FeatureCollection object, not an array",
			"tệp JSON phải là một đối tượng GeoJSON FeatureCollection, không phải một mảng")
	}
	return readCSV(br, head, opts)
}

// File kinds by name or media type.
const (
	kindUnknown = ""
	kindCSV     = "csv"
	kindJSON    = "json"
	kindXLSX    = "xlsx"
	kindXLS     = "xls"
)

// fileKind is the type a file's name says, or else its media type; kindUnknown leaves it to
// the content.
func fileKind(name, contentType string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return kindCSV
	case ".geojson", ".json":
		return kindJSON
	case ".xlsx", ".xlsm":
		return kindXLSX
	case ".xls":
		return kindXLS
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return kindXLSX
	case "application/vnd.ms-excel":
		return kindXLS
	case "text/csv":
		return kindCSV
	case "application/geo+json", "application/json":
		return kindJSON
	}
	return kindUnknown
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

// sniffSeparator picks ';' when the first non-blank line has more semicolons than commas outside
// quotes: Excel in Vietnamese (and most European) locales writes semicolons because the comma is
// the decimal separator there.
func sniffSeparator(head []byte) rune {
	commas, semicolons := 0, 0
	inQuotes, started := false, false
scan:
	for _, c := range head {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case c == '\n' || c == '\r':
			if started {
				break scan
			}
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		}
		if c != '\n' && c != '\r' && c != ' ' && c != '\t' {
			started = true
		}
	}
	if semicolons > commas {
		return ';'
	}
	return ','
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimFunc(f, isTrimmed) != "" {
			return false
		}
	}
	return true
}

// checkUTF8 names the exact line of the first invalid byte, which may be below the record's
// first line when a quoted field spans lines.
func checkUTF8(cr *csv.Reader, rec []string, name string) error {
	for i, f := range rec {
		if utf8.ValidString(f) {
			continue
		}
		line, _ := cr.FieldPos(i)
		for j := 0; j < len(f); {
			r, size := utf8.DecodeRuneInString(f[j:])
			if r == utf8.RuneError && size <= 1 {
				line += strings.Count(f[:j], "\n")
				break
			}
			j += size
		}
		return fileError(models.EINVALID, name,
			"line %d is not UTF-8 text; save the file as CSV UTF-8",
			"dòng %d không phải văn bản UTF-8; hãy lưu tệp thành CSV UTF-8", line)
	}
	return nil
}

func csvError(err error, name string) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		if errors.Is(err, errTooLarge) {
			return err
		}
		return fmt.Errorf("registry: read %s: %w", name, err)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fileError(models.EINVALID, name,
			"line %d: unbalanced quotes: a quote (\") inside a field that does not start with a quote (column %d); quote the whole field and double the inner quotes",
			"dòng %d: dấu ngoặc kép không cân đối: có dấu \" trong một ô không bắt đầu bằng dấu ngoặc kép (cột %d); hãy đặt cả ô trong ngoặc kép và nhân đôi dấu ngoặc bên trong",
			pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fileError(models.EINVALID, name,
			"line %d: unbalanced quotes: a quoted field in the record starting on line %d is not closed, or has text after its closing quote",
			"dòng %d: dấu ngoặc kép không cân đối: một ô trong bản ghi bắt đầu ở dòng %d mở ngoặc kép mà không đóng, hoặc có chữ sau dấu đóng ngoặc",
			pe.Line, pe.StartLine)
	}
	return fileError(models.EINVALID, name, "line %d: %v", "dòng %d: %v", pe.Line, pe.Err)
}

func readCSV(br *bufio.Reader, head []byte, opts models.BusinessImportOptions) ([]Row, error) {
	name := opts.Name
	cr := csv.NewReader(br)
	cr.Comma = sniffSeparator(head)
	cr.FieldsPerRecord = -1 // counted here, to say which line and how many
	cr.ReuseRecord = true

	var cols []string
	for cols == nil {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, fileError(models.EINVALID, name, "the file is empty", "tệp trống")
		}
		if err != nil {
			return nil, csvError(err, name)
		}
		if blankRecord(rec) {
			continue
		}
		if err := checkUTF8(cr, rec, name); err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if cols, err = headerColumns(rec, place{line: line}, opts); err != nil {
			return nil, err
		}
	}

	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, csvError(err, name)
		}
		if blankRecord(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			return nil, fileError(models.EINVALID, name,
				"line %d has %d fields, expected %d as in the header",
				"dòng %d có %d ô, cần %d ô như dòng tiêu đề", line, len(rec), len(cols))
		}
		if err := checkUTF8(cr, rec, name); err != nil {
			return nil, err
		}
		fields, err := rowFields(rec, cols, place{line: line}, name)
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{Line: line, Fields: fields})
	}
}

// rowFields maps a record's cells to the columns of its header.
func rowFields(rec, cols []string, at place, name string) (map[string]string, error) {
	fields := make(map[string]string, len(cols))
	for i, c := range cols {
		v := ""
		if i < len(rec) {
			v = clean(rec[i])
		}
		switch c {
		case colIgnored:
			continue
		case "":
			if v != "" {
				return nil, placeError(name, at,
					"column %d has a value but no header", "cột %d có dữ liệu nhưng không có tiêu đề", i+1)
			}
			continue
		}
		fields[c] = v
	}
	return fields, nil
}

// placeError is an invalid whole-file error about the record at a place.
func placeError(name string, at place, en, vi string, args ...any) *models.Error {
	return fileErrorText(models.EINVALID, name, at.en()+": "+fmt.Sprintf(en, args...), at.vi()+": "+fmt.Sprintf(vi, args...))
}

// place is where a record is, for the messages of whole-file problems: a line of a CSV file, or
// a row of a worksheet.
type place struct {
	sheet string
	line  int
}

func (p place) en() string {
	if p.sheet != "" {
		return fmt.Sprintf("sheet %q, row %d", p.sheet, p.line)
	}
	return fmt.Sprintf("line %d", p.line)
}

func (p place) vi() string {
	if p.sheet != "" {
		return fmt.Sprintf("trang tính %q, dòng %d", p.sheet, p.line)
	}
	return fmt.Sprintf("dòng %d", p.line)
}

// headerColumns maps each header cell to its canonical column; "" marks an unnamed column, which
// spreadsheets add when a stray cell was once formatted, and which must stay empty. The mapping
// of opts.Columns comes before the aliases.
func headerColumns(rec []string, at place, opts models.BusinessImportOptions) ([]string, error) {
	name := opts.Name
	mapped := mappedHeaders(opts.Columns)
	cols := make([]string, len(rec))
	var unknown []string
	firstAt := map[string]int{}
	found := map[string]bool{}
	for i, h := range rec {
		if clean(h) == "" {
			continue
		}
		k := headerKey(h)
		c, ok := mapped[k]
		if ok {
			found[k] = true
		} else if c, ok = headerAliases[k]; !ok {
			unknown = append(unknown, strconv.Quote(clean(h)))
			continue
		}
		if c == colIgnored {
			cols[i] = c
			continue
		}
		if j, dup := firstAt[c]; dup {
			return nil, placeError(name, at,
				"columns %d (%q) and %d (%q) are both %q",
				"cột %d (%q) và cột %d (%q) cùng là %q", j+1, clean(rec[j]), i+1, clean(h), c)
		}
		firstAt[c] = i
		cols[i] = c
	}
	if err := missingMapped(opts.Columns, found, rec, at, name); err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		return nil, placeError(name, at,
			"unknown columns %s; known columns are %s (or name them with a column mapping, e.g. --column licence_no=\"Số GP\")",
			"không nhận ra cột %s; các cột hợp lệ là %s (hoặc chỉ định bằng ánh xạ cột, ví dụ --column licence_no=\"Số GP\")",
			strings.Join(unknown, ", "), strings.Join(columns, ", "))
	}
	return cols, checkRequiredColumns(firstAt, at, name)
}

// mappedHeaders folds the headers of a column mapping: headerKey(theirs) -> ours.
func mappedHeaders(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for ours, theirs := range m {
		out[headerKey(theirs)] = ours
	}
	return out
}

// missingMapped refuses a mapping that names a header the file does not have: the planner
// typed it from the file, so a miss is a typo that would otherwise leave the column unread.
// header nil is a GeoJSON file, whose columns are its features' properties.
func missingMapped(m map[string]string, found map[string]bool, header []string, at place, name string) error {
	var missing []string
	for _, ours := range slices.Sorted(maps.Keys(m)) {
		if !found[headerKey(m[ours])] {
			missing = append(missing, fmt.Sprintf("%s=%q", ours, m[ours]))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if header == nil {
		return fileError(models.EINVALID, name,
			"the column mapping %s names properties that no feature has",
			"ánh xạ cột %s chỉ đến thuộc tính không đối tượng nào có", strings.Join(missing, ", "))
	}
	var have []string
	for _, h := range header {
		if h = clean(h); h != "" {
			have = append(have, strconv.Quote(h))
		}
	}
	return placeError(name, at,
		"the column mapping %s names columns the file does not have; its header is %s",
		"ánh xạ cột %s chỉ đến cột không có trong tệp; dòng tiêu đề của tệp gồm %s",
		strings.Join(missing, ", "), strings.Join(have, ", "))
}

func checkRequiredColumns(has map[string]int, at place, name string) error {
	var missing []string
	for _, c := range []string{colName, colCategory} {
		if _, ok := has[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return placeError(name, at,
			"missing required columns: %s", "thiếu cột bắt buộc: %s", strings.Join(missing, ", "))
	}
	_, lat := has[colLat]
	_, lon := has[colLon]
	_, ward := has[colWard]
	if lat != lon {
		return placeError(name, at,
			"the lat and lon columns must both be present, or neither",
			"phải có cả hai cột vĩ độ (lat) và kinh độ (lon), hoặc không có cột nào")
	}
	if !ward && !lat {
		return placeError(name, at,
			"missing columns: a ward column, or both lat and lon, is required",
			"thiếu cột: cần cột phường/xã (ward), hoặc cả vĩ độ (lat) và kinh độ (lon)")
	}
	return nil
}

// geoFeature is decoded one at a time so a large collection is never held as a tree.
type geoFeature struct {
	Type       string          `json:"type"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

func jsonError(err error, name string, feature int) error {
	if errors.Is(err, errTooLarge) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		return fileError(models.EINVALID, name, "the JSON ends too early", "tệp JSON kết thúc đột ngột")
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	where, whereVI := "", ""
	if feature > 0 {
		where, whereVI = fmt.Sprintf("feature %d: ", feature), fmt.Sprintf("đối tượng %d: ", feature)
	}
	switch {
	case errors.As(err, &se):
		return fileErrorText(models.EINVALID, name,
			fmt.Sprintf("%sinvalid JSON at byte %d: %v", where, se.Offset, se),
			fmt.Sprintf("%sJSON không hợp lệ tại byte %d: %v", whereVI, se.Offset, se))
	case errors.As(err, &te):
		return fileErrorText(models.EINVALID, name,
			fmt.Sprintf("%s%q has the wrong JSON type (%s)", where, te.Field, te.Value),
			fmt.Sprintf("%s%q sai kiểu JSON (%s)", whereVI, te.Field, te.Value))
	}
	return fileErrorText(models.EINVALID, name,
		fmt.Sprintf("%sinvalid JSON: %v", where, err),
		fmt.Sprintf("%sJSON không hợp lệ: %v", whereVI, err))
}

func notFeatureCollection(name, what string) error {
	return fileError(models.EINVALID, name,
		"GeoJSON must be a FeatureCollection; %s", "GeoJSON phải là một FeatureCollection; %s", what)
}

// checkedGeoJSON reads a GeoJSON file whole, decodes it, then checks its text as the document
// has it (encoding/json turns an escaped lone surrogate into U+FFFD without a word).
func checkedGeoJSON(r io.Reader, opts models.BusinessImportOptions) ([]Row, error) {
	name := opts.Name
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	rows, err := decodeGeoJSON(bytes.NewReader(data), opts)
	if err != nil {
		return nil, err
	}
	if err := models.CheckJSONEncoding(data); err != nil {
		e := models.ErrorAs(err)
		return nil, fileErrorText(models.EINVALID, name, e.Field+": "+e.Message, e.Field+": "+e.MessageVI)
	}
	return rows, nil
}

// decodeGeoJSON walks the top-level object with tokens and decodes features one by one, so that
// memory holds one feature besides the rows.
func decodeGeoJSON(r io.Reader, opts models.BusinessImportOptions) ([]Row, error) {
	name := opts.Name
	mapped := mappedHeaders(opts.Columns)
	found := map[string]bool{}
	dec := json.NewDecoder(r)
	dec.UseNumber() // numbers in properties (tax codes, licence numbers) keep their exact text
	if tok, err := dec.Token(); err != nil {
		return nil, jsonError(err, name, 0)
	} else if tok != json.Delim('{') {
		return nil, notFeatureCollection(name, "the file is not a JSON object")
	}
	var typ string
	var rows []Row
	sawType, sawFeatures := false, false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonError(err, name, 0)
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			if err := dec.Decode(&typ); err != nil {
				return nil, jsonError(err, name, 0)
			}
			sawType = true
			if typ != "FeatureCollection" {
				return nil, notFeatureCollection(name, fmt.Sprintf("its type is %q", typ))
			}
		case "features":
			if sawFeatures {
				return nil, notFeatureCollection(name, `"features" appears twice`)
			}
			sawFeatures = true
			if rows, err = readFeatures(dec, name, mapped, found); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, jsonError(err, name, 0)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, jsonError(err, name, 0)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, jsonError(err, name, 0)
		}
		return nil, fileError(models.EINVALID, name, "unexpected data after the GeoJSON object", "có dữ liệu thừa sau đối tượng GeoJSON")
	}
	if !sawType {
		return nil, notFeatureCollection(name, `it has no "type"`)
	}
	if !sawFeatures {
		return nil, notFeatureCollection(name, `it has no "features" array`)
	}
	if len(rows) > 0 {
		if err := missingMapped(opts.Columns, found, nil, place{}, name); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func readFeatures(dec *json.Decoder, name string, mapped map[string]string, found map[string]bool) ([]Row, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(err, name, 0)
	}
	if tok != json.Delim('[') {
		return nil, notFeatureCollection(name, `"features" is not an array`)
	}
	rows := []Row{}
	for i := 0; dec.More(); i++ {
		var f geoFeature
		if err := dec.Decode(&f); err != nil {
			return nil, jsonError(err, name, i+1)
		}
		row, err := featureRow(&f, i+1, name, mapped, found)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(err, name, 0)
	}
	return rows, nil
}

// featureRow turns feature number n (1-based) into a row. The Point's coordinates win over any
// lat/lon properties, because the geometry is what a map showed the sender. A feature without
// geometry (null) is kept, like a CSV row with empty lat and lon: CheckRow then needs a ward.
func featureRow(f *geoFeature, n int, name string, mapped map[string]string, found map[string]bool) (Row, error) {
	bad := func(en, vi string, args ...any) (Row, error) {
		return Row{}, fileError(models.EINVALID, name, "feature %d: "+en, "đối tượng %d: "+vi, append([]any{n}, args...)...)
	}
	if f.Type != "Feature" {
		return bad("type is %q, expected \"Feature\"", "kiểu là %q, cần \"Feature\"", f.Type)
	}
	fields := make(map[string]string, len(f.Properties)+2)
	var unknown []string
	for k, v := range f.Properties {
		hk := headerKey(k)
		c, ok := mapped[hk]
		if ok {
			found[hk] = true
		} else if c, ok = headerAliases[hk]; !ok {
			unknown = append(unknown, strconv.Quote(k))
			continue
		}
		if c == colIgnored {
			continue
		}
		if _, dup := fields[c]; dup {
			return bad("two properties are both %q", "hai thuộc tính cùng là %q", c)
		}
		var s string
		switch v := v.(type) {
		case nil:
		case string:
			s = v
		case json.Number:
			s = v.String()
		case bool:
			s = strconv.FormatBool(v)
		default:
			return bad("property %q must be text or a number", "thuộc tính %q phải là chữ hoặc số", k)
		}
		if !utf8.ValidString(s) {
			return bad("property %q is not UTF-8 text", "thuộc tính %q không phải văn bản UTF-8", k)
		}
		fields[c] = clean(s)
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return bad("unknown properties %s; known properties are %s", "không nhận ra thuộc tính %s; các thuộc tính hợp lệ là %s",
			strings.Join(unknown, ", "), strings.Join(columns, ", "))
	}
	if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
		var g geoGeometry
		if err := json.Unmarshal(f.Geometry, &g); err != nil {
			return bad("the geometry is not a GeoJSON geometry object", "hình học không phải là một đối tượng hình học GeoJSON")
		}
		if g.Type != "Point" {
			return bad("the geometry is a %q; only Point features are accepted", "hình học là %q; chỉ chấp nhận Point", g.Type)
		}
		var pos []json.Number // the exact text, so no precision is lost before CheckRow parses it
		if err := json.Unmarshal(g.Coordinates, &pos); err != nil || len(pos) < 2 {
			return bad("the Point needs numeric coordinates [longitude, latitude]", "Point cần toạ độ số [kinh độ, vĩ độ]")
		}
		fields[colLon], fields[colLat] = pos[0].String(), pos[1].String()
	}
	return Row{Line: n, Fields: fields}, nil
}

// CheckRow turns a row into a business plus the text of its ward column (a code or a name,
// perhaps empty, for the caller to resolve), or lists every problem of the row so that the
// sender can fix them all at once. The business is nil when there are rejections.
//
// A row without lat and lon is accepted only when it names a ward; the business then has Lat
// and Lon 0 for the caller to fill from the ward. Coordinates that look swapped for Vietnam are
// rejected, never swapped silently. Dates are YYYY-MM-DD or DD/MM/YYYY (day first, as written
// in Vietnam) and may not be after today (the zero date skips that check) or before 1900.
// categories holds the known categories (a code or a label, see Categories); nil accepts any code.
//
// The business has Status set (active when the column is empty), StatusSince equal to OpenedOn
// when that is known, LicenceNo nil when the column is empty, and ClosedOn always empty, since
// files have no column for it; ID and AreaCode are left to the caller.
func CheckRow(row Row, categories *Categories, today models.Date) (*models.Business, string, []Rejection) {
	c := rowChecker{row: row}
	get := func(f string) string { return clean(row.Fields[f]) }
	ward := get(colWard)
	// A cell that is not text (models.TextProblem) would pass a dry run here and then fail the
	// real run on PostgreSQL, so it is this row's rejection. The row's other checks would only
	// add confusing messages about the same cell: they wait until it is fixed.
	for _, col := range columns {
		v := row.Fields[col]
		if en, vi := models.TextProblem(v); en != "" {
			c.reject(col, printable(v), "column %[1]s %[2]s", "cột %[1]s %[3]s", col, en, vi)
		}
	}
	if len(c.rejections) > 0 {
		return nil, ward, c.rejections
	}

	b := &models.Business{
		Name:           get(colName),
		Address:        get(colAddress),
		OwnerName:      get(colOwner),
		SecurityCertNo: get(colSecurity),
	}
	switch {
	case b.Name == "":
		c.reject(colName, "", "name is required", "tên cơ sở không được để trống")
	case utf8.RuneCountInString(b.Name) > maxNameRunes:
		c.reject(colName, b.Name, "name is longer than %d characters", "tên cơ sở dài quá %d ký tự", maxNameRunes)
	}

	b.Category = c.category(get(colCategory), categories)

	if lic := get(colLicence); lic != "" {
		if !validLicence(lic) {
			c.reject(colLicence, lic, "licence number %q must be 3-40 characters of letters, digits, '/', '-' or '.'",
				"số giấy phép %q phải dài 3-40 ký tự, chỉ gồm chữ, chữ số, '/', '-' hoặc '.'", lic)
		}
		b.LicenceNo = &lic
	}

	b.Lat, b.Lon = c.position(get(colLat), get(colLon), ward)

	if s := get(colOpenedOn); s != "" {
		b.OpenedOn = c.date(colOpenedOn, s, today)
		b.StatusSince = b.OpenedOn
	}

	b.Status = models.BusinessActive
	if s := get(colStatus); s != "" {
		st, ok := statusWords[foldWords(s)]
		if !ok {
			c.reject(colStatus, s, "status %q is not one of active, suspended, closed (or \"hoạt động\", \"tạm ngưng\", \"đã đóng cửa\")",
				"trạng thái %q không hợp lệ; dùng \"hoạt động\", \"tạm ngưng\" hoặc \"đã đóng cửa\"", s)
		}
		b.Status = st
	}

	// A closing date is optional; without one a closed business counts as closed on every day.
	if s := get(colClosedOn); s != "" {
		b.ClosedOn = c.date(colClosedOn, s, today)
		switch {
		case b.Status != models.BusinessClosed:
			c.reject(colClosedOn, s, "closed_on is set but the status is not closed", "có ngày đóng cửa nhưng trạng thái không phải đã đóng cửa")
		case !b.OpenedOn.IsZero() && !b.ClosedOn.IsZero() && b.ClosedOn.Before(b.OpenedOn):
			c.reject(colClosedOn, s, "closed_on is before opened_on", "ngày đóng cửa trước ngày hoạt động")
		}
	}

	if p := get(colPhone); p != "" {
		if !validPhone(p) {
			c.reject(colPhone, p, "phone %q must be one number of 8-15 digits, with only spaces, dots, '+', '-' or brackets between them",
				"số điện thoại %q phải là một số có 8-15 chữ số, giữa các số chỉ có dấu cách, '.', '+', '-' hoặc ngoặc", p)
		}
		b.Phone = p
	}

	if t := get(colTaxCode); t != "" {
		if !validTaxCode(t) {
			c.reject(colTaxCode, t, "tax code %q must be 10 digits, 10 digits, '-' and 3 digits, or 12 digits",
				"mã số thuế %q phải gồm 10 chữ số, 10 chữ số, dấu '-' và 3 chữ số, hoặc 12 chữ số", t)
		}
		b.TaxCode = t
	}

	if len(c.rejections) > 0 {
		return nil, ward, c.rejections
	}
	return b, ward, nil
}

type rowChecker struct {
	row        Row
	rejections []Rejection
}

func (c *rowChecker) reject(field, value, en, vi string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok && s == value {
			args[i] = shorten(s) // the echoed value, not the list of known codes
		}
	}
	c.rejections = append(c.rejections, Rejection{
		Sheet:     c.row.Sheet,
		Line:      c.row.Line,
		Field:     field,
		Value:     shorten(value),
		Message:   fmt.Sprintf(en, args...),
		MessageVI: fmt.Sprintf(vi, args...),
	})
}

// printable is s with its NUL characters and invalid bytes replaced by U+FFFD, so that the
// report shows where they are without carrying them.
func printable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxValueRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxValueRunes]) + "…"
}

func (c *rowChecker) category(s string, categories *Categories) string {
	if s == "" {
		c.reject(colCategory, "", "category is required", "loại hình không được để trống")
		return ""
	}
	if code, ok := categories.lookup(s); ok {
		return code
	}
	if sug := categories.suggest(s); sug != "" {
		c.reject(colCategory, s, "unknown category %q; did you mean %q?", "loại hình %q không có trong danh mục; có phải là %q?", s, sug)
	} else {
		en, vi := categories.known()
		c.rejections = append(c.rejections, Rejection{Sheet: c.row.Sheet, Line: c.row.Line, Field: colCategory, Value: shorten(s),
			Message:   fmt.Sprintf("unknown category %q; give a code or a name of %s", shorten(s), en),
			MessageVI: fmt.Sprintf("loại hình %q không có trong danh mục; hãy ghi mã hoặc tên của %s", shorten(s), vi)})
	}
	return strings.ToLower(s)
}

// suggestCategory returns the known code that s most likely meant: equal once case, accents and
// separators are ignored, or within a small edit distance of it.
func suggestCategory(s string, categories map[string]bool) string {
	key := categoryKey(s)
	best, bestDist := "", math.MaxInt
	for code := range categories {
		d := editDistance(key, categoryKey(code))
		if d < bestDist || (d == bestDist && code < best) {
			best, bestDist = code, d
		}
	}
	if bestDist <= max(1, utf8.RuneCountInString(key)/4) {
		return best
	}
	return ""
}

func categoryKey(s string) string {
	return strings.ReplaceAll(headerKey(s), "_", "")
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 { // no code is that long; spare the quadratic work on junk
		return math.MaxInt
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func validLicence(s string) bool {
	n := 0
	for _, r := range s {
		n++
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '/' && r != '-' && r != '.' {
			return false
		}
	}
	return n >= 3 && n <= 40
}

// Vietnam spans latitudes of about 8-24 and longitudes of about 102-110; a pair inside the
// mirror of that box was typed into the wrong columns.
func looksSwapped(lat, lon float64) bool {
	return lat >= 102 && lat <= 110 && lon >= 8 && lon <= 24
}

func (c *rowChecker) position(latText, lonText, ward string) (float64, float64) {
	switch {
	case latText == "" && lonText == "":
		if ward == "" {
			c.reject(colLat, "", "a ward, or both lat and lon, is required", "cần có phường/xã, hoặc cả vĩ độ và kinh độ")
		}
		return 0, 0
	case lonText == "":
		c.reject(colLon, "", "lon is required when lat is given", "có vĩ độ (lat) thì phải có kinh độ (lon)")
		return 0, 0
	case latText == "":
		c.reject(colLat, "", "lat is required when lon is given", "có kinh độ (lon) thì phải có vĩ độ (lat)")
		return 0, 0
	}
	lat, latOK := parseCoordinate(latText)
	lon, lonOK := parseCoordinate(lonText)
	if !latOK {
		c.reject(colLat, latText, "lat %q is not a number (use a decimal point, e.g. 10.0527)",
			"vĩ độ %q không phải là số (dùng dấu chấm thập phân, ví dụ 10.0527)", latText)
	}
	if !lonOK {
		c.reject(colLon, lonText, "lon %q is not a number (use a decimal point, e.g. 105.7859)",
			"kinh độ %q không phải là số (dùng dấu chấm thập phân, ví dụ 105.7859)", lonText)
	}
	if !latOK || !lonOK {
		return 0, 0
	}
	switch {
	case looksSwapped(lat, lon):
		c.reject(colLat, latText, "lat %s and lon %s look swapped (in Vietnam latitude is about 8-24 and longitude about 102-110)",
			"vĩ độ %s và kinh độ %s có vẻ bị đảo ngược (ở Việt Nam vĩ độ khoảng 8-24, kinh độ khoảng 102-110)", latText, lonText)
		return 0, 0
	case lat == 0 && lon == 0:
		// 0,0 is a spreadsheet default, not a place, and the caller reads 0,0 as "take the
		// ward's centre", which would hide the mistake.
		c.reject(colLat, latText, "lat 0, lon 0 is not a real position; leave both empty to use the ward",
			"vĩ độ 0, kinh độ 0 không phải vị trí thật; để trống cả hai để dùng phường/xã")
		return 0, 0
	}
	ok := true
	if lat < -90 || lat > 90 {
		c.reject(colLat, latText, "lat %s is out of range [-90, 90]", "vĩ độ %s ngoài khoảng [-90, 90]", latText)
		ok = false
	}
	if lon < -180 || lon > 180 {
		c.reject(colLon, lonText, "lon %s is out of range [-180, 180]", "kinh độ %s ngoài khoảng [-180, 180]", lonText)
		ok = false
	}
	if !ok {
		return 0, 0
	}
	return lat, lon
}

// parseCoordinate accepts plain decimals only: strconv.ParseFloat alone would also take "NaN",
// "Inf", hex floats and exponents, none of which belong in a coordinate column. A single comma
// is read as the decimal separator, as Vietnamese spreadsheets write it.
func parseCoordinate(s string) (float64, bool) {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	body := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	intPart, frac, hasDot := strings.Cut(body, ".")
	if intPart == "" || !allDigits(intPart) || (hasDot && (frac == "" || !allDigits(frac))) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var minOpenedOn = models.NewDate(1900, time.January, 1)

func (c *rowChecker) date(field, s string, today models.Date) models.Date {
	d, ok := parseDate(s)
	if !ok {
		c.reject(field, s, "%s %q is not a date in YYYY-MM-DD or DD/MM/YYYY (day first)",
			"%s %q không phải ngày theo dạng YYYY-MM-DD hoặc DD/MM/YYYY (ngày trước)", field, s)
		return models.Date{}
	}
	if d.Before(minOpenedOn) {
		c.reject(field, s, "%s %s is before 1900", "ngày %[2]s trước năm 1900", field, d)
		return models.Date{}
	}
	if !today.IsZero() && d.After(today) {
		c.reject(field, s, "%s %s is in the future (today is %s)", "ngày %[2]s ở tương lai (hôm nay là %[3]s)", field, d, today)
		return models.Date{}
	}
	return d
}

// parseDate reads YYYY-MM-DD or D/M/YYYY with one- or two-digit day and month; US month-first
// dates are not guessed because "03/05/2020" means 3 May in Vietnam.
func parseDate(s string) (models.Date, bool) {
	if d, err := models.ParseDate(s); err == nil {
		return d, true
	}
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return models.Date{}, false
	}
	var n [3]int
	for i, p := range parts {
		if !allDigits(p) {
			return models.Date{}, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	d := models.NewDate(n[2], time.Month(n[1]), n[0])
	if d.Day != n[0] || int(d.Month) != n[1] || d.Year != n[2] { // NewDate rolls 31/02 over to March
		return models.Date{}, false
	}
	return d, true
}

// statusWords maps folded status text, English or Vietnamese, to a status.
var statusWords = map[string]string{
	"active":              models.BusinessActive,
	"hoat dong":           models.BusinessActive,
	"dang hoat dong":      models.BusinessActive,
	"suspended":           models.BusinessSuspended,
	"tam ngung":           models.BusinessSuspended,
	"tam dung":            models.BusinessSuspended,
	"tam ngung hoat dong": models.BusinessSuspended,
	"tam dung hoat dong":  models.BusinessSuspended,
	"closed":              models.BusinessClosed,
	"da dong cua":         models.BusinessClosed,
	"dong cua":            models.BusinessClosed,
	"ngung hoat dong":     models.BusinessClosed,
	"da ngung hoat dong":  models.BusinessClosed,
}

// foldWords folds case and accents and collapses runs of spaces.
func foldWords(s string) string {
	return strings.Join(strings.Fields(models.FoldVietnamese(s)), " ")
}

func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+':
			if i != 0 {
				return false
			}
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

// validTaxCode accepts an enterprise tax code (10 digits, a branch adds "-" and 3 digits) and,
// since household businesses moved to personal identification numbers as tax codes in 2025, a
// 12-digit number.
func validTaxCode(s string) bool {
	main, branch, hasBranch := strings.Cut(s, "-")
	if len(main) == 12 && allDigits(main) && !hasBranch {
		return true
	}
	return len(main) == 10 && allDigits(main) && (!hasBranch || (len(branch) == 3 && allDigits(branch)))
}

// LicenceKey is the form in which two licence numbers are compared: upper case, without
// spaces, since offices type "57/gp-ubnd" and "57/GP - UBND" for the same licence.
func LicenceKey(s string) string { return models.NormaliseLicence(clean(s)) }

// DuplicateLicences finds rows that repeat a licence number already used by an earlier row of
// the same file (compared with LicenceKey) and maps each later row's Line to the first row's
// Line, so the caller can reject them as "duplicate licence number in the file (first on line
// N)". Rows without a licence number are never duplicates.
func DuplicateLicences(rows []Row) map[int]int {
	first := make(map[string]int)
	dups := make(map[int]int)
	for _, r := range rows {
		k := LicenceKey(r.Fields[colLicence])
		if k == "" {
			continue
		}
		if line, ok := first[k]; ok {
			dups[r.Line] = line
			continue
		}
		first[k] = r.Line
	}
	return dups
}

// namePrefixes are words that say what kind of place a business is rather than which one, in
// folded form, longest first so that "cong ty tnhh" is tried before "cong ty".
var namePrefixes = func() [][]string {
	list := []string{
		"karaoke", "nha nghi", "khach san", "ks", "nha tro", "massage", "mat xa", "xong hoi",
		"quan", "cafe", "ca phe", "coffee", "cf", "spa", "bar", "pub", "beer", "bia", "lounge",
		"vu truong", "nha hang", "hot toc", "cat toc", "salon", "homestay", "hotel", "motel",
		"co so", "ho kinh doanh", "hkd", "cong ty tnhh", "cong ty", "tnhh", "dntn",
	}
	out := make([][]string, len(list))
	for i, p := range list {
		out[i] = strings.Fields(p)
	}
	slices.SortStableFunc(out, func(a, b []string) int { return len(b) - len(a) })
	return out
}()

// NormaliseName reduces a business name to a key for spotting duplicates: accents and case are
// folded, punctuation removed, words that only name the kind of place ("Karaoke", "Nhà nghỉ",
// "Quán", "Cà phê", "Spa", ...) dropped from the start and the end, and spaces collapsed, so
// "Karaoke Hoa Hồng" and "KARAOKE  HOA HONG" give the same key. A name made only of such words
// keeps its last one, so "Karaoke" stays "karaoke" rather than becoming empty.
func NormaliseName(name string) string {
	folded := models.FoldVietnamese(norm.NFC.String(name))
	words := strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for {
		n := prefixLen(words)
		if n == 0 || n >= len(words) {
			break
		}
		words = words[n:]
	}
	for {
		n := suffixLen(words)
		if n == 0 || n >= len(words) {
			break
		}
		words = words[:len(words)-n]
	}
	return strings.Join(words, " ")
}

func prefixLen(words []string) int {
	for _, p := range namePrefixes {
		if len(p) <= len(words) && slices.Equal(words[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

func suffixLen(words []string) int {
	for _, p := range namePrefixes {
		if len(p) <= len(words) && slices.Equal(words[len(words)-len(p):], p) {
			return len(p)
		}
	}
	return 0
}
