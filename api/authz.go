package api

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// access says who may call an endpoint.
type access struct {
	public bool     // no sign-in needed
	roles  []string // allowed roles (when not public)
	city   bool     // only users whose jurisdiction is the whole city (the root area)
}

var (
	everyone   = []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead, models.RoleInspector, models.RoleLicensingOfficer, models.RoleTipOfficer, models.RoleViewer, models.RoleReportingOfficer}
	planners   = []string{models.RoleAdmin, models.RolePlanner}
	readers    = []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer}
	adminsOnly = []string{models.RoleAdmin}
	teams      = []string{models.RoleTeamLead, models.RoleInspector}
	tipTakers  = []string{models.RoleTipOfficer, models.RoleAdmin}
	tipReaders = []string{models.RoleTipOfficer, models.RoleAdmin, models.RolePlanner}
	// resultReaders read inspection results (within their jurisdiction or team).
	// sanctionReaders read sanctions and certificates (within their jurisdiction; licensing
	// officers city-wide).
	sanctionReaders = []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead, models.RoleLicensingOfficer}
	// submitters enter indicator figures; indicatorReaders follow them.
	submitters       = []string{models.RoleAdmin, models.RolePlanner, models.RoleReportingOfficer}
	indicatorReaders = []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleReportingOfficer}
	resultReaders    = []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead, models.RoleInspector, models.RoleLicensingOfficer}
)

// policy is the one place that decides which role may call which endpoint. Jurisdiction (which
// district's data) is checked by the handlers against the caller's area, because it depends on
// the record; out-of-jurisdiction records answer 404 so that their existence is not revealed.
// A route missing here is refused for everyone (TestEveryRouteHasAPolicy keeps them in step).
var policy = map[string]access{
	"GET /healthz":              {public: true},
	"GET /readyz":               {public: true},
	"GET /metrics":              {public: true},
	"GET /":                     {public: true},
	"GET /app/*file":            {public: true},
	"GET /dashboard/*file":      {public: true},
	"GET /office/*file":         {public: true},
	"GET /shared/*file":         {public: true},
	"GET /api/v1/reference":     {public: true}, // names of codes, no records
	"GET /static/*file":         {public: true},
	"GET /api/v1/version":       {public: true},
	"GET /api/v1/openapi.yaml":  {public: true},
	"GET /api/v1/measures":      {public: true}, // definitions of the figures, no figures
	"POST /api/v1/auth/login":   {public: true},
	"POST /api/v1/auth/refresh": {public: true},
	"POST /api/v1/auth/logout":  {public: true},
	"GET /api/v1/me":            {roles: everyone},
	"GET /api/v1/stats":         {roles: everyone, city: true}, // the whole city's counts
	"GET /api/v1/areas":         {roles: everyone},
	"GET /api/v1/areas/:code":   {roles: everyone},
	"POST /api/v1/areas/import": {roles: adminsOnly, city: true},
	// Reorganisations change every record's unit: city-wide admins decide, planners read.
	"GET /api/v1/areas/reorganisations":                       {roles: planners, city: true},
	"POST /api/v1/areas/reorganisations":                      {roles: adminsOnly, city: true},
	"GET /api/v1/areas/reorganisations/:id":                   {roles: planners, city: true},
	"GET /api/v1/areas/reorganisations/:id/review":            {roles: planners, city: true},
	"PUT /api/v1/areas/reorganisations/:id/review/:subject":   {roles: adminsOnly, city: true},
	"PUT /api/v1/areas/reorganisations/:id/teams/:subject":    {roles: adminsOnly, city: true},
	"PUT /api/v1/areas/reorganisations/:id/users/:subject":    {roles: adminsOnly, city: true},
	"POST /api/v1/areas/reorganisations/:id/accept-proposals": {roles: adminsOnly, city: true},
	"POST /api/v1/areas/reorganisations/:id/apply":            {roles: adminsOnly, city: true},
	"GET /api/v1/businesses":                                  {roles: everyone},
	"GET /api/v1/businesses/:id":                              {roles: everyone},
	"GET /api/v1/businesses/export":                           {roles: planners},
	"POST /api/v1/businesses":                                 {roles: planners},
	"PATCH /api/v1/businesses/:id":                            {roles: planners},
	// An import may touch any district: city-wide planners only.
	"POST /api/v1/businesses/import":    {roles: planners, city: true},
	"GET /api/v1/programmes":            {roles: readers},
	"POST /api/v1/programmes":           {roles: planners, city: true},
	"GET /api/v1/programmes/:id":        {roles: readers},
	"PATCH /api/v1/programmes/:id":      {roles: planners, city: true},
	"GET /api/v1/programmes/:id/plans":  {roles: readers},
	"POST /api/v1/programmes/:id/plans": {roles: planners, city: true},
	"GET /api/v1/plans/:id":             {roles: readers},
	// The selection and the tasks tell who is inspected next: planners only.
	"GET /api/v1/plans/:id/items": {roles: planners},
	"GET /api/v1/plans/:id/tasks": {roles: planners},

	// Why the plan selects a business (its risk factors): it tells the selection too.
	"GET /api/v1/plans/:id/items/:business_id/risk": {roles: planners},

	"POST /api/v1/plans/:id/draw":    {roles: planners, city: true},
	"POST /api/v1/plans/:id/approve": {roles: planners, city: true},
	"POST /api/v1/plans/:id/reveal":  {roles: planners, city: true},
	"GET /api/v1/plans/:id/verify":   {roles: everyone},
	"GET /api/v1/jobs":               {roles: planners, city: true}, // the runs' results are city-wide
	"POST /api/v1/jobs/:name/run":    {roles: adminsOnly, city: true},
	"GET /api/v1/users":              {roles: adminsOnly},
	"POST /api/v1/users":             {roles: adminsOnly},
	"GET /api/v1/users/:id":          {roles: adminsOnly},
	"PATCH /api/v1/users/:id":        {roles: adminsOnly},
	// Agencies are the whole city's: everyone reads their names, city-wide admins change them.
	"GET /api/v1/agencies":         {roles: everyone},
	"GET /api/v1/agencies/:code":   {roles: everyone},
	"POST /api/v1/agencies":        {roles: adminsOnly, city: true},
	"PATCH /api/v1/agencies/:code": {roles: adminsOnly, city: true},
	"GET /api/v1/teams":            {roles: []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead}},
	"POST /api/v1/teams":           {roles: planners},
	"GET /api/v1/teams/:id":        {roles: []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead, models.RoleInspector}},
	"PATCH /api/v1/teams/:id":      {roles: planners},
	"GET /api/v1/teams/:id/day":    {roles: []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}},
	"POST /api/v1/assignments/run": {roles: planners, city: true}, // every district's teams and the city team's overflow
	// The team lead's desk: the lead sees its own team (findVisibleTeam), planners read any in their jurisdiction.
	"GET /api/v1/teams/:id/week":          {roles: []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}},
	"GET /api/v1/teams/:id/inspections":   {roles: []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}},
	"POST /api/v1/inspections/:id/review": {roles: []string{models.RoleTeamLead}}, // the team's own lead
	// The teams' phones.
	"GET /api/v1/me/assignments": {roles: teams},
	"GET /api/v1/checklists":     {roles: everyone},
	// The checklist and the violation catalogue: everyone reads them, planners keep them.
	"GET /api/v1/checklists/versions":         {roles: everyone},
	"PUT /api/v1/checklists/:category":        {roles: planners},
	"GET /api/v1/violations":                  {roles: everyone},
	"GET /api/v1/violations/versions":         {roles: everyone},
	"PUT /api/v1/violations":                  {roles: planners},
	"POST /api/v1/tasks/:id/checkin":          {roles: teams},
	"POST /api/v1/inspections":                {roles: teams},
	"POST /api/v1/inspections/:id/amendments": {roles: teams},
	"POST /api/v1/inspections/:id/photos":     {roles: teams},
	"PUT /api/v1/inspections/:id/record":      {roles: teams}, // the signatures of the record, by the team that inspected
	"POST /api/v1/sync":                       {roles: teams},
	// Results: the team that made them, planners, and the police in their jurisdiction.
	"GET /api/v1/inspections/:id":               {roles: resultReaders},
	"GET /api/v1/inspections/:id/photos/:photo": {roles: resultReaders},
	"GET /api/v1/inspections/:id/record.pdf":    {roles: resultReaders},
	"GET /api/v1/businesses/:id/inspections":    {roles: resultReaders},
	// Progress against the targets: planners and viewers, within their jurisdiction.
	"GET /api/v1/coverage":          {roles: readers},
	"GET /api/v1/coverage.geojson":  {roles: readers},
	"GET /api/v1/coverage/burndown": {roles: readers},
	// Tips: the officers who take them in; planners follow them in their jurisdiction.
	"POST /api/v1/tips":                {roles: tipTakers},
	"GET /api/v1/tips":                 {roles: tipReaders},
	"GET /api/v1/tips/:id":             {roles: tipReaders},
	"POST /api/v1/tips/:id/transition": {roles: tipReaders},
	"GET /api/v1/tips/:id/similar":     {roles: tipReaders},
	"POST /api/v1/tips/:id/merge":      {roles: tipReaders},
	"GET /api/v1/tips/:id/photo":       {roles: tipTakers},
	// A tip's steps from the audit log; reading the reporter's contact is a tip officer's act of
	// its own, audited.
	"GET /api/v1/tips/:id/timeline": {roles: tipReaders},
	"POST /api/v1/tips/:id/contact": {roles: []string{models.RoleTipOfficer}},
	"GET /tip":                      {public: true},
	"POST /tip":                     {public: true},
	"GET /tip/status":               {public: true},
	"POST /tip/status":              {public: true},
	// Anyone may check that nobody chose a plan's targets; before the reveal only the commitments show.
	"GET /verify/:id":             {public: true},
	"GET /verify/:id/bundle.json": {public: true},
	// Licensing checks: the police officers who issue certificates, city-wide.
	"GET /api/v1/licensing/check":   {roles: []string{models.RoleLicensingOfficer}},
	"GET /api/v1/licensing/lookups": {roles: []string{models.RoleLicensingOfficer, models.RoleAdmin}},
	// Sanctions: planners and admins record the steps, team leads propose from their findings;
	// viewers and the police's licensing officers (city-wide) read.
	"GET /api/v1/sanctions":       {roles: sanctionReaders},
	"POST /api/v1/sanctions":      {roles: []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}},
	"GET /api/v1/sanctions/:id":   {roles: sanctionReaders},
	"PATCH /api/v1/sanctions/:id": {roles: planners},
	// Everyone reads their own notifications and sets their own notification settings;
	// administrators follow the outbox's deliveries.
	"GET /api/v1/me/notifications":           {roles: everyone},
	"POST /api/v1/me/notifications/:id/read": {roles: everyone},
	"GET /api/v1/me/notification-settings":   {roles: everyone},
	"PUT /api/v1/me/notification-settings":   {roles: everyone},
	"GET /api/v1/notifications/outbox":       {roles: adminsOnly},
	// Everyone subscribes their own devices to push.
	"GET /api/v1/push/key":                 {roles: everyone},
	"GET /api/v1/me/push-subscriptions":    {roles: everyone},
	"POST /api/v1/me/push-subscriptions":   {roles: everyone},
	"DELETE /api/v1/me/push-subscriptions": {roles: everyone},
	// A business's security-and-order certificate: who reads sanctions.
	"GET /api/v1/businesses/:id/certificate": {roles: sanctionReaders},
	// Period reports and their archive: planners and viewers, within their jurisdiction.
	"GET /api/v1/reports": {roles: readers},
	// Reporting officers choose the period of the figures they owe from the programme's.
	"GET /api/v1/reports/periods":     {roles: indicatorReaders},
	"GET /api/v1/reports/archive":     {roles: readers},
	"GET /api/v1/reports/archive/:id": {roles: readers},
	// The register of places a dance hall keeps away from: planners keep it in their
	// jurisdiction, viewers read it; a business's distance check reads as the business does.
	"GET /api/v1/places":                        {roles: readers},
	"POST /api/v1/places/import":                {roles: planners},
	"DELETE /api/v1/places/:id":                 {roles: planners},
	"GET /api/v1/businesses/:id/distance-check": {roles: everyone},
	// The programme's indicators: everyone who follows the programme reads the set and the
	// progress; reporting officers and planners submit for the units they own (the service checks
	// which), the lead department's planners review; city-wide planners edit the set.
	"GET /api/v1/programmes/:id/indicators":          {roles: indicatorReaders},
	"PUT /api/v1/programmes/:id/indicators":          {roles: planners, city: true},
	"GET /api/v1/indicators/progress":                {roles: indicatorReaders},
	"GET /api/v1/indicators/report-notes":            {roles: indicatorReaders},
	"PUT /api/v1/indicators/report-notes":            {roles: planners, city: true},
	"GET /api/v1/indicators/owed":                    {roles: indicatorReaders},
	"GET /api/v1/indicators/reminders":               {roles: submitters},
	"POST /api/v1/indicators/:code/submissions":      {roles: submitters},
	"GET /api/v1/indicators/submissions":             {roles: indicatorReaders},
	"GET /api/v1/indicators/submissions/:id":         {roles: indicatorReaders},
	"POST /api/v1/indicators/submissions/:id/accept": {roles: planners, city: true},
	"POST /api/v1/indicators/submissions/:id/return": {roles: planners, city: true},
	"POST /api/v1/indicators/attachments":            {roles: submitters},
	"GET /api/v1/indicators/attachments/:id":         {roles: indicatorReaders},
	// The audit log covers the whole city: city-wide administrators only.
	"GET /api/v1/audit":        {roles: adminsOnly, city: true},
	"GET /api/v1/audit/verify": {roles: adminsOnly, city: true},
}

// authorize refuses a request whose caller may not use the endpoint: 401 without a valid
// sign-in, 403 for a role (or a jurisdiction level) the endpoint does not allow.
func (s *Server) authorize(c *gin.Context) {
	route := c.FullPath()
	if route == "" { // no such route: the 404/405 handlers answer
		c.Next()
		return
	}
	rule, ok := policy[c.Request.Method+" "+route]
	if ok && rule.public {
		c.Next()
		return
	}
	p := principal(c)
	if p == nil {
		s.writeAuthError(c, models.NewError(models.EUNAUTHORIZED, "sign in first: send Authorization: Bearer <access token>", "hãy đăng nhập: gửi Authorization: Bearer <mã truy cập>"))
		return
	}
	if !ok || !allowed(rule.roles, p.Role) {
		en, vi := s.roleName(p.Role)
		e := models.NewError(models.EFORBIDDEN, "your role (%s) may not do this", "vai trò của bạn (%s) không được phép thực hiện thao tác này", en)
		e.MessageVI = fmt.Sprintf("vai trò của bạn (%s) không được phép thực hiện thao tác này", vi)
		s.writeError(c, e)
		return
	}
	if rule.city && !p.CityWide() {
		s.writeError(c, models.NewError(models.EFORBIDDEN, "only users whose jurisdiction is the whole city may do this (yours is %s)", "chỉ người dùng phụ trách toàn thành phố được thực hiện thao tác này (địa bàn của bạn là %s)", p.AreaCode))
		return
	}
	c.Next()
}

func allowed(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

// CityWide reports whether the caller's jurisdiction is the whole tree (a root area).
func (p *Principal) CityWide() bool {
	return strings.Count(p.AreaPath, "/") <= 2 && len(p.UnitPaths) == 0
}

// Covers reports whether an area (by its path) is inside the caller's jurisdiction.
func (p *Principal) Covers(areaPath string) bool {
	if p == nil || areaPath == "" {
		return false
	}
	if len(p.UnitPaths) > 0 {
		for _, u := range p.UnitPaths {
			if strings.HasPrefix(areaPath, u) {
				return true
			}
		}
		return false
	}
	return strings.HasPrefix(areaPath, p.AreaPath)
}

// visibleArea reports whether the caller may see records of the area.
func (s *Server) visibleArea(c *gin.Context, areaCode string) bool {
	p := principal(c)
	if p == nil {
		return false
	}
	if p.CityWide() {
		return true
	}
	path, err := s.areaPath(c, areaCode)
	return err == nil && p.Covers(path)
}

// areaPath finds an area's path, from the registry's in-memory index when it can.
func (s *Server) areaPath(c *gin.Context, code string) (string, error) {
	if s.registry != nil {
		if path := s.registry.AreaPath(c.Request.Context(), code); path != "" {
			return path, nil
		}
	}
	a, err := s.store.FindAreaByCode(c.Request.Context(), code)
	if err != nil {
		return "", err
	}
	return a.Path, nil
}

// notFoundOutside is the answer for a record outside the caller's jurisdiction: the same as for
// one that does not exist.
func notFoundOutside(kind, vi string) error {
	return models.NotFound(kind, kind+" not found", "không tìm thấy "+vi)
}

// roleName is a role as users read it, in English and Vietnamese: its code only when the
// server has no reference tables.
func (s *Server) roleName(role string) (en, vi string) {
	if s.reference != nil {
		if l, ok := s.reference.Labels[models.LabelRole][role]; ok {
			return l.EN, l.VI
		}
	}
	return role, role
}
