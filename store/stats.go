package store

import (
	"context"
	"fmt"

	"kiemtra/models"
)

// Count reads the row counts.
func (db *DB) Count(ctx context.Context) (models.Counts, error) {
	var c models.Counts
	g := db.gdb.WithContext(ctx)
	for _, q := range []struct {
		dst   *int64
		table string
		where string
	}{
		{&c.Areas, "areas", ""},
		{&c.AreasWithGeometry, "areas", "geometry <> ''"},
		{&c.Businesses, "businesses", ""},
		{&c.ActiveBusinesses, "businesses", "status = 'active'"},
		{&c.Teams, "teams", ""},
		{&c.Users, "users", ""},
		{&c.AuditEvents, "audit_events", ""},
	} {
		t := g.Table(q.table)
		if q.where != "" {
			t = t.Where(q.where)
		}
		if err := t.Count(q.dst).Error; err != nil {
			return c, fmt.Errorf("count %s: %w", q.table, err)
		}
	}
	return c, nil
}
