package indicators

import (
	"context"

	"kiemtra/models"
)

// ReportNotes are the difficulties and proposals the lead department writes into the official
// report of a period (empty, version 0, until written).
func (s *Service) ReportNotes(ctx context.Context, p *models.Programme, per models.ReportingPeriod) (*models.ReportNotes, error) {
	return s.store.FindReportNotes(ctx, p.ID, per.String())
}

// SaveReportNotes replaces the notes of a period when in.Version is current (invalid: the
// items; conflict).
func (s *Service) SaveReportNotes(ctx context.Context, actor string, p *models.Programme, per models.ReportingPeriod, in models.ReportNotesInput) (*models.ReportNotes, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.store.SaveReportNotes(ctx, actor, p.ID, per.String(), in.Version, in.Difficulties, in.Proposals)
}
