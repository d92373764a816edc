package store

import "context"

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
