package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kiemtra/models"
)

var _ models.LineageStore = (*DB)(nil)

// FindAreaLineage implements models.LineageStore.
func (db *DB) FindAreaLineage(ctx context.Context) ([]models.AreaLineage, error) {
	var out []models.AreaLineage
	if err := db.gdb.WithContext(ctx).Order("area_code, source_code, reorganisation_id").Find(&out).Error; err != nil {
		return nil, translate(err, "area")
	}
	return out, nil
}

// AppliedReorganisationDates lists the effective dates of the reorganisations applied, without
// reading their specs (a province's polygons).
func (db *DB) AppliedReorganisationDates(ctx context.Context) ([]models.Date, error) {
	var out []models.Date
	if err := db.gdb.WithContext(ctx).Model(&models.Reorganisation{}).Where("status = ?", models.ReorgApplied).
		Order("effective_on").Pluck("effective_on", &out).Error; err != nil {
		return nil, translate(err, "reorganisation")
	}
	return out, nil
}

// lineageRows are the lineage records of a reorganisation: each new unit (its version id from
// made, official code -> version id; nil: the versions that start on the date) with each of
// its sources as the spec names them. A source is the version in force the day before with
// that official code, or the code itself for a unit the database never held.
func lineageRows(spec models.ReorgSpec, reorgID string, areas []*models.Area, made map[string]string) []models.AreaLineage {
	before := spec.EffectiveOn.AddDays(-1)
	old := map[string]string{}
	versions := map[string]bool{}
	derived := made == nil
	if derived {
		made = map[string]string{}
	}
	for _, a := range areas {
		if a.ValidOn(before) {
			old[a.OfficialCode()] = a.Code
			versions[a.Code] = true
		}
		if derived && a.ValidFrom == spec.EffectiveOn {
			made[a.OfficialCode()] = a.Code
		}
	}
	seen := map[[2]string]bool{}
	var out []models.AreaLineage
	for _, u := range spec.Units {
		area := made[strings.TrimSpace(u.Code)]
		if area == "" {
			continue
		}
		for _, s := range u.From {
			code := strings.TrimSpace(s.Code)
			src := old[code]
			if src == "" && versions[code] {
				src = code
			}
			if src == "" {
				src = code // external: the official code as the reorganisation gave it
			}
			if code == "" || seen[[2]string{area, src}] {
				continue
			}
			seen[[2]string{area, src}] = true
			out = append(out, models.AreaLineage{AreaCode: area, SourceCode: src, Part: s.Part, ReorganisationID: reorgID})
		}
	}
	return out
}

// writeLineage stores a reorganisation's lineage records (a record already there is kept).
func (db *DB) writeLineage(tx *gorm.DB, rows []models.AreaLineage) error {
	if len(rows) == 0 {
		return nil
	}
	return translate(tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, db.batchSize()).Error, "area")
}

// specOf reads a stored reorganisation's spec.
func specOf(r *models.Reorganisation) (models.ReorgSpec, error) {
	var spec models.ReorgSpec
	if err := json.Unmarshal([]byte(r.Source), &spec); err != nil {
		return spec, fmt.Errorf("reorganisation %s: stored spec: %w", r.ID, err)
	}
	if spec.EffectiveOn.IsZero() {
		spec.EffectiveOn = r.EffectiveOn
	}
	return spec, nil
}

// backfillLineage writes the lineage of the reorganisations applied without one (before the
// lineage migration, or by a kiemtra stopped between the migration and this step): every
// applied reorganisation has a record, since every new unit has a source.
func (db *DB) backfillLineage(ctx context.Context) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var todo []*models.Reorganisation
		if err := tx.Where("status = ? AND NOT EXISTS (SELECT 1 FROM area_lineage l WHERE l.reorganisation_id = reorganisations.id)", models.ReorgApplied).
			Order("effective_on, id").Find(&todo).Error; err != nil {
			return translate(err, "reorganisation")
		}
		if len(todo) == 0 {
			return nil
		}
		var areas []*models.Area
		if err := tx.Select("code, gso_code, valid_from, valid_to").Find(&areas).Error; err != nil {
			return translate(err, "area")
		}
		for _, r := range todo {
			spec, err := specOf(r)
			if err != nil {
				return err
			}
			if err := db.writeLineage(tx, lineageRows(spec, r.ID, areas, nil)); err != nil {
				return err
			}
		}
		return nil
	})
}
