package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.CatalogueStore = (*DB)(nil)

// checklistRow is a stored checklist version; items is the version's items as JSON.
type checklistRow struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Category  string
	Note      string
	Items     string
	CreatedBy string
	CreatedAt time.Time
}

func (checklistRow) TableName() string { return "checklist_versions" }

// violationRow is a stored violation catalogue version.
type violationRow struct {
	Version    int `gorm:"primaryKey;autoIncrement:false"`
	Note       string
	Violations string
	CreatedBy  string
	CreatedAt  time.Time
}

func (violationRow) TableName() string { return "violation_catalogues" }

// versionAt reads the row of version (the highest for 0) into row.
func versionAt(g *gorm.DB, row any, version int, kind string) error {
	q := g.Order("version DESC")
	if version != 0 {
		q = g.Where("version = ?", version)
	}
	return translate(q.Take(row).Error, kind)
}

// FindChecklistVersion returns a version of the checklist, the current one for 0.
func (db *DB) FindChecklistVersion(ctx context.Context, version int) (*models.ChecklistVersion, error) {
	var r checklistRow
	if err := versionAt(db.gdb.WithContext(ctx), &r, version, "checklist version"); err != nil {
		return nil, err
	}
	v := &models.ChecklistVersion{Checklist: models.Checklist{Version: r.Version}, Category: r.Category, Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Items), &v.Items); err != nil {
		return nil, fmt.Errorf("checklist version %d: %w", r.Version, err)
	}
	return v, nil
}

// CurrentChecklistVersion returns the number of the current checklist version.
func (db *DB) CurrentChecklistVersion(ctx context.Context) (int, error) {
	var n int
	err := db.gdb.WithContext(ctx).Model(&checklistRow{}).Select("COALESCE(MAX(version), 0)").Scan(&n).Error
	return n, translate(err, "checklist version")
}

// FindChecklistVersions returns the checklist's history, newest first.
func (db *DB) FindChecklistVersions(ctx context.Context) ([]*models.CatalogueVersion, error) {
	var rows []checklistRow
	if err := db.gdb.WithContext(ctx).Order("version DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "checklist version")
	}
	out := make([]*models.CatalogueVersion, 0, len(rows))
	for _, r := range rows {
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(r.Items), &items); err != nil {
			return nil, fmt.Errorf("checklist version %d: %w", r.Version, err)
		}
		out = append(out, &models.CatalogueVersion{Version: r.Version, Category: r.Category, Note: r.Note, Count: len(items), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}

// staleVersion is the conflict of a save made on a version that is no longer the current one.
func staleVersion(current int) error {
	e := models.NewError(models.ECONFLICT, "version %d was saved meanwhile: reload and make the change again", "phiên bản %d vừa được lưu: hãy tải lại rồi sửa lại", current)
	e.Field = "base_version"
	return e
}

// createVersion inserts row as version next after checking that next-1 is the current version.
// Two saves on the same version race for the primary key: the loser's insert fails with a
// duplicate, which reads as the same conflict.
func (db *DB) createVersion(ctx context.Context, actor string, model, row any, next int, kind string, audit auditEntry) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var current int
		if err := tx.Model(model).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
			return translate(err, kind)
		}
		if current != next-1 {
			return staleVersion(current)
		}
		if err := tx.Create(row).Error; err != nil {
			if err := translate(err, kind); models.IsCode(err, models.ECONFLICT) {
				return staleVersion(next)
			}
			return translate(err, kind)
		}
		return db.appendAudit(tx, actor, audit)
	})
}

// CreateChecklistVersion stores v as the version after the current one; v.Version must be it.
func (db *DB) CreateChecklistVersion(ctx context.Context, actor string, v *models.ChecklistVersion) error {
	items, err := json.Marshal(v.Items)
	if err != nil {
		return err
	}
	v.CreatedBy, v.CreatedAt = actor, db.Now()
	row := &checklistRow{Version: v.Version, Category: v.Category, Note: v.Note, Items: string(items), CreatedBy: actor, CreatedAt: v.CreatedAt}
	return db.createVersion(ctx, actor, &checklistRow{}, row, v.Version, "checklist version",
		auditEntry{Action: "create", EntityType: "checklist", EntityID: fmt.Sprint(v.Version), Details: map[string]any{"category": v.Category, "items": len(v.Items), "note": v.Note}})
}

// FindViolationCatalogue returns a version of the violation catalogue, the current one for 0.
func (db *DB) FindViolationCatalogue(ctx context.Context, version int) (*models.ViolationCatalogue, error) {
	var r violationRow
	if err := versionAt(db.gdb.WithContext(ctx), &r, version, "violation catalogue"); err != nil {
		return nil, err
	}
	c := &models.ViolationCatalogue{Version: r.Version, Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Violations), &c.Violations); err != nil {
		return nil, fmt.Errorf("violation catalogue %d: %w", r.Version, err)
	}
	return c, nil
}

// FindViolationCatalogues returns the catalogue's history, newest first.
func (db *DB) FindViolationCatalogues(ctx context.Context) ([]*models.CatalogueVersion, error) {
	var rows []violationRow
	if err := db.gdb.WithContext(ctx).Order("version DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "violation catalogue")
	}
	out := make([]*models.CatalogueVersion, 0, len(rows))
	for _, r := range rows {
		var vs []json.RawMessage
		if err := json.Unmarshal([]byte(r.Violations), &vs); err != nil {
			return nil, fmt.Errorf("violation catalogue %d: %w", r.Version, err)
		}
		out = append(out, &models.CatalogueVersion{Version: r.Version, Note: r.Note, Count: len(vs), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}

// CreateViolationCatalogue stores c as the version after the current one; c.Version must be it.
func (db *DB) CreateViolationCatalogue(ctx context.Context, actor string, c *models.ViolationCatalogue) error {
	vs, err := json.Marshal(c.Violations)
	if err != nil {
		return err
	}
	c.CreatedBy, c.CreatedAt = actor, db.Now()
	row := &violationRow{Version: c.Version, Note: c.Note, Violations: string(vs), CreatedBy: actor, CreatedAt: c.CreatedAt}
	return db.createVersion(ctx, actor, &violationRow{}, row, c.Version, "violation catalogue",
		auditEntry{Action: "create", EntityType: "violation_catalogue", EntityID: fmt.Sprint(c.Version), Details: map[string]any{"violations": len(c.Violations), "note": c.Note}})
}
