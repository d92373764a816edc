package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"math"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/tips"
	"kiemtra/web"
)

// Tips is the tip pipeline.
type Tips interface {
	Create(ctx context.Context, actor string, in tips.Input) (*models.Tip, bool, error)
	// CreateTracked is Create answering the tracking secret of a new tip, once ("" on a retry).
	CreateTracked(ctx context.Context, actor string, in tips.Input) (*models.Tip, string, bool, error)
	// Status answers what the public may know of a tip by its tracking code and secret;
	// not_found alike for a wrong secret and an unknown code.
	Status(ctx context.Context, code, secret string) (*models.TipPublicStatus, error)
	Transition(ctx context.Context, actor, id string, in tips.TransitionInput) (*models.Tip, error)
	Similar(ctx context.Context, id string) ([]*models.Tip, error)
	Merge(ctx context.Context, actor, id, into string, version int) (*models.Tip, error)
	Open(sealed string) (string, error)
	// ReadContact opens a tip's reporter contact and audits the reading (not_found when it has
	// none, conflict when it cannot be opened).
	ReadContact(ctx context.Context, actor, id string) (string, error)
}

// TipStore reads tips.
type TipStore interface {
	FindTipByID(ctx context.Context, id string) (*models.Tip, error)
	FindTips(ctx context.Context, f models.TipFilter) ([]*models.Tip, int, error)
}

// Public tip form limits: a person may send a few tips an hour from one address (an IPv6 /64,
// which one household or phone gets whole); the whole city's form stores at most
// publicTipsPerHourCity an hour, so that a flood from many addresses cannot bury the tip
// officers (the hotline stays open). Both are counted in the database, once for all replicas.
const (
	publicTipsPerHour     = 5
	publicTipsPerHourCity = 300
	publicTipMaxBody      = 32 << 10 // a description of 4000 characters, with room to spare
	// publicTipPhotoMax is the largest photo a tip may carry.
	publicTipPhotoMax = 5 << 20
	// publicTipStatusPerHour is how many status look-ups one address may make in an hour, right
	// or wrong: a secret cannot be guessed at that pace.
	publicTipStatusPerHour = 20
	// publicTipCityKey is the limiter key of the city-wide count.
	publicTipCityKey = "city"
)

func (s *Server) registerTipRoutes(e *gin.Engine, g *gin.RouterGroup) {
	g.POST("/tips", s.createTip)
	g.GET("/tips", s.listTips)
	g.GET("/tips/:id", s.getTip)
	g.POST("/tips/:id/transition", s.transitionTip)
	g.GET("/tips/:id/similar", s.similarTips)
	g.POST("/tips/:id/merge", s.mergeTip)
	g.GET("/tips/:id/photo", s.tipPhoto)
	g.POST("/tips/:id/contact", s.readTipContact)
	g.GET("/tips/:id/timeline", s.tipTimeline)
	e.GET("/tip", s.publicTipForm)
	e.POST("/tip", s.publicTipSubmit)
	e.GET("/tip/status", s.publicTipStatusForm)
	e.POST("/tip/status", s.publicTipStatus)
	// The counts keep the minute only: a stored tip's time must not point at its sender's count.
	s.tipLimiter = s.limits.Window("tip-address", publicTipsPerHour, time.Hour).Coarse(time.Minute)
	s.tipCity = s.limits.Window("tip-city", publicTipsPerHourCity, time.Hour).Coarse(time.Minute)
	s.tipStatusLimiter = s.limits.Window("tip-status", publicTipStatusPerHour, time.Hour).Coarse(time.Minute)
	// A photo and the form's fields; a body without a photo is held to publicTipMaxBody.
	s.bodyLimits["/tip"] = publicTipPhotoMax + publicTipMaxBody
	s.bodyLimits["/tip/status"] = 4 << 10
}

// TipView is a tip as the API shows it. The reporter's contact is never in it: a tip officer
// reads it with POST /tips/{id}/contact, which is audited. HasContact says there is one; for
// tip officers, a contact that cannot be opened (the key was changed) is marked unavailable.
// Task is the inspection task of an urgent tip, in the views of one tip.
type TipView struct {
	*models.Tip
	HasContact                 bool     `json:"has_contact"`
	ReporterContactUnavailable bool     `json:"reporter_contact_unavailable,omitempty"`
	Overdue                    bool     `json:"overdue"`
	Task                       *TipTask `json:"task,omitempty"`
}

func (s *Server) tipView(c *gin.Context, t *models.Tip) *TipView {
	v := &TipView{Tip: t, Overdue: t.Overdue(s.now()), HasContact: t.ReporterContactEnc != ""}
	if p := principal(c); p != nil && p.Role == models.RoleTipOfficer && v.HasContact {
		if _, err := s.tips.Open(t.ReporterContactEnc); err != nil {
			// One unreadable contact must not hide the other tips: the officer sees the tip and
			// that its contact is unavailable; the operators see why.
			loggerFrom(c, s.log).Error("tip contact cannot be opened", "tip", t.ID, "err", err)
			v.ReporterContactUnavailable = true
		}
	}
	return v
}

func (s *Server) tipViews(c *gin.Context, ts []*models.Tip) []*TipView {
	items := make([]*TipView, 0, len(ts))
	for _, t := range ts {
		items = append(items, s.tipView(c, t))
	}
	return items
}

// createTip records a tip. A client that sends its own id may retry: the same body answers 200
// with the stored tip, a different one 409.
func (s *Server) createTip(c *gin.Context) {
	var in tips.Input
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	t, created, err := s.tips.Create(c.Request.Context(), actor(c), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "/api/v1/tips/"+t.ID, s.tipView(c, t))
}

// findVisibleTip loads a tip the caller may see, or not_found.
func (s *Server) findVisibleTip(c *gin.Context, id string) (*models.Tip, error) {
	t, err := s.tipStore.FindTipByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.tipVisible(c, t) {
		return nil, notFoundOutside("tip", "tin báo")
	}
	return t, nil
}

// tipVisible reports whether the caller may see the tip: tip officers and city-wide callers see
// all; a district's planner sees the tips placed in its district.
func (s *Server) tipVisible(c *gin.Context, t *models.Tip) bool {
	p := principal(c)
	return p.Role == models.RoleTipOfficer || p.CityWide() || t.AreaCode != nil && s.visibleArea(c, *t.AreaCode)
}

func (s *Server) listTips(c *gin.Context) {
	f := models.TipFilter{Status: c.Query("status"), Now: s.now()}
	if st := f.Status; st != "" && !models.ValidTipChoice(st, append(append([]string{}, models.TipStatuses...), models.TipMerged)) {
		s.writeError(c, models.Invalid("status", "must be one of %s", "phải là một trong %s", strings.Join(models.TipStatuses, ", ")))
		return
	}
	if err := s.tipListFilter(c, &f); err != nil {
		s.writeError(c, err)
		return
	}
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.writeError(c, models.Invalid("overdue", "must be true or false", "phải là true hoặc false"))
			return
		}
		f.Overdue = b
	}
	if p := principal(c); p.Role != models.RoleTipOfficer && !p.CityWide() {
		f.AreaPath = p.AreaPath
	}
	ts, total, err := s.tipStore.FindTips(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": s.tipViews(c, ts), "total": total})
}

func (s *Server) getTip(c *gin.Context) {
	t, err := s.findVisibleTip(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tipDetail(c, t))
}

func (s *Server) transitionTip(c *gin.Context) {
	var in tips.TransitionInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if in.Version <= 0 {
		s.writeError(c, models.Invalid("version", "is required: send the version you read", "là bắt buộc: gửi phiên bản bạn đã đọc"))
		return
	}
	if _, err := s.findVisibleTip(c, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	t, err := s.tips.Transition(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tipDetail(c, t))
}

// similarTips lists the tips offered for merging with a tip, among those the caller may see.
func (s *Server) similarTips(c *gin.Context) {
	if _, err := s.findVisibleTip(c, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	ts, err := s.tips.Similar(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	visible := ts[:0:0]
	for _, t := range ts {
		if s.tipVisible(c, t) {
			visible = append(visible, t)
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": s.tipViews(c, visible)})
}

func (s *Server) mergeTip(c *gin.Context) {
	var in struct {
		Into    string `json:"into"`
		Version int    `json:"version"`
	}
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if strings.TrimSpace(in.Into) == "" {
		s.writeError(c, models.Invalid("into", "is required: the tip to merge into", "là bắt buộc: tin báo sẽ gộp vào"))
		return
	}
	if _, err := s.findVisibleTip(c, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	// The tip merged into must be one the caller may see: the same answer as for one that
	// does not exist.
	if _, err := s.findVisibleTip(c, in.Into); err != nil {
		if models.IsCode(err, models.ENOTFOUND) {
			err = models.NotFound("into", "tip "+in.Into+" not found", "không tìm thấy tin báo "+in.Into)
		}
		s.writeError(c, err)
		return
	}
	t, err := s.tips.Merge(c.Request.Context(), actor(c), c.Param("id"), in.Into, in.Version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tipView(c, t))
}

var publicTipPage = template.Must(template.ParseFS(web.Templates(), "templates/tip.html"))

// tipFormValues are what the sender typed and chose: the form shows them again after any error.
type tipFormValues struct {
	Description, Place, Contact, Area, Lat, Lon string
}

// tipAreaOption is a commune or ward of today in the form's place select, with a point inside
// it for the map.
type tipAreaOption struct {
	Code, Name string
	Lat, Lon   float64
	Selected   bool
}

// tipReceipt is what the done page shows once: the reference code and the secret to write down.
type tipReceipt struct {
	Code, Secret string
}

// tipPage is the public tip page's data.
type tipPage struct {
	VI       bool
	Lang     string
	Done     string
	Receipt  *tipReceipt
	Problems []string
	Form     tipFormValues
	Areas    []tipAreaOption
	// Bounds are the city's communes' extent as "west,south,east,north" for the pick map.
	Bounds   string
	PhotoMax int
}

// publicTipForm shows the public tip form: no sign-in, nothing to read back.
func (s *Server) publicTipForm(c *gin.Context) {
	s.renderTipPage(c, http.StatusOK, tipPage{})
}

// tipAreas lists today's lowest units (communes, or wards on the old map) for the form's place
// select, by name. A failure only leaves the select out: the form works with the text place.
func (s *Server) tipAreas(c *gin.Context, selected string) ([]tipAreaOption, string) {
	if s.store == nil {
		return nil, ""
	}
	today := models.DateOf(s.now().In(s.location()))
	areas, _, err := s.store.FindAreas(c.Request.Context(), models.AreaFilter{On: today, NoGeometry: true})
	if err != nil {
		loggerFrom(c, s.log).Warn("tip form areas", "err", err)
		return nil, ""
	}
	var out []tipAreaOption
	west, south, east, north := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, a := range areas {
		if a.Level != models.AreaLevelCommune && a.Level != models.AreaLevelWard {
			continue
		}
		name := a.Name
		if a.TypeName != "" && !strings.HasPrefix(name, a.TypeName) {
			name = a.TypeName + " " + name
		}
		out = append(out, tipAreaOption{Code: a.Code, Name: name, Lat: a.Lat, Lon: a.Lon, Selected: a.Code == selected})
		west, east = math.Min(west, a.Lon), math.Max(east, a.Lon)
		south, north = math.Min(south, a.Lat), math.Max(north, a.Lat)
	}
	sort.SliceStable(out, func(i, j int) bool { return models.FoldVietnamese(out[i].Name) < models.FoldVietnamese(out[j].Name) })
	if len(out) == 0 {
		return nil, ""
	}
	// The map adds its own margin; this one only keeps a city of one commune from being a point.
	pad := 0.005
	return out, fmt.Sprintf("%.5f,%.5f,%.5f,%.5f", west-pad, south-pad, east+pad, north+pad)
}

func (s *Server) location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc
}

func (s *Server) renderTipPage(c *gin.Context, status int, page tipPage) {
	page.VI = wantsVietnamese(c)
	page.Lang = pick(page.VI, "en", "vi")
	page.PhotoMax = publicTipPhotoMax >> 20
	if page.Receipt == nil {
		page.Areas, page.Bounds = s.tipAreas(c, page.Form.Area)
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	c.Status(status)
	if err := publicTipPage.Execute(c.Writer, page); err != nil {
		loggerFrom(c, s.log).Warn("tip page", "err", err)
	}
}

// publicTipFields are the public form's names and labels of the fields the pipeline checks.
var publicTipFields = map[string]struct{ name, en, vi string }{
	"description":      {"description", "Description", "Mô tả"},
	"place":            {"place", "Place", "Địa điểm"},
	"reporter_contact": {"contact", "Contact", "Liên hệ"},
	"area_code":        {"area", "Ward or commune", "Phường, xã"},
	"lat":              {"lat", "Position on the map", "Vị trí trên bản đồ"},
	"lon":              {"lon", "Position on the map", "Vị trí trên bản đồ"},
	"photo":            {"photo", "Photo", "Ảnh"},
	"id":               {"id", "ID", "Mã"},
	"website":          {"website", "Website", "Trang web"},
	"parameter":        {"parameter", "A field's name", "Tên một trường"},
}

// publicTipProblems lists an invalid tip's problems as the form's reader sees them: each with
// the label of its field in the page's language.
func publicTipProblems(err error, vi bool) []string {
	e := models.ErrorAs(err)
	if e == nil {
		return nil
	}
	details := e.Details
	if len(details) == 0 && e.Field != "" {
		details = []models.FieldError{{Field: e.Field, Message: e.Message, MessageVI: e.MessageVI}}
	}
	var out []string
	for _, d := range details {
		label := d.Field
		for key, f := range publicTipFields {
			if key == d.Field || f.name == d.Field { // the pipeline's name or the form's
				label = pick(vi, f.en, f.vi)
			}
		}
		out = append(out, label+": "+pick(vi, d.Message, d.MessageVI))
	}
	if len(out) == 0 {
		out = []string{pick(vi, e.Message, e.MessageVI)}
	}
	return out
}

// publicTipError names the public form's JSON fields in an error about the pipeline's input
// (contact, not reporter_contact).
func publicTipError(err error) error {
	return models.RenameFields(err, func(f string) string {
		if pf, ok := publicTipFields[f]; ok {
			return pf.name
		}
		return f
	})
}

// retryAfter sets Retry-After to a wait in whole seconds, at least one.
func retryAfter(c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
}

// publicTipInput is a tip from the public form, as form fields or JSON.
type publicTipInput struct {
	ID          string   `json:"id"` // optional: the sender's UUID, to make a retry safe
	Description string   `json:"description"`
	Place       string   `json:"place"`
	Contact     string   `json:"contact"`
	Area        string   `json:"area"` // a ward or commune of today, from the select
	Lat         *float64 `json:"lat"`  // a position picked on the map
	Lon         *float64 `json:"lon"`
	Website     string   `json:"website"` // a field people do not see: bots fill it
}

// values are the input as the form shows it again.
func (in publicTipInput) values() tipFormValues {
	v := tipFormValues{Description: in.Description, Place: in.Place, Contact: in.Contact, Area: in.Area}
	if in.Lat != nil && in.Lon != nil {
		v.Lat, v.Lon = strconv.FormatFloat(*in.Lat, 'f', 6, 64), strconv.FormatFloat(*in.Lon, 'f', 6, 64)
	}
	return v
}

// readPublicTipForm reads the form's fields; the position is read as typed, and an unreadable
// one is a field error (the map writes numbers; a person without the map leaves it empty).
func readPublicTipForm(c *gin.Context, in *publicTipInput) error {
	in.Description, in.Place, in.Contact, in.Website = c.PostForm("description"), c.PostForm("place"), c.PostForm("contact"), c.PostForm("website")
	in.Area = strings.TrimSpace(c.PostForm("area"))
	lat, lon := strings.TrimSpace(c.PostForm("lat")), strings.TrimSpace(c.PostForm("lon"))
	if lat == "" && lon == "" {
		return nil
	}
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	if err1 != nil || err2 != nil {
		return models.Invalid("lat", "pick the place on the map again", "hãy chọn lại vị trí trên bản đồ")
	}
	in.Lat, in.Lon = &la, &lo
	return nil
}

// publicTipPhoto reads the photo of a multipart form, if one was sent, checked and with its
// metadata removed; it answers the clean bytes and their SHA-256 (the photo's name once stored),
// or nothing. The photo is stored only once the tip is.
func (s *Server) publicTipPhoto(c *gin.Context) ([]byte, string, error) {
	if c.Request.MultipartForm == nil || s.blobs == nil {
		return nil, "", nil
	}
	files := c.Request.MultipartForm.File["photo"]
	if len(files) == 0 || files[0].Size == 0 {
		return nil, "", nil
	}
	if files[0].Size > publicTipPhotoMax {
		e := models.NewError(models.ETOOLARGE, "the photo is larger than 5 MB: send a smaller one", "ảnh lớn hơn 5 MB: hãy gửi ảnh nhỏ hơn")
		e.Field = "photo"
		return nil, "", e
	}
	f, err := files[0].Open()
	if err != nil {
		return nil, "", bodyReadError(err)
	}
	defer f.Close()
	clean, err := s.blobs.Strip(f)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(clean)
	return clean, hex.EncodeToString(sum[:]), nil
}

// publicTipSubmit takes a tip from the public form (form fields, multipart with a photo, or
// JSON), a few an hour per address and a few hundred an hour from the whole city. The answer
// gives a reference code and a secret, once, to read the tip's status at /tip/status.
func (s *Server) publicTipSubmit(c *gin.Context) {
	vi := wantsVietnamese(c)
	jsonBody := strings.HasPrefix(c.GetHeader("Content-Type"), "application/json")
	multipart := false
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt == "multipart/form-data" {
		multipart = true
	}
	var in publicTipInput
	refuse := func(status int, err *models.Error) {
		if jsonBody {
			s.writeError(c, err)
			return
		}
		s.renderTipPage(c, status, tipPage{Problems: []string{pick(vi, err.Message, err.MessageVI)}, Form: in.values()})
	}
	// Only a body with a photo may be large.
	if !multipart {
		if c.Request.ContentLength > publicTipMaxBody {
			s.publicTipError(c, jsonBody, vi, in, models.NewError(models.ETOOLARGE, "request body of %d bytes is over the limit of %d bytes", "nội dung yêu cầu %d byte vượt giới hạn %d byte", c.Request.ContentLength, publicTipMaxBody))
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, publicTipMaxBody)
	}
	ctx := c.Request.Context()
	// Counted on arrival, in one step with the check: parallel requests cannot all pass.
	if _, wait, err := s.tipLimiter.Take(ctx, auth.AddressKey(c.ClientIP())); err != nil {
		s.publicTipError(c, jsonBody, vi, in, err)
		return
	} else if wait > 0 {
		// The body is read all the same, so that the form shows again what was typed.
		if !jsonBody && parsePostForm(c.Request, publicTipMaxBody+publicTipPhotoMax) == nil && checkValues(c.Request.PostForm) == nil {
			_ = readPublicTipForm(c, &in)
		}
		retryAfter(c, wait)
		refuse(http.StatusTooManyRequests, models.NewError(models.ERATELIMITED, "too many tips from this address: try again in an hour, or call the hotline", "đã gửi quá nhiều tin báo từ địa chỉ này: hãy thử lại sau một giờ hoặc gọi đường dây nóng"))
		return
	}
	var err error
	if jsonBody {
		err = bindJSON(c, &in)
	} else if err = parsePostForm(c.Request, publicTipMaxBody+publicTipPhotoMax); err != nil {
		err = bodyReadError(err)
	} else if err = checkValues(c.Request.PostForm); err == nil {
		err = readPublicTipForm(c, &in)
	}
	if err != nil {
		s.publicTipError(c, jsonBody, vi, in, err)
		return
	}
	if in.Website != "" {
		// A bot: answer as if received, with a code and secret that open nothing; store nothing.
		code, _ := tips.NewTrackingCode()
		secret, _ := tips.NewTrackingSecret()
		s.publicTipDone(c, jsonBody, vi, code, secret)
		return
	}
	city, wait, err := s.tipCity.Take(ctx, publicTipCityKey)
	if err != nil {
		s.publicTipError(c, jsonBody, vi, in, err)
		return
	}
	if wait > 0 {
		retryAfter(c, wait)
		refuse(http.StatusTooManyRequests, models.NewError(models.ERATELIMITED, "the tip form is receiving too many tips right now: try again later, or call the hotline", "biểu mẫu đang nhận quá nhiều tin báo: hãy thử lại sau hoặc gọi đường dây nóng"))
		return
	}
	photo, photoSHA, err := s.publicTipPhoto(c)
	var t *models.Tip
	var secret string
	created := false
	if err == nil {
		// The actor is "public", not the address: received_by and the audit trail are read by
		// officers, and the form promises its senders anonymity.
		t, secret, created, err = s.tips.CreateTracked(ctx, "public", tips.Input{ID: in.ID, Channel: "web", Description: in.Description,
			Place: in.Place, ReporterContact: in.Contact, AreaCode: in.Area, Lat: in.Lat, Lon: in.Lon, PhotoSHA256: photoSHA})
	}
	if err == nil && created && photo != nil {
		// Stored after the tip, so that a refused tip leaves no photo behind; the bytes were
		// checked already, and only the disk can fail here: the tip is kept, its photo is not.
		if _, perr := s.blobs.Put(bytes.NewReader(photo)); perr != nil {
			loggerFrom(c, s.log).Error("tip photo not stored", "tip", t.ID, "err", perr)
		}
	}
	if !created {
		// The city's budget counts stored tips only.
		if ferr := s.tipCity.Forgive(ctx, city); ferr != nil && err == nil {
			err = ferr
		}
	}
	if err != nil {
		s.publicTipError(c, jsonBody, vi, in, publicTipError(asTooLarge(err)))
		return
	}
	code := ""
	if t.TrackingCode != nil {
		code = *t.TrackingCode
	}
	s.publicTipDone(c, jsonBody, vi, code, secret)
}

// publicTipError answers a refused or failed tip: as JSON to a JSON sender, and to a person
// on the form as the page again with the reason in plain words and what was typed (never a
// JSON body in a browser).
func (s *Server) publicTipError(c *gin.Context, jsonBody, vi bool, in publicTipInput, err error) {
	if jsonBody || clientGone(c) {
		s.writeError(c, err)
		return
	}
	e := s.classify(err)
	page := tipPage{Form: in.values()}
	switch {
	case e == nil:
		loggerFrom(c, s.log).Error("request failed", "err", err)
		page.Problems = []string{pick(vi,
			"The tip could not be stored because of an error on our side: please try again later, or call the hotline.",
			"Chưa lưu được tin báo do lỗi của hệ thống: xin thử lại sau hoặc gọi đường dây nóng.")}
		s.renderTipPage(c, http.StatusInternalServerError, page)
	case e.Code == models.EUNAVAILABLE:
		loggerFrom(c, s.log).Warn("dependency unavailable", "err", err)
		c.Header("Retry-After", retryAfterSeconds)
		page.Problems = []string{pick(vi, e.Message, e.MessageVI)}
		s.renderTipPage(c, http.StatusServiceUnavailable, page)
	case e.Code == models.EINVALID || e.Field != "":
		page.Problems = publicTipProblems(e, vi)
		s.renderTipPage(c, statusOf(e.Code), page)
	default:
		page.Problems = []string{pick(vi, e.Message, e.MessageVI)}
		s.renderTipPage(c, statusOf(e.Code), page)
	}
}

// parsePostForm reads a form body, URL-encoded or multipart, into r.PostForm (ParseForm alone
// leaves a multipart body unread, and its fields would pass unchecked).
func parsePostForm(r *http.Request, limit int64) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return r.ParseMultipartForm(limit)
	}
	return r.ParseForm()
}

// publicTipDone answers a received tip with its code and secret, shown this once.
func (s *Server) publicTipDone(c *gin.Context, jsonBody, vi bool, code, secret string) {
	msg := pick(vi, "Thank you: your tip was received and will be checked.", "Cảm ơn bạn: tin báo đã được tiếp nhận và sẽ được xác minh.")
	if jsonBody {
		body := gin.H{"status": "received", "message": msg, "code": code}
		if secret != "" {
			body["secret"] = secret
		}
		c.JSON(http.StatusAccepted, body)
		return
	}
	var receipt *tipReceipt
	if code != "" {
		receipt = &tipReceipt{Code: code, Secret: secret}
	}
	s.renderTipPage(c, http.StatusAccepted, tipPage{Done: msg, Receipt: receipt})
}

// tipPhoto sends the photo of a tip to the tip officers (metadata removed when it was stored).
func (s *Server) tipPhoto(c *gin.Context) {
	t, err := s.findVisibleTip(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if t.PhotoSHA256 == "" || s.blobs == nil {
		s.writeError(c, models.NotFound("photo", "the tip has no photo", "tin báo không có ảnh"))
		return
	}
	f, info, err := s.blobs.Open(t.PhotoSHA256)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer f.Close()
	s.sendPhoto(c, f, t.PhotoSHA256, info.ContentType, info.Size)
}
