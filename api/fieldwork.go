package api

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/fieldwork"
	"kiemtra/models"
)

// FieldWork records what teams do from their phones.
type FieldWork interface {
	// Checklist returns a checklist version (0: the one in force) for a category ("" for all);
	// invalid for an unknown category, not_found for an unknown version.
	Checklist(ctx context.Context, category string, version int) (*models.ChecklistVersion, error)
	// ChecklistVersion is the version of the checklist in force.
	ChecklistVersion(ctx context.Context) (int, error)
	ChecklistHistory(ctx context.Context) ([]*models.CatalogueVersion, error)
	// UpdateChecklist saves a category's items as the next version: invalid naming the field,
	// conflict (base_version) when the edit was made on a version no longer in force.
	UpdateChecklist(ctx context.Context, c fieldwork.Caller, category string, e models.ChecklistEdit) (*models.ChecklistVersion, error)
	// Violations returns a version of the violation catalogue (0: the one in force).
	Violations(ctx context.Context, version int) (*models.ViolationCatalogue, error)
	ViolationHistory(ctx context.Context) ([]*models.CatalogueVersion, error)
	// UpdateViolations saves the next version of the violation catalogue; errors as UpdateChecklist.
	UpdateViolations(ctx context.Context, c fieldwork.Caller, e models.ViolationEdit) (*models.ViolationCatalogue, error)
	Checkin(ctx context.Context, c fieldwork.Caller, taskID string, in fieldwork.CheckinInput) (*fieldwork.CheckinResult, bool, error)
	SubmitInspection(ctx context.Context, c fieldwork.Caller, in fieldwork.InspectionInput) (*fieldwork.InspectionView, bool, error)
	Amend(ctx context.Context, c fieldwork.Caller, originalID string, in fieldwork.InspectionInput) (*fieldwork.InspectionView, bool, error)
}

// FieldStore is what the field-work handlers read directly.
type FieldStore interface {
	// EachTeamDayTask calls fn for every task decided for a team's day (those taken back since
	// included), in route order, with its business (the fields a phone shows), when its
	// release was decided, whether it has a check-in, and the business's previous inspection
	// (the latest original result that is not the task's own; nil when none) with its
	// violation codes.
	EachTeamDayTask(ctx context.Context, teamID string, day models.Date,
		fn func(t *models.Task, b *models.Business, decidedAt time.Time, checkedIn bool, last *models.Inspection, codes []string)) error
	// TeamDayVersion is a number that every write changing what the team's day shows moves
	// on (0 before the first): the answer to If-None-Match without reading the day.
	TeamDayVersion(ctx context.Context, teamID string) (int64, error)
	FindBusinessInspections(ctx context.Context, businessID string, since time.Time, limit int) ([]*models.Inspection, error)
	FindInspectionByID(ctx context.Context, id string) (*models.Inspection, error)
	FindFindings(ctx context.Context, inspectionIDs []string) ([]*models.Finding, error)
	FindAmendments(ctx context.Context, id string) ([]*models.Inspection, error)
}

func (s *Server) registerFieldRoutes(g *gin.RouterGroup) {
	g.GET("/me/assignments", gzipped, s.myAssignments)
	g.GET("/checklists", gzipped, s.checklists)
	g.GET("/checklists/versions", s.checklistHistory)
	g.PUT("/checklists/:category", s.updateChecklist)
	g.GET("/violations", gzipped, s.violations)
	g.GET("/violations/versions", s.violationHistory)
	g.PUT("/violations", s.updateViolations)
	g.POST("/tasks/:id/checkin", s.checkin)
	g.POST("/inspections", s.submitInspection)
	g.GET("/inspections/:id", s.getInspection)
	g.POST("/inspections/:id/amendments", s.amendInspection)
	g.POST("/inspections/:id/review", s.reviewInspection)
	g.GET("/businesses/:id/inspections", s.businessInspections)
	g.POST("/sync", s.sync)
	s.bodyLimits[g.BasePath()+"/sync"] = 4 << 20 // a day of queued results
}

func caller(c *gin.Context) fieldwork.Caller {
	p := principal(c)
	return fieldwork.Caller{UserID: p.UserID, Username: p.Username, Role: p.Role, TeamID: p.TeamID}
}

// AssignmentBusiness is what a phone needs to find and recognise a business.
type AssignmentBusiness struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Category       string  `json:"category"`
	Address        string  `json:"address"`
	Lat            float64 `json:"lat"`
	Lon            float64 `json:"lon"`
	LicenceNo      *string `json:"licence_no"`
	SecurityCertNo string  `json:"security_cert_no"`
	TaxCode        string  `json:"tax_code"`
	Phone          string  `json:"phone"`
	OwnerName      string  `json:"owner_name"`
}

// LastInspection summarises a business's previous inspection.
type LastInspection struct {
	Date       models.Date `json:"date"`
	Outcome    string      `json:"outcome"`
	Violations []string    `json:"violations"`
}

// AssignmentItem is one stop of a team's day.
type AssignmentItem struct {
	TaskID           string             `json:"task_id"`
	RouteOrder       int                `json:"route_order"`
	Status           string             `json:"status"`
	Reason           string             `json:"reason"`
	DueDate          models.Date        `json:"due_date"`
	ChecklistVersion int                `json:"checklist_version"`
	CheckedIn        bool               `json:"checked_in"`
	Business         AssignmentBusiness `json:"business"`
	LastInspection   *LastInspection    `json:"last_inspection"`
	Version          int                `json:"version"`
	// DistanceCheck is, for a dance hall only, the register's places within the rule's
	// distance (empty when none), shown under the checklist item it informs.
	DistanceCheck *models.DistanceCheck `json:"distance_check,omitempty"`
}

// Assignments is the answer of GET /me/assignments: the whole day, or, with since, what changed.
type Assignments struct {
	Day       models.Date       `json:"day"`
	TeamID    string            `json:"team_id"`
	Cursor    string            `json:"cursor"`
	Full      bool              `json:"full"` // items is the whole day; otherwise added/updated/withdrawn
	Items     []*AssignmentItem `json:"items"`
	Added     []*AssignmentItem `json:"added"`
	Updated   []*AssignmentItem `json:"updated"`
	Withdrawn []string          `json:"withdrawn"`
}

// syncCursorLag is how far behind the clock a delta cursor stays. A change is stamped when its
// transaction starts and seen when it commits: a cursor at the newest stamp read would skip a
// change stamped just before it that committed just after the read. Changes in the last few
// seconds are therefore sent again on the next request (the phone applies them twice, to no
// effect) rather than lost.
const syncCursorLag = 10 * time.Second

// cursor encodes the day and the latest change seen, so that the next request asks only for
// what changed after it.
func encodeSyncCursor(day models.Date, at time.Time) string {
	return base64.RawURLEncoding.EncodeToString([]byte(day.String() + "|" + strconv.FormatInt(at.UTC().UnixNano(), 10)))
}

func decodeSyncCursor(s string) (models.Date, time.Time, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return models.Date{}, time.Time{}, false
	}
	d, ns, ok := strings.Cut(string(b), "|")
	day, err1 := models.ParseDate(d)
	n, err2 := strconv.ParseInt(ns, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return models.Date{}, time.Time{}, false
	}
	return day, time.Unix(0, n).UTC(), true
}

func (s *Server) myAssignments(c *gin.Context) {
	p := principal(c)
	if p.TeamID == "" {
		s.writeError(c, models.NewError(models.EFORBIDDEN, "you are not a member of a team", "bạn không thuộc tổ công tác nào"))
		return
	}
	ctx := c.Request.Context()
	now := s.now()
	day := models.DateOf(now.In(s.loc))
	var since time.Time
	delta := false
	if cur := c.Query("since"); cur != "" {
		cday, at, ok := decodeSyncCursor(cur)
		if !ok {
			s.writeError(c, models.Invalid("since", "is not a cursor this server gave out", "không phải con trỏ đồng bộ do máy chủ cấp"))
			return
		}
		// A cursor of another day starts the new day afresh.
		delta, since = cday == day, at
	}
	version, err := s.fieldwork.ChecklistVersion(ctx)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The version is read before the day: a write that commits while the day is read makes the
	// next request's ETag differ, where a version read after the day could label content
	// older than it with the newer version, and the phone would keep that content.
	dayVersion, err := s.field.TeamDayVersion(ctx, p.TeamID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The register of places changes the dance halls' hints: its version is part of the day.
	placesVersion := ""
	if s.placeStore != nil {
		if placesVersion, err = s.placeStore.PlacesVersion(ctx); err != nil {
			s.writeError(c, err)
			return
		}
	}
	etag := assignmentsETag(p.TeamID, day, dayVersion, version, s.loc, placesVersion)
	if s.notModified(c, etag) {
		return
	}
	out := Assignments{Day: day, TeamID: p.TeamID, Full: !delta, Items: []*AssignmentItem{}, Added: []*AssignmentItem{}, Updated: []*AssignmentItem{}, Withdrawn: []string{}}
	// Every task decided for the team today, in route order: those still the team's are the
	// day; the others were taken back (cancelled, returned to the pool, given to another team).
	latest := time.Unix(0, 0).UTC()
	err = s.field.EachTeamDayTask(ctx, p.TeamID, day, func(t *models.Task, b *models.Business, decidedAt time.Time, checkedIn bool, last *models.Inspection, codes []string) {
		if t.UpdatedAt.After(latest) {
			latest = t.UpdatedAt
		}
		mine := t.TeamID != nil && *t.TeamID == p.TeamID && t.ReleasedOn == day && t.Status != models.TaskCancelled
		switch {
		case !delta && mine:
			out.Items = append(out.Items, s.assignmentItem(t, b, checkedIn, last, codes, version))
		case !delta, !t.UpdatedAt.After(since):
		case !mine:
			out.Withdrawn = append(out.Withdrawn, t.ID)
		case decidedAt.After(since) && t.Status == models.TaskReleased:
			// Released to the team after the cursor: new to the phone.
			out.Added = append(out.Added, s.assignmentItem(t, b, checkedIn, last, codes, version))
		default:
			out.Updated = append(out.Updated, s.assignmentItem(t, b, checkedIn, last, codes, version))
		}
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.addDistanceChecks(ctx, out.Items, out.Added, out.Updated); err != nil {
		s.writeError(c, err)
		return
	}
	cursor := latest
	if lag := now.Add(-syncCursorLag).UTC(); cursor.After(lag) {
		cursor = lag
	}
	if delta && cursor.Before(since) {
		cursor = since
	}
	out.Cursor = encodeSyncCursor(day, cursor)
	body, err := json.Marshal(out)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// assignmentsETag names what a team's day is, not the bytes of one answer: the cursor in the
// body follows the clock for a few seconds after a change, and a tag of the body changed at
// every request then. The tag is weak because answers under it differ in their cursor (and
// a delta from a full day) while holding the same day; it leaves out the cursor a delta asks
// from, so that a phone asking from its newest cursor with the tag of its last answer gets 304
// whenever nothing changed since that answer.
func assignmentsETag(teamID string, day models.Date, dayVersion int64, checklistVersion int, loc *time.Location, placesVersion string) string {
	sum := sha256.Sum256([]byte("assignments/1|" + teamID + "|" + day.String() + "|" + strconv.FormatInt(dayVersion, 10) + "|" +
		strconv.Itoa(checklistVersion) + "|" + loc.String() + "|" + placesVersion))
	return `W/"` + hex.EncodeToString(sum[:16]) + `"`
}

// assignmentItem is one task as the phone shows it.
func (s *Server) assignmentItem(t *models.Task, b *models.Business, checkedIn bool, last *models.Inspection, codes []string, checklistVersion int) *AssignmentItem {
	item := &AssignmentItem{TaskID: t.ID, RouteOrder: t.RouteOrder, Status: t.Status, Reason: t.Reason, DueDate: t.WindowEnd, Version: t.Version,
		ChecklistVersion: checklistVersion, CheckedIn: checkedIn,
		Business: AssignmentBusiness{ID: b.ID, Name: b.Name, Category: b.Category, Address: b.Address, Lat: b.Lat, Lon: b.Lon,
			LicenceNo: b.LicenceNo, SecurityCertNo: b.SecurityCertNo, TaxCode: b.TaxCode, Phone: b.Phone, OwnerName: b.OwnerName}}
	if last != nil {
		if codes == nil {
			codes = []string{}
		}
		item.LastInspection = &LastInspection{Date: models.DateOf(last.FinishedAt.In(s.loc)), Outcome: last.Outcome, Violations: codes}
	}
	return item
}

// addDistanceChecks gives each dance hall of the day its distance check; the other tasks get
// none, so that the payload stays small.
func (s *Server) addDistanceChecks(ctx context.Context, lists ...[]*AssignmentItem) error {
	if s.places == nil {
		return nil
	}
	for _, items := range lists {
		for _, it := range items {
			b := &models.Business{ID: it.Business.ID, Category: it.Business.Category, Lat: it.Business.Lat, Lon: it.Business.Lon}
			chk, err := s.places.Check(ctx, b)
			if err != nil {
				return err
			}
			it.DistanceCheck = chk
		}
	}
	return nil
}

// writeCacheable answers JSON with a strong ETag of its bytes, or 304 when the client has it
// already.
func (s *Server) writeCacheable(c *gin.Context, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.writeError(c, err)
		return
	}
	sum := sha256.Sum256(body)
	if s.notModified(c, `"`+hex.EncodeToString(sum[:16])+`"`) {
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// notModified sets the caching headers of an answer tagged etag and answers 304 when the
// request's If-None-Match holds the tag; the caller writes the answer when it does not.
func (s *Server) notModified(c *gin.Context, etag string) bool {
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	c.Header("Vary", "Authorization, Accept-Encoding")
	if !etagListed(c.GetHeader("If-None-Match"), etag) {
		return false
	}
	c.Status(http.StatusNotModified)
	return true
}

// etagListed compares tags as If-None-Match does (RFC 9110 13.1.2): weakly, so that W/"x" and
// "x" are the same tag, and * matches any.
func etagListed(header, etag string) bool {
	opaque := strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == opaque {
			return true
		}
	}
	return false
}

func (s *Server) checkin(c *gin.Context) {
	var in fieldwork.CheckinInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	res, created, err := s.fieldwork.Checkin(c.Request.Context(), caller(c), c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "", res)
}

func (s *Server) submitInspection(c *gin.Context) {
	var in fieldwork.InspectionInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	v, created, err := s.fieldwork.SubmitInspection(c.Request.Context(), caller(c), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "/api/v1/inspections/"+v.ID, v)
}

func (s *Server) amendInspection(c *gin.Context) {
	var in fieldwork.InspectionInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	v, created, err := s.fieldwork.Amend(c.Request.Context(), caller(c), c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "", v)
}

// InspectionDetail is a stored result with its findings, photos and corrections.
type InspectionDetail struct {
	*models.Inspection
	Answers    json.RawMessage      `json:"answers"`
	Members    json.RawMessage      `json:"members"`
	Flags      []string             `json:"flags"`
	Findings   []*models.Finding    `json:"findings"`
	Photos     []*models.Photo      `json:"photos"`
	Amendments []*models.Inspection `json:"amendments"`
}

// findVisibleInspection loads an inspection the caller may read: planners and police in whose
// jurisdiction the business is, and the team that made it.
func (s *Server) findVisibleInspection(c *gin.Context, id string) (*models.Inspection, error) {
	ctx := c.Request.Context()
	in, err := s.field.FindInspectionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := principal(c)
	switch p.Role {
	case models.RoleInspector, models.RoleTeamLead:
		if in.TeamID == nil || *in.TeamID != p.TeamID {
			return nil, notFoundOutside("inspection", "kết quả kiểm tra")
		}
	default:
		b, err := s.store.FindBusinessByID(ctx, in.BusinessID)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return nil, err
		}
		if err != nil || !s.visibleArea(c, b.AreaCode) {
			return nil, notFoundOutside("inspection", "kết quả kiểm tra")
		}
	}
	return in, nil
}

func (s *Server) getInspection(c *gin.Context) {
	ctx := c.Request.Context()
	in, err := s.findVisibleInspection(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	d := InspectionDetail{Inspection: in, Answers: rawOr(in.Answers, "[]"), Members: rawOr(in.Members, "[]"), Flags: models.ParseFlags(in.Flags)}
	if d.Findings, err = s.field.FindFindings(ctx, []string{in.ID}); err != nil {
		s.writeError(c, err)
		return
	}
	if d.Photos, err = s.photos.FindPhotos(ctx, in.ID); err != nil {
		s.writeError(c, err)
		return
	}
	if d.Amendments, err = s.field.FindAmendments(ctx, in.ID); err != nil {
		s.writeError(c, err)
		return
	}
	d.Findings, d.Photos, d.Amendments = nonNil(d.Findings), nonNil(d.Photos), nonNil(d.Amendments)
	c.JSON(http.StatusOK, d)
}

func rawOr(s, def string) json.RawMessage {
	if s == "" {
		return json.RawMessage(def)
	}
	return json.RawMessage(s)
}

// HistoryItem is one inspection in a business's history.
type HistoryItem struct {
	*models.Inspection
	Findings []*models.Finding `json:"findings"`
}

func (s *Server) businessInspections(c *gin.Context) {
	ctx := c.Request.Context()
	b, err := s.findVisibleBusiness(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	ins, err := s.field.FindBusinessInspections(ctx, b.ID, time.Time{}, 200)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ids := make([]string, len(ins))
	for i, in := range ins {
		ids[i] = in.ID
	}
	fs, err := s.field.FindFindings(ctx, ids)
	if err != nil {
		s.writeError(c, err)
		return
	}
	byIns := map[string][]*models.Finding{}
	for _, f := range fs {
		byIns[f.InspectionID] = append(byIns[f.InspectionID], f)
	}
	items := make([]HistoryItem, len(ins))
	for i, in := range ins {
		items[i] = HistoryItem{Inspection: in, Findings: nonNil(byIns[in.ID])}
	}
	c.JSON(http.StatusOK, gin.H{"business_id": b.ID, "items": items})
}
