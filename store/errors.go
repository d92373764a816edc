package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"

	"kiemtra/models"
)

// kindNames gives the English and Vietnamese names of each kind of record for the messages
// users read; the kinds are the ones the repositories pass to translate.
var kindNames = map[string][2]string{
	"area":                {"area", "khu vực"},
	"audit":               {"audit event", "sự kiện nhật ký"},
	"business":            {"business", "cơ sở"},
	"team":                {"team", "tổ công tác"},
	"user":                {"user", "người dùng"},
	"programme":           {"programme", "chương trình"},
	"plan":                {"plan", "kế hoạch"},
	"task":                {"task", "nhiệm vụ"},
	"sanction":            {"sanction", "quyết định xử phạt"},
	"place":               {"place", "địa điểm"},
	"certificate":         {"certificate", "giấy chứng nhận an ninh, trật tự"},
	"inspection":          {"inspection", "kết quả kiểm tra"},
	"tip":                 {"tip", "tin báo"},
	"tip escalation":      {"tip escalation", "lượt báo cáo vượt hạn tin báo"},
	"job":                 {"job", "tác vụ"},
	"session":             {"session", "phiên làm việc"},
	"checkin":             {"check-in", "lượt điểm danh"},
	"photo":               {"photo", "ảnh"},
	"report":              {"report", "báo cáo"},
	"rate limit":          {"attempt count", "số lượt thử"},
	"reorganisation":      {"reorganisation", "cuộc sắp xếp đơn vị hành chính"},
	"database mark":       {"database mark", "dấu của cơ sở dữ liệu"},
	"agency":              {"agency", "cơ quan"},
	"checklist version":   {"checklist version", "phiên bản bảng kiểm"},
	"violation catalogue": {"violation catalogue version", "phiên bản danh mục vi phạm"},
	"indicator set":       {"indicator set", "bộ chỉ tiêu"},
	"submission":          {"indicator submission", "số liệu báo cáo chỉ tiêu"},
	"attachment":          {"attachment", "tệp minh chứng"},
	// The outbox of package notify.
	"notification":          {"notification", "thông báo"},
	"notification settings": {"notification settings", "cài đặt thông báo"},
}

// kindName returns a kind's English and Vietnamese names; an unlisted kind reads as "record"
// rather than leaking an English identifier into a Vietnamese message.
func kindName(kind string) (string, string) {
	if n, ok := kindNames[kind]; ok {
		return n[0], n[1]
	}
	return "record", "bản ghi"
}

func notFound(kind string) error {
	en, vi := kindName(kind)
	return models.NotFound(kind, en+" not found", "không tìm thấy "+vi)
}

func conflictf(en, vi string, args ...any) error {
	return models.NewError(models.ECONFLICT, en, vi, args...)
}

func invalidf(field, en, vi string, args ...any) error {
	return models.Invalid(field, en, vi, args...)
}

// IsUnavailable reports whether err means that the database cannot answer now (it is down,
// restarting, unreachable, out of connections, disk or locks) rather than that the request or
// the code is wrong: such a request may succeed when retried, and is answered 503.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if models.IsCode(err, models.EUNAVAILABLE) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"), // connection exception
			strings.HasPrefix(pg.Code, "53"),                           // insufficient resources: too many connections, disk full, out of memory
			pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03", // shut down, crashed, starting up
			pg.Code == "40001", pg.Code == "40P01": // serialization failure, deadlock: retry
			return true
		}
		return false
	}
	var sq *sqlite.Error
	if errors.As(err, &sq) {
		switch sq.Code() & 0xff {
		case 5, 6, 10, 13, 14: // busy, locked, I/O error, disk full, cannot open
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), pgconn.Timeout(err):
		return true
	}
	// database/sql has no sentinel for a closed pool; it is closed while the process shuts
	// down, and a retry reaches another replica.
	if strings.Contains(err.Error(), "sql: database is closed") {
		return true
	}
	// The pool's wait for a connection ran out while the caller still waits: an overload.
	return errors.Is(err, context.DeadlineExceeded)
}
