package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
)

type syncAnswer struct {
	Results []syncResultJSON `json:"results"`
}

type syncResultJSON struct {
	Index      int             `json:"index"`
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Status     string          `json:"status"`
	HTTPStatus int             `json:"http_status"`
	Error      *ErrorPayload   `json:"error"`
	Result     json.RawMessage `json:"result"`
}

func TestSyncAppliesEachQueuedOperationOnce(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		b0 := env.businessOf(t, day[0])
		other := env.teamDay(t, env.teamB)[0]
		// The phone was offline all morning; it sends its queue at noon.
		env.clk.Set(at(12, 0))
		checkinID := uuid.NewString()
		good := result(t, day[0], models.OutcomeCompliant, at(8, 5))
		unknownItem := result(t, day[1], models.OutcomeCompliant, at(9, 0))
		unknownItem["answers"] = append(answers(t), map[string]any{"item_id": "X42", "answer": "yes"})
		noButCompliant := result(t, day[2], models.OutcomeCompliant, at(10, 0), "G01")
		ops := []map[string]any{
			{"type": "checkin", "task_id": day[0].ID, "body": checkinBody(checkinID, b0.Lat, b0.Lon, 10, at(8, 0))},
			{"type": "inspection", "body": good},
			{"type": "inspection", "body": good},
			{"type": "inspection", "body": unknownItem},
			{"type": "inspection", "body": noButCompliant},
			{"type": "checkin", "task_id": other.ID, "body": checkinBody("", 10, 105.7, 10, at(10, 30))},
			{"type": "checkin", "body": checkinBody("", b0.Lat, b0.Lon, 10, at(10, 40))},
			{"type": "checkin", "task_id": day[3].ID, "body": map[string]any{"lat": 10.0, "lon": 105.7, "accuracy_m": 5, "at": "nope"}},
			{"type": "photo", "body": map[string]any{}},
		}
		batch := jsonBody(t, map[string]any{"operations": ops})
		before := env.stored(t)
		w := env.do(t, env.a1, "POST", "/api/v1/sync", batch)
		if w.Code != 200 {
			t.Fatalf("sync: %d %s", w.Code, w.Body)
		}
		res := decode[syncAnswer](t, w).Results
		want := []struct {
			status string
			http   int
			field  string
		}{
			{"applied", 201, ""},
			{"applied", 201, ""},
			{"duplicate", 200, ""},
			{"rejected", 400, "answers[14].item_id"},
			{"rejected", 400, "outcome"},
			{"rejected", 404, "task"},
			{"rejected", 400, "operations[6].task_id"},
			{"rejected", 400, "at"},
			{"rejected", 400, "operations[8].type"},
		}
		if len(res) != len(want) {
			t.Fatalf("%d results for %d operations: %s", len(res), len(ops), w.Body)
		}
		for i, r := range res {
			if r.Index != i || r.Type != ops[i]["type"] || r.Status != want[i].status || r.HTTPStatus != want[i].http {
				t.Errorf("result %d: %s %d, want %s %d: %+v", i, r.Status, r.HTTPStatus, want[i].status, want[i].http, r.Error)
				continue
			}
			if want[i].status == "rejected" {
				if r.Error == nil || r.Error.Field != want[i].field || r.Error.Message == "" || string(r.Result) != "null" {
					t.Errorf("result %d: error %+v, want field %q", i, r.Error, want[i].field)
				}
			} else if r.Error != nil || len(r.Result) < 10 {
				t.Errorf("result %d: error %+v result %s", i, r.Error, r.Result)
			}
		}
		if res[0].ID != checkinID || res[1].ID != good["id"] || res[2].ID != good["id"] || res[3].ID != unknownItem["id"] {
			t.Errorf("ids: %s %s %s %s", res[0].ID, res[1].ID, res[2].ID, res[3].ID)
		}
		if string(res[1].Result) != string(res[2].Result) {
			t.Errorf("the duplicate answers another result:\n%s\n%s", res[1].Result, res[2].Result)
		}
		// The check-in was applied first, so the result counts it as on site.
		if strings.Contains(string(res[1].Result), "no_checkin") {
			t.Errorf("the result does not see the check-in before it: %s", res[1].Result)
		}
		if n := env.count(t, "inspections", "id = ?", good["id"]); n != 1 {
			t.Fatalf("%d copies of the good result", n)
		}
		if n := env.count(t, "checkins", ""); n != 1 {
			t.Fatalf("%d check-ins stored, want 1", n)
		}
		if n := env.count(t, "inspections", ""); n != 1 {
			t.Fatalf("%d results stored, want 1", n)
		}
		if env.task(t, day[0].ID).Status != models.TaskDone || env.task(t, day[1].ID).Status != models.TaskReleased {
			t.Fatal("task statuses after the batch")
		}
		applied := env.stored(t)
		if applied == before {
			t.Fatal("nothing was stored")
		}

		// The phone did not get the answer and sends the whole batch again.
		env.clk.Advance(5 * time.Minute)
		w = env.do(t, env.a1, "POST", "/api/v1/sync", batch)
		again := decode[syncAnswer](t, w).Results
		if w.Code != 200 || len(again) != len(ops) {
			t.Fatalf("again: %d %s", w.Code, w.Body)
		}
		for i, r := range again {
			status := want[i].status
			if status == "applied" {
				status = "duplicate"
			}
			if r.Status != status {
				t.Errorf("again, result %d: %s, want %s", i, r.Status, status)
			}
		}
		if string(again[1].Result) != string(res[1].Result) {
			t.Errorf("the duplicate of the result differs:\n%s\n%s", again[1].Result, res[1].Result)
		}
		if after := env.stored(t); after != applied {
			t.Fatalf("the second batch stored something: %s, then %s", applied, after)
		}
	})
}

func TestSyncRefusesBadBatches(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ops := make([]map[string]any, MaxSyncOperations+1)
		for i := range ops {
			ops[i] = map[string]any{"type": "checkin", "task_id": "x", "body": map[string]any{}}
		}
		for _, tc := range []struct {
			name, body string
			p          *Principal
			status     int
			field      string
		}{
			{"an empty batch", `{"operations":[]}`, env.a1, 400, "operations"},
			{"no operations", `{}`, env.a1, 400, "operations"},
			{"too many operations", jsonBody(t, map[string]any{"operations": ops}), env.a1, 400, "operations"},
			{"an unknown field", `{"operations":[],"device":"x"}`, env.a1, 400, "device"},
			{"not JSON", `operations`, env.a1, 400, "body"},
			{"a planner has no queue", `{"operations":[{"type":"checkin","body":{}}]}`, env.planner, 403, ""},
			{"anonymous", `{"operations":[{"type":"checkin","body":{}}]}`, nil, 401, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := env.do(t, tc.p, "POST", "/api/v1/sync", tc.body)
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %q, want %d %q: %s", w.Code, e.Field, tc.status, tc.field, w.Body)
				}
			})
		}
	})
}
