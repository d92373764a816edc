package registry

import (
	"context"
	"io"

	"kiemtra/geo"
	"kiemtra/models"
)

// MaxAreaImportBytes bounds an area file: a whole province's communes at survey precision.
const MaxAreaImportBytes = 64 << 20

// ImportAreas is ImportAreasWith with the file's own naming and no default dates.
func (s *Service) ImportAreas(ctx context.Context, actor string, r io.Reader, dryRun bool) (*models.AreaImportReport, error) {
	return s.ImportAreasWith(ctx, actor, r, models.AreaImportOptions{DryRun: dryRun})
}

// ImportAreasWith reads a GeoJSON FeatureCollection of administrative units in one of the
// namings geo.ReadAreaFile recognises, matches each feature to the unit version it replaces
// or makes (docs/areas.md, "Importing boundaries"), checks every geometry (and overlaps
// between siblings valid at the same time, stored siblings included) and every parent, and
// stores the units in one transaction only when nothing is wrong: a half-imported map would
// misplace businesses. A file that cannot be read at all is an invalid error; problems of its
// units are the report's Problems, and nothing is stored. Warnings (children outside their
// parent, businesses outside their unit) do not stop the import: they say what the new shapes
// leave inconsistent.
func (s *Service) ImportAreasWith(ctx context.Context, actor string, r io.Reader, opts models.AreaImportOptions) (*models.AreaImportReport, error) {
	file, err := geo.ReadAreaFile(r, MaxAreaImportBytes, opts.Mapping)
	if err != nil {
		return nil, err
	}
	if !opts.ValidFrom.IsZero() {
		var v models.Validation
		for _, f := range file.Features {
			if f.Area.ValidFrom.IsZero() && !f.Area.ValidTo.IsZero() && f.Area.ValidTo.Before(opts.ValidFrom) {
				v.Add(f.Field+".properties.valid_to", "valid_to %s is before the start %s", "valid_to %s trước ngày bắt đầu %s", f.Area.ValidTo, opts.ValidFrom)
			}
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
	}
	rep := &models.AreaImportReport{Source: file.Source, Mapping: opts.Mapping.String(), Features: len(file.Features), Units: []models.AreaImportUnit{},
		Problems: []models.AreaImportProblem{}, Warnings: []models.AreaImportProblem{}, DryRun: opts.DryRun}
	stored, _, err := s.store.FindAreas(ctx, models.AreaFilter{})
	if err != nil {
		return nil, err
	}
	res := newAreaResolver(file.Features, stored, s.today(), opts.ValidFrom)
	res.versionIDs = file.Source == models.AreaSourceKiemtra
	res.resolveAll()
	rep.Problems = append(rep.Problems, res.problems...)
	var areas []*models.Area
	featureOf := map[string]string{}
	for i, a := range res.out {
		if a == nil {
			continue
		}
		areas = append(areas, a)
		featureOf[a.Code] = file.Features[i].Field
		rep.Units = append(rep.Units, res.units[i])
		if res.units[i].Action == models.AreaActionUpdated {
			rep.Updated++
		} else {
			rep.Created++
		}
	}
	// Check the file's areas together with the stored siblings they will sit beside.
	check := append([]*models.Area(nil), areas...)
	for _, a := range stored {
		if _, inFile := featureOf[a.Code]; !inFile && a.Geometry != "" {
			check = append(check, a)
		}
	}
	for _, p := range geo.ValidateAreaGeometries(check) {
		feature, inFile := featureOf[p.Code]
		if _, otherInFile := featureOf[p.Other]; inFile || otherInFile {
			rep.Problems = append(rep.Problems, models.AreaImportProblem{Feature: feature, Code: p.Code, Kind: p.Kind, Other: p.Other, Message: p.Message, MessageVI: p.MessageVI})
		}
	}
	if len(rep.Problems) > 0 {
		rep.Created, rep.Updated = 0, 0
		return rep, nil
	}
	if err := s.consistencyWarnings(ctx, rep, areas, stored, featureOf); err != nil {
		return nil, err
	}
	if opts.DryRun {
		return rep, nil
	}
	if err := s.store.UpsertAreas(ctx, actor, areas); err != nil {
		return nil, err
	}
	// Businesses created from now on must be placed in the new areas, not after the next
	// background refresh; the areas are stored either way.
	if err := s.Refresh(ctx); err != nil {
		s.log.Warn("registry index refresh after an area import failed", "err", err)
		s.changed()
	}
	return rep, nil
}

func validLevel(l string) bool {
	if l == "" || len(l) > 40 {
		return false
	}
	for _, r := range l {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return true
}
