package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"kiemtra/models"
)

// Archived lists the archived reports that match the filter, newest first, and how many match
// in all.
func (s *Service) Archived(ctx context.Context, f models.ArchiveFilter) ([]*Archived, int, error) {
	return s.archive.FindArchived(ctx, f)
}

// ArchivedAreas lists the area codes of the archived reports that match the filter but for its
// Area and page: the units a filter can choose from.
func (s *Service) ArchivedAreas(ctx context.Context, f models.ArchiveFilter) ([]string, error) {
	return s.archive.ArchivedAreas(ctx, f)
}

// ArchivedFile returns an archived report with its content, or not_found.
func (s *Service) ArchivedFile(ctx context.Context, id int64) (*Archived, error) {
	return s.archive.FindArchivedByID(ctx, id)
}

// jobActor is the audit log's name for the reports the job archives.
const jobActor = "scheduler"

// ArchiveFormats are the formats the job keeps every report in: the workbook to read and the
// CSV file for tools, both rendered from the same figures.
var ArchiveFormats = []string{FormatXLSX, FormatCSV}

// ArchiveJob keeps the period reports: when a period has closed it produces and archives the
// reports that are not archived yet: the programme's whole area for every quarter, half-year
// and year (the city's labour department), and for every half-year and year each unit directly
// under it that has units of its own in force at the period's end (the districts of the 2021
// map, which report to the city six-monthly and yearly), so that a district's planner finds the
// district's own reports; the communes of the 2025 map, with no level below, are in the city's.
// Each report is made on the units in force at its period's end, and kept as it was made. Running
// it again archives nothing new; a service that was down over a period's end catches up on the
// next run. A report that fails is logged and skipped: the others are still archived, and the
// run ends with an error that names the failed ones (the job runs again the next night and
// retries them).
type ArchiveJob struct {
	Service *Service
}

// Name is the job's name in job_runs.
func (j *ArchiveJob) Name() string { return "reports" }

// archiveUnit is an area whose reports the job keeps, and the kinds of period it reports.
type archiveUnit struct {
	area  *models.Area
	kinds map[string]bool
}

// Run archives the reports of the periods closed before now.
func (j *ArchiveJob) Run(ctx context.Context, now time.Time) (string, error) {
	s := j.Service
	today := models.DateOf(now.In(s.loc))
	progs, err := s.store.FindProgrammes(ctx)
	if err != nil {
		return "", err
	}
	// Oldest programme first, so that the archive's newest entries are the latest periods.
	sort.SliceStable(progs, func(a, b int) bool { return progs[a].StartsOn.Before(progs[b].StartsOn) })
	var made, notes, failed []string
	fail := func(what string, err error) {
		s.log.Error("report archive failed", "report", what, "err", err)
		failed = append(failed, fmt.Sprintf("%s: %v", what, err))
	}
	for _, p := range progs {
		root, err := s.defaultArea(ctx, p)
		if err != nil {
			if models.IsCode(err, models.EINVALID) {
				notes = append(notes, fmt.Sprintf("%s: %v", p.Code, err)) // a programme without an area
			} else {
				fail(p.Code, err)
			}
			continue
		}
		for _, per := range ClosedPeriods(p, today) {
			units, err := s.archiveUnits(ctx, p, root, per)
			if err != nil {
				fail(fmt.Sprintf("%s %s", p.Code, per), err)
				continue
			}
			for _, u := range units {
				if !u.kinds[per.Kind] {
					continue
				}
				files, err := s.archivePeriod(ctx, p, per, u.area.Code, now)
				if err != nil {
					fail(fmt.Sprintf("%s %s %s", p.Code, per, u.area.OfficialCode()), err)
					continue
				}
				made = append(made, files...)
			}
		}
	}
	switch {
	case len(made) > 3:
		notes = append(notes, fmt.Sprintf("archived %d reports: %s ... %s", len(made), made[0], made[len(made)-1]))
	case len(made) > 0:
		notes = append(notes, "archived "+strings.Join(made, ", "))
	}
	if len(failed) > 0 {
		msg := fmt.Sprintf("%d reports failed: %s", len(failed), strings.Join(failed[:min(len(failed), 5)], "; "))
		if len(failed) > 5 {
			msg += fmt.Sprintf("; and %d more (see the log)", len(failed)-5)
		}
		notes = append(notes, msg)
		return strings.Join(notes, "; "), errors.New(msg)
	}
	if len(notes) == 0 {
		return "nothing to do", nil
	}
	return strings.Join(notes, "; "), nil
}

// archiveUnits lists the areas whose reports a programme's job keeps for a period, among the
// units in force on the period's last counted day: the programme's whole area, for every
// period, and each unit directly under it with units of its own, for half-years and years.
// None when the area was not in force that day.
func (s *Service) archiveUnits(ctx context.Context, p *models.Programme, rootCode string, per Period) ([]archiveUnit, error) {
	on := per.End()
	if p.CoverageDeadline.Before(on) {
		on = p.CoverageDeadline
	}
	u, err := s.units.UnitsFor(ctx, p, rootCode, on, p.StartsOn)
	if models.IsCode(err, models.EINVALID) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	units := []archiveUnit{{area: u.Root, kinds: map[string]bool{KindQuarter: true, KindHalf: true, KindYear: true}}}
	holds := map[string]bool{}
	for _, a := range u.Areas {
		if a.ParentCode != nil {
			holds[*a.ParentCode] = true
		}
	}
	for _, a := range u.Areas {
		if a.ParentCode != nil && *a.ParentCode == u.Root.Code && holds[a.Code] {
			units = append(units, archiveUnit{area: a, kinds: map[string]bool{KindHalf: true, KindYear: true}})
		}
	}
	return units, nil
}

// archivePeriod archives an area's report for a period in every archive format not archived
// yet, and returns the names of the files it archived.
func (s *Service) archivePeriod(ctx context.Context, p *models.Programme, per Period, area string, now time.Time) ([]string, error) {
	var formats []string
	for _, f := range ArchiveFormats {
		exists, err := s.archive.ArchivedExists(ctx, p.ID, per.String(), area, f)
		if err != nil {
			return nil, err
		}
		if !exists {
			formats = append(formats, f)
		}
	}
	if len(formats) == 0 {
		return nil, nil
	}
	files, err := s.produce(ctx, Query{Period: per, Programme: p.ID, Area: area}, formats, now)
	if err != nil {
		return nil, err
	}
	var made []string
	for _, a := range files {
		created, err := s.archive.SaveArchived(ctx, jobActor, a)
		if err != nil {
			return made, err
		}
		if created {
			made = append(made, a.FileName)
		}
	}
	return made, nil
}

// produce resolves and builds one report as of now and renders it in each format.
func (s *Service) produce(ctx context.Context, q Query, formats []string, now time.Time) ([]*Archived, error) {
	if err := s.resolveAt(ctx, &q, now); err != nil {
		return nil, err
	}
	rep, err := s.Build(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []*Archived
	for _, format := range formats {
		content, err := Render(rep, format)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(content)
		out = append(out, &Archived{Period: rep.Period, AreaCode: rep.AreaCode, ProgrammeID: rep.ProgrammeID, Format: format,
			FileName: rep.FileName(format), GeneratedAt: now.UTC(), GeneratedBy: jobActor,
			SizeBytes: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), Content: content})
	}
	return out, nil
}

// MemoryArchive keeps reports in memory, for tests and tools that run without a database.
// AreaPath gives an area's path for FindArchived's filter (nil: every report matches).
type MemoryArchive struct {
	AreaPath func(code string) string

	mu    sync.Mutex
	items []*Archived
}

// SaveArchived implements Archive.
func (m *MemoryArchive) SaveArchived(_ context.Context, _ string, a *Archived) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.items {
		if x.ProgrammeID == a.ProgrammeID && x.Period == a.Period && x.AreaCode == a.AreaCode && x.Format == a.Format {
			return false, nil
		}
	}
	c := *a
	c.ID = int64(len(m.items) + 1)
	c.SizeBytes = int64(len(c.Content))
	a.ID = c.ID
	m.items = append(m.items, &c)
	return true, nil
}

// FindArchived implements Archive. An official code in the filter's Area matches the reports
// whose area code is that code or a version of it (31147@2025).
func (m *MemoryArchive) FindArchived(_ context.Context, f models.ArchiveFilter) ([]*Archived, int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Archived
	total := 0
	for i := len(m.items) - 1; i >= 0; i-- {
		x := m.items[i]
		if f.AreaPath != "" && (m.AreaPath == nil || !strings.HasPrefix(m.AreaPath(x.AreaCode), f.AreaPath)) {
			continue
		}
		official, _, _ := strings.Cut(x.AreaCode, "@")
		if f.ProgrammeID != "" && x.ProgrammeID != f.ProgrammeID || f.Period != "" && x.Period != f.Period || f.Format != "" && x.Format != f.Format ||
			f.Area != "" && x.AreaCode != f.Area && (models.IsVersionID(f.Area) || official != f.Area) {
			continue
		}
		total++
		if total <= f.Offset || f.Limit > 0 && len(out) >= f.Limit {
			continue
		}
		c := *x
		c.Content = nil
		out = append(out, &c)
	}
	return out, total, nil
}

// ArchivedAreas implements Archive.
func (m *MemoryArchive) ArchivedAreas(ctx context.Context, f models.ArchiveFilter) ([]string, error) {
	f.Area, f.Limit, f.Offset = "", 0, 0
	list, _, err := m.FindArchived(ctx, f)
	seen := map[string]bool{}
	var out []string
	for _, a := range list {
		if !seen[a.AreaCode] {
			seen[a.AreaCode] = true
			out = append(out, a.AreaCode)
		}
	}
	sort.Strings(out)
	return out, err
}

// FindArchivedByID implements Archive.
func (m *MemoryArchive) FindArchivedByID(_ context.Context, id int64) (*Archived, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || id > int64(len(m.items)) {
		return nil, models.NotFound("report", "report not found", "không tìm thấy báo cáo")
	}
	c := *m.items[id-1]
	return &c, nil
}

// ArchivedExists implements Archive.
func (m *MemoryArchive) ArchivedExists(_ context.Context, programmeID, period, areaCode, format string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.items {
		if x.ProgrammeID == programmeID && x.Period == period && x.AreaCode == areaCode && x.Format == format {
			return true, nil
		}
	}
	return false, nil
}

// Periods finds a programme by id or code (empty: the newest that has begun by today, else the
// newest) and lists its periods that have begun (ProgrammePeriods). An unknown programme is
// invalid.
func (s *Service) Periods(ctx context.Context, idOrCode string) (*models.Programme, []PeriodInfo, error) {
	today := models.DateOf(s.now().In(s.loc))
	var prog *models.Programme
	if idOrCode != "" {
		p, err := s.store.FindProgrammeByID(ctx, idOrCode)
		if models.IsCode(err, models.ENOTFOUND) {
			return nil, nil, models.Invalid("programme", "unknown programme %q", "không có chương trình %q", idOrCode)
		}
		if err != nil {
			return nil, nil, err
		}
		prog = p
	} else {
		progs, err := s.store.FindProgrammes(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range progs { // newest first
			if prog == nil || !today.Before(p.StartsOn) && today.Before(prog.StartsOn) {
				prog = p
			}
		}
		if prog == nil {
			return nil, nil, models.Invalid("programme", "there is no programme yet", "chưa có chương trình nào")
		}
	}
	return prog, ProgrammePeriods(prog, today), nil
}
