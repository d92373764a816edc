package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/fieldwork"
	"kiemtra/models"
)

// SyncInput is a batch of operations a phone queued while offline, in the order they happened.
type SyncInput struct {
	Operations []SyncOperation `json:"operations"`
}

// SyncOperation is one queued write.
type SyncOperation struct {
	Type   string          `json:"type"`    // checkin or inspection
	TaskID string          `json:"task_id"` // for a check-in
	Body   json.RawMessage `json:"body"`    // what the single endpoint takes
}

// SyncResult answers one operation: applied (done now), duplicate (done before: the stored
// result), or rejected (with the reason; the phone keeps it for correction).
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

// sync applies each operation on its own, in order: one bad item does not stop the others,
// and a batch sent twice is answered with duplicates.
func (s *Server) sync(c *gin.Context) {
	var in SyncInput
	if err := bindJSON(c, &in); err != nil {
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
	who := caller(c)
	vi := wantsVietnamese(c)
	results := make([]SyncResult, 0, len(in.Operations))
	for i, op := range in.Operations {
		r := SyncResult{Index: i, Type: op.Type}
		var (
			created bool
			err     error
			out     any
		)
		prefix := "operations[" + strconv.Itoa(i) + "]"
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
		default:
			err = models.Invalid(prefix+".type", "must be checkin or inspection", "phải là checkin hoặc inspection")
		}
		switch {
		case err != nil:
			code := models.ErrorCode(err)
			if code == models.EINTERNAL {
				s.writeError(c, err) // an outage, not a bad item: the phone retries the batch
				return
			}
			e := models.ErrorAs(err)
			r.Status, r.HTTPStatus = "rejected", statusOf(code)
			r.Error = &ErrorPayload{Code: code, Message: pick(vi, e.Message, e.MessageVI), Field: e.Field}
			for _, d := range e.Details {
				r.Error.Details = append(r.Error.Details, ErrorDetail{Field: d.Field, Message: pick(vi, d.Message, d.MessageVI)})
			}
		case created:
			r.Status, r.HTTPStatus, r.Result = "applied", http.StatusCreated, out
		default:
			r.Status, r.HTTPStatus, r.Result = "duplicate", http.StatusOK, out
		}
		results = append(results, r)
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
}
