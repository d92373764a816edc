package store

import (
	"context"
	"sort"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kiemtra/models"
)

var _ models.AreaStore = (*DB)(nil)

// FindAreaByCode returns the area with the code, or not_found.
func (db *DB) FindAreaByCode(ctx context.Context, code string) (*models.Area, error) {
	var a models.Area
	if err := db.gdb.WithContext(ctx).Where("code = ?", code).Take(&a).Error; err != nil {
		return nil, translate(err, "area")
	}
	return &a, nil
}

// FindAreaOn implements models.AreaStore.
func (db *DB) FindAreaOn(ctx context.Context, code string, day models.Date) (*models.Area, error) {
	if models.IsVersionID(code) || day.IsZero() {
		return db.FindAreaByCode(ctx, code)
	}
	var found []*models.Area
	err := validOn(db.gdb.WithContext(ctx).Where("gso_code = ?", code), day).Order("valid_from DESC").Limit(1).Find(&found).Error
	if err != nil {
		return nil, translate(err, "area")
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return db.FindAreaByCode(ctx, code)
}

// validOn restricts a query of areas to the versions valid on day.
func validOn(q *gorm.DB, day models.Date) *gorm.DB {
	return q.Where("(valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)", day, day)
}

// FindAreas returns matching areas ordered by path, and the total count.
func (db *DB) FindAreas(ctx context.Context, f models.AreaFilter) ([]*models.Area, int, error) {
	q := db.gdb.WithContext(ctx).Model(&models.Area{})
	if !f.On.IsZero() {
		q = validOn(q, f.On)
	}
	if f.Level != "" {
		q = q.Where("level = ?", f.Level)
	}
	if len(f.Codes) > 0 {
		q = q.Where("code IN ?", f.Codes)
	}
	if f.Under != "" {
		root, err := db.FindAreaByCode(ctx, f.Under)
		if err != nil {
			return nil, 0, err
		}
		q = q.Where(`path LIKE ? ESCAPE '\'`, likePrefix(root.Path))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "area")
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit).Offset(f.Offset)
	}
	if f.NoGeometry {
		q = q.Omit("geometry")
	}
	var out []*models.Area
	if err := q.Order("path").Find(&out).Error; err != nil {
		return nil, 0, translate(err, "area")
	}
	return out, int(total), nil
}

// UpsertAreas creates or replaces areas in one transaction. Paths and depths are computed here
// from the parents, so callers only set ParentCode.
func (db *DB) UpsertAreas(ctx context.Context, actor string, areas []*models.Area) error {
	ordered, err := orderByParent(areas)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		paths := map[string]string{}
		now := db.Now()
		var audit []auditEntry
		for _, a := range ordered {
			// Names reach reports and searches: one Unicode form whatever the file used.
			a.Normalise()
			if a.GSOCode == "" {
				a.GSOCode = a.Code
			}
			a.Path = models.AreaPath("", a.Code)
			if a.ParentCode != nil {
				pp, ok := paths[*a.ParentCode]
				if !ok {
					var parent models.Area
					if err := tx.Select("path").Where("code = ?", *a.ParentCode).Take(&parent).Error; err != nil {
						if err == gorm.ErrRecordNotFound {
							return invalidf("parent_code", "area %s: parent %s does not exist", "khu vực %s: khu vực cha %s không tồn tại", a.Code, *a.ParentCode)
						}
						return translate(err, "area")
					}
					pp = parent.Path
				}
				a.Path = models.AreaPath(pp, a.Code)
			}
			a.Depth = countSlashes(a.Path) - 2
			paths[a.Code] = a.Path
			if a.CreatedAt.IsZero() {
				a.CreatedAt = now
			}
			a.UpdatedAt = now
			err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "code"}},
				DoUpdates: clause.AssignmentColumns([]string{"parent_code", "gso_code", "name", "type_name", "level", "path", "depth", "lat", "lon", "geometry", "valid_from", "valid_to", "updated_at"}),
			}).Create(a).Error
			if err != nil {
				return translate(err, "area")
			}
			audit = append(audit, auditEntry{Action: "upsert", EntityType: "area", EntityID: a.Code, Details: map[string]any{"name": a.Name, "level": a.Level, "parent_code": a.ParentCode}})
		}
		return db.appendAudit(tx, actor, audit...)
	})
}

// orderByParent returns areas with every parent before its children; parents may also be
// already stored, so unknown parents are left for the database to check.
func orderByParent(areas []*models.Area) ([]*models.Area, error) {
	byCode := make(map[string]*models.Area, len(areas))
	for _, a := range areas {
		if a.Code == "" {
			return nil, invalidf("code", "an area has no code", "có khu vực không có mã")
		}
		if _, dup := byCode[a.Code]; dup {
			return nil, invalidf("code", "area code %s appears twice", "mã khu vực %s bị trùng", a.Code)
		}
		byCode[a.Code] = a
	}
	depth := map[string]int{}
	var depthOf func(a *models.Area, seen int) (int, error)
	depthOf = func(a *models.Area, seen int) (int, error) {
		if d, ok := depth[a.Code]; ok {
			return d, nil
		}
		if seen > len(areas) {
			return 0, invalidf("parent_code", "area %s is its own ancestor", "khu vực %s là tổ tiên của chính nó", a.Code)
		}
		d := 0
		if a.ParentCode != nil {
			if p, ok := byCode[*a.ParentCode]; ok {
				pd, err := depthOf(p, seen+1)
				if err != nil {
					return 0, err
				}
				d = pd + 1
			}
		}
		depth[a.Code] = d
		return d, nil
	}
	out := append([]*models.Area(nil), areas...)
	for _, a := range out {
		if _, err := depthOf(a, 0); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return depth[out[i].Code] < depth[out[j].Code] })
	return out, nil
}

func countSlashes(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			n++
		}
	}
	return n
}

// likePrefix returns a LIKE pattern (with backslash escapes) matching strings that start with p.
func likePrefix(p string) string { return escapeLike(p) + "%" }
