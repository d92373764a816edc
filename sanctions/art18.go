package sanctions

import (
	"context"
	"fmt"
	"time"

	"kiemtra/models"
)

// Art18Window is the period in which two sanctions on security and order withdraw the
// certificate (Decree 96/2016 Art. 18.2: "within one year").
const Art18Window = 12 // months

// Art18Due reports whether a business's decided sanctions meet Decree 96/2016 Art. 18.2 on
// today: at least two on security and order decided in the 12 months up to today. reason names
// the decisions as the police read them.
func Art18Due(decided []*models.Sanction, today models.Date) (bool, string) {
	since := models.DateOf(today.Time(time.UTC).AddDate(0, -Art18Window, 0))
	var nos []string
	for _, s := range decided {
		if !s.SecurityOrder || !s.Decided() || s.DecisionDate.Before(since) || s.DecisionDate.After(today) {
			continue
		}
		nos = append(nos, fmt.Sprintf("%s (%s)", s.DecisionNo, s.DecisionDate))
	}
	if len(nos) < 2 {
		return false, ""
	}
	return true, fmt.Sprintf("%d security-and-order sanctions in 12 months: %v", len(nos), nos)
}

// CertificateJob is the nightly rule: it raises FlagArt18 on the certificate of each business
// that meets Decree 96/2016 Art. 18.2, once, for the police to withdraw it. The rule's other
// condition (no quarterly report to the police for four quarters) is not recorded by kiemtra.
type CertificateJob struct {
	Service *Service
}

// Name is the job's name in job_runs.
func (j *CertificateJob) Name() string { return "certificate_flags" }

// Run checks every business sanctioned on security and order in the last 12 months.
func (j *CertificateJob) Run(ctx context.Context, now time.Time) (string, error) {
	s := j.Service
	today := models.DateOf(now.In(s.loc))
	since := models.DateOf(today.Time(time.UTC).AddDate(0, -Art18Window, 0))
	list, err := s.store.SecuritySanctionsSince(ctx, since)
	if err != nil {
		return "", err
	}
	byBusiness := map[string][]*models.Sanction{}
	var order []string
	for _, sn := range list {
		if _, ok := byBusiness[sn.BusinessID]; !ok {
			order = append(order, sn.BusinessID)
		}
		byBusiness[sn.BusinessID] = append(byBusiness[sn.BusinessID], sn)
	}
	raised := 0
	for _, id := range order {
		due, reason := Art18Due(byBusiness[id], today)
		if !due {
			continue
		}
		ok, err := s.store.FlagCertificate(ctx, "scheduler", id, models.FlagArt18, reason)
		if err != nil {
			return "", fmt.Errorf("flag %s: %w", id, err)
		}
		if ok {
			raised++
		}
	}
	return fmt.Sprintf("%d businesses checked, %d flags raised", len(order), raised), nil
}
