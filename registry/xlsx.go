package registry

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
)

// xlsxUnzipFactor bounds what a workbook may expand to, as a multiple of the upload limit: a
// sheet's XML takes about four times the size of the same rows as CSV (75 MB for the 100,000
// rows of BenchmarkReadXLSX100k, 19 MB as CSV), so the bound holds a workbook to about as many
// rows as a CSV file at the limit, and the rows in memory with them; a zip bomb stops there.
const xlsxUnzipFactor = 4

// readXLSX reads one worksheet of an .xlsx workbook (opts.Sheet, or the first) as a registry:
// the header is the first row with values in two cells or more (rows above it with a single
// value are the sheet's titles, "DANH SÁCH CƠ SỞ ...", which offices put above the table: a
// header needs a name and a category column), the records the rows below it (empty rows are
// skipped), and Line is the spreadsheet's row number. Cells are read as stored, not as shown,
// so that a licence or tax code typed as a number keeps its digits instead of becoming
// 1.2E+07; a number in a date column is an Excel date serial (see xlsxCell).
func readXLSX(r io.Reader, opts models.BusinessImportOptions, maxBytes int64) ([]Row, error) {
	name := opts.Name
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	limit := maxBytes * xlsxUnzipFactor
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 16<<20)})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") { // excelize has no error value for it
			return nil, fileError(models.ETOOLARGE, name,
				"the workbook expands to more than %s", "tệp Excel khi giải nén lớn hơn %s", formatBytes(limit))
		}
		return nil, fileError(models.EINVALID, name,
			"the file is not a readable Excel workbook (.xlsx): %v", "tệp không phải tệp Excel (.xlsx) đọc được: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	sheet := opts.Sheet
	switch {
	case len(sheets) == 0:
		return nil, fileError(models.EINVALID, name, "the workbook has no sheet", "tệp Excel không có trang tính nào")
	case sheet == "":
		sheet = sheets[0]
	default:
		found := false
		for _, s := range sheets {
			if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(sheet)) {
				sheet, found = s, true
				break
			}
		}
		if !found {
			quoted := make([]string, len(sheets))
			for i, s := range sheets {
				quoted[i] = strconv.Quote(s)
			}
			return nil, fileError(models.EINVALID, name,
				"the workbook has no sheet %q; its sheets are %s", "tệp Excel không có trang tính %q; các trang tính là %s",
				sheet, strings.Join(quoted, ", "))
		}
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fileError(models.EINVALID, name, "sheet %q cannot be read: %v", "không đọc được trang tính %q: %v", sheet, err)
	}
	defer it.Close()

	var cols []string
	var rows []Row
	for line := 1; it.Next(); line++ {
		rec, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileError(models.EINVALID, name, "sheet %q, row %d cannot be read: %v", "trang tính %q, dòng %d không đọc được: %v", sheet, line, err)
		}
		if blankRecord(rec) {
			continue
		}
		at := place{sheet: sheet, line: line}
		if cols == nil && filledCells(rec) < 2 {
			continue
		}
		if cols == nil {
			if cols, err = headerColumns(rec, at, opts); err != nil {
				return nil, err
			}
			continue
		}
		for i, c := range cols {
			if i >= len(rec) {
				break
			}
			rec[i] = xlsxCell(c, rec[i], date1904)
		}
		if len(rec) > len(cols) { // cells right of the header: rowFields refuses them unless empty
			cols = append(cols, make([]string, len(rec)-len(cols))...)
		}
		fields, err := rowFields(rec, cols, at, name)
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{Sheet: sheet, Line: line, Fields: fields})
	}
	if err := it.Error(); err != nil {
		return nil, fileError(models.EINVALID, name, "sheet %q cannot be read: %v", "không đọc được trang tính %q: %v", sheet, err)
	}
	if cols == nil {
		return nil, fileError(models.EINVALID, name, "sheet %q has no header row (a row with the column names)",
			"trang tính %q không có dòng tiêu đề (dòng ghi tên các cột)", sheet)
	}
	return rows, nil
}

func filledCells(rec []string) int {
	n := 0
	for _, v := range rec {
		if strings.TrimFunc(v, isTrimmed) != "" {
			n++
		}
	}
	return n
}

// maxYearNumber is the largest number a date column may hold that is taken for a year typed as
// a number ("2019"), not for an Excel date serial (2,100 days after 1900 is in 1905, when no
// business of a registry opened).
const maxYearNumber = 2100

// xlsxCell turns a cell's stored text into what the planner typed: a date serial in a date
// column into YYYY-MM-DD, a number stored in exponent form into its digits. The cell's format is
// not consulted: reading it takes the whole worksheet into memory and costs more than the rest
// of the import; a number in a date column is a date whatever its format, except a year.
func xlsxCell(col, raw string, date1904 bool) string {
	v := strings.TrimSpace(raw)
	if v == "" || !isNumberText(v) {
		return raw
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return raw
	}
	if col == colOpenedOn || col == colClosedOn {
		if n > maxYearNumber {
			if t, err := excelize.ExcelDateToTime(n, date1904); err == nil {
				return t.Format("2006-01-02")
			}
		}
		return raw
	}
	if strings.ContainsAny(v, "eE") && n == math.Trunc(n) && math.Abs(n) < 1e21 {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return raw
}

// isNumberText is true for the forms in which a workbook stores numbers (digits, a point, an
// exponent), so that words strconv.ParseFloat also reads ("Inf", "NaN") stay text.
func isNumberText(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != '-' && r != '+' && r != 'e' && r != 'E' {
			return false
		}
	}
	return true
}
