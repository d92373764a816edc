package record

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"kiemtra/models"
)

// Store is what records read and write.
type Store interface {
	models.RecordStore
	FindInspectionByID(ctx context.Context, id string) (*models.Inspection, error)
	FindAmendments(ctx context.Context, id string) ([]*models.Inspection, error)
	FindFindings(ctx context.Context, inspectionIDs []string) ([]*models.Finding, error)
	FindBusinessByID(ctx context.Context, id string) (*models.Business, error)
	FindTeamByID(ctx context.Context, id string) (*models.Team, error)
	FindTaskByID(ctx context.Context, id string) (*models.Task, error)
	FindPlanByID(ctx context.Context, id string) (*models.Plan, error)
	FindUserByID(ctx context.Context, id string) (*models.User, error)
	FindAgencies(ctx context.Context) ([]*models.Agency, error)
}

// Config holds the service's dependencies.
type Config struct {
	Store Store
	// Checklist is the checklist a record prints when Versions is nil or does not know the
	// version its inspection names.
	Checklist *models.Checklist
	// Versions reads the checklist version an inspection was answered on, so that its record
	// prints that version's questions and references.
	Versions   ChecklistVersions
	Violations []models.ViolationType
	Reference  *models.Reference
	Location   *time.Location
	Now        func() time.Time
}

// ChecklistVersions reads stored checklist versions (the store).
type ChecklistVersions interface {
	FindChecklistVersion(ctx context.Context, version int) (*models.ChecklistVersion, error)
}

// Service builds, signs and renders inspection records.
type Service struct {
	store      Store
	versions   ChecklistVersions
	checklist  *models.Checklist
	violations []models.ViolationType
	ref        *models.Reference
	loc        *time.Location
	now        func() time.Time
}

// New returns a record service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, versions: cfg.Versions, checklist: cfg.Checklist, violations: cfg.Violations, ref: cfg.Reference, loc: cfg.Location, now: cfg.Now}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Printed is a record ready to print: its content, whether it was signed, and the signature
// images.
type Printed struct {
	Doc                     *Doc
	Hash                    string // SHA-256 of the content; the audit log holds it for a signed record
	InspectorSignature      []byte
	RepresentativeSignature []byte
	SignedAt                time.Time // zero when not signed
}

// PDF renders the record of the latest version of the inspection in (see Latest), dated when
// it was signed.
func (s *Service) PDF(ctx context.Context, in *models.Inspection) ([]byte, *Printed, error) {
	p, err := s.Latest(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	at := p.SignedAt
	if at.IsZero() {
		at = s.now()
	}
	b, err := Render(p, at)
	return b, p, err
}

// Latest returns the record of the latest version of the inspection id (the original or any
// of its amendments): the signed content when that version was signed, else its content as the
// data stands now, unsigned.
func (s *Service) Latest(ctx context.Context, in *models.Inspection) (*Printed, error) {
	origID := in.ID
	if in.AmendsID != nil {
		origID = *in.AmendsID
	}
	orig := in
	if origID != in.ID {
		var err error
		if orig, err = s.store.FindInspectionByID(ctx, origID); err != nil {
			return nil, err
		}
	}
	amends, err := s.store.FindAmendments(ctx, origID)
	if err != nil {
		return nil, err
	}
	latest, version := orig, 1
	if len(amends) > 0 {
		latest, version = amends[len(amends)-1], len(amends)+1
	}
	rec, err := s.store.FindInspectionRecord(ctx, latest.ID)
	if err == nil {
		var d Doc
		if err := json.Unmarshal([]byte(rec.Content), &d); err != nil {
			return nil, fmt.Errorf("reading the record of %s: %w", latest.ID, err)
		}
		return &Printed{Doc: &d, Hash: rec.RecordSHA256, InspectorSignature: rec.InspectorSignature, RepresentativeSignature: rec.RepresentativeSignature, SignedAt: rec.CreatedAt}, nil
	}
	if !models.IsCode(err, models.ENOTFOUND) {
		return nil, err
	}
	d, err := s.build(ctx, latest, version, nil, nil)
	if err != nil {
		return nil, err
	}
	h, _, err := d.Hash()
	if err != nil {
		return nil, err
	}
	return &Printed{Doc: d, Hash: h}, nil
}

// doc builds the content of the record rec of inspection version in.
func (s *Service) doc(ctx context.Context, in *models.Inspection, rec *models.InspectionRecord, signer *models.User) (*Doc, error) {
	version := 1
	if in.AmendsID != nil {
		amends, err := s.store.FindAmendments(ctx, *in.AmendsID)
		if err != nil {
			return nil, err
		}
		for i, a := range amends {
			if a.ID == in.ID {
				version = i + 2
			}
		}
	}
	return s.build(ctx, in, version, rec, signer)
}

func (s *Service) build(ctx context.Context, in *models.Inspection, version int, rec *models.InspectionRecord, signer *models.User) (*Doc, error) {
	f := Facts{Inspection: in, Version: version, Record: rec, Signer: signer, Checklist: s.checklist, Violations: s.violations, Reference: s.ref,
		Location: s.loc, Agencies: map[string]*models.Agency{}}
	if s.versions != nil && in.ChecklistVersion > 0 {
		v, err := s.versions.FindChecklistVersion(ctx, in.ChecklistVersion)
		switch {
		case err == nil:
			f.Checklist = &v.Checklist
		case !models.IsCode(err, models.ENOTFOUND):
			return nil, err
		}
	}
	var err error
	if f.Findings, err = s.store.FindFindings(ctx, []string{in.ID}); err != nil {
		return nil, err
	}
	if f.Business, err = s.store.FindBusinessByID(ctx, in.BusinessID); err != nil {
		return nil, err
	}
	if in.TeamID != nil {
		if f.Team, err = s.store.FindTeamByID(ctx, *in.TeamID); err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return nil, err
		}
	}
	if in.TaskID != nil {
		if f.Task, err = s.store.FindTaskByID(ctx, *in.TaskID); err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return nil, err
		}
		if f.Task != nil && f.Task.PlanID != nil {
			if f.Plan, err = s.store.FindPlanByID(ctx, *f.Task.PlanID); err != nil && !models.IsCode(err, models.ENOTFOUND) {
				return nil, err
			}
		}
	}
	var ids []string
	if in.Members != "" {
		if err := json.Unmarshal([]byte(in.Members), &ids); err != nil {
			return nil, fmt.Errorf("reading the members of %s: %w", in.ID, err)
		}
	}
	for _, id := range ids {
		u, err := s.store.FindUserByID(ctx, id)
		if models.IsCode(err, models.ENOTFOUND) {
			continue
		}
		if err != nil {
			return nil, err
		}
		f.Members = append(f.Members, u)
	}
	agencies, err := s.store.FindAgencies(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range agencies {
		f.Agencies[a.Code] = a
	}
	return Build(f)
}
