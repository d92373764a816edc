package coverage_test

import (
	"context"
	"os"
	"testing"
	"time"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// bulkCity stores a city with n businesses over four wards and m inspections, with SQL that
// generates the rows in the database (gorm would take minutes for a million).
func bulkCity(b *testing.B, db *store.DB, n, m int) *models.Programme {
	b.Helper()
	ctx := context.Background()
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}
	for _, d := range []string{"D1", "D2"} {
		areas = append(areas, &models.Area{Code: d, ParentCode: ptr("92"), Name: d, Level: models.AreaLevelDistrict})
		for _, w := range []string{"1", "2"} {
			areas = append(areas, &models.Area{Code: d + w, ParentCode: ptr(d), Name: d + w, Level: models.AreaLevelWard})
		}
	}
	if err := db.UpsertAreas(ctx, "bench", areas); err != nil {
		b.Fatal(err)
	}
	g := db.Gorm()
	now := time.Now().UTC()
	if db.Dialect() == store.DialectPostgres {
		must(b, g.Exec(`INSERT INTO businesses (id, name, category, licence_no, lat, lon, area_code, status, opened_on, search_text, created_at, updated_at)
			SELECT 'b' || i, 'Karaoke ' || i, 'karaoke', 'L' || i, 10 + (i % 1000) / 10000.0, 105.7 + (i % 997) / 10000.0,
			       (ARRAY['D11','D12','D21','D22'])[1 + i % 4], CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'active' END,
			       DATE '2015-01-01' + (i % 3000), '', ?, ? FROM generate_series(1, ?) AS i`, now, now, n).Error)
		must(b, g.Exec(`INSERT INTO inspections (id, business_id, started_at, finished_at, outcome, created_at)
			SELECT 'i' || i, 'b' || (1 + (i::bigint * 7919) % ?), TIMESTAMPTZ '2021-01-01' + (i % 1704) * INTERVAL '1 day', TIMESTAMPTZ '2021-01-01' + (i % 1704) * INTERVAL '1 day' + INTERVAL '40 minutes',
			       (ARRAY['compliant','compliant','violation','refused'])[1 + i % 4], ? FROM generate_series(1, ?) AS i`, n, now, m).Error)
		storetest.SetLastInspected(b, db)
		must(b, g.Exec(`ANALYZE`).Error)
	} else {
		must(b, g.Exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO businesses (id, name, category, licence_no, lat, lon, area_code, status, opened_on, search_text, created_at, updated_at)
			SELECT 'b' || i, 'Karaoke ' || i, 'karaoke', 'L' || i, 10 + (i % 1000) / 10000.0, 105.7 + (i % 997) / 10000.0,
			       CASE i % 4 WHEN 0 THEN 'D11' WHEN 1 THEN 'D12' WHEN 2 THEN 'D21' ELSE 'D22' END, CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'active' END,
			       date('2015-01-01', '+' || (i % 3000) || ' days'), '', ?, ? FROM s`, n, now, now).Error)
		must(b, g.Exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO inspections (id, business_id, started_at, finished_at, outcome, created_at)
			SELECT 'i' || i, 'b' || (1 + (i * 7919) % ?), strftime('%Y-%m-%d %H:%M:%S+00:00', '2021-01-01', '+' || (i % 1704) || ' days'),
			       strftime('%Y-%m-%d %H:%M:%S+00:00', '2021-01-01', '+' || (i % 1704) || ' days', '+40 minutes'),
			       CASE i % 4 WHEN 2 THEN 'violation' WHEN 3 THEN 'refused' ELSE 'compliant' END, ? FROM s`, m, n, now).Error)
		storetest.SetLastInspected(b, db)
		must(b, g.Exec(`ANALYZE`).Error)
	}
	return &models.Programme{ID: "p", Code: "P", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31),
		CoverageDeadline: models.NewDate(2025, 12, 31), MinYearlyShare: 0.2, GraceDays: 60}
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCoverage1MInspectionsPostgres measures GET /coverage's computation over 1,000,000
// inspections of 100,000 businesses on PostgreSQL (the aim: under 500 ms).
func BenchmarkCoverage1MInspectionsPostgres(b *testing.B) {
	if os.Getenv(storetest.EnvPostgresURL) == "" {
		b.Skip("needs " + storetest.EnvPostgresURL)
	}
	db := storetest.NewPostgres(b, storetest.Options{})
	prog := bulkCity(b, db, 100_000, 1_000_000)
	benchCoverage(b, db, prog)
}

// BenchmarkCoverage1MInspectionsSQLite is the same on the embedded database.
func BenchmarkCoverage1MInspectionsSQLite(b *testing.B) {
	db := storetest.NewSQLite(b, storetest.Options{})
	prog := bulkCity(b, db, 100_000, 1_000_000)
	benchCoverage(b, db, prog)
}

func benchCoverage(b *testing.B, db *store.DB, prog *models.Programme) {
	svc := coverage.New(db, func() time.Time { return time.Date(2025, 9, 1, 10, 0, 0, 0, loc) }, loc)
	q := models.CoverageQuery{Programme: prog, Year: 2025, Level: models.AreaLevelWard, Area: "92"}
	if err := svc.Resolve(context.Background(), &q); err != nil {
		b.Fatal(err)
	}
	b.Run("coverage", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c, err := svc.Coverage(context.Background(), q)
			if err != nil || c.Total.Inspections == 0 {
				b.Fatal(err, c.Total)
			}
		}
	})
	b.Run("points", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			pts, err := svc.Points(context.Background(), q)
			if err != nil || len(pts) != 100_000 {
				b.Fatal(err, len(pts))
			}
		}
	})
	// A year before a reorganisation that moved every business: each is placed through its
	// move (area_moves), as the 2024 figures are after the 2025 reform.
	g := db.Gorm()
	must(b, g.Exec(`INSERT INTO area_moves (entity_type, entity_id, from_area, to_area, effective_on) SELECT 'business', id, area_code, area_code, '2025-07-01' FROM businesses`).Error)
	must(b, g.Exec(`ANALYZE`).Error)
	before := models.CoverageQuery{Programme: prog, Year: 2024, Level: models.AreaLevelWard, Area: "92"}
	if err := svc.Resolve(context.Background(), &before); err != nil {
		b.Fatal(err)
	}
	b.Run("coverage-before-a-reorganisation", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c, err := svc.Coverage(context.Background(), before)
			if err != nil || c.Total.Inspections == 0 {
				b.Fatal(err, c.Total)
			}
		}
	})
	b.Run("points-before-a-reorganisation", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			pts, err := svc.Points(context.Background(), before)
			if err != nil || len(pts) != 100_000 {
				b.Fatal(err, len(pts))
			}
		}
	})
}
