package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kiemtra/models"
)

var _ models.ReorgStore = (*DB)(nil)

// CreateReorganisation stores a reorganisation as a draft with the decisions it waits for; the
// same spec (by fingerprint) is stored once: conflict the second time.
func (db *DB) CreateReorganisation(ctx context.Context, actor string, r *models.Reorganisation, items []*models.ReorgItem) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var prev []models.Reorganisation
		if err := tx.Where("fingerprint = ?", r.Fingerprint).Limit(1).Find(&prev).Error; err != nil {
			return translate(err, "reorganisation")
		}
		if len(prev) > 0 {
			return conflictf("this reorganisation was imported already (%s, %s)", "cuộc sắp xếp này đã được nhập (%s, %s)", prev[0].ID, statusVI(prev[0].Status))
		}
		r.CreatedAt, r.Version, r.Status = db.Now(), 1, models.ReorgDraft
		if err := tx.Create(r).Error; err != nil {
			return translate(err, "reorganisation")
		}
		for _, it := range items {
			it.ReorganisationID = r.ID
		}
		if len(items) > 0 {
			if err := tx.CreateInBatches(items, db.batchSize()).Error; err != nil {
				return translate(err, "reorganisation")
			}
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "import", EntityType: "reorganisation", EntityID: r.ID,
			Details: map[string]any{"name": r.Name, "effective_on": r.EffectiveOn, "fingerprint": r.Fingerprint, "decisions": len(items)}})
	})
}

func statusVI(s string) string {
	if s == models.ReorgApplied {
		return "đã áp dụng"
	}
	return "bản nháp"
}

// FindReorganisation implements models.ReorgStore.
func (db *DB) FindReorganisation(ctx context.Context, id string) (*models.Reorganisation, error) {
	var r models.Reorganisation
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, translate(err, "reorganisation")
	}
	return &r, nil
}

// FindReorganisations implements models.ReorgStore.
func (db *DB) FindReorganisations(ctx context.Context) ([]*models.Reorganisation, error) {
	var out []*models.Reorganisation
	if err := db.gdb.WithContext(ctx).Order("created_at DESC, id").Find(&out).Error; err != nil {
		return nil, translate(err, "reorganisation")
	}
	return out, nil
}

// FindReorgItems implements models.ReorgStore.
func (db *DB) FindReorgItems(ctx context.Context, id, kind string) ([]*models.ReorgItem, error) {
	return findReorgItems(db.gdb.WithContext(ctx), id, kind)
}

func findReorgItems(tx *gorm.DB, id, kind string) ([]*models.ReorgItem, error) {
	q := tx.Where("reorganisation_id = ?", id)
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var out []*models.ReorgItem
	if err := q.Order("kind, subject_id").Find(&out).Error; err != nil {
		return nil, translate(err, "reorganisation")
	}
	return out, nil
}

// SettleReorgItem records a decision of a draft reorganisation (the caller checked it against
// the item's candidates): where a business goes, which units a team serves, the jurisdiction of
// a user. The item is created when the draft did not list it yet (a business registered since).
func (db *DB) SettleReorgItem(ctx context.Context, actor string, it *models.ReorgItem) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var r models.Reorganisation
		if err := tx.Where("id = ?", it.ReorganisationID).Take(&r).Error; err != nil {
			return translate(err, "reorganisation")
		}
		if r.Status != models.ReorgDraft {
			return conflictf("the reorganisation was applied already: its decisions cannot change", "cuộc sắp xếp đã được áp dụng: không thể thay đổi các quyết định")
		}
		now := db.Now()
		it.SettledBy, it.SettledAt = actor, &now
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "reorganisation_id"}, {Name: "kind"}, {Name: "subject_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"current", "candidates", "proposed", "settled", "settled_by", "settled_at"})}).Create(it).Error
		if err != nil {
			return translate(err, "reorganisation")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "settle", EntityType: "reorganisation", EntityID: it.ReorganisationID,
			Details: map[string]any{"kind": it.Kind, "subject": it.SubjectID, "settled": it.Settled}})
	})
}

// ReorgState reads what planning a reorganisation needs.
func (db *DB) ReorgState(ctx context.Context) (*models.ReorgState, error) {
	return db.reorgState(db.gdb.WithContext(ctx))
}

func (db *DB) reorgState(tx *gorm.DB) (*models.ReorgState, error) {
	st := &models.ReorgState{}
	if err := tx.Order("path").Find(&st.Areas).Error; err != nil {
		return nil, translate(err, "area")
	}
	var biz []struct {
		ID, AreaCode string
		Lat, Lon     float64
	}
	if err := tx.Table("businesses").Select("id, area_code, lat, lon").Order("id").Scan(&biz).Error; err != nil {
		return nil, translate(err, "business")
	}
	for _, b := range biz {
		st.Businesses = append(st.Businesses, models.ReorgPlace{ID: b.ID, AreaCode: b.AreaCode, Lat: b.Lat, Lon: b.Lon, HasPoint: b.Lat != 0 || b.Lon != 0})
	}
	var tips []struct {
		ID         string
		AreaCode   sql.NullString
		BusinessID sql.NullString
		Lat, Lon   sql.NullFloat64
	}
	if err := tx.Table("tips").Select("id, area_code, business_id, lat, lon").Order("id").Scan(&tips).Error; err != nil {
		return nil, translate(err, "tip")
	}
	for _, t := range tips {
		if !t.AreaCode.Valid {
			continue // a tip nowhere yet has no unit to leave
		}
		st.Tips = append(st.Tips, models.ReorgPlace{ID: t.ID, AreaCode: t.AreaCode.String, BusinessID: t.BusinessID.String,
			Lat: t.Lat.Float64, Lon: t.Lon.Float64, HasPoint: t.Lat.Valid && t.Lon.Valid})
	}
	var teams []*models.Team
	if err := tx.Order("id").Find(&teams).Error; err != nil {
		return nil, translate(err, "team")
	}
	units, err := teamUnits(tx, nil)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		u := units[t.ID]
		if len(u) == 0 {
			u = []string{t.AreaCode}
		}
		st.Teams = append(st.Teams, models.ReorgTeam{ID: t.ID, Name: t.Name, Units: u})
	}
	var users []struct{ ID, Username, AreaCode string }
	if err := tx.Table("users").Select("id, username, area_code").Order("id").Scan(&users).Error; err != nil {
		return nil, translate(err, "user")
	}
	for _, u := range users {
		st.Users = append(st.Users, models.ReorgUser{ID: u.ID, Username: u.Username, AreaCode: u.AreaCode})
	}
	var open int64
	if err := tx.Table("tasks").Where("status IN ?", []string{models.TaskPlanned, models.TaskReleased}).Count(&open).Error; err != nil {
		return nil, translate(err, "task")
	}
	st.OpenTasks = int(open)
	return st, nil
}

// teamUnits reads the units each team serves (of the teams given, all when nil).
func teamUnits(tx *gorm.DB, teamIDs []string) (map[string][]string, error) {
	q := tx.Table("team_areas").Select("team_id, area_code").Order("team_id, area_code")
	if teamIDs != nil {
		q = q.Where("team_id IN ?", teamIDs)
	}
	var rows []struct{ TeamID, AreaCode string }
	if err := q.Scan(&rows).Error; err != nil {
		return nil, translate(err, "team")
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.TeamID] = append(out[r.TeamID], r.AreaCode)
	}
	return out, nil
}

// reorgLockKey serialises applies of reorganisations on PostgreSQL, apart from the other locks.
const reorgLockKey = 0x6b696503

// ApplyReorganisation applies a draft reorganisation in one transaction: plan reads the state
// as it is inside the transaction, with the decisions taken, and returns what to write (or the
// reason it cannot be applied). It writes the new unit versions, ends the old ones the day
// before, moves the businesses and tips (recording each move), records each new unit's sources
// (area_lineage), gives teams and users their new units, and marks the reorganisation applied. A business left in an ended unit, or a count
// that changed, rolls everything back. A reorganisation applied already is a conflict.
func (db *DB) ApplyReorganisation(ctx context.Context, actor, id string,
	plan func(st *models.ReorgState, r *models.Reorganisation, settled []*models.ReorgItem) (*models.ReorgApply, error)) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if db.dialect == DialectPostgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", int32(reorgLockKey)).Error; err != nil {
				return translate(err, "reorganisation")
			}
		}
		var r models.Reorganisation
		if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
			return translate(err, "reorganisation")
		}
		if r.Status == models.ReorgApplied {
			return conflictf("the reorganisation %s was applied already, on %s", "cuộc sắp xếp %s đã được áp dụng ngày %s", r.Name, r.AppliedAt.Format("2006-01-02"))
		}
		st, err := db.reorgState(tx)
		if err != nil {
			return err
		}
		settled, err := findReorgItems(tx, id, "")
		if err != nil {
			return err
		}
		ap, err := plan(st, &r, settled)
		if err != nil {
			return err
		}
		now := db.Now()
		if err := db.writeNewUnits(tx, ap.NewAreas, now); err != nil {
			return err
		}
		end := r.EffectiveOn.AddDays(-1)
		for i := 0; i < len(ap.Ending); i += 500 {
			if err := tx.Model(&models.Area{}).Where("code IN ?", ap.Ending[i:min(i+500, len(ap.Ending))]).
				Updates(map[string]any{"valid_to": end, "updated_at": now}).Error; err != nil {
				return translate(err, "area")
			}
		}
		if err := db.writeMoves(tx, ap.Moves, r.EffectiveOn, id, now); err != nil {
			return err
		}
		// Where each new unit came from, external sources included: a programme's territory
		// follows it.
		spec, err := specOf(&r)
		if err != nil {
			return err
		}
		made := make(map[string]string, len(ap.NewAreas))
		for _, a := range ap.NewAreas {
			made[a.OfficialCode()] = a.Code
		}
		if err := db.writeLineage(tx, lineageRows(spec, id, st.Areas, made)); err != nil {
			return err
		}
		if err := db.writeTeamUnits(tx, ap.TeamUnits, now); err != nil {
			return err
		}
		for _, uid := range sortedKeys(ap.UserAreas) {
			if err := tx.Model(&models.User{}).Where("id = ?", uid).Updates(map[string]any{"area_code": ap.UserAreas[uid], "version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
				return translate(err, "user")
			}
		}
		// The invariants a reader of the figures relies on: nothing stays in an ended unit, and
		// nothing is lost or made twice.
		for _, tbl := range []string{"businesses", "tips"} {
			var left int64
			if err := tx.Table(tbl).Where("area_code IN ?", append(ap.Ending, "")).Count(&left).Error; err != nil {
				return translate(err, "reorganisation")
			}
			if left > 0 {
				return fmt.Errorf("apply reorganisation %s: %d %s left in ended units", id, left, tbl)
			}
		}
		after, err := db.reorgState(tx)
		if err != nil {
			return err
		}
		if len(after.Businesses) != len(st.Businesses) || len(after.Tips) != len(st.Tips) || after.OpenTasks != st.OpenTasks {
			return fmt.Errorf("apply reorganisation %s: counts changed (businesses %d->%d, tips %d->%d, open tasks %d->%d)", id,
				len(st.Businesses), len(after.Businesses), len(st.Tips), len(after.Tips), st.OpenTasks, after.OpenTasks)
		}
		res := tx.Model(&models.Reorganisation{}).Where("id = ? AND status = ?", id, models.ReorgDraft).
			Updates(map[string]any{"status": models.ReorgApplied, "applied_by": actor, "applied_at": now, "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return translate(res.Error, "reorganisation")
		}
		if res.RowsAffected != 1 {
			return conflictf("the reorganisation was applied by someone else meanwhile", "cuộc sắp xếp vừa được người khác áp dụng")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "apply", EntityType: "reorganisation", EntityID: id, Details: map[string]any{
			"effective_on": r.EffectiveOn, "new_units": len(ap.NewAreas), "ended_units": len(ap.Ending), "moves": len(ap.Moves),
			"teams": len(ap.TeamUnits), "users": len(ap.UserAreas)}})
	})
}

// writeNewUnits inserts unit versions under parents already stored (or among them).
func (db *DB) writeNewUnits(tx *gorm.DB, areas []*models.Area, now time.Time) error {
	ordered, err := orderByParent(areas)
	if err != nil {
		return err
	}
	paths := map[string]string{}
	for _, a := range ordered {
		a.Normalise()
		if a.GSOCode == "" {
			a.GSOCode = a.Code
		}
		a.Path = models.AreaPath("", a.Code)
		if a.ParentCode != nil {
			pp, ok := paths[*a.ParentCode]
			if !ok {
				var parent models.Area
				if err := tx.Select("path").Where("code = ?", *a.ParentCode).Take(&parent).Error; err != nil {
					return translate(err, "area")
				}
				pp = parent.Path
			}
			a.Path = models.AreaPath(pp, a.Code)
		}
		a.Depth = countSlashes(a.Path) - 2
		paths[a.Code] = a.Path
		a.CreatedAt, a.UpdatedAt = now, now
	}
	if len(ordered) == 0 {
		return nil
	}
	return translate(tx.CreateInBatches(ordered, db.batchSize()).Error, "area")
}

// writeMoves moves businesses and tips to their new units and records each move.
func (db *DB) writeMoves(tx *gorm.DB, moves []models.ReorgMove, on models.Date, reorgID string, now time.Time) error {
	// One UPDATE per (table, target): a city's moves are a hundred statements, not thousands.
	groups := map[[2]string][]string{}
	rows := make([]*models.AreaMove, 0, len(moves))
	for _, m := range moves {
		groups[[2]string{m.EntityType, m.To}] = append(groups[[2]string{m.EntityType, m.To}], m.EntityID)
		rid := reorgID
		rows = append(rows, &models.AreaMove{EntityType: m.EntityType, EntityID: m.EntityID, FromArea: m.From, ToArea: m.To, EffectiveOn: on, ReorganisationID: &rid})
	}
	keys := make([][2]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		ids := groups[k]
		table, kind, changes := "businesses", "business", map[string]any{"area_code": k[1], "version": gorm.Expr("version + 1"), "updated_at": now}
		if k[0] == "tip" {
			table, kind = "tips", "tip"
		}
		for i := 0; i < len(ids); i += 500 {
			if err := tx.Table(table).Where("id IN ?", ids[i:min(i+500, len(ids))]).Updates(changes).Error; err != nil {
				return translate(err, kind)
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return translate(tx.CreateInBatches(rows, db.batchSize()).Error, "area")
}

// writeTeamUnits gives teams their units: the set, and as the team's own unit the smallest unit
// that holds them all.
func (db *DB) writeTeamUnits(tx *gorm.DB, units map[string][]string, now time.Time) error {
	for _, tid := range sortedKeys(units) {
		set := units[tid]
		home, level, err := homeUnit(tx, set)
		if err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM team_areas WHERE team_id = ?", tid).Error; err != nil {
			return translate(err, "team")
		}
		for _, a := range set {
			if err := tx.Exec("INSERT INTO team_areas (team_id, area_code) VALUES (?, ?)", tid, a).Error; err != nil {
				return translate(err, "team")
			}
		}
		if err := tx.Model(&models.Team{}).Where("id = ?", tid).Updates(map[string]any{"area_code": home, "level": level,
			"version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
			return translate(err, "team")
		}
	}
	return nil
}

// homeUnit is the smallest unit holding every unit of set, and the team level it gives: the
// unit's own level for one unit (city for a root), cluster for several.
func homeUnit(tx *gorm.DB, set []string) (string, string, error) {
	var areas []*models.Area
	if err := tx.Where("code IN ?", set).Find(&areas).Error; err != nil {
		return "", "", translate(err, "area")
	}
	if len(areas) != len(set) || len(set) == 0 {
		return "", "", invalidf("areas", "a team's units must exist", "các đơn vị của tổ phải tồn tại")
	}
	if len(areas) == 1 {
		return areas[0].Code, models.TeamLevelFor(areas[0]), nil
	}
	common := areas[0].Path
	for _, a := range areas[1:] {
		for !strings.HasPrefix(a.Path, common) {
			common = common[:strings.LastIndex(strings.TrimSuffix(common, "/"), "/")+1]
		}
	}
	codes := strings.Split(strings.Trim(common, "/"), "/")
	return codes[len(codes)-1], models.TeamLevelCluster, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
