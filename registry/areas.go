package registry

import (
	"context"
	"io"

	"golang.org/x/text/unicode/norm"

	"kiemtra/geo"
	"kiemtra/models"
)

// MaxAreaImportBytes bounds an area file: a whole province's communes at survey precision.
const MaxAreaImportBytes = 64 << 20

// ImportAreas reads a GeoJSON FeatureCollection of areas, checks every geometry (and overlaps
// between siblings, including siblings already stored) and every parent, and stores the areas in
// one transaction only when nothing is wrong: a half-imported map would misplace businesses.
func (s *Service) ImportAreas(ctx context.Context, actor string, r io.Reader, dryRun bool) (*models.AreaImportReport, error) {
	areas, err := geo.ReadAreasGeoJSON(r, MaxAreaImportBytes)
	if err != nil {
		return nil, err
	}
	for _, a := range areas {
		// Files made on macOS often carry decomposed accents; stored names are NFC so that
		// searches and the ward lookup compare equal.
		a.Name, a.TypeName = norm.NFC.String(a.Name), norm.NFC.String(a.TypeName)
	}
	rep := &models.AreaImportReport{Features: len(areas), Problems: []models.AreaImportProblem{}, DryRun: dryRun}
	stored, _, err := s.store.FindAreas(ctx, models.AreaFilter{})
	if err != nil {
		return nil, err
	}
	known := make(map[string]*models.Area, len(stored)+len(areas))
	for _, a := range stored {
		known[a.Code] = a
	}
	inFile := make(map[string]bool, len(areas))
	for _, a := range areas {
		inFile[a.Code] = true
		if _, ok := known[a.Code]; ok {
			rep.Updated++
		} else {
			rep.Created++
		}
	}
	for _, a := range areas {
		if !validLevel(a.Level) {
			rep.Problems = append(rep.Problems, models.AreaImportProblem{Code: a.Code, Kind: "invalid_property",
				Message: "level must be city, district, ward or another word of letters", MessageVI: "cấp phải là city, district, ward hoặc một từ chỉ gồm chữ cái"})
		}
		if a.ParentCode != nil && !inFile[*a.ParentCode] && known[*a.ParentCode] == nil {
			rep.Problems = append(rep.Problems, models.AreaImportProblem{Code: a.Code, Kind: "invalid_property", Other: *a.ParentCode,
				Message: "parent " + *a.ParentCode + " is neither in the file nor stored", MessageVI: "khu vực cha " + *a.ParentCode + " không có trong tệp và chưa được lưu"})
		}
	}
	// Check the file's areas together with the stored siblings they will sit beside.
	check := append([]*models.Area(nil), areas...)
	for _, a := range stored {
		if !inFile[a.Code] && a.Geometry != "" {
			check = append(check, a)
		}
	}
	for _, p := range geo.ValidateAreaGeometries(check) {
		if inFile[p.Code] || inFile[p.Other] {
			rep.Problems = append(rep.Problems, models.AreaImportProblem{Code: p.Code, Kind: p.Kind, Other: p.Other, Message: p.Message, MessageVI: p.MessageVI})
		}
	}
	if len(rep.Problems) > 0 || dryRun {
		if len(rep.Problems) > 0 {
			rep.Created, rep.Updated = 0, 0
		}
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
