package fieldwork

import "kiemtra/models"

// Rejected is a result the server refused when the phone synced it: what it was, its id, the
// task it belongs to, the business's name (when known), and why by the error's code and field.
type Rejected struct {
	Operation    string // checkin, inspection or record
	ID           string // the check-in's, the inspection's, or the inspection of a record
	TaskID       string
	BusinessName string
	Code         string // a models error code
	Field        string // the field refused, or ""
}

// RejectedNotifications are the notifications of a result the server refused: the inspector
// who sent it reads it in the app's list and as a push, so that a result waiting for
// correction in the phone's queue is not forgotten. They carry the code and the field, never
// the error's message (it may repeat what was typed), and link to the app's queue. The event
// is the result and the reason: the same batch sent twice notifies once, a result refused
// again for another reason notifies again. A result with neither id nor task is not notified:
// nothing would tell two of them apart.
func RejectedNotifications(userID string, r Rejected) []*models.Notification {
	ref := r.ID
	if ref == "" && r.TaskID != "" {
		ref = "task-" + r.TaskID
	}
	if userID == "" || ref == "" || r.Code == "" {
		return nil
	}
	switch r.Operation {
	case "checkin", "inspection", "record":
	default:
		return nil
	}
	params := models.NotificationParams{"operation": r.Operation, "id": r.ID, "task_id": r.TaskID, "code": r.Code}
	if r.BusinessName != "" {
		params["business_name"] = r.BusinessName
	}
	if r.Field != "" {
		params["field"] = r.Field
	}
	key := models.NotifyResultRejected + ":" + r.Operation + ":" + ref + ":" + r.Code + ":" + r.Field
	out := make([]*models.Notification, 0, len(models.FieldChannels))
	for _, ch := range models.FieldChannels {
		out = append(out, &models.Notification{UserID: userID, Channel: ch, Kind: models.NotifyResultRejected, EventKey: key, Params: params, Link: "/app/#/queue"})
	}
	return out
}
