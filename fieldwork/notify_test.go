package fieldwork

import (
	"testing"

	"kiemtra/models"
)

func TestARejectedResultNotifiesItsSenderOnTheFieldChannels(t *testing.T) {
	for _, c := range []struct {
		name string
		user string
		r    Rejected
		key  string // "" for no notification
		want models.NotificationParams
	}{
		{"an inspection refused for a field", "U1",
			Rejected{Operation: "inspection", ID: "I1", TaskID: "T1", BusinessName: "Karaoke Ánh Dương", Code: models.EINVALID, Field: "outcome"},
			"result_rejected:inspection:I1:invalid:outcome",
			models.NotificationParams{"operation": "inspection", "id": "I1", "task_id": "T1", "business_name": "Karaoke Ánh Dương", "code": "invalid", "field": "outcome"}},
		{"a record in conflict, its business unknown", "U1",
			Rejected{Operation: "record", ID: "I1", Code: models.ECONFLICT},
			"result_rejected:record:I1:conflict:",
			models.NotificationParams{"operation": "record", "id": "I1", "task_id": "", "code": "conflict"}},
		{"a check-in without an id is its task's", "U1",
			Rejected{Operation: "checkin", TaskID: "T9", Code: models.ENOTFOUND, Field: "task"},
			"result_rejected:checkin:task-T9:not_found:task",
			models.NotificationParams{"operation": "checkin", "id": "", "task_id": "T9", "code": "not_found", "field": "task"}},
		{"an operation of no known type", "U1", Rejected{Operation: "photo", ID: "P", Code: models.EINVALID}, "", nil},
		{"an operation with neither id nor task", "U1", Rejected{Operation: "checkin", Code: models.EINVALID}, "", nil},
		{"no sender", "", Rejected{Operation: "inspection", ID: "I1", Code: models.EINVALID}, "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := RejectedNotifications(c.user, c.r)
			if c.key == "" {
				if len(got) != 0 {
					t.Fatalf("notified %+v", got[0])
				}
				return
			}
			if len(got) != len(models.FieldChannels) {
				t.Fatalf("%d notifications, want one per field channel", len(got))
			}
			for i, n := range got {
				if n.UserID != c.user || n.Channel != models.FieldChannels[i] || n.Kind != models.NotifyResultRejected || n.EventKey != c.key || n.Link != "/app/#/queue" {
					t.Errorf("notification %d: %+v", i, n)
				}
				if len(n.Params) != len(c.want) {
					t.Errorf("params %v, want %v", n.Params, c.want)
				}
				for k, v := range c.want {
					if n.Params[k] != v {
						t.Errorf("param %s = %q, want %q", k, n.Params[k], v)
					}
				}
			}
		})
	}
}
