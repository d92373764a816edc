package tips

import (
	"context"
	"time"

	"kiemtra/models"
)

// UrgentTipNotifications are the notifications of a tip classified urgent: every enabled
// member of the team sent (inspectors and its leads) finds the visit in the app and as a
// push on their phone, and each lead of the team gets an e-mail (and SMS or Zalo if switched
// on). They name the business, its address and category, the team and the day, and link to
// the task: never the tip's text (the public writes names and phone numbers in it) nor
// anything of its reporter. The in-app and push ones pass the recipients' quiet hours: the
// team goes today, and a visit that waits the night has lost its point; the lead's e-mail
// waits for the morning like any other, the lead having the in-app one at once.
func UrgentTipNotifications(t *models.Tip, task *models.Task, b *models.Business, team *models.Team, users []*models.User) []*models.Notification {
	params := models.NotificationParams{
		"business_name":    b.Name,
		"business_address": b.Address,
		"category":         b.Category,
		"team_name":        team.Name,
		"day":              task.ReleasedOn.String(),
		"task_id":          task.ID,
	}
	key := models.NotifyUrgentTip + ":" + t.ID
	var out []*models.Notification
	for _, u := range users {
		if u.Disabled || u.TeamID == nil || *u.TeamID != team.ID {
			continue
		}
		link := "/app/#/task/" + task.ID
		switch u.Role {
		case models.RoleInspector:
		case models.RoleTeamLead:
			link = "/office/#/team/day/" + task.ReleasedOn.String()
		default:
			continue
		}
		for _, ch := range models.FieldChannels {
			out = append(out, &models.Notification{UserID: u.ID, Channel: ch, Kind: models.NotifyUrgentTip, EventKey: key, Params: params, Link: link, BypassQuiet: true})
		}
		if u.Role == models.RoleTeamLead {
			for _, ch := range models.OfficeChannels[1:] { // e-mail, SMS, Zalo: the list is above
				out = append(out, &models.Notification{UserID: u.ID, Channel: ch, Kind: models.NotifyUrgentTip, EventKey: key, Params: params, Link: link})
			}
		}
	}
	return out
}

// TipOverdueNotifications are the notifications of a missed deadline: the tip officer who last
// worked the tip (classified, verified or received it) and the planners it is escalated to
// (chain) read it in the app and by e-mail. They name the deadline, when it was due (in the
// users' zone, as "15:04 02/01/2006"), the severity and the place (the business's name or the
// area's), never the tip's text or its reporter; the link opens the tip on the office's tip desk.
func TipOverdueNotifications(t *models.Tip, m Missed, place string, chain []planner, users []*models.User, loc *time.Location) []*models.Notification {
	params := models.NotificationParams{
		"deadline": m.Deadline,
		"due":      m.Due.In(loc).Format("15:04 02/01/2006"),
		"severity": t.Severity,
		"place":    place,
		"tip_id":   t.ID,
	}
	key := models.NotifyTipOverdue + ":" + t.ID + ":" + m.Deadline + ":" + m.Due.UTC().Format("20060102T150405")
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	add(lastOfficer(t, users))
	for _, p := range chain {
		add(p.id)
	}
	var out []*models.Notification
	for _, id := range ids {
		for _, ch := range models.OfficeChannels {
			out = append(out, &models.Notification{UserID: id, Channel: ch, Kind: models.NotifyTipOverdue, EventKey: key, Params: params, Link: "/office/#/tips/" + t.ID})
		}
	}
	return out
}

// TipDueSoonNotifications warn, in the app and by e-mail, the tip officer who last worked tip t
// (or every enabled tip officer when nobody has: a tip from the public form waiting to be
// verified) that its next deadline d is near. The same params as TipOverdueNotifications.
func TipDueSoonNotifications(t *models.Tip, d Missed, place string, users []*models.User, loc *time.Location) []*models.Notification {
	params := models.NotificationParams{"deadline": d.Deadline, "due": d.Due.In(loc).Format("15:04 02/01/2006"), "severity": t.Severity, "place": place, "tip_id": t.ID}
	key := models.NotifyTipDueSoon + ":" + t.ID + ":" + d.Deadline + ":" + d.Due.UTC().Format("20060102T150405")
	officer := lastOfficer(t, users)
	var out []*models.Notification
	for _, u := range users {
		if u.Disabled || u.Role != models.RoleTipOfficer || (officer != "" && u.ID != officer) {
			continue
		}
		for _, ch := range models.OfficeChannels {
			out = append(out, &models.Notification{UserID: u.ID, Channel: ch, Kind: models.NotifyTipDueSoon, EventKey: key, Params: params, Link: "/office/#/tips/" + t.ID})
		}
	}
	return out
}

// lastOfficer is the id of the enabled tip officer who last worked t (classified, verified or
// received it), or "".
func lastOfficer(t *models.Tip, users []*models.User) string {
	for _, name := range []string{t.ClassifiedBy, t.VerifyingBy, t.ReceivedBy} {
		if name == "" {
			continue
		}
		for _, u := range users {
			if u.Username == name && !u.Disabled && u.Role == models.RoleTipOfficer {
				return u.ID
			}
		}
		return ""
	}
	return ""
}

// placeName names a tip's place for a notification: its business, else its area, else "".
func (s *Service) placeName(ctx context.Context, t *models.Tip) string {
	if t.BusinessID != nil {
		if b, err := s.store.FindBusinessByID(ctx, *t.BusinessID); err == nil {
			return b.Name
		}
	}
	if t.AreaCode != nil {
		if a, err := s.store.FindAreaByCode(ctx, *t.AreaCode); err == nil {
			return a.Name
		}
	}
	return ""
}
