package models

import (
	"context"
	"slices"
	"strings"
	"time"
)

// InspectionReview is a team lead's mark that a version of a team's inspection was looked at.
// The original result is version 1 and each correction adds one: a result corrected after its
// review is to be reviewed again.
type InspectionReview struct {
	ID           string    `json:"id" gorm:"primaryKey"`
	InspectionID string    `json:"inspection_id"` // the original result
	TeamID       string    `json:"team_id"`
	Version      int       `json:"version"`
	Note         string    `json:"note"`
	ReviewedBy   string    `json:"reviewed_by"` // username
	ReviewedAt   time.Time `json:"reviewed_at"`
}

// TableName is the table of reviews.
func (InspectionReview) TableName() string { return "inspection_reviews" }

// MaxReviewNote is the longest review note, in characters.
const MaxReviewNote = 2000

// Validate checks a review's note and version.
func (r *InspectionReview) Validate() error {
	var v Validation
	if r.Version < 1 {
		v.Add("version", "is required: send the version of the inspection you read", "là bắt buộc: gửi phiên bản kết quả kiểm tra bạn đã xem")
	}
	if n := len([]rune(r.Note)); n > MaxReviewNote {
		v.Add("note", "is %d characters long; at most %d", "dài %d ký tự; tối đa %d", n, MaxReviewNote)
	}
	return v.Err()
}

// Review flags: what a team lead should look at in a team's inspection.
const (
	ReviewViolation = "violation" // violations were found
	ReviewOffSite   = "off_site"  // no check-in at the business (none, or farther than the on-site radius)
	ReviewAmended   = "amended"   // the result was corrected after it was sent
	ReviewNoPhotos  = "no_photos" // an inspection that got in has no photo
)

// TeamInspection is a team's inspection as its lead reviews it: the original result, its latest
// version, what the latest version found, how many photos the versions carry, and the latest
// review (nil when never reviewed).
type TeamInspection struct {
	Original *Inspection
	Latest   *Inspection // the original when never corrected
	Version  int         // 1 + the number of corrections
	Business *Business
	Findings []*Finding // of the latest version
	Photos   int
	Review   *InspectionReview
}

// ReviewFlags lists what deserves the lead's look, in a fixed order.
func (ti *TeamInspection) ReviewFlags() []string {
	out := []string{}
	if ti.Latest.Outcome == OutcomeViolation || len(ti.Findings) > 0 {
		out = append(out, ReviewViolation)
	}
	flags := ParseFlags(ti.Original.Flags)
	if slices.Contains(flags, FlagNoCheckin) || slices.Contains(flags, FlagOffSite) || strings.Contains(ti.Latest.Flags, FlagNoCheckin) {
		out = append(out, ReviewOffSite)
	}
	if ti.Version > 1 {
		out = append(out, ReviewAmended)
	}
	if Inspected(ti.Latest.Outcome) && ti.Photos == 0 {
		out = append(out, ReviewNoPhotos)
	}
	return out
}

// Reviewed reports whether the latest version has been reviewed.
func (ti *TeamInspection) Reviewed() bool { return ti.Review != nil && ti.Review.Version == ti.Version }

// TaskResult is the result of a task's visit: when the original was finished and what its latest
// version says.
type TaskResult struct {
	InspectionID string  // the original
	TeamID       *string // the team that sent it
	FinishedAt   time.Time
	Outcome      string // of the latest version
}

// TeamWork is what a team was given over a period and what became of it: every decision of the
// tasks decided for the team in the period (of any team and any day, so that a day can tell a
// task taken back or visited later), the tasks it visited in the period without a decision, those
// tasks as they are now with their businesses, their results, and the tasks their visits queued
// (follow-ups of violations, repeats of failed visits).
type TeamWork struct {
	Decisions  []*AssignmentDecision // by day, then decision time
	Tasks      map[string]*Task
	Businesses map[string]*Business
	Results    map[string]*TaskResult // by task
	Queued     map[string][]*Task     // by parent task
}

// ReviewStore keeps the team leads' reviews and reads what they review.
type ReviewStore interface {
	// FindTeamWork returns the team's work decided for the days from..to (both included).
	// Visits the team recorded in the period without a decision for them are included.
	FindTeamWork(ctx context.Context, teamID string, from, to Date, loc *time.Location) (*TeamWork, error)
	// FindTeamInspections returns the team's original results finished in [from, to), newest
	// first, at most limit, with their latest versions, findings, photos and latest review.
	FindTeamInspections(ctx context.Context, teamID string, from, to time.Time, limit int) ([]*TeamInspection, error)
	// FindTeamInspection is FindTeamInspections for one original result (not_found when unknown).
	FindTeamInspection(ctx context.Context, id string) (*TeamInspection, error)
	// ReviewInspection records a review of the version r.Version of r.InspectionID. created is
	// false when the same reviewer already recorded the same note for that version (a retry):
	// the stored review is returned. conflict when that version was reviewed otherwise.
	ReviewInspection(ctx context.Context, actor string, r *InspectionReview) (stored *InspectionReview, created bool, err error)
}
