package models

import (
	"context"
	"time"
)

// Limits of a signature image: a finger's signature on a phone's canvas is a few kilobytes of
// PNG; anything much larger is not one.
const (
	MaxSignatureBytes  = 256 << 10
	MaxSignatureWidth  = 2000
	MaxSignatureHeight = 1000
	MinSignatureWidth  = 40
	MinSignatureHeight = 20
)

// InspectionRecord is the signed record (biên bản kiểm tra) of one version of an inspection:
// the business's representative, their statement, and the signatures (or the representative's
// refusal to sign). It is written once: an amendment of the inspection is a new inspection row
// and gets its own record.
type InspectionRecord struct {
	InspectionID                  string    `json:"inspection_id" gorm:"primaryKey"`
	RepresentativeName            string    `json:"representative_name"`
	RepresentativeRole            string    `json:"representative_role"`
	Statement                     string    `json:"statement"`
	Refused                       bool      `json:"refused"`
	RefusalNote                   string    `json:"refusal_note"`
	InspectorSignature            []byte    `json:"-"`
	InspectorSignatureSHA256      string    `json:"inspector_signature_sha256" gorm:"column:inspector_signature_sha256"`
	RepresentativeSignature       []byte    `json:"-"`
	RepresentativeSignatureSHA256 string    `json:"representative_signature_sha256" gorm:"column:representative_signature_sha256"`
	Content                       string    `json:"-"` // the record as signed, JSON
	RecordSHA256                  string    `json:"record_sha256" gorm:"column:record_sha256"`
	BodySHA256                    string    `json:"-" gorm:"column:body_sha256"`
	CreatedBy                     string    `json:"created_by"`
	CreatedAt                     time.Time `json:"created_at"`
}

// TableName is the table of inspection records.
func (InspectionRecord) TableName() string { return "inspection_records" }

// RecordStore keeps the signed records.
type RecordStore interface {
	// FindInspectionRecord returns the record of one inspection version, or not_found.
	FindInspectionRecord(ctx context.Context, inspectionID string) (*InspectionRecord, error)
	// CreateInspectionRecord stores a record and audits its hashes; conflict when the version
	// has one already.
	CreateInspectionRecord(ctx context.Context, actor string, r *InspectionRecord) error
}
