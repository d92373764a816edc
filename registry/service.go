package registry

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"kiemtra/geo"
	"kiemtra/models"
)

// Store is what the registry needs from persistence.
type Store interface {
	models.AreaStore
	models.BusinessStore
	BusinessLocations(ctx context.Context) ([]models.BusinessLocation, error)
	RegistryFingerprint(ctx context.Context) (string, error)
	ApplyImport(ctx context.Context, actor string, create, update []*models.Business, summary models.ImportSummary) error
	ReplaceBusiness(ctx context.Context, actor string, b *models.Business) (*models.Business, error)
	// AuditExport records who downloaded which part of the registry.
	AuditExport(ctx context.Context, actor string, r models.ExportRecord) error
}

// Config holds the service's dependencies.
type Config struct {
	Store      Store
	Categories map[string]bool
	// CategoryNames are the categories' Vietnamese and English names (refdata.Categories), so
	// that an import file may give a category by its name; nil: by its code only.
	CategoryNames []models.Category
	Logger        *slog.Logger
	Now           func() time.Time
	Location      *time.Location // the users' calendar, for "today"
	// NewID names an imported business; nil means a random UUID. The demo names its
	// businesses after their licence numbers so that the same demo comes out every time.
	NewID func(b *models.Business) string
}

// Service is the business registry's logic: it keeps the in-memory area and business indexes
// current, derives each business's ward from its coordinates, and imports files.
type Service struct {
	newID      func(b *models.Business) string
	store      Store
	categories map[string]bool
	catLabels  *Categories
	catNames   []models.Category
	log        *slog.Logger
	now        func() time.Time
	loc        *time.Location

	current atomic.Pointer[snapshot]
	buildMu sync.Mutex // one rebuild at a time
	builtFP string     // fingerprint of the data the current indexes were built from
	dirty   chan struct{}
}

// New returns a service; call Refresh (or Run) before serving so that the indexes exist.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, categories: cfg.Categories, catLabels: NewCategories(cfg.Categories, cfg.CategoryNames),
		catNames: cfg.CategoryNames,
		log:      cfg.Logger, now: cfg.Now, loc: cfg.Location, newID: cfg.NewID, dirty: make(chan struct{}, 1)}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	return s
}

func (s *Service) today() models.Date { return models.DateOf(s.now().In(s.loc)) }

// snapshot is one generation of the in-memory indexes; a rebuild makes a new one and publishes it
// in one atomic step, so readers see the old generation or the new one, never a half-built one.
type snapshot struct {
	*geo.Indexes
	wards *wardLookup
}

// Indexes returns the current indexes, building them on first use.
func (s *Service) Indexes(ctx context.Context) (*geo.Indexes, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Indexes, nil
}

func (s *Service) snapshot(ctx context.Context) (*snapshot, error) {
	if snap := s.current.Load(); snap != nil {
		return snap, nil
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s.current.Load(), nil
}

// Refresh rebuilds the indexes when the stored areas or businesses changed since the last
// build. Readers keep using the old indexes until the new ones are complete.
func (s *Service) Refresh(ctx context.Context) error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	fp, err := s.store.RegistryFingerprint(ctx)
	if err != nil {
		return err
	}
	fp += "/" + s.today().String() // areas come into force (and lapse) at midnight
	if fp == s.builtFP && s.current.Load() != nil {
		return nil
	}
	start := time.Now()
	all, _, err := s.store.FindAreas(ctx, models.AreaFilter{})
	if err != nil {
		return err
	}
	// Only the map in force today places businesses: after a reorganisation the old wards stay
	// stored (with their end date) for history, but must not compete with the new ones.
	today := s.today()
	areas := make([]*models.Area, 0, len(all))
	for _, a := range all {
		if a.ValidOn(today) {
			areas = append(areas, a)
		}
	}
	ai, err := geo.NewAreaIndex(areas)
	if err != nil {
		return fmt.Errorf("build area index: %w", err)
	}
	locs, err := s.store.BusinessLocations(ctx)
	if err != nil {
		return err
	}
	pts := make([]geo.Point, len(locs))
	for i, l := range locs {
		pts[i] = geo.Point{ID: l.ID, Lat: l.Lat, Lon: l.Lon}
	}
	s.current.Store(&snapshot{
		Indexes: &geo.Indexes{Areas: ai, Businesses: geo.NewPointIndex(pts), Built: s.now()},
		wards:   newWardLookup(areas),
	})
	s.builtFP = fp
	s.log.Debug("registry indexes rebuilt", "areas", len(areas), "businesses", len(pts), "took", time.Since(start))
	return nil
}

// changed asks the background loop to rebuild soon, after a write on this replica.
func (s *Service) changed() {
	select {
	case s.dirty <- struct{}{}:
	default:
	}
}

// Run keeps the indexes current until ctx ends: at once after a write on this replica, and every
// interval for writes on other replicas.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.dirty:
		}
		if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("registry index refresh failed", "err", err)
		}
	}
}

// locate returns the smallest area containing the point, or an invalid error on field.
func (s *Service) locate(ctx context.Context, lat, lon float64) (*models.Area, error) {
	ix, err := s.Indexes(ctx)
	if err != nil {
		return nil, err
	}
	a := ix.Areas.Locate(lat, lon)
	if a == nil {
		return nil, models.Invalid("lat", "the position %.6f, %.6f is outside every area of the registry", "vị trí %.6f, %.6f nằm ngoài mọi khu vực hành chính của hệ thống", lat, lon)
	}
	return a, nil
}

// CreateBusiness validates b, derives its ward and stores it. When b.ID names a stored
// business, the call is a retry: the same content answers the stored business (created false),
// different content is a conflict. A licence number already registered is a conflict on
// licence_no.
func (s *Service) CreateBusiness(ctx context.Context, actor string, b *models.Business) (*models.Business, bool, error) {
	b.LicenceNo = normaliseLicence(b.LicenceNo)
	// Normalised before the retry check, so that a retry typed in another Unicode form is the
	// same request.
	b.Normalise()
	if b.ID != "" {
		if _, err := uuid.Parse(b.ID); err != nil {
			return nil, false, models.Invalid("id", "must be a UUID", "phải là một UUID")
		}
		if prev, done, err := s.retried(ctx, b); done {
			return prev, false, err
		}
	}
	if err := s.check(ctx, b); err != nil {
		return nil, false, err
	}
	if b.StatusSince.IsZero() {
		b.StatusSince = b.OpenedOn
		if b.Status == models.BusinessClosed {
			b.StatusSince = b.ClosedOn
		}
	}
	if err := s.licenceFree(ctx, b.Licence(), b.ID); err != nil {
		return nil, false, err
	}
	if err := s.store.CreateBusinesses(ctx, actor, []*models.Business{b}); err != nil {
		// Two identical retries at once: the loser answers like a later retry would.
		if b.ID != "" && models.IsCode(err, models.ECONFLICT) {
			if prev, done, rerr := s.retried(ctx, b); done {
				return prev, false, rerr
			}
		}
		return nil, false, err
	}
	s.changed()
	return b, true, nil
}

// retried reports whether b.ID is already stored (done), and then answers the stored business
// when it carries the same input, or a conflict.
func (s *Service) retried(ctx context.Context, b *models.Business) (*models.Business, bool, error) {
	prev, err := s.store.FindBusinessByID(ctx, b.ID)
	switch {
	case models.IsCode(err, models.ENOTFOUND):
		return nil, false, nil
	case err != nil:
		return nil, true, err
	case !sameInput(prev, b):
		return nil, true, models.NewError(models.ECONFLICT, "business %s already exists with different content", "cơ sở %s đã tồn tại với nội dung khác", b.ID)
	}
	return prev, true, nil
}

// licenceFree returns a conflict on licence_no when another business than id holds the licence.
func (s *Service) licenceFree(ctx context.Context, licence, id string) error {
	if licence == "" {
		return nil
	}
	bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{Licences: []string{licence}, Limit: 1, NoCount: true})
	if err != nil {
		return err
	}
	if len(bs) > 0 && bs[0].ID != id {
		e := models.NewError(models.ECONFLICT, "licence number %s is already registered to %q (%s)", "số giấy phép %s đã được đăng ký cho %q (%s)", licence, bs[0].Name, bs[0].ID)
		e.Field = "licence_no"
		return e
	}
	return nil
}

// normaliseLicence returns the stored form of a licence number, nil for none.
func normaliseLicence(l *string) *string {
	if l == nil {
		return nil
	}
	k := LicenceKey(*l)
	if k == "" {
		return nil
	}
	return &k
}

// check validates a business as a user or a file gives it and sets its area from the
// coordinates.
func (s *Service) check(ctx context.Context, b *models.Business) error {
	var v models.Validation
	if err := b.Validate(s.categories); err != nil {
		v.AddError(err)
	}
	today := s.today()
	if b.OpenedOn.After(today) {
		v.Add("opened_on", "is in the future", "là ngày trong tương lai")
	}
	if b.ClosedOn.After(today) {
		v.Add("closed_on", "is in the future", "là ngày trong tương lai")
	}
	if b.Status == models.BusinessClosed && b.ClosedOn.IsZero() {
		b.ClosedOn = today
	}
	if b.Status != models.BusinessClosed && !b.ClosedOn.IsZero() {
		v.Add("closed_on", "is set but the status is not closed", "có giá trị nhưng trạng thái không phải đã đóng cửa")
	}
	// The same formats as an import file's, so that a business typed in cannot hold what a
	// file would be refused for.
	if l := b.Licence(); l != "" && !validLicence(l) {
		v.Add("licence_no", "licence number %q must be 3-40 characters of letters, digits, '/', '-' or '.'",
			"số giấy phép %q phải dài 3-40 ký tự, chỉ gồm chữ, chữ số, '/', '-' hoặc '.'", shorten(l))
	}
	if b.Phone != "" && !validPhone(b.Phone) {
		v.Add("phone", "phone %q must be one number of 8-15 digits, with only spaces, dots, '+', '-' or brackets between them",
			"số điện thoại %q phải là một số có 8-15 chữ số, giữa các số chỉ có dấu cách, '.', '+', '-' hoặc ngoặc", shorten(b.Phone))
	}
	if b.TaxCode != "" && !validTaxCode(b.TaxCode) {
		v.Add("tax_code", "tax code %q must be 10 digits, 10 digits, '-' and 3 digits, or 12 digits",
			"mã số thuế %q phải gồm 10 chữ số, 10 chữ số, dấu '-' và 3 chữ số, hoặc 12 chữ số", shorten(b.TaxCode))
	}
	if len(v.Problems) == 0 {
		a, err := s.locate(ctx, b.Lat, b.Lon)
		if err != nil {
			v.AddError(err)
		} else {
			b.AreaCode = a.Code
		}
	}
	return v.Err()
}

// sameInput reports whether a retried create carries what was stored. Dates the create derives
// (status_since, and closed_on of a closed business) count only when the input gave them.
func sameInput(stored, in *models.Business) bool {
	return stored.Name == in.Name && stored.Category == in.Category && stored.Licence() == in.Licence() &&
		stored.Address == in.Address && stored.Lat == in.Lat && stored.Lon == in.Lon && stored.Phone == in.Phone &&
		stored.OwnerName == in.OwnerName && stored.TaxCode == in.TaxCode && stored.SecurityCertNo == in.SecurityCertNo &&
		stored.OpenedOn == in.OpenedOn && stored.Notes == in.Notes && stored.Status == in.Status &&
		(in.ClosedOn.IsZero() || stored.ClosedOn == in.ClosedOn) && (in.StatusSince.IsZero() || stored.StatusSince == in.StatusSince)
}

// UpdateBusiness validates the result of a partial update, re-derives the ward when the
// coordinates move, and stores it when the version is current.
func (s *Service) UpdateBusiness(ctx context.Context, actor, id string, upd models.BusinessUpdate) (*models.Business, error) {
	cur, err := s.store.FindBusinessByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if upd.Version != cur.Version {
		return nil, models.NewError(models.ECONFLICT, "business %s was changed by someone else (version %d, yours %d): reload it", "cơ sở %s đã được người khác sửa (phiên bản %d, của bạn %d): hãy tải lại", id, cur.Version, upd.Version)
	}
	next := *cur
	next.ApplyUpdate(upd)
	if upd.Status != nil && *upd.Status != cur.Status {
		if *upd.Status != models.BusinessClosed && upd.ClosedOn == nil {
			next.ClosedOn = models.Date{}
		}
		if upd.StatusSince == nil {
			// A business closed on a given day has been closed since that day.
			next.StatusSince = s.today()
			if *upd.Status == models.BusinessClosed && upd.ClosedOn != nil && !upd.ClosedOn.IsZero() {
				next.StatusSince = *upd.ClosedOn
			}
		}
	}
	if err := s.check(ctx, &next); err != nil {
		return nil, err
	}
	if next.Licence() != cur.Licence() {
		if err := s.licenceFree(ctx, next.Licence(), id); err != nil {
			return nil, err
		}
	}
	out, err := s.store.ReplaceBusiness(ctx, actor, &next)
	if err != nil {
		return nil, err
	}
	s.changed()
	return out, nil
}

// NearBusinesses returns the businesses matching f within radiusM of (lat, lon), nearest first.
// The index gives the candidates; the database applies the filters and supplies current
// positions, so a business moved since the last index build is measured where it is now.
func (s *Service) NearBusinesses(ctx context.Context, f models.BusinessFilter, lat, lon, radiusM float64, offset, limit int) ([]*models.NearBusiness, int, error) {
	ix, err := s.Indexes(ctx)
	if err != nil {
		return nil, 0, err
	}
	hits := ix.Businesses.Near(lat, lon, radiusM, 0)
	var matched []*models.NearBusiness
	const chunk = 500
	for i := 0; i < len(hits); i += chunk {
		j := min(i+chunk, len(hits))
		ids := make([]string, 0, j-i)
		for _, h := range hits[i:j] {
			ids = append(ids, h.ID)
		}
		cf := f
		cf.IDs, cf.After, cf.Limit, cf.NoCount = ids, "", 0, true
		bs, _, err := s.store.FindBusinesses(ctx, cf)
		if err != nil {
			return nil, 0, err
		}
		for _, b := range bs {
			d := geo.DistanceM(lat, lon, b.Lat, b.Lon)
			if d <= radiusM {
				matched = append(matched, &models.NearBusiness{Business: b, DistanceM: roundM(d)})
			}
		}
	}
	sort.SliceStable(matched, func(i, j int) bool {
		if matched[i].DistanceM != matched[j].DistanceM {
			return matched[i].DistanceM < matched[j].DistanceM
		}
		return matched[i].ID < matched[j].ID
	})
	total := len(matched)
	if offset > total {
		offset = total
	}
	end := total
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	return matched[offset:end], total, nil
}

func roundM(d float64) float64 { return float64(int64(d*10+0.5)) / 10 }

// AreaPath returns the path of an area in force, from the in-memory index, or "" when the index
// does not know it (the caller then asks the store).
func (s *Service) AreaPath(ctx context.Context, code string) string {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return ""
	}
	if a := snap.Areas.Area(code); a != nil {
		return a.Path
	}
	return ""
}

// Contains reports whether an area in force contains a point.
func (s *Service) Contains(ctx context.Context, areaCode string, lat, lon float64) bool {
	snap, err := s.snapshot(ctx)
	return err == nil && snap.Areas.Contains(areaCode, lat, lon)
}

// Locate returns the code and path of the smallest area in force containing a point.
func (s *Service) Locate(ctx context.Context, lat, lon float64) (code, path string) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return "", ""
	}
	if a := snap.Areas.Locate(lat, lon); a != nil {
		return a.Code, a.Path
	}
	return "", ""
}
