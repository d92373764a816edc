package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.AuditStore = (*DB)(nil)

// auditLockKey is the PostgreSQL advisory lock that serialises appends to the audit chain, so
// that two replicas never link two events to the same predecessor.
const auditLockKey = 0x6b696501

// MinAuditKeyBytes is the shortest audit key Open accepts.
const MinAuditKeyBytes = 32

// verifyBatch is how many events VerifyAudit reads at a time.
const verifyBatch = 2000

// DeriveAuditKey derives the audit key from the service secret, for installations that set no
// key of their own. The label keeps it apart from the token key (the secret itself) and from the
// tip key.
func DeriveAuditKey(secret string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("kiemtra/audit-chain-key/v1"))
	return m.Sum(nil)
}

// AuditKeyID is the fingerprint of an audit key, stored with every keyed event and the head, so
// that verify can tell "signed with another key" from "tampered with". It reveals nothing of
// the key.
func AuditKeyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("kiemtra/audit-key-id/v1"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// auditEntry is one event to append.
type auditEntry struct {
	Action     string
	EntityType string
	EntityID   string
	Details    any
}

// appendAudit appends events to the chain inside tx and moves the signed head past them. Call it
// in the transaction of the change it records so that the change and its audit stand or fall
// together.
func (db *DB) appendAudit(tx *gorm.DB, actor string, entries ...auditEntry) error {
	_, err := db.appendAuditEvents(tx, actor, entries...)
	return err
}

// appendAuditEvents is appendAudit returning the events appended, with their ids.
func (db *DB) appendAuditEvents(tx *gorm.DB, actor string, entries ...auditEntry) ([]*models.AuditEvent, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	if len(db.auditKey) == 0 {
		return nil, errors.New("append audit events: the store has no audit key (store.Options.AuditKey)")
	}
	if err := db.lockAudit(tx); err != nil {
		return nil, err
	}
	head, prev, err := db.auditBase(tx)
	if err != nil {
		return nil, err
	}
	at := db.Now()
	mac := hmac.New(sha256.New, db.auditKey)
	events := make([]*models.AuditEvent, 0, len(entries))
	for _, e := range entries {
		details := ""
		if e.Details != nil {
			b, err := json.Marshal(e.Details)
			if err != nil {
				return nil, fmt.Errorf("encode audit details: %w", err)
			}
			details = string(b)
		}
		ev := &models.AuditEvent{At: at, Actor: actor, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, Details: details,
			PrevHash: prev, Alg: models.AuditAlgKeyed, KeyID: db.auditKeyID}
		ev.Hash = auditEventMAC(mac, ev)
		prev = ev.Hash
		events = append(events, ev)
	}
	if err := tx.CreateInBatches(events, db.batchSize()).Error; err != nil {
		return nil, fmt.Errorf("append audit events: %w", err)
	}
	if head == nil {
		return events, nil
	}
	last := events[len(events)-1]
	head.Events += int64(len(events))
	head.LastID, head.LastHash = last.ID, last.Hash
	return events, db.writeAuditHead(tx, head)
}

func (db *DB) lockAudit(tx *gorm.DB) error {
	if db.dialect == DialectPostgres {
		// Keyed by schema too, so that databases sharing a server (tests, tenants) do not wait on
		// each other.
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", int32(auditLockKey)).Error; err != nil {
			return fmt.Errorf("lock audit chain: %w", err)
		}
	}
	return nil
}

// auditBase returns the head to move past the new events and the hash they follow. A head that
// verifies gives both: new events then follow the last event the head signed, so that events
// deleted or forged since then stand out in the chain. A head that is missing or does not
// verify is returned as nil and left as it is, because making or signing one over the log would
// launder the tampering (a log wiped whole and restarted would verify again); the events then
// follow the last stored one, and verify keeps reporting the head. The only head ever made is
// the one sealed by the migration that brought the key (sealAuditHead).
func (db *DB) auditBase(tx *gorm.DB) (*models.AuditHead, string, error) {
	head, err := readAuditHead(tx)
	switch {
	case err != nil:
		return nil, "", err
	case head != nil && head.KeyID == db.auditKeyID && hmac.Equal([]byte(head.MAC), []byte(auditHeadMAC(db.auditKey, head))):
		return head, head.LastHash, nil
	}
	db.log.Error("the audit log's signed head is missing, changed or signed with another key: events are appended but the head is left as found; run `kiemtra audit verify`")
	var prev string
	if err := tx.Raw("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").Scan(&prev).Error; err != nil {
		return nil, "", fmt.Errorf("read audit chain end: %w", err)
	}
	return nil, prev, nil
}

func lastHash(h *models.AuditHead) string {
	if h == nil {
		return ""
	}
	return h.LastHash
}

// legacyAuditHead makes the head of a log that has none, when every event in it predates the
// audit key (writeAuditHead signs it); it returns nil when the log holds keyed events, because
// then the head was deleted and a new one would hide whatever went with it.
func (db *DB) legacyAuditHead(tx *gorm.DB) (*models.AuditHead, error) {
	var keyed int64
	if err := tx.Raw("SELECT COUNT(*) FROM (SELECT 1 FROM audit_events WHERE alg <> ? LIMIT 1) k", models.AuditAlgLegacy).Scan(&keyed).Error; err != nil {
		return nil, fmt.Errorf("read audit chain: %w", err)
	}
	if keyed > 0 {
		return nil, nil
	}
	h := &models.AuditHead{ID: 1, KeyID: db.auditKeyID}
	if err := tx.Raw("SELECT COUNT(*) FROM audit_events").Scan(&h.Events).Error; err != nil {
		return nil, fmt.Errorf("count audit events: %w", err)
	}
	var last struct {
		ID   int64
		Hash string
	}
	if err := tx.Raw("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").Scan(&last).Error; err != nil {
		return nil, fmt.Errorf("read audit chain end: %w", err)
	}
	h.LastID, h.LastHash = last.ID, last.Hash
	return h, nil
}

// sealAuditHead gives the log its signed head once: right after the migration that brought the
// key (auditHeadMigration) was applied, to an existing log or a new database. It is never made
// again, so that a log without a head is always suspect. Without a key it does nothing.
func (db *DB) sealAuditHead(ctx context.Context) error {
	if len(db.auditKey) == 0 {
		return nil
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockAudit(tx); err != nil {
			return err
		}
		head, err := readAuditHead(tx)
		if err != nil || head != nil {
			return err
		}
		if head, err = db.legacyAuditHead(tx); err != nil || head == nil {
			return err
		}
		return db.writeAuditHead(tx, head)
	})
}

// readAuditHead returns the stored head, or nil when there is none.
func readAuditHead(tx *gorm.DB) (*models.AuditHead, error) {
	var heads []*models.AuditHead
	if err := tx.Where("id = 1").Limit(1).Find(&heads).Error; err != nil {
		return nil, fmt.Errorf("read audit head: %w", err)
	}
	if len(heads) == 0 {
		return nil, nil
	}
	return heads[0], nil
}

// writeAuditHead signs h and stores it as the one head.
func (db *DB) writeAuditHead(tx *gorm.DB, h *models.AuditHead) error {
	h.ID, h.KeyID = 1, db.auditKeyID
	h.MAC = auditHeadMAC(db.auditKey, h)
	if err := tx.Save(h).Error; err != nil {
		return fmt.Errorf("write audit head: %w", err)
	}
	return nil
}

// writeFields writes each field as "len:field|", so that ("ab","c") and ("a","bc") differ.
func writeFields(h hash.Hash, fields ...string) {
	var buf []byte
	for _, f := range fields {
		buf = strconv.AppendInt(buf[:0], int64(len(f)), 10)
		buf = append(buf, ':')
		buf = append(buf, f...)
		buf = append(buf, '|')
		h.Write(buf)
	}
}

// auditEventMAC covers every field of the event but its id and hash, and the previous hash, with
// mac (an HMAC-SHA256 with the audit key, reused across events because making one allocates).
// The label keeps an event's MAC from ever passing for a head's.
func auditEventMAC(m hash.Hash, e *models.AuditEvent) string {
	m.Reset()
	writeFields(m, "event", e.Alg, e.KeyID, e.PrevHash, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.EntityType, e.EntityID, e.Details)
	return hex.EncodeToString(m.Sum(nil))
}

// auditHeadMAC covers the head's count, end and key.
func auditHeadMAC(key []byte, h *models.AuditHead) string {
	m := hmac.New(sha256.New, key)
	writeFields(m, "head", strconv.FormatInt(h.Events, 10), strconv.FormatInt(h.LastID, 10), h.LastHash, h.KeyID)
	return hex.EncodeToString(m.Sum(nil))
}

// legacyAuditHash is the plain SHA-256 of events written before the audit key existed.
func legacyAuditHash(e *models.AuditEvent) string {
	h := sha256.New()
	writeFields(h, e.PrevHash, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.EntityType, e.EntityID, e.Details)
	return hex.EncodeToString(h.Sum(nil))
}

// FindAuditEvents returns matching events, newest first.
func (db *DB) FindAuditEvents(ctx context.Context, f models.AuditFilter) ([]*models.AuditEvent, error) {
	q := db.gdb.WithContext(ctx).Model(&models.AuditEvent{})
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.EntityType != "" {
		q = q.Where("entity_type = ?", f.EntityType)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []*models.AuditEvent
	if err := q.Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, translate(err, "audit")
	}
	return out, nil
}

// VerifyAudit walks the whole log in id order, in one snapshot so that appends meanwhile do not
// look like tampering, and checks each event's hash and link, then the count and end of the log
// against the signed head. It stops at the first problem.
func (db *DB) VerifyAudit(ctx context.Context) (*models.AuditVerification, error) {
	if len(db.auditKey) == 0 {
		return nil, errors.New("verify the audit log: the store has no audit key (store.Options.AuditKey)")
	}
	res := &models.AuditVerification{KeyID: db.auditKeyID}
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == DialectPostgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		head, err := readAuditHead(tx)
		if err != nil {
			return err
		}
		res.Head = head
		c := auditChecker{key: db.auditKey, mac: hmac.New(sha256.New, db.auditKey), keyID: db.auditKeyID, res: res}
		var lastID int64
		for !c.failed() {
			var batch []*models.AuditEvent
			if err := tx.Where("id > ?", lastID).Order("id").Limit(verifyBatch).Find(&batch).Error; err != nil {
				return fmt.Errorf("read audit events: %w", err)
			}
			for _, e := range batch {
				if !c.check(e) {
					break
				}
			}
			if len(batch) < verifyBatch {
				break
			}
			lastID = batch[len(batch)-1].ID
		}
		if !c.failed() {
			c.checkHead(head)
		}
		return nil
	}, opts)
	if err != nil {
		return nil, translate(err, "audit")
	}
	res.OK = res.Problem == ""
	return res, nil
}

// auditChecker follows the chain one event at a time.
type auditChecker struct {
	key   []byte
	mac   hash.Hash // HMAC-SHA256 with key
	keyID string
	res   *models.AuditVerification
	last  *models.AuditEvent // the last event that checked out
	keyed bool               // a keyed event has been seen: no legacy event may follow
}

func (c *auditChecker) failed() bool { return c.res.Problem != "" }

func (c *auditChecker) fail(e *models.AuditEvent, problem, en, vi string, args ...any) {
	c.res.FirstBad, c.res.Problem = e, problem
	c.res.Message, c.res.MessageVI = fmt.Sprintf(en, args...), fmt.Sprintf(vi, args...)
}

// check checks one event and reports whether it is sound.
func (c *auditChecker) check(e *models.AuditEvent) bool {
	prev := ""
	if c.last != nil {
		prev = c.last.Hash
	}
	switch {
	case e.PrevHash != prev && c.last == nil:
		c.fail(e, models.AuditBrokenLink, "event %d is the first of the log but follows another event: the events before it were deleted",
			"sự kiện %d là sự kiện đầu tiên của nhật ký nhưng lại nối tiếp một sự kiện khác: các sự kiện trước nó đã bị xóa", e.ID)
	case e.PrevHash != prev:
		c.fail(e, models.AuditBrokenLink, "event %d does not follow event %d: events between them were deleted, or this one was inserted or changed",
			"sự kiện %d không nối tiếp sự kiện %d: các sự kiện giữa chúng đã bị xóa, hoặc sự kiện này đã bị chèn thêm hay sửa đổi", e.ID, c.last.ID)
	case e.Alg == models.AuditAlgLegacy && c.keyed:
		c.fail(e, models.AuditUnkeyedAfter, "event %d carries no signature of the audit key but follows signed events: it was written by someone without the key",
			"sự kiện %d không có chữ ký bằng khóa nhật ký nhưng đứng sau các sự kiện đã ký: nó được ghi bởi người không có khóa", e.ID)
	case e.Alg == models.AuditAlgLegacy && !strings.EqualFold(legacyAuditHash(e), e.Hash):
		c.fail(e, models.AuditEdited, "event %d (written before the audit key) does not match its hash: it was changed after it was written",
			"sự kiện %d (ghi trước khi có khóa nhật ký) không khớp với mã băm của nó: nó đã bị sửa sau khi ghi", e.ID)
	case e.Alg != models.AuditAlgLegacy && e.Alg != models.AuditAlgKeyed:
		c.fail(e, models.AuditUnknownAlg, "event %d names an unknown hash algorithm %q", "sự kiện %d ghi một thuật toán băm không xác định %q", e.ID, e.Alg)
	case e.Alg == models.AuditAlgKeyed && e.KeyID != c.keyID:
		c.fail(e, models.AuditOtherKey, "event %d was signed with another audit key (key id %s; this key is %s): verify with the key it was written with",
			"sự kiện %d được ký bằng một khóa nhật ký khác (mã khóa %s; khóa này là %s): hãy kiểm tra bằng khóa đã dùng khi ghi", e.ID, e.KeyID, c.keyID)
	case e.Alg == models.AuditAlgKeyed && !hmac.Equal([]byte(e.Hash), []byte(auditEventMAC(c.mac, e))):
		c.fail(e, models.AuditEdited, "event %d does not match its signature: it was changed after it was written, or written by someone without the key",
			"sự kiện %d không khớp với chữ ký của nó: nó đã bị sửa sau khi ghi, hoặc được ghi bởi người không có khóa", e.ID)
	default:
		c.res.Events++
		if e.Alg == models.AuditAlgLegacy {
			c.res.Legacy++
		} else {
			c.keyed = true
		}
		c.last = e
		return true
	}
	return false
}

// checkHead compares the log that checked out with its signed head.
func (c *auditChecker) checkHead(h *models.AuditHead) {
	n := c.res.Events
	switch {
	case h == nil:
		// Even an empty log has a head from its first migration: without one, the log (and
		// perhaps everything in it) was deleted.
		c.fail(nil, models.AuditHeadMissing, "the log holds %d events but no signed head: the head was deleted",
			"nhật ký có %d sự kiện nhưng không có bản tóm tắt đã ký: bản tóm tắt đã bị xóa", n)
	case h.KeyID != c.keyID:
		c.fail(nil, models.AuditHeadOtherKey, "the log's signed head was signed with another audit key (key id %s; this key is %s)",
			"bản tóm tắt của nhật ký được ký bằng một khóa nhật ký khác (mã khóa %s; khóa này là %s)", h.KeyID, c.keyID)
	case !hmac.Equal([]byte(h.MAC), []byte(auditHeadMAC(c.key, h))):
		c.fail(nil, models.AuditHeadForged, "the log's signed head does not match its signature: it was changed by someone without the key",
			"bản tóm tắt đã ký của nhật ký không khớp với chữ ký: nó đã bị sửa bởi người không có khóa")
	case n < h.Events && c.last == nil:
		c.fail(nil, models.AuditEventsMissing, "the log is empty but its signed head counts %d events: they were deleted",
			"nhật ký trống nhưng bản tóm tắt đã ký ghi %d sự kiện: chúng đã bị xóa", h.Events)
	case n < h.Events:
		c.fail(nil, models.AuditEventsMissing, "the log holds %d events but its signed head counts %d: the newest %d, after event %d (%s, %s, %s), were deleted",
			"nhật ký có %d sự kiện nhưng bản tóm tắt đã ký ghi %d: %d sự kiện mới nhất, sau sự kiện %d (%s, %s, %s), đã bị xóa",
			n, h.Events, h.Events-n, c.last.ID, c.last.At.UTC().Format(time.RFC3339), c.last.Actor, c.last.Action)
	case n != h.Events || (c.last != nil && (c.last.ID != h.LastID || c.last.Hash != h.LastHash)):
		c.fail(nil, models.AuditHeadMismatch, "the log (%d events, ending at event %d) does not end where its signed head says (%d events, ending at event %d)",
			"nhật ký (%d sự kiện, kết thúc ở sự kiện %d) không kết thúc ở chỗ bản tóm tắt đã ký ghi (%d sự kiện, kết thúc ở sự kiện %d)",
			n, lastID(c.last), h.Events, h.LastID)
	}
}

func lastID(e *models.AuditEvent) int64 {
	if e == nil {
		return 0
	}
	return e.ID
}
