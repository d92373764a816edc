package models

// ImportReport is the answer to a registry import: how many rows, what was created or updated,
// and every rejected row with its line, field and reason. Rejected rows are not imported;
// everything valid is, in one transaction (unless it was a dry run).
type ImportReport struct {
	Rows               int                 `json:"rows"`
	Created            int                 `json:"created"`
	Updated            int                 `json:"updated"`
	Unchanged          int                 `json:"unchanged"`
	Rejected           []ImportRejection   `json:"rejected"`
	PossibleDuplicates []PossibleDuplicate `json:"possible_duplicates"`
	DryRun             bool                `json:"dry_run"`
}

// ImportRejection is one problem with one row: the line in the file (the header is line 1), the
// field, the value found and why it is wrong.
type ImportRejection struct {
	Line      int    `json:"line"`
	Field     string `json:"field"`
	Value     string `json:"value"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi,omitempty"`
}

// PossibleDuplicate flags a row that may be a business already in the registry under another
// licence number (or none): same normalised name within 50 m. It is imported anyway; a planner
// decides.
type PossibleDuplicate struct {
	Line       int    `json:"line"`
	BusinessID string `json:"business_id"`
	Reason     string `json:"reason"`
}

// AreaImportReport is the answer to an area import.
type AreaImportReport struct {
	Features int                 `json:"features"`
	Created  int                 `json:"created"`
	Updated  int                 `json:"updated"`
	Problems []AreaImportProblem `json:"problems"`
	DryRun   bool                `json:"dry_run"`
}

// AreaImportProblem is an invalid geometry or property of an imported area. Areas with problems
// are not imported.
type AreaImportProblem struct {
	Code      string `json:"code"`
	Kind      string `json:"kind"`
	Other     string `json:"other,omitempty"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi,omitempty"`
}

// NearBusiness is a business with its distance from the point asked about.
type NearBusiness struct {
	*Business
	DistanceM float64 `json:"distance_m"`
}

// ImportSummary is recorded in the audit log with every applied import.
type ImportSummary struct {
	File      string `json:"file"`
	SHA256    string `json:"sha256"`
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Rejected  int    `json:"rejected"`
}
