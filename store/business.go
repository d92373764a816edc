package store

import (
	"context"
	"reflect"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.BusinessStore = (*DB)(nil)

// FindBusinessByID returns the business, or not_found.
func (db *DB) FindBusinessByID(ctx context.Context, id string) (*models.Business, error) {
	var b models.Business
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&b).Error; err != nil {
		return nil, translate(err, "business")
	}
	return &b, nil
}

// FindBusinesses returns a page of matching businesses ordered by id, and the total count of
// matches (ignoring the cursor).
func (db *DB) FindBusinesses(ctx context.Context, f models.BusinessFilter) ([]*models.Business, int, error) {
	q := db.gdb.WithContext(ctx).Model(&models.Business{})
	if f.Q != "" {
		for _, word := range strings.Fields(models.FoldVietnamese(f.Q)) {
			q = q.Where(`search_text LIKE ? ESCAPE '\'`, "%"+escapeLike(word)+"%")
		}
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Area != "" {
		root, err := db.FindAreaByCode(ctx, f.Area)
		if err != nil {
			return nil, 0, err
		}
		q = q.Where(`area_code IN (SELECT code FROM areas WHERE path LIKE ? ESCAPE '\')`, likePrefix(root.Path))
	}
	if len(f.Areas) > 0 {
		var conds []string
		var args []any
		for _, code := range f.Areas {
			a, err := db.FindAreaByCode(ctx, code)
			if err != nil {
				return nil, 0, err
			}
			conds = append(conds, `path LIKE ? ESCAPE '\'`)
			args = append(args, likePrefix(a.Path))
		}
		q = q.Where(`area_code IN (SELECT code FROM areas WHERE `+strings.Join(conds, " OR ")+`)`, args...)
	}
	if len(f.IDs) > 0 {
		q = q.Where("id IN ?", f.IDs)
	}
	if f.TaxCode != "" {
		q = q.Where("tax_code = ?", f.TaxCode)
	}
	if len(f.Licences) > 0 {
		q = q.Where("licence_no IN ?", f.Licences)
	}
	var total int64
	if !f.NoCount {
		if err := q.Count(&total).Error; err != nil {
			return nil, 0, translate(err, "business")
		}
	}
	if f.After != "" {
		q = q.Where("id > ?", f.After)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var out []*models.Business
	if err := q.Order("id").Find(&out).Error; err != nil {
		return nil, 0, translate(err, "business")
	}
	if f.NoCount {
		total = int64(len(out))
	}
	return out, int(total), nil
}

// escapeLike neutralises LIKE wildcards typed by users (a search for "50%" must not match all);
// queries name the backslash as the escape character, which both dialects accept.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// SearchText is what q searches: the folded name, address and licence number.
func SearchText(b *models.Business) string {
	return models.FoldVietnamese(strings.Join([]string{b.Name, b.Address, b.Licence(), b.TaxCode}, " "))
}

// CreateBusinesses inserts businesses (ids are assigned when empty) with an audit event each, in
// one transaction.
func (db *DB) CreateBusinesses(ctx context.Context, actor string, bs []*models.Business) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.createBusinesses(tx, actor, bs) })
}

func (db *DB) createBusinesses(tx *gorm.DB, actor string, bs []*models.Business) error {
	if len(bs) == 0 {
		return nil
	}
	now := db.Now()
	audit := make([]auditEntry, 0, len(bs))
	for _, b := range bs {
		if b.ID == "" {
			b.ID = uuid.NewString()
		}
		if b.Status == "" {
			b.Status = models.BusinessActive
		}
		b.SearchText = SearchText(b)
		b.Version = 1
		b.CreatedAt, b.UpdatedAt = now, now
		audit = append(audit, auditEntry{Action: "create", EntityType: "business", EntityID: b.ID, Details: businessAuditFields(b)})
	}
	if err := tx.CreateInBatches(bs, db.batchSize()).Error; err != nil {
		return translate(err, "business")
	}
	return db.appendAudit(tx, actor, audit...)
}

// businessAuditFields is what an audit event records of a new business.
func businessAuditFields(b *models.Business) map[string]any {
	return map[string]any{"name": b.Name, "category": b.Category, "licence_no": b.Licence(), "area_code": b.AreaCode, "lat": b.Lat, "lon": b.Lon, "status": b.Status}
}

// UpdateBusiness applies a partial update when upd.Version is current, and records the changed
// fields (old and new values) in the audit log. The caller has validated the result.
func (db *DB) UpdateBusiness(ctx context.Context, actor, id string, upd models.BusinessUpdate) (*models.Business, error) {
	var out *models.Business
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var cur models.Business
		if err := tx.Where("id = ?", id).Take(&cur).Error; err != nil {
			return translate(err, "business")
		}
		if upd.Version != cur.Version {
			return conflictf("business %s was changed by someone else (version %d, yours %d): reload it", "cơ sở %s đã được người khác sửa (phiên bản %d, của bạn %d): hãy tải lại", id, cur.Version, upd.Version)
		}
		next := cur
		next.ApplyUpdate(upd)
		if err := db.writeBusiness(tx, actor, &cur, &next); err != nil {
			return err
		}
		out = &next
		return nil
	})
	return out, err
}

// writeBusiness stores next over cur (read in tx) when anything user-visible changed, bumps the
// version and audits the changed fields. A concurrent writer makes it fail with conflict.
func (db *DB) writeBusiness(tx *gorm.DB, actor string, cur, next *models.Business) error {
	changes := diffBusiness(cur, next)
	if len(changes) == 0 {
		*next = *cur
		return nil
	}
	next.SearchText = SearchText(next)
	next.Version = cur.Version + 1
	next.CreatedAt = cur.CreatedAt
	next.UpdatedAt = db.Now()
	res := tx.Model(&models.Business{}).Where("id = ? AND version = ?", cur.ID, cur.Version).Select("*").Omit("id", "created_at").Updates(next)
	if res.Error != nil {
		return translate(res.Error, "business")
	}
	if res.RowsAffected != 1 {
		return conflictf("business %s was changed by someone else: reload it", "cơ sở %s đã được người khác sửa: hãy tải lại", cur.ID)
	}
	if err := db.appendAudit(tx, actor, auditEntry{Action: "update", EntityType: "business", EntityID: cur.ID, Details: changes}); err != nil {
		return err
	}
	return db.touchTeamDays(tx, nil, []string{cur.ID}) // the phones show its name, address, phone ...
}

// diffBusiness lists the user-visible fields that differ, as {"field": [old, new]}.
func diffBusiness(a, b *models.Business) map[string][2]any { return diffFields(a, b) }

// diffFields lists the fields of two records of one struct type (pointers to them) that differ,
// by their JSON names, as {"field": [old, new]}; the version and timestamps are not fields a
// user changes. Optional text compares as text (nil is empty), dates and lists as their text.
func diffFields(a, b any) map[string][2]any {
	out := map[string][2]any{}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	t := va.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("json")
		if name == "" || name == "-" || name == "version" || name == "created_at" || name == "updated_at" {
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if px, ok := x.(*string); ok {
			x = derefString(px)
			y = derefString(y.(*string))
		}
		if lx, ok := x.(models.StringList); ok {
			x, y = strings.Join(lx, ","), strings.Join(y.(models.StringList), ",")
		}
		if !reflect.DeepEqual(x, y) {
			if d, ok := x.(models.Date); ok {
				x, y = d.String(), y.(models.Date).String()
			}
			out[name] = [2]any{x, y}
		}
	}
	return out
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
