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

// ImportRejection is one problem with one row: the line in the file (the header is line 1; in
// an .xlsx workbook the sheet and the spreadsheet's row number), the field, the value found and
// why it is wrong.
type ImportRejection struct {
	Sheet     string `json:"sheet,omitempty"`
	Line      int    `json:"line"`
	Field     string `json:"field"`
	Value     string `json:"value"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi,omitempty"`
}

// BusinessImportOptions tune a registry import.
type BusinessImportOptions struct {
	// Name is the file's name: its extension (.csv, .xlsx, .geojson, .json; .xls is refused)
	// says the file's type, and it starts the messages about the file.
	Name string
	// ContentType is the upload's media type, read when the name has no known extension.
	ContentType string
	// Sheet is the worksheet of an .xlsx workbook; empty: the first.
	Sheet string
	// Columns maps canonical column names (licence_no, ward, ...) to the file's own headers,
	// for headers the import does not recognise.
	Columns map[string]string
	// DryRun checks the file and reports, but stores nothing.
	DryRun bool
}

// PossibleDuplicate flags a row that may be a business already in the registry under another
// licence number (or none): same normalised name within 50 m. It is imported anyway; a planner
// decides.
type PossibleDuplicate struct {
	Sheet      string `json:"sheet,omitempty"`
	Line       int    `json:"line"`
	BusinessID string `json:"business_id"`
	Reason     string `json:"reason"`
}

// AreaImportReport is the answer to an area import. Problems refuse the whole file (nothing is
// stored); warnings do not: the file is applied and the warnings say what is left inconsistent
// (docs/areas.md, "Importing boundaries").
type AreaImportReport struct {
	// Source is the naming of the file's properties that was read (AreaSourceKiemtra, ...), and
	// Mapping the property mapping given with it, if any.
	Source   string              `json:"source"`
	Mapping  string              `json:"mapping,omitempty"`
	Features int                 `json:"features"`
	Created  int                 `json:"created"`
	Updated  int                 `json:"updated"`
	Units    []AreaImportUnit    `json:"units"`
	Problems []AreaImportProblem `json:"problems"`
	Warnings []AreaImportProblem `json:"warnings"`
	// WarningsOmitted counts the warnings past the first MaxAreaImportWarnings, which are not
	// listed.
	WarningsOmitted int  `json:"warnings_omitted"`
	DryRun          bool `json:"dry_run"`
}

// MaxAreaImportWarnings bounds the warnings an area import lists: wrong polygons over a
// registry would otherwise list every business.
const MaxAreaImportWarnings = 500

// Actions of an AreaImportUnit.
const (
	AreaActionCreated    = "created"     // a unit that was not stored
	AreaActionNewVersion = "new_version" // a new version of a code already stored, over another period
	AreaActionUpdated    = "updated"     // a stored version, replaced
)

// AreaImportUnit is what one feature of an area import became: which unit version, under
// which parent.
type AreaImportUnit struct {
	Feature    string  `json:"feature"`
	Ref        string  `json:"ref,omitempty"` // the source's own id (a GADM GID)
	Code       string  `json:"code"`          // the unit version's id
	GSOCode    string  `json:"gso_code"`
	Name       string  `json:"name"`
	Level      string  `json:"level"`
	ParentCode *string `json:"parent_code"`
	ValidFrom  Date    `json:"valid_from"`
	ValidTo    Date    `json:"valid_to"`
	Action     string  `json:"action"`
}

// Kinds of AreaImportProblem beside the geometry problems of package geo.
const (
	AreaProblemInvalidProperty = "invalid_property" // a property is wrong, or names a parent that is nowhere
	AreaProblemUnmatched       = "unmatched"        // a unit without a code whose name matches no stored unit
	AreaProblemAmbiguous       = "ambiguous"        // a code or a name that fits several unit versions
	// Warnings: the file is applied anyway.
	AreaWarningChildOutside    = "child_outside_parent"  // a child unit lies outside its parent
	AreaWarningChildBeyond     = "child_beyond_parent"   // a child unit reaches beyond its parent
	AreaWarningBusinessOutside = "business_outside_unit" // a business lies outside its unit
)

// AreaImportProblem is a problem (the file is refused) or a warning (it is applied) about one
// imported area: Code is the unit's code (or its source id), Other the other unit or the
// business concerned.
type AreaImportProblem struct {
	Feature   string `json:"feature,omitempty"`
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
