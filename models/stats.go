package models

// Counts is how many rows the main tables hold, for operators and the demo's self-check.
type Counts struct {
	Areas             int64 `json:"areas"`
	AreasWithGeometry int64 `json:"areas_with_geometry"`
	Businesses        int64 `json:"businesses"`
	ActiveBusinesses  int64 `json:"active_businesses"`
	Teams             int64 `json:"teams"`
	Users             int64 `json:"users"`
	AuditEvents       int64 `json:"audit_events"`
}
