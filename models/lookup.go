package models

import (
	"encoding/json"
	"strings"
)

// LookupRecord is what the audit log keeps of one licensing lookup: what was asked, why, and
// which businesses the answer named (ids and, since the names change, their names then).
type LookupRecord struct {
	Query         string   `json:"query"` // "licence_no=…", "tax_code=…" or "q=…"
	Purpose       string   `json:"purpose"`
	BusinessIDs   []string `json:"businesses"`
	BusinessNames []string `json:"names,omitempty"`
}

// ParseLookupRecord reads a lookup's audit details; details it cannot read give an empty record.
func ParseLookupRecord(details string) LookupRecord {
	var r LookupRecord
	_ = json.Unmarshal([]byte(details), &r)
	return r
}

// QueryParts splits the query into its kind (licence_no, tax_code or q) and its text.
func (r LookupRecord) QueryParts() (kind, text string) {
	kind, text, ok := strings.Cut(r.Query, "=")
	if !ok {
		return "", r.Query
	}
	return kind, text
}

// ExportRecord is the audit of a registry download: the list left the system as a file (owners'
// names, phone numbers, tax codes), so the log says who took which part of it.
type ExportRecord struct {
	Format   string   `json:"format"`
	Rows     int      `json:"rows"`
	Q        string   `json:"q,omitempty"`
	Category string   `json:"category,omitempty"`
	Area     string   `json:"area,omitempty"`
	Areas    []string `json:"areas,omitempty"`
	Status   string   `json:"status,omitempty"`
}
