package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"kiemtra/models"
)

// Archived lists the archived reports of areas under areaPath (all when empty), newest first.
func (s *Service) Archived(ctx context.Context, areaPath string, limit int) ([]*Archived, error) {
	return s.archive.FindArchived(ctx, areaPath, limit)
}

// ArchivedFile returns an archived report with its content, or not_found.
func (s *Service) ArchivedFile(ctx context.Context, id int64) (*Archived, error) {
	return s.archive.FindArchivedByID(ctx, id)
}

// jobActor is the audit log's name for the reports the job archives.
const jobActor = "scheduler"

// ArchiveJob keeps the period reports: when a quarter, a half-year or a year has closed and the
// report of a programme's whole area for it is not archived yet, it produces the workbook and
// archives it. Running it again archives nothing new; a service that was down over a period's
// end catches up on the next run.
type ArchiveJob struct {
	Service *Service
}

// Name is the job's name in job_runs.
func (j *ArchiveJob) Name() string { return "reports" }

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
	var made, notes []string
	for _, p := range progs {
		area, err := s.defaultArea(ctx, p)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: %v", p.Code, err))
			continue
		}
		for _, per := range ClosedPeriods(p, today) {
			exists, err := s.archive.ArchivedExists(ctx, p.ID, per.String(), area, FormatXLSX)
			if err != nil {
				return "", err
			}
			if exists {
				continue
			}
			a, err := s.produce(ctx, Query{Period: per, Programme: p.ID, Area: area}, FormatXLSX, now)
			if err != nil {
				return "", fmt.Errorf("report %s %s: %w", p.Code, per, err)
			}
			created, err := s.archive.SaveArchived(ctx, jobActor, a)
			if err != nil {
				return "", err
			}
			if created {
				made = append(made, a.FileName)
			}
		}
	}
	switch {
	case len(made) > 3:
		notes = append(notes, fmt.Sprintf("archived %d reports: %s ... %s", len(made), made[0], made[len(made)-1]))
	case len(made) > 0:
		notes = append(notes, "archived "+strings.Join(made, ", "))
	}
	if len(notes) == 0 {
		return "nothing to do", nil
	}
	return strings.Join(notes, "; "), nil
}

// produce resolves, builds and renders one report as of now.
func (s *Service) produce(ctx context.Context, q Query, format string, now time.Time) (*Archived, error) {
	if err := s.resolveAt(ctx, &q, now); err != nil {
		return nil, err
	}
	rep, err := s.Build(ctx, q)
	if err != nil {
		return nil, err
	}
	content, err := Render(rep, format)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(content)
	return &Archived{Period: rep.Period, AreaCode: rep.AreaCode, ProgrammeID: rep.ProgrammeID, Format: format,
		FileName: FileName(rep.Period, rep.AreaCode, format), GeneratedAt: now.UTC(), GeneratedBy: jobActor,
		SizeBytes: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), Content: content}, nil
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

// FindArchived implements Archive.
func (m *MemoryArchive) FindArchived(_ context.Context, areaPath string, limit int) ([]*Archived, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Archived
	for i := len(m.items) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		x := m.items[i]
		if areaPath != "" && (m.AreaPath == nil || !strings.HasPrefix(m.AreaPath(x.AreaCode), areaPath)) {
			continue
		}
		c := *x
		c.Content = nil
		out = append(out, &c)
	}
	return out, nil
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
