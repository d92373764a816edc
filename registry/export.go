package registry

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
)

// Export formats.
const (
	ExportCSV  = "csv"
	ExportXLSX = "xlsx"
)

// exportPage is how many businesses one read of the store returns while exporting.
const exportPage = 1000

// exportColumn is one column of an exported registry. Its headers are ones the import
// recognises (headerAliases), so that a planner may edit the downloaded file and import it
// again; a column with col "" is for reading only (the unit's name) and the import ignores it.
type exportColumn struct {
	col    string
	vi, en string
	value  func(b *models.Business, names exportNames, vi bool) string
	number bool // lat and lon: a number cell in a workbook
}

// exportNames are the names the file shows beside codes.
type exportNames struct {
	categories map[string]models.Category
	area       func(code string) string
}

var exportColumns = []exportColumn{
	{col: colName, vi: "Tên cơ sở", en: "name", value: func(b *models.Business, _ exportNames, _ bool) string { return b.Name }},
	{col: colCategory, vi: "Loại hình", en: "category", value: func(b *models.Business, n exportNames, vi bool) string {
		c, ok := n.categories[b.Category]
		switch {
		case !ok:
			return b.Category
		case vi:
			return c.VI
		}
		return c.EN
	}},
	{col: colLicence, vi: "Số giấy phép", en: "licence_no", value: func(b *models.Business, _ exportNames, _ bool) string { return b.Licence() }},
	{col: colAddress, vi: "Địa chỉ", en: "address", value: func(b *models.Business, _ exportNames, _ bool) string { return b.Address }},
	{col: colWard, vi: "Mã phường xã", en: "ward", value: func(b *models.Business, _ exportNames, _ bool) string { return b.AreaCode }},
	{vi: "Tên phường, xã", en: "ward name", value: func(b *models.Business, n exportNames, _ bool) string { return n.area(b.AreaCode) }},
	{col: colLat, vi: "Vĩ độ", en: "lat", number: true, value: func(b *models.Business, _ exportNames, _ bool) string {
		return strconv.FormatFloat(b.Lat, 'f', -1, 64)
	}},
	{col: colLon, vi: "Kinh độ", en: "lon", number: true, value: func(b *models.Business, _ exportNames, _ bool) string {
		return strconv.FormatFloat(b.Lon, 'f', -1, 64)
	}},
	{col: colOpenedOn, vi: "Ngày hoạt động", en: "opened_on", value: func(b *models.Business, _ exportNames, vi bool) string { return exportDate(b.OpenedOn, vi) }},
	{col: colStatus, vi: "Trạng thái", en: "status", value: func(b *models.Business, _ exportNames, vi bool) string {
		if !vi {
			return b.Status
		}
		return statusVI[b.Status]
	}},
	{col: colPhone, vi: "Điện thoại", en: "phone", value: func(b *models.Business, _ exportNames, _ bool) string { return b.Phone }},
	{col: colOwner, vi: "Chủ cơ sở", en: "owner", value: func(b *models.Business, _ exportNames, _ bool) string { return b.OwnerName }},
	{col: colTaxCode, vi: "Mã số thuế", en: "tax_code", value: func(b *models.Business, _ exportNames, _ bool) string { return b.TaxCode }},
	{col: colSecurity, vi: "Số GCN ANTT", en: "security_cert_no", value: func(b *models.Business, _ exportNames, _ bool) string { return b.SecurityCertNo }},
	{col: colClosedOn, vi: "Ngày ngừng hoạt động", en: "closed_on", value: func(b *models.Business, _ exportNames, vi bool) string { return exportDate(b.ClosedOn, vi) }},
	{vi: "Lần kiểm tra gần nhất", en: "last inspected", value: func(b *models.Business, _ exportNames, vi bool) string { return exportDate(b.LastInspectedOn, vi) }},
}

// statusVI are the words the import reads back as each status (statusWords).
var statusVI = map[string]string{
	models.BusinessActive:    "Đang hoạt động",
	models.BusinessSuspended: "Tạm ngưng hoạt động",
	models.BusinessClosed:    "Đã ngừng hoạt động",
}

// exportDate writes a date as Vietnamese offices do (dd/mm/yyyy) or as ISO, both of which the
// import reads.
func exportDate(d models.Date, vi bool) string {
	switch {
	case d.IsZero():
		return ""
	case vi:
		return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
	}
	return d.String()
}

// Export writes the businesses f matches (f.Limit and f.After are ignored) as a registry file
// in format (ExportCSV or ExportXLSX), with Vietnamese headers and values when vi, and returns
// how many it wrote. The file is built whole before anything is written to w, so that a failed
// read leaves no half file behind an HTTP 200; the download is audited (actor, filter, rows)
// before it is written, so that no file leaves without its audit entry.
func (s *Service) Export(ctx context.Context, actor string, w io.Writer, f models.BusinessFilter, format string, vi bool) (int, error) {
	if format != ExportCSV && format != ExportXLSX {
		return 0, models.Invalid("format", "must be csv or xlsx", "phải là csv hoặc xlsx")
	}
	var all []*models.Business
	f.Limit, f.After, f.NoCount = exportPage, "", true
	for {
		page, _, err := s.store.FindBusinesses(ctx, f)
		if err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
		all = append(all, page...)
		if len(page) < exportPage {
			break
		}
		f.After = page[len(page)-1].ID
	}
	names := exportNames{categories: map[string]models.Category{}, area: func(string) string { return "" }}
	for _, c := range s.catNames {
		names.categories[c.Code] = c
	}
	if snap, err := s.snapshot(ctx); err == nil {
		names.area = func(code string) string {
			if a := snap.Areas.Area(code); a != nil {
				return a.Name
			}
			return ""
		}
	}
	var buf bytes.Buffer
	var err error
	if format == ExportCSV {
		err = writeExportCSV(&buf, all, names, vi)
	} else {
		err = writeExportXLSX(&buf, all, names, vi)
	}
	if err != nil {
		return 0, err
	}
	rec := models.ExportRecord{Format: format, Rows: len(all), Q: f.Q, Category: f.Category, Area: f.Area, Areas: f.Areas, Status: f.Status}
	if err := s.store.AuditExport(ctx, actor, rec); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return len(all), nil
}

func exportHeader(vi bool) []string {
	out := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		out[i] = c.en
		if vi {
			out[i] = c.vi
		}
	}
	return out
}

// writeExportCSV writes UTF-8 with a byte order mark, which tells Excel the file is UTF-8 so
// that Vietnamese reads right when the file is opened with a double click.
func writeExportCSV(w io.Writer, bs []*models.Business, names exportNames, vi bool) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(exportHeader(vi)); err != nil {
		return err
	}
	row := make([]string, len(exportColumns))
	for _, b := range bs {
		for i, c := range exportColumns {
			row[i] = c.value(b, names, vi)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeExportXLSX writes one sheet: a bold, frozen header and a row per business. Codes are
// text cells, so that a licence or tax code keeps its leading zeros; coordinates are numbers.
func writeExportXLSX(w io.Writer, bs []*models.Business, names exportNames, vi bool) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Co so"
	if vi {
		sheet = "Cơ sở"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	for i, c := range exportColumns {
		width := 16.0
		switch c.col {
		case colName, colAddress:
			width = 36
		case colCategory:
			width = 28
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(exportColumns))
	for i, h := range exportHeader(vi) {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for r, b := range bs {
		row := make([]any, len(exportColumns))
		for i, c := range exportColumns {
			v := c.value(b, names, vi)
			if c.number {
				n, _ := strconv.ParseFloat(v, 64)
				row[i] = n
				continue
			}
			row[i] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
