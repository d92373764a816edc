package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.PlaceStore = (*DB)(nil)

// SavePlaces stores the places in one transaction, matching stored ones by natural key, and
// audits the import as one entry (a file of a thousand schools is one act of a planner).
func (db *DB) SavePlaces(ctx context.Context, actor string, ps []*models.Place) (created, updated int, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		created, updated = 0, 0
		now := db.Now()
		for _, p := range ps {
			if p.NaturalKey == "" {
				return fmt.Errorf("save place %q: not validated (no natural key)", p.Name)
			}
			var got models.Place
			err := tx.Where("natural_key = ?", p.NaturalKey).Take(&got).Error
			switch {
			case err == nil:
				p.ID, p.CreatedAt, p.UpdatedAt = got.ID, got.CreatedAt, now
				if err := tx.Model(&models.Place{}).Where("id = ?", got.ID).Updates(map[string]any{
					"name": p.Name, "address": p.Address, "lat": p.Lat, "lon": p.Lon, "area_code": p.AreaCode,
					"ref": p.Ref, "source": p.Source, "updated_at": now,
				}).Error; err != nil {
					return translate(err, "place")
				}
				updated++
			case models.IsCode(translate(err, "place"), models.ENOTFOUND):
				if p.ID == "" {
					p.ID = uuid.NewString()
				}
				p.CreatedAt, p.UpdatedAt = now, now
				if err := tx.Create(p).Error; err != nil {
					return translate(err, "place")
				}
				created++
			default:
				return translate(err, "place")
			}
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "import", EntityType: "place", EntityID: "",
			Details: map[string]any{"created": created, "updated": updated}})
	})
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

// FindPlaces returns the places f selects, by kind, then name, then id.
func (db *DB) FindPlaces(ctx context.Context, f models.PlaceFilter) ([]*models.Place, error) {
	q := db.gdb.WithContext(ctx).Model(&models.Place{})
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.MaxLat > f.MinLat {
		q = q.Where("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?", f.MinLat, f.MaxLat, f.MinLon, f.MaxLon)
	}
	var out []*models.Place
	if err := q.Order("kind, name, id").Find(&out).Error; err != nil {
		return nil, translate(err, "place")
	}
	return out, nil
}

// FindPlaceByID returns a place, or not_found.
func (db *DB) FindPlaceByID(ctx context.Context, id string) (*models.Place, error) {
	var p models.Place
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, translate(err, "place")
	}
	return &p, nil
}

// DeletePlace removes a place and audits what it was.
func (db *DB) DeletePlace(ctx context.Context, actor, id string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var p models.Place
		if err := tx.Where("id = ?", id).Take(&p).Error; err != nil {
			return translate(err, "place")
		}
		if err := tx.Delete(&models.Place{}, "id = ?", id).Error; err != nil {
			return translate(err, "place")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "delete", EntityType: "place", EntityID: id,
			Details: map[string]any{"kind": p.Kind, "name": p.Name, "lat": p.Lat, "lon": p.Lon, "area_code": p.AreaCode}})
	})
}

// PlacesVersion is the count and the newest change of the register; with the audit of deletes
// it changes whenever the register does (a delete lowers the count, a save raises the newest
// change).
func (db *DB) PlacesVersion(ctx context.Context) (string, error) {
	var row struct {
		N      int64
		Latest string
	}
	// The newest change as text: the drivers scan a MAX() of timestamps differently.
	if err := db.gdb.WithContext(ctx).Model(&models.Place{}).
		Select("COUNT(*) AS n, COALESCE(CAST(MAX(updated_at) AS TEXT), '') AS latest").Scan(&row).Error; err != nil {
		return "", translate(err, "place")
	}
	return strconv.FormatInt(row.N, 10) + "@" + row.Latest, nil
}
