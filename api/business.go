package api

import (
	"bytes"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/registry"
)

// BusinessPage is one page of a business listing.
type BusinessPage struct {
	Items      []*BusinessItem `json:"items"`
	Total      int             `json:"total"`
	NextCursor *string         `json:"next_cursor"`
}

// BusinessItem is a business in a listing; DistanceM is set in near queries only, so that a
// plain listing does not claim every business is 0 m away.
type BusinessItem struct {
	*models.Business
	DistanceM *float64 `json:"distance_m,omitempty"`
}

// BusinessInput is the body of POST /businesses. ID is optional: a client that sends its own
// UUID can retry the request safely.
type BusinessInput struct {
	ID             string      `json:"id"`
	Name           string      `json:"name"`
	Category       string      `json:"category"`
	LicenceNo      string      `json:"licence_no"`
	SecurityCertNo string      `json:"security_cert_no"`
	TaxCode        string      `json:"tax_code"`
	Address        string      `json:"address"`
	Phone          string      `json:"phone"`
	OwnerName      string      `json:"owner_name"`
	Lat            float64     `json:"lat"`
	Lon            float64     `json:"lon"`
	Status         string      `json:"status"`
	StatusSince    models.Date `json:"status_since"`
	OpenedOn       models.Date `json:"opened_on"`
	ClosedOn       models.Date `json:"closed_on"`
	Notes          string      `json:"notes"`
}

// Business returns the input as a business to validate and store.
func (in BusinessInput) Business() *models.Business {
	b := &models.Business{ID: in.ID, Name: strings.TrimSpace(in.Name), Category: strings.TrimSpace(in.Category),
		SecurityCertNo: strings.TrimSpace(in.SecurityCertNo), TaxCode: strings.TrimSpace(in.TaxCode), Address: strings.TrimSpace(in.Address),
		Phone: strings.TrimSpace(in.Phone), OwnerName: strings.TrimSpace(in.OwnerName), Lat: in.Lat, Lon: in.Lon, Status: in.Status,
		StatusSince: in.StatusSince, OpenedOn: in.OpenedOn, ClosedOn: in.ClosedOn, Notes: in.Notes}
	if l := models.NormaliseLicence(in.LicenceNo); l != "" {
		b.LicenceNo = &l
	}
	if b.Status == "" {
		b.Status = models.BusinessActive
	}
	return b
}

func (s *Server) registerBusinessRoutes(g *gin.RouterGroup) {
	g.GET("/businesses", s.listBusinesses)
	g.POST("/businesses", s.createBusiness)
	g.GET("/businesses/export", s.exportBusinesses)
	g.GET("/businesses/:id", s.getBusiness)
	g.PATCH("/businesses/:id", s.updateBusiness)
}

// BusinessQuery is a parsed business listing request.
type BusinessQuery struct {
	Filter  models.BusinessFilter
	Near    bool
	Lat     float64
	Lon     float64
	RadiusM float64
	Offset  int // for near queries, which are ordered by distance rather than id
}

// MaxNearRadiusM bounds near queries: a city is about 50 km across.
const MaxNearRadiusM = 50000

// ParseBusinessQuery reads and checks the query string of GET /businesses; every problem names
// its parameter.
func ParseBusinessQuery(q func(string) string) (BusinessQuery, error) {
	var out BusinessQuery
	var v models.Validation
	out.Filter = models.BusinessFilter{Q: strings.TrimSpace(q("q")), Category: q("category"), Area: q("area"), Status: q("status")}
	if len([]rune(out.Filter.Q)) > 200 {
		v.Add("q", "is longer than 200 characters", "dài quá 200 ký tự")
	}
	if st := out.Filter.Status; st != "" && st != models.BusinessActive && st != models.BusinessSuspended && st != models.BusinessClosed {
		v.Add("status", "must be active, suspended or closed", "phải là active, suspended hoặc closed")
	}
	out.Filter.Limit = 50
	if l := q("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			v.Add("limit", "must be a whole number from 1 to 500", "phải là số nguyên từ 1 đến 500")
		} else {
			out.Filter.Limit = n
		}
	}
	if near := q("near"); near != "" {
		out.Near = true
		parts := strings.Split(near, ",")
		lat, err1 := parseFinite(parts[0])
		var lon float64
		var err2 error = strconv.ErrSyntax
		if len(parts) == 2 {
			lon, err2 = parseFinite(parts[1])
		}
		if err1 != nil || err2 != nil {
			v.Add("near", "must be lat,lon in decimal degrees, for example 10.0340,105.7880", "phải có dạng vĩ độ,kinh độ, ví dụ 10.0340,105.7880")
		} else if err := models.ValidateLatLon(lat, lon); err != nil {
			e := models.ErrorAs(err)
			v.Add("near", "%s", "%s", e.Message)
			v.Problems[len(v.Problems)-1].MessageVI = e.MessageVI
		}
		out.Lat, out.Lon = lat, lon
		out.RadiusM = 1000
		if r := q("radius_m"); r != "" {
			f, err := parseFinite(r)
			if err != nil || f <= 0 || f > MaxNearRadiusM {
				v.Add("radius_m", "must be a number of metres above 0 and at most 50000", "phải là số mét lớn hơn 0 và không quá 50000")
			} else {
				out.RadiusM = f
			}
		}
	} else if q("radius_m") != "" {
		v.Add("radius_m", "needs near=lat,lon", "cần kèm near=vĩ độ,kinh độ")
	}
	if cur := q("cursor"); cur != "" {
		kind, val, ok := decodeCursor(cur)
		switch {
		case !ok:
			v.Add("cursor", "is not a cursor this server gave out", "không phải con trỏ trang do máy chủ cấp")
		case kind == "o" && out.Near:
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				v.Add("cursor", "is not a cursor this server gave out", "không phải con trỏ trang do máy chủ cấp")
			}
			out.Offset = n
		case kind == "i" && !out.Near:
			out.Filter.After = val
		default:
			v.Add("cursor", "belongs to a different kind of listing", "thuộc về một kiểu danh sách khác")
		}
	}
	return out, v.Err()
}

// parseFinite reads a decimal number; NaN and infinities, which strconv accepts, are not
// positions or distances.
func parseFinite(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		err = strconv.ErrSyntax
	}
	return f, err
}

func encodeCursor(kind, val string) *string {
	s := base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + val))
	return &s
}

func decodeCursor(s string) (kind, val string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", "", false
	}
	kind, val, ok = strings.Cut(string(b), ":")
	return kind, val, ok && (kind == "i" || kind == "o") && val != ""
}

func (s *Server) listBusinesses(c *gin.Context) {
	q, err := ParseBusinessQuery(c.Query)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.scopeToJurisdiction(c, &q.Filter); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	page := BusinessPage{Items: []*BusinessItem{}}
	if q.Near {
		items, total, err := s.registry.NearBusinesses(ctx, q.Filter, q.Lat, q.Lon, q.RadiusM, q.Offset, q.Filter.Limit)
		if err != nil {
			s.writeError(c, unknownArea(err, q.Filter))
			return
		}
		for _, it := range items {
			d := it.DistanceM
			page.Items = append(page.Items, &BusinessItem{Business: it.Business, DistanceM: &d})
		}
		page.Total = total
		if next := q.Offset + len(items); next < total {
			page.NextCursor = encodeCursor("o", strconv.Itoa(next))
		}
		c.JSON(http.StatusOK, page)
		return
	}
	limit := q.Filter.Limit
	q.Filter.Limit = limit + 1 // one more tells whether there is a next page
	bs, total, err := s.store.FindBusinesses(ctx, q.Filter)
	if err != nil {
		s.writeError(c, unknownArea(err, q.Filter))
		return
	}
	if len(bs) > limit {
		bs = bs[:limit]
		page.NextCursor = encodeCursor("i", bs[len(bs)-1].ID)
	}
	for _, b := range bs {
		page.Items = append(page.Items, &BusinessItem{Business: b})
	}
	page.Total = total
	c.JSON(http.StatusOK, page)
}

// exportBusinesses answers the businesses the list's filters match (in the caller's
// jurisdiction) as a CSV or XLSX file in the import's columns, in the caller's language.
func (s *Server) exportBusinesses(c *gin.Context) {
	q, err := ParseBusinessQuery(c.Query)
	if err == nil && q.Near {
		err = models.Invalid("near", "is not a filter of the download", "không dùng được khi tải danh sách")
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.scopeToJurisdiction(c, &q.Filter); err != nil {
		s.writeError(c, err)
		return
	}
	format := c.DefaultQuery("format", registry.ExportXLSX)
	vi := wantsVietnamese(c)
	var buf bytes.Buffer
	if _, err := s.registry.Export(c.Request.Context(), actor(c), &buf, q.Filter, format, vi); err != nil {
		s.writeError(c, unknownArea(err, q.Filter))
		return
	}
	name := "co-so_" + s.today().String() + "." + format
	if !vi {
		name = "registry_" + s.today().String() + "." + format
	}
	c.Header("Cache-Control", "private, no-store")
	writeFile(c, name, format, buf.Bytes())
}

// unknownArea turns "area not found" from a listing's filter into a bad parameter: the listing
// exists, the area code the caller sent does not.
func unknownArea(err error, f models.BusinessFilter) error {
	if e := models.ErrorAs(err); f.Area != "" && e != nil && e.Code == models.ENOTFOUND && e.Field == "area" {
		return models.Invalid("area", "unknown area code %q", "không có khu vực mã %q", f.Area)
	}
	return err
}

func (s *Server) getBusiness(c *gin.Context) {
	b, err := s.findVisibleBusiness(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

// findVisibleBusiness loads a business inside the caller's jurisdiction; others are not found.
func (s *Server) findVisibleBusiness(c *gin.Context, id string) (*models.Business, error) {
	b, err := s.store.FindBusinessByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.visibleArea(c, b.AreaCode) {
		return nil, notFoundOutside("business", "cơ sở")
	}
	return b, nil
}

// scopeToJurisdiction limits a listing to the caller's jurisdiction: no area means the caller's
// own (their team's units, for a cluster team's member); an area outside it is not found.
func (s *Server) scopeToJurisdiction(c *gin.Context, f *models.BusinessFilter) error {
	p := principal(c)
	if p == nil || p.CityWide() {
		return nil
	}
	switch {
	case f.Area == "" && len(p.UnitCodes) > 0:
		f.Areas = p.UnitCodes
	case f.Area == "":
		f.Area = p.AreaCode
	case !s.visibleArea(c, f.Area):
		return models.NotFound("area", "area "+f.Area+" not found", "không tìm thấy khu vực "+f.Area)
	}
	return nil
}

// checkPlaceInJurisdiction refuses a position outside the caller's jurisdiction: a district
// planner registers only its own district's businesses.
func (s *Server) checkPlaceInJurisdiction(c *gin.Context, lat, lon float64) error {
	p := principal(c)
	if p == nil || p.CityWide() {
		return nil
	}
	if _, path := s.registry.Locate(c.Request.Context(), lat, lon); path != "" && !p.Covers(path) {
		return models.Invalid("lat", "the position %.6f, %.6f is outside your jurisdiction", "vị trí %.6f, %.6f nằm ngoài địa bàn của bạn", lat, lon)
	}
	return nil
}

func (s *Server) createBusiness(c *gin.Context) {
	var in BusinessInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.checkPlaceInJurisdiction(c, in.Lat, in.Lon); err != nil {
		s.writeError(c, err)
		return
	}
	b, created, err := s.registry.CreateBusiness(c.Request.Context(), actor(c), in.Business())
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "/api/v1/businesses/"+b.ID, b)
}

func (s *Server) updateBusiness(c *gin.Context) {
	var upd models.BusinessUpdate
	if err := bindJSON(c, &upd); err != nil {
		s.writeError(c, err)
		return
	}
	if upd.Version <= 0 {
		s.writeError(c, models.Invalid("version", "is required: send the version you read, so that nobody's change is overwritten", "là bắt buộc: gửi phiên bản bạn đã đọc để không ghi đè thay đổi của người khác"))
		return
	}
	cur, err := s.findVisibleBusiness(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	lat, lon := cur.Lat, cur.Lon
	if upd.Lat != nil {
		lat = *upd.Lat
	}
	if upd.Lon != nil {
		lon = *upd.Lon
	}
	if err := s.checkPlaceInJurisdiction(c, lat, lon); err != nil {
		s.writeError(c, err)
		return
	}
	b, err := s.registry.UpdateBusiness(c.Request.Context(), actor(c), cur.ID, upd)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}
