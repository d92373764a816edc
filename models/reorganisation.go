package models

import (
	"context"
	"time"
)

// Parts of a source unit in a reorganisation.
const (
	PartFull    = "full"    // the whole source went into the new unit
	PartPartial = "partial" // a part of it did; other new units took the rest
)

// Reorganisation statuses.
const (
	ReorgDraft   = "draft"
	ReorgApplied = "applied"
)

// Kinds of the decisions a reorganisation waits for.
const (
	ReorgItemReview = "review" // a business of a partial source placed without a polygon
	ReorgItemTeam   = "team"   // a team whose units end
	ReorgItemUser   = "user"   // a user whose jurisdiction ends
)

// ReorgSpec is a reorganisation as data (the format of refdata's cantho_units_2025.json): an
// effective date and, for each new unit, the units it was formed from.
type ReorgSpec struct {
	Name        string      `json:"name"`
	EffectiveOn Date        `json:"effective_on"`
	Parent      string      `json:"parent"` // the unit the new units sit under (on the day before)
	Level       string      `json:"level"`  // the new units' level; default commune
	Units       []ReorgUnit `json:"units"`
}

// ReorgUnit is one new unit with its sources.
type ReorgUnit struct {
	Code     string        `json:"code"` // the official code
	Name     string        `json:"name"`
	TypeName string        `json:"type_name"` // Phường, Xã ...; default from the name
	Lat      float64       `json:"lat"`
	Lon      float64       `json:"lon"`
	Geometry RawJSON       `json:"geometry,omitempty"`
	From     []ReorgSource `json:"from"`
}

// ReorgSource is an old unit a new one was formed from, in full or in part.
type ReorgSource struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	District string `json:"district"`
	Province string `json:"province"`
	Part     string `json:"part"`
}

// RawJSON is JSON kept as it came (a geometry), encoded as itself.
type RawJSON []byte

// MarshalJSON writes the JSON as it is (null when empty).
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON keeps a copy of the JSON.
func (r *RawJSON) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = nil
		return nil
	}
	*r = append((*r)[:0], b...)
	return nil
}

// Reorganisation is a stored reorganisation: its spec, and whether it was applied.
type Reorganisation struct {
	ID          string     `json:"id" gorm:"primaryKey"`
	Name        string     `json:"name"`
	EffectiveOn Date       `json:"effective_on"`
	Fingerprint string     `json:"fingerprint"` // the SHA-256 of the spec: the same file is imported once
	Source      string     `json:"-"`           // the spec as JSON
	Status      string     `json:"status"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	AppliedBy   string     `json:"applied_by"`
	AppliedAt   *time.Time `json:"applied_at"`
	Version     int        `json:"version"`
}

// TableName is the table of reorganisations.
func (Reorganisation) TableName() string { return "reorganisations" }

// ReorgItem is a decision a reorganisation waits for: where a business of a partial source goes
// (review), or which units a team serves or a user answers for after the date. Candidates and
// Proposed are unit codes (JSON arrays); Settled is what was decided (empty: not yet).
type ReorgItem struct {
	ReorganisationID string     `json:"reorganisation_id" gorm:"primaryKey"`
	Kind             string     `json:"kind" gorm:"primaryKey"`
	SubjectID        string     `json:"subject_id" gorm:"primaryKey"`
	Current          string     `json:"current"`    // the units now, JSON array
	Candidates       string     `json:"candidates"` // the units it may go to, JSON array
	Proposed         string     `json:"proposed"`   // the proposal, JSON array
	Settled          string     `json:"settled"`    // the decision, JSON array; empty while open
	SettledBy        string     `json:"settled_by"`
	SettledAt        *time.Time `json:"settled_at"`
}

// TableName is the table of reorganisation items.
func (ReorgItem) TableName() string { return "reorganisation_items" }

// AreaMove records that an entity (a business, a tip) moved to another unit: before
// EffectiveOn it was in FromArea.
type AreaMove struct {
	ID               int64   `json:"id" gorm:"primaryKey;autoIncrement"`
	EntityType       string  `json:"entity_type"`
	EntityID         string  `json:"entity_id"`
	FromArea         string  `json:"from_area"`
	ToArea           string  `json:"to_area"`
	EffectiveOn      Date    `json:"effective_on"`
	ReorganisationID *string `json:"reorganisation_id"`
}

// TableName is the table of area moves.
func (AreaMove) TableName() string { return "area_moves" }

// AreaLineage records that a unit version made by a reorganisation was formed from a source
// unit, in full or in part. SourceCode is the source's version id when the database holds it,
// else the official code the reorganisation named (a unit of another province that merged in,
// which this database never held): the source of a figure's territory (docs/areas.md).
type AreaLineage struct {
	AreaCode         string `json:"area_code" gorm:"primaryKey"`
	SourceCode       string `json:"source_code" gorm:"primaryKey"`
	Part             string `json:"part"`
	ReorganisationID string `json:"reorganisation_id" gorm:"primaryKey"`
}

// TableName is the table of area lineage.
func (AreaLineage) TableName() string { return "area_lineage" }

// LineageStore reads where units came from.
type LineageStore interface {
	// FindAreaLineage returns every lineage record, by area and source.
	FindAreaLineage(ctx context.Context) ([]AreaLineage, error)
}

// ReorgProblem is a reason a reorganisation cannot be applied as it is.
type ReorgProblem struct {
	Unit      string `json:"unit,omitempty"`   // the new unit's code
	Source    string `json:"source,omitempty"` // the old unit's code
	Kind      string `json:"kind"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi"`
}

// ReorgUnitReport is one new unit as the reorganisation would make it.
type ReorgUnitReport struct {
	Code     string  `json:"code"` // the version id it gets
	GSOCode  string  `json:"gso_code"`
	Name     string  `json:"name"`
	TypeName string  `json:"type_name"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	// Geometry is the outline the reorganisation gives the unit, if any: the review of a
	// partial source's businesses is drawn on it before the unit exists.
	Geometry   RawJSON  `json:"geometry,omitempty"`
	FullFrom   []string `json:"full_from"`
	PartFrom   []string `json:"partial_from"`
	Businesses int      `json:"businesses"` // that move into it
	ByPolygon  int      `json:"by_polygon"` // of them placed by their coordinates
	ToReview   int      `json:"to_review"`  // of them placed by the nearest unit, to review
}

// ReorgCounts are the counts a reorganisation must keep equal.
type ReorgCounts struct {
	Businesses int `json:"businesses"`
	OpenTasks  int `json:"open_tasks"`
	Tips       int `json:"tips"`
}

// ReorgReport says what applying a reorganisation does, before it is applied.
type ReorgReport struct {
	ID              string            `json:"id,omitempty"`
	Name            string            `json:"name"`
	EffectiveOn     Date              `json:"effective_on"`
	Status          string            `json:"status"`
	Units           []ReorgUnitReport `json:"units"`
	Ending          []string          `json:"ending"` // the unit versions that end the day before
	External        []string          `json:"external_sources"`
	MovedBusinesses int               `json:"moved_businesses"`
	MovedTips       int               `json:"moved_tips"`
	Reviews         []*ReorgItem      `json:"reviews"`
	Teams           []*ReorgItem      `json:"teams"`
	Users           []*ReorgItem      `json:"users"`
	Open            int               `json:"open"` // decisions still to take
	Before          ReorgCounts       `json:"before"`
	After           ReorgCounts       `json:"after"`
	Problems        []ReorgProblem    `json:"problems"`
}

// ReorgPlace is a business or a tip as a reorganisation sees it: its unit and, when known, its
// position; a tip follows its business.
type ReorgPlace struct {
	ID         string
	AreaCode   string
	Lat, Lon   float64
	HasPoint   bool
	BusinessID string
}

// ReorgTeam is a team with the units it serves.
type ReorgTeam struct {
	ID, Name string
	Units    []string
}

// ReorgUser is a user with its jurisdiction.
type ReorgUser struct {
	ID, Username, AreaCode string
}

// ReorgState is what planning a reorganisation reads from the database.
type ReorgState struct {
	Areas      []*Area // every version
	Businesses []ReorgPlace
	Tips       []ReorgPlace
	Teams      []ReorgTeam
	Users      []ReorgUser
	OpenTasks  int
}

// ReorgMove is a business or a tip going to another unit.
type ReorgMove struct {
	EntityType, EntityID, From, To string
}

// ReorgApply is what the store writes to apply a reorganisation, in one transaction.
type ReorgApply struct {
	NewAreas  []*Area
	Ending    []string
	Moves     []ReorgMove
	TeamUnits map[string][]string // team id -> the units it serves from the date
	UserAreas map[string]string   // user id -> its jurisdiction from the date
}

// ReorgStore persists reorganisations.
type ReorgStore interface {
	// FindReorganisation returns not_found when the id is unknown.
	FindReorganisation(ctx context.Context, id string) (*Reorganisation, error)
	// FindReorganisations lists them, newest first.
	FindReorganisations(ctx context.Context) ([]*Reorganisation, error)
	// FindReorgItems returns a reorganisation's decisions of a kind ("" for all).
	FindReorgItems(ctx context.Context, id, kind string) ([]*ReorgItem, error)
}
