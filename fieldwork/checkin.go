package fieldwork

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"time"

	"github.com/google/uuid"

	"kiemtra/geo"
	"kiemtra/models"
)

// Check-in rules.
const (
	OnSiteRadiusM   = 100  // a check-in within this distance plus the accuracy is on site
	MaxAccuracyM    = 250  // reported accuracy counts up to this much
	MaxSpeedKmh     = 60.0 // faster than this between two places is impossible by motorbike in town
	ClockSkew       = 5 * time.Minute
	MaxCheckinDelay = 14 * 24 * time.Hour // a queued check-in older than this is refused
)

// CheckinInput is what the phone sends on arrival. Pointers tell a missing field from a zero.
type CheckinInput struct {
	ID        string     `json:"id"` // the phone's id for the check-in; optional, makes retries safe
	Lat       *float64   `json:"lat"`
	Lon       *float64   `json:"lon"`
	AccuracyM *float64   `json:"accuracy_m"`
	At        *time.Time `json:"at"`
	Mocked    bool       `json:"mocked"`
}

// CheckinResult answers a check-in.
type CheckinResult struct {
	ID        string    `json:"id"`
	TaskID    string    `json:"task_id"`
	DistanceM float64   `json:"distance_m"`
	OnSite    bool      `json:"on_site"`
	Flags     []string  `json:"flags"`
	ServerAt  time.Time `json:"server_at"`
}

func checkinResult(c *models.Checkin) *CheckinResult {
	return &CheckinResult{ID: c.ID, TaskID: c.TaskID, DistanceM: c.DistanceM, OnSite: c.OnSite, Flags: models.ParseFlags(c.Flags), ServerAt: c.ServerAt}
}

// Validate checks the fields of a check-in and names the wrong ones.
func (in *CheckinInput) Validate(now time.Time) error {
	var v models.Validation
	if in.ID != "" {
		if _, err := uuid.Parse(in.ID); err != nil {
			v.Add("id", "must be a UUID", "phải là một UUID")
		}
	}
	switch {
	case in.Lat == nil:
		v.Add("lat", "is required", "không được để trống")
	case math.IsNaN(*in.Lat) || *in.Lat < -90 || *in.Lat > 90:
		v.Add("lat", "must be between -90 and 90", "phải nằm trong khoảng -90 đến 90")
	}
	switch {
	case in.Lon == nil:
		v.Add("lon", "is required", "không được để trống")
	case math.IsNaN(*in.Lon) || *in.Lon < -180 || *in.Lon > 180:
		v.Add("lon", "must be between -180 and 180", "phải nằm trong khoảng -180 đến 180")
	}
	switch {
	case in.AccuracyM == nil:
		v.Add("accuracy_m", "is required", "không được để trống")
	case math.IsNaN(*in.AccuracyM) || *in.AccuracyM < 0 || *in.AccuracyM > 100000:
		v.Add("accuracy_m", "must be between 0 and 100000 metres", "phải từ 0 đến 100000 mét")
	}
	switch {
	case in.At == nil:
		v.Add("at", "is required: the time on the phone when the team arrived", "là bắt buộc: thời điểm đến nơi theo điện thoại")
	case in.At.After(now.Add(ClockSkew)):
		v.Add("at", "is in the future", "là thời điểm trong tương lai")
	case in.At.Before(now.Add(-MaxCheckinDelay)):
		v.Add("at", "is more than 14 days ago", "đã quá 14 ngày")
	}
	return v.Err()
}

// OnSite decides whether a position is at the business: within 100 m plus the reported
// accuracy, the accuracy counting up to 250 m.
func OnSite(distanceM, accuracyM float64) bool {
	return distanceM <= OnSiteRadiusM+math.Min(accuracyM, MaxAccuracyM)
}

// Checkin records a team's arrival. It is accepted wherever the phone is (an off-site check-in
// is flagged, never dropped). A retry with the same id and body by the same team answers the
// first result (created false), as a result's retry does; the same id with another body, or
// from another team, is a conflict.
func (s *Service) Checkin(ctx context.Context, c Caller, taskID string, in CheckinInput) (*CheckinResult, bool, error) {
	now := s.now()
	if err := in.Validate(now); err != nil {
		return nil, false, err
	}
	body, _ := json.Marshal(struct {
		TaskID string
		In     CheckinInput
	}{taskID, in})
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if in.ID != "" {
		prev, err := s.store.FindCheckin(ctx, in.ID)
		if err == nil {
			// The team owns a check-in, as it owns a result (see replay): a teammate's
			// identical copy is a retry, not a clash.
			if prev.BodySHA256 != hash || prev.TeamID == nil || *prev.TeamID != c.TeamID {
				return nil, false, models.NewError(models.ECONFLICT, "check-in %s was already recorded with different content", "lượt điểm danh %s đã được ghi với nội dung khác", in.ID)
			}
			return checkinResult(prev), false, nil
		} else if !models.IsCode(err, models.ENOTFOUND) {
			return nil, false, err
		}
	}
	task, day, err := s.taskForTeam(ctx, c, taskID)
	if err != nil {
		return nil, false, err
	}
	b, err := s.store.FindBusinessByID(ctx, task.BusinessID)
	if err != nil {
		return nil, false, err
	}
	id := in.ID
	if id == "" {
		id = uuid.NewString()
	}
	team := c.TeamID
	ck := &models.Checkin{ID: id, TaskID: task.ID, TeamID: &team, UserID: c.UserID, Lat: *in.Lat, Lon: *in.Lon, AccuracyM: *in.AccuracyM,
		Mocked: in.Mocked, ClientAt: in.At.UTC(), ServerAt: now.UTC().Truncate(time.Microsecond), BodySHA256: hash}
	ck.DistanceM = math.Round(geo.DistanceM(ck.Lat, ck.Lon, b.Lat, b.Lon)*10) / 10
	ck.OnSite = OnSite(ck.DistanceM, ck.AccuracyM)
	var flags models.Flags
	if !ck.OnSite {
		flags.Add(models.FlagOffSite)
	}
	if in.Mocked {
		flags.Add(models.FlagMocked)
	}
	if ck.AccuracyM == 0 {
		flags.Add(models.FlagZeroAccuracy)
	}
	if models.DateOf(in.At.In(s.loc)) != day {
		flags.Add(models.FlagOutsideTaskDay)
	}
	prev, err := s.store.PreviousTeamCheckin(ctx, team, ck.ClientAt)
	if err != nil && !models.IsCode(err, models.ENOTFOUND) {
		return nil, false, err
	}
	if prev != nil && ImpossibleTravel(prev.Lat, prev.Lon, prev.ClientAt, ck.Lat, ck.Lon, ck.ClientAt) {
		flags.Add(models.FlagImpossibleTravel)
	}
	ck.Flags = flags.String()
	if err := s.store.CreateCheckin(ctx, c.Username, ck); err != nil {
		if models.IsCode(err, models.ECONFLICT) && in.ID != "" {
			// Two copies of one retry raced; the first one stored decides.
			return s.Checkin(ctx, c, taskID, in)
		}
		return nil, false, err
	}
	return checkinResult(ck), true, nil
}

// ImpossibleTravel reports whether going from one check-in to the next would take a motorbike
// faster than 60 km/h in a straight line. Short hops (under 2 km, GPS noise and neighbours) are
// never flagged.
func ImpossibleTravel(lat1, lon1 float64, t1 time.Time, lat2, lon2 float64, t2 time.Time) bool {
	d := geo.DistanceM(lat1, lon1, lat2, lon2)
	if d < 2000 {
		return false
	}
	hours := math.Abs(t2.Sub(t1).Hours())
	if hours == 0 {
		return true
	}
	return d/1000/hours > MaxSpeedKmh
}
