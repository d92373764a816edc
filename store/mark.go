package store

import (
	"context"
	"fmt"

	"kiemtra/models"
)

// markDemo is the mark (table database_marks) that `kiemtra demo` leaves in the database it
// fills.
const markDemo = "made_by_demo"

// MarkDemoDatabase records that `kiemtra demo` made this database: its users' published demo
// password is accepted only here. Call it in the transaction that loads the demo, so that the
// mark and the demo data stand or fall together.
func (db *DB) MarkDemoDatabase(ctx context.Context, by string) error {
	return translate(db.gdb.WithContext(ctx).Exec("INSERT INTO database_marks (name, value, created_at) VALUES (?, ?, ?)", markDemo, by, db.Now()).Error, "database mark")
}

// IsDemoDatabase reports whether `kiemtra demo` made this database.
func (db *DB) IsDemoDatabase(ctx context.Context) (bool, error) {
	var n int64
	if err := db.gdb.WithContext(ctx).Raw("SELECT COUNT(*) FROM database_marks WHERE name = ?", markDemo).Scan(&n).Error; err != nil {
		return false, translate(err, "database mark")
	}
	return n > 0, nil
}

// markDemoDay is the mark of the day a demo database was made on: its history ends the day
// before.
const markDemoDay = "demo_made_on"

// MarkDemoDay records the day the demo's history was made for, in the loading transaction.
func (db *DB) MarkDemoDay(ctx context.Context, day models.Date) error {
	return translate(db.gdb.WithContext(ctx).Exec("INSERT INTO database_marks (name, value, created_at) VALUES (?, ?, ?)", markDemoDay, day.String(), db.Now()).Error, "database mark")
}

// DemoDay returns the day the demo database was made on, and false for a demo made before the
// day was recorded.
func (db *DB) DemoDay(ctx context.Context) (models.Date, bool, error) {
	var values []string
	if err := db.gdb.WithContext(ctx).Raw("SELECT value FROM database_marks WHERE name = ?", markDemoDay).Scan(&values).Error; err != nil {
		return models.Date{}, false, translate(err, "database mark")
	}
	if len(values) == 0 {
		return models.Date{}, false, nil
	}
	d, err := models.ParseDate(values[0])
	if err != nil {
		return models.Date{}, false, fmt.Errorf("database mark %s: %w", markDemoDay, err)
	}
	return d, true, nil
}
