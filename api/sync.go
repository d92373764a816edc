package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/fieldwork"
	"kiemtra/models"
	"kiemtra/record"
)

// SyncInput is a batch of operations a phone queued while offline, in the order they happened.
// Each operation is decoded on its own (see SyncOperation), so that one that is malformed is
// refused alone.
type SyncInput struct {
	Operations []json.RawMessage `json:"operations"`
}

// SyncOperation is one queued write.
type SyncOperation struct {
	Type   string          `json:"type"`    // checkin, inspection or record (signed after its inspection)
	TaskID string          `json:"task_id"` // for a check-in
	Body   json.RawMessage `json:"body"`    // what the single endpoint takes
}

// SyncResult answers one operation: applied (done now), duplicate (done before: the stored
// result), rejected (with the reason; the phone keeps it for correction) or failed (the server
// could not store it now, a fault or an outage; nothing of it is stored and the phone sends it
// again later, unchanged).
type SyncResult struct {
	Index      int           `json:"index"`
	Type       string        `json:"type"`
	ID         string        `json:"id"`
	Status     string        `json:"status"`
	HTTPStatus int           `json:"http_status"`
	Error      *ErrorPayload `json:"error"`
	Result     any           `json:"result"`
}

// MaxSyncOperations bounds a batch: a day's work is a few dozen.
const MaxSyncOperations = 500

// sync applies each operation on its own, in order, each in its own transaction: one bad item
// does not stop the others, an item the server fails to store does not either, and a batch sent
// twice is answered with duplicates.
func (s *Server) sync(c *gin.Context) {
	body, err := readJSONBody(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var in SyncInput
	if err := decodeJSON(body, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if len(in.Operations) == 0 {
		s.writeError(c, models.Invalid("operations", "is empty", "không có thao tác nào"))
		return
	}
	if len(in.Operations) > MaxSyncOperations {
		s.writeError(c, models.Invalid("operations", "at most %d operations per batch", "tối đa %d thao tác mỗi lần gửi", MaxSyncOperations))
		return
	}
	ctx := c.Request.Context()
	results := make([]SyncResult, 0, len(in.Operations))
	for i, raw := range in.Operations {
		r, err := s.syncOne(c, i, raw)
		if err != nil && ctx.Err() != nil {
			// The phone went away: it sends the batch again and nobody reads this answer.
			s.writeError(c, err)
			return
		}
		results = append(results, r)
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
}

// syncOne applies operation i and answers its result; err is the failure, if any, already
// described in the result.
func (s *Server) syncOne(c *gin.Context, i int, raw json.RawMessage) (SyncResult, error) {
	ctx := c.Request.Context()
	who := caller(c)
	r := SyncResult{Index: i}
	var (
		op      SyncOperation
		created bool
		out     any
	)
	prefix := "operations[" + strconv.Itoa(i) + "]"
	err := decodeStrict(raw, &op)
	if err != nil {
		err = syncOperationError(prefix, err)
	}
	r.Type = op.Type
	if err == nil {
		switch op.Type {
		case "checkin":
			var body fieldwork.CheckinInput
			if op.TaskID == "" {
				err = models.Invalid(prefix+".task_id", "is required for a check-in", "là bắt buộc với lượt điểm danh")
			} else if err = decodeStrict(op.Body, &body); err == nil {
				r.ID = body.ID
				var res *fieldwork.CheckinResult
				res, created, err = s.fieldwork.Checkin(ctx, who, op.TaskID, body)
				if res != nil {
					out, r.ID = res, res.ID
				}
			}
		case "inspection":
			var body fieldwork.InspectionInput
			if err = decodeStrict(op.Body, &body); err == nil {
				r.ID = body.ID
				var res *fieldwork.InspectionView
				res, created, err = s.fieldwork.SubmitInspection(ctx, who, body)
				if res != nil {
					out = res
				}
			}
		case "record":
			var body record.Input
			if err = decodeStrict(op.Body, &body); err == nil {
				r.ID = body.InspectionID
				var res *models.InspectionRecord
				res, created, err = s.records.Sign(ctx, recordCaller(c), body)
				if res != nil {
					out = res
				}
			}
		default:
			err = models.Invalid(prefix+".type", "must be checkin, inspection or record", "phải là checkin, inspection hoặc record")
		}
	}
	vi := wantsVietnamese(c)
	var e *models.Error
	if err != nil {
		e = s.classify(err)
	}
	switch {
	case err != nil && (e == nil || e.Code == models.EUNAVAILABLE):
		// Not the item's fault (a bug, or the database cannot answer now): the phone keeps it
		// as it is and sends it again later. Its transaction was rolled back, so the items
		// after it start clean.
		code := models.EINTERNAL
		if e != nil {
			code = e.Code
			loggerFrom(c, s.log).Warn("sync operation failed: dependency unavailable", "index", i, "type", op.Type, "id", r.ID, "err", err)
		} else {
			loggerFrom(c, s.log).Error("sync operation failed", "index", i, "type", op.Type, "id", r.ID, "err", err)
		}
		r.Status, r.HTTPStatus = "failed", statusOf(code)
		msg := pick(vi, "the server could not store this now; it is kept on the phone and sent again later", "máy chủ chưa lưu được mục này; mục vẫn được giữ trên điện thoại và sẽ được gửi lại sau")
		r.Error = &ErrorPayload{Code: code, Message: msg, RequestID: requestID(c)}
	case err != nil:
		r.Status, r.HTTPStatus = "rejected", statusOf(e.Code)
		p := payloadOf(e, vi, "")
		r.Error = &p
		s.notifyRejected(c, op, r.ID, e)
	case created:
		r.Status, r.HTTPStatus, r.Result = "applied", http.StatusCreated, out
	default:
		r.Status, r.HTTPStatus, r.Result = "duplicate", http.StatusOK, out
	}
	return r, err
}

// syncOperationError names the fields of an operation's own error as the batch knows them: the
// body's fields as the single endpoint names them ("notes"), the operation's own prefixed with
// its place in the batch ("operations[2].task_id").
func syncOperationError(prefix string, err error) error {
	return models.RenameFields(err, func(f string) string {
		if rest, ok := strings.CutPrefix(f, "body."); ok {
			return rest
		}
		if f == "body" {
			return prefix
		}
		return prefix + "." + f
	})
}

// notifyRejected tells the inspector who sent op that the server refused it (r.ID, e), so
// that it is corrected: the phone keeps it in its queue, where it is easily forgotten. The
// answer of the sync does not depend on it: a notification that cannot be written is logged.
func (s *Server) notifyRejected(c *gin.Context, op SyncOperation, id string, e *models.Error) {
	if s.outbox == nil {
		return
	}
	ctx := c.Request.Context()
	p := principal(c)
	rej := fieldwork.Rejected{Operation: op.Type, ID: id, Code: e.Code, Field: e.Field}
	switch op.Type {
	case "checkin":
		rej.TaskID = op.TaskID
	case "inspection":
		var body struct {
			TaskID string `json:"task_id"`
		}
		_ = json.Unmarshal(op.Body, &body) // it decoded once already; a body that did not names no task
		rej.TaskID = body.TaskID
	}
	rej.BusinessName = s.teamBusinessName(c, p, rej.TaskID)
	if op.Type == "record" && id != "" && s.field != nil {
		// A record names its inspection only; its task is told when it is the caller's team's.
		if in, err := s.field.FindInspectionByID(ctx, id); err == nil && in.TaskID != nil {
			if name := s.teamBusinessName(c, p, *in.TaskID); name != "" {
				rej.TaskID, rej.BusinessName = *in.TaskID, name
			}
		}
	}
	notes := fieldwork.RejectedNotifications(p.UserID, rej)
	if len(notes) == 0 {
		return
	}
	if err := s.outbox.EnqueueNotifications(ctx, notes); err != nil {
		loggerFrom(c, s.log).Error("notify a rejected sync operation", "type", op.Type, "id", id, "err", err)
	}
}

// teamBusinessName names the business of a released task of the caller's team, or "": the name
// of another team's business is not the caller's to read, nor that of a visit not yet sent.
func (s *Server) teamBusinessName(c *gin.Context, p *Principal, taskID string) string {
	if taskID == "" || p.TeamID == "" || s.plans == nil {
		return ""
	}
	ctx := c.Request.Context()
	t, err := s.plans.FindTaskByID(ctx, taskID)
	if err != nil || t.TeamID == nil || *t.TeamID != p.TeamID {
		return ""
	}
	// Only a visit the team has been sent: a planned one's business is not named before its
	// day's release (a phone can send any task's id).
	switch t.Status {
	case models.TaskReleased, models.TaskDone, models.TaskMissed:
	default:
		return ""
	}
	if today := models.DateOf(s.now().In(s.loc)); t.ReleasedOn.IsZero() || t.ReleasedOn.After(today) {
		return ""
	}
	b, err := s.store.FindBusinessByID(ctx, t.BusinessID)
	if err != nil {
		return ""
	}
	return b.Name
}
