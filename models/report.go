package models

// ArchiveFilter selects archived period reports. Zero fields do not filter.
type ArchiveFilter struct {
	// AreaPath limits the list to reports of areas under it (the caller's jurisdiction); empty:
	// every area.
	AreaPath string
	// ProgrammeID is the programme's id (not its code: the caller resolves a code first).
	ProgrammeID string
	// Period is a canonical period name: 2025, 2025-H1, 2025-Q3.
	Period string
	// Area is a unit: by a version's identifier (31147@2025) that version only, by an official
	// code every version with that code (a district that ended since keeps its reports under the
	// code its users know), as Area.OfficialCode gives it.
	Area string
	// Format is xlsx or csv.
	Format string
	// Limit is the page size (0: every report); Offset the number of reports skipped.
	Limit  int
	Offset int
}
