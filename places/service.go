package places

import (
	"context"
	"fmt"
	"io"

	"kiemtra/models"
)

// Legal is the reference the distance check cites.
const Legal = "Nghị định 54/2019/NĐ-CP, Điều 5"

// MaxNearPlaces bounds the places a check lists: the nearest few say enough.
const MaxNearPlaces = 5

// Locator finds the ward a position falls in (the registry's area index).
type Locator interface {
	// Locate returns the code and path of the smallest area containing a point ("" outside).
	Locate(ctx context.Context, lat, lon float64) (code, path string)
}

// Service is the register of places with its area index.
type Service struct {
	Store models.PlaceStore
	Areas Locator
}

// New returns the service.
func New(st models.PlaceStore, areas Locator) *Service { return &Service{Store: st, Areas: areas} }

// Import reads a places file (ReadFile), finds each place's ward from its coordinates and
// stores them all in one transaction, or none: a row outside every ward, or outside the
// caller's jurisdiction (covers, nil for the whole city), is an invalid error naming the row.
// Importing the same file again updates the same places.
func (s *Service) Import(ctx context.Context, actor string, covers func(areaPath string) bool, r io.Reader, name string, maxBytes int64) (*models.PlaceImportReport, error) {
	rows, err := ReadFile(r, name, maxBytes)
	if err != nil {
		return nil, err
	}
	var v models.Validation
	ps := make([]*models.Place, 0, len(rows))
	for i := range rows {
		row := &rows[i]
		code, path := s.Areas.Locate(ctx, row.Place.Lat, row.Place.Lon)
		field := fmt.Sprintf("rows[%d].lat", row.Line)
		switch {
		case code == "":
			v.Add(field, "row %d, column lat: the position %.6f, %.6f is outside every ward", "dòng %d, cột Vĩ độ: vị trí %.6f, %.6f nằm ngoài mọi phường, xã", row.Line, row.Place.Lat, row.Place.Lon)
		case covers != nil && !covers(path):
			v.Add(field, "row %d, column lat: the place is outside your jurisdiction", "dòng %d, cột Vĩ độ: địa điểm nằm ngoài địa bàn của bạn", row.Line)
		}
		if len(v.Problems) >= maxProblems {
			break
		}
		row.Place.AreaCode = code
		ps = append(ps, &row.Place)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	created, updated, err := s.Store.SavePlaces(ctx, actor, ps)
	if err != nil {
		return nil, err
	}
	return &models.PlaceImportReport{Rows: len(ps), Created: created, Updated: updated}, nil
}

// Near returns the places within radiusM of a position, nearest first, at most limit (> 0).
func (s *Service) Near(ctx context.Context, lat, lon, radiusM float64, limit int) ([]models.NearPlace, error) {
	cands, err := s.Store.FindPlaces(ctx, Box(lat, lon, radiusM))
	if err != nil {
		return nil, err
	}
	return Nearest(lat, lon, cands, radiusM, limit), nil
}

// Check returns the distance check of a business: nil when the rule does not apply to its
// category, otherwise the places of the register within DanceHallMinDistanceM.
func (s *Service) Check(ctx context.Context, b *models.Business) (*models.DistanceCheck, error) {
	if !Applies(b.Category) {
		return nil, nil
	}
	near, err := s.Near(ctx, b.Lat, b.Lon, DanceHallMinDistanceM, MaxNearPlaces)
	if err != nil {
		return nil, err
	}
	if near == nil {
		near = []models.NearPlace{}
	}
	return &models.DistanceCheck{RadiusM: DanceHallMinDistanceM, Legal: Legal, Violation: DistanceViolation, Places: near}, nil
}
