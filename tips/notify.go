package tips

import (
	"kiemtra/models"
)

// UrgentTipNotifications are the notifications of a tip classified urgent: every enabled
// member of the team sent (inspectors and its leads) finds the visit in the app, and each lead
// of the team gets an e-mail. They name the business, its address and category, the team and
// the day, and link to the task: never the tip's text (the public writes names and phone
// numbers in it) nor anything of its reporter. The in-app ones pass the recipients' quiet
// hours: the team goes today, and a visit that waits the night has lost its point; the lead's
// e-mail waits for the morning like any other, the lead having the in-app one at once.
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
		switch u.Role {
		case models.RoleInspector:
			out = append(out, &models.Notification{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: key,
				Params: params, Link: "/app/#/task/" + task.ID, BypassQuiet: true})
		case models.RoleTeamLead:
			link := "/office/#/team/day/" + task.ReleasedOn.String()
			out = append(out,
				&models.Notification{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: key, Params: params, Link: link, BypassQuiet: true},
				&models.Notification{UserID: u.ID, Channel: models.ChannelEmail, Kind: models.NotifyUrgentTip, EventKey: key, Params: params, Link: link})
		}
	}
	return out
}
