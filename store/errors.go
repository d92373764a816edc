package store

import (
	"kiemtra/models"
)

// kindNames gives the Vietnamese name of each kind of record for not-found messages.
var kindNames = map[string]string{
	"area":       "khu vực",
	"business":   "cơ sở",
	"team":       "tổ công tác",
	"user":       "người dùng",
	"programme":  "chương trình",
	"plan":       "kế hoạch",
	"task":       "nhiệm vụ",
	"inspection": "kết quả kiểm tra",
	"tip":        "tin báo",
	"job":        "tác vụ",
	"session":    "phiên làm việc",
	"checkin":    "lượt điểm danh",
	"photo":      "ảnh",
}

func notFound(kind string) error {
	vi := kindNames[kind]
	if vi == "" {
		vi = kind
	}
	return models.NotFound(kind, kind+" not found", "không tìm thấy "+vi)
}

func conflictf(en, vi string, args ...any) error {
	return models.NewError(models.ECONFLICT, en, vi, args...)
}

func invalidf(field, en, vi string, args ...any) error {
	return models.Invalid(field, en, vi, args...)
}
