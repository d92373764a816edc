package api

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
)

// outboxDown is an outbox that cannot write.
type outboxDown struct{}

func (outboxDown) EnqueueNotifications(context.Context, []*models.Notification) error {
	return errors.New("the outbox is down")
}

func TestARejectedSyncOperationNotifiesItsSenderOnce(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		day := env.teamDay(t, env.teamA)
		b0 := env.businessOf(t, day[0])
		env.clk.Set(at(12, 0))
		good := result(t, day[0], models.OutcomeCompliant, at(8, 5))
		bad := result(t, day[1], models.OutcomeCompliant, at(10, 0), "G01") // a "no" answer on a compliant result
		other := env.teamDay(t, env.teamB)[0]
		ops := []map[string]any{
			{"type": "checkin", "task_id": day[0].ID, "body": checkinBody(uuid.NewString(), b0.Lat, b0.Lon, 10, at(8, 0))},
			{"type": "inspection", "body": good},
			{"type": "inspection", "body": bad},
			// Another team's task: refused, and its business is not named to the caller.
			{"type": "checkin", "task_id": other.ID, "body": checkinBody("", 10, 105.7, 10, at(10, 30))},
			// A record without its signatures, of the result applied above.
			{"type": "record", "body": map[string]any{"inspection_id": good["id"], "representative_name": "Trần Thị B"}},
		}
		batch := jsonBody(t, map[string]any{"operations": ops})
		mine := func() []*models.Notification {
			t.Helper()
			list, err := env.db.FindNotifications(ctx, models.NotificationFilter{UserID: env.a1.UserID})
			if err != nil {
				t.Fatal(err)
			}
			var out []*models.Notification
			for _, n := range list {
				if n.Kind == models.NotifyResultRejected {
					out = append(out, n)
				}
			}
			return out
		}
		rejected := func() int { t.Helper(); return env.count(t, "notifications", "kind = ?", models.NotifyResultRejected) }
		w := env.do(t, env.a1, "POST", "/api/v1/sync", batch)
		res := decode[syncAnswer](t, w).Results
		if w.Code != 200 || len(res) != 5 || res[0].Status != "applied" || res[1].Status != "applied" || res[2].Status != "rejected" ||
			res[3].Status != "rejected" || res[4].Status != "rejected" {
			t.Fatalf("sync: %d %s", w.Code, w.Body)
		}
		byOp := map[string]models.NotificationParams{}
		for _, n := range mine() {
			byOp[n.Params["operation"]] = n.Params
		}
		if p := byOp["checkin"]; p == nil || p["task_id"] != other.ID || p["code"] != models.ENOTFOUND || p["business_name"] != "" {
			t.Errorf("the check-in on another team's task: %v", p)
		}
		if p := byOp["record"]; p == nil || p["id"] != good["id"] || p["task_id"] != day[0].ID || p["code"] != res[4].Error.Code || p["business_name"] != b0.Name {
			t.Errorf("the record: %v (%+v)", p, res[4].Error)
		}
		var list []*models.Notification
		for _, n := range mine() {
			if n.Params["operation"] == "inspection" {
				list = append(list, n)
			}
		}
		channels := map[string]int{}
		for _, n := range list {
			channels[n.Channel]++
			if n.Link != "/app/#/queue" {
				t.Errorf("notification %+v", n)
			}
			p := n.Params
			if p["operation"] != "inspection" || p["id"] != bad["id"] || p["task_id"] != day[1].ID || p["code"] != models.EINVALID || p["field"] != "outcome" ||
				p["business_name"] != env.businessOf(t, day[1]).Name {
				t.Errorf("params %v", p)
			}
			if _, ok := p["message"]; ok {
				t.Errorf("the server's message is in the params: %v", p)
			}
		}
		if len(list) != 2 || channels[models.ChannelInApp] != 1 || channels[models.ChannelPush] != 1 {
			t.Fatalf("%d notifications %v, want one in the app and one push", len(list), channels)
		}
		if n := rejected(); n != 6 {
			t.Fatalf("%d rejections notified in all, want 6 (three refused, two channels): the applied operations notified", n)
		}

		// The phone missed the answer and sends the batch again: nobody is told twice.
		env.clk.Advance(5 * time.Minute)
		w = env.do(t, env.a1, "POST", "/api/v1/sync", batch)
		if again := decode[syncAnswer](t, w).Results; w.Code != 200 || len(again) != 5 || again[2].Status != "rejected" {
			t.Fatalf("again: %d %s", w.Code, w.Body)
		}
		if n := rejected(); n != 6 {
			t.Fatalf("%d notifications after the batch came again, want 2", n)
		}

		// An outbox that cannot write does not change the answer.
		env.srv.outbox = outboxDown{}
		w = env.do(t, env.a1, "POST", "/api/v1/sync", jsonBody(t, map[string]any{"operations": []map[string]any{
			{"type": "inspection", "body": result(t, day[2], models.OutcomeCompliant, at(11, 0), "G01")}}}))
		if res := decode[syncAnswer](t, w).Results; w.Code != 200 || len(res) != 1 || res[0].Status != "rejected" || res[0].Error == nil || res[0].Error.Field != "outcome" {
			t.Fatalf("with the outbox down: %d %s", w.Code, w.Body)
		}
	})
}

// A phone can send any task's id: a visit of the team not yet released (taken back to the
// pool here) is refused, and the notification does not name its business before its day.
func TestARejectedSyncOfAnUnreleasedVisitDoesNotNameItsBusiness(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		day := env.teamDay(t, env.teamA)
		later := day[2]
		b := env.businessOf(t, later)
		if err := env.db.UpdateTaskStatus(ctx, "scheduler", []string{later.ID}, models.TaskPlanned, map[string]any{"released_on": nil, "route_order": 0}); err != nil {
			t.Fatal(err)
		}
		env.clk.Set(at(12, 0))
		batch := jsonBody(t, map[string]any{"operations": []map[string]any{
			{"type": "checkin", "task_id": later.ID, "body": checkinBody(uuid.NewString(), b.Lat, b.Lon, -5, at(11, 0))}, // a bad accuracy
		}})
		w := env.do(t, env.a1, "POST", "/api/v1/sync", batch)
		if res := decode[syncAnswer](t, w).Results; w.Code != 200 || len(res) != 1 || res[0].Status != "rejected" {
			t.Fatalf("sync: %d %s", w.Code, w.Body)
		}
		list, err := env.db.FindNotifications(ctx, models.NotificationFilter{UserID: env.a1.UserID})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range list {
			if x.Kind != models.NotifyResultRejected {
				continue
			}
			n++
			for k, v := range x.Params {
				if strings.Contains(v, b.Name) {
					t.Errorf("param %s names the business of a visit not yet released: %q", k, v)
				}
			}
		}
		if n == 0 {
			t.Fatal("the refused check-in was not notified")
		}
	})
}
