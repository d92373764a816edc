package api

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
)

// dayAnswer asks for p's whole day, with the tag the phone holds ("" for none).
func (env *fieldEnv) dayAnswer(t *testing.T, p *Principal, held string) *httptest.ResponseRecorder {
	t.Helper()
	if held == "" {
		return env.do(t, p, "GET", "/api/v1/me/assignments", "")
	}
	return env.do(t, p, "GET", "/api/v1/me/assignments", "", "If-None-Match", held)
}

// TestTheDaysETagStaysWhileNothingChanges: for a few seconds after a change the cursor in the
// answer follows the clock; the tag does not, so the phone's next questions get 304.
func TestTheDaysETagStaysWhileNothingChanges(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		env.clk.Set(at(8, 0))
		if w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, result(t, day[0], models.OutcomeCompliant, at(7, 30)))); w.Code != 201 {
			t.Fatalf("result: %d %s", w.Code, w.Body)
		}
		env.clk.Advance(time.Second)
		w := env.dayAnswer(t, env.a1, "")
		tag, first := w.Header().Get("ETag"), decode[Assignments](t, w)
		cursors := map[string]bool{first.Cursor: true}
		for i := 0; i < 3; i++ {
			env.clk.Advance(2 * time.Second) // still within syncCursorLag of the result
			if w := env.dayAnswer(t, env.a1, tag); w.Code != 304 {
				t.Fatalf("the same day %v after the change: %d, want 304", env.clk.Now().Sub(at(8, 0)), w.Code)
			}
			// The app asks from the cursor of its last answer, with that answer's tag.
			if w := env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+first.Cursor, "", "If-None-Match", tag); w.Code != 304 {
				t.Fatalf("a delta from the last cursor with the last tag: %d, want 304", w.Code)
			}
			w := env.dayAnswer(t, env.a1, "")
			if w.Code != 200 || w.Header().Get("ETag") != tag {
				t.Fatalf("the same day is tagged %q, was %q", w.Header().Get("ETag"), tag)
			}
			cursors[decode[Assignments](t, w).Cursor] = true
		}
		if len(cursors) < 2 {
			t.Fatal("the cursor did not move: the test shows nothing")
		}
		// A change afterwards gets a new tag and reaches the phone from its cursor.
		env.clk.Advance(time.Minute)
		if err := env.db.UpdateTaskStatus(context.Background(), "planner", []string{day[1].ID}, models.TaskCancelled, nil); err != nil {
			t.Fatal(err)
		}
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+first.Cursor, "", "If-None-Match", tag)
		delta := decode[Assignments](t, w)
		if w.Code != 200 || w.Header().Get("ETag") == tag || len(delta.Withdrawn) != 1 || delta.Withdrawn[0] != day[1].ID {
			t.Fatalf("after a cancellation: %d %q %s", w.Code, w.Header().Get("ETag"), w.Body)
		}
	})
}

// TestEveryChangeOfTheDayChangesItsETag walks the writes that change what a team's phones
// show: each moves the tag of the teams whose day it changes, and only theirs.
func TestEveryChangeOfTheDayChangesItsETag(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		day, dayB := env.teamDay(t, env.teamA), env.teamDay(t, env.teamB)
		if len(day) < 6 || len(dayB) < 1 {
			t.Fatalf("team A has %d tasks, team B %d", len(day), len(dayB))
		}
		p := func(s string) *string { return &s }
		edit := func(t *testing.T, task *models.Task, upd models.BusinessUpdate) {
			t.Helper()
			upd.Version = env.businessOf(t, task).Version
			if _, err := env.db.UpdateBusiness(ctx, "planner", task.BusinessID, upd); err != nil {
				t.Fatal(err)
			}
		}
		post := func(t *testing.T, path string, body any, want int) {
			t.Helper()
			if w := env.do(t, env.a1, "POST", path, jsonBody(t, body)); w.Code != want {
				t.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
			}
		}
		var firstResult map[string]any
		steps := []struct {
			name    string
			write   func(t *testing.T)
			changed bool // team A's day; team B's changes when the write says so
			changeB bool
		}{
			{"a task released to the team", func(t *testing.T) {
				extra := &models.Task{PlanID: &env.plan.ID, BusinessID: day[1].BusinessID, Reason: models.ReasonTip, Status: models.TaskPlanned,
					WindowStart: fieldDay, WindowEnd: fieldDay.AddDays(3), InclusionProb: 1}
				if err := env.db.CreateTasks(ctx, "t", []*models.Task{extra}); err != nil {
					t.Fatal(err)
				}
				if err := env.db.ReleaseTasks(ctx, "t", fieldDay, []*models.AssignmentDecision{{TaskID: extra.ID, TeamID: env.teamA.ID, RouteOrder: 20}}); err != nil {
					t.Fatal(err)
				}
			}, true, false},
			{"the route reordered by the morning assignment", func(t *testing.T) {
				if err := env.db.ReleaseDay(ctx, "scheduler", fieldDay, nil, []*models.AssignmentDecision{{TaskID: day[2].ID, TeamID: env.teamA.ID, RouteOrder: 1}}); err != nil {
					t.Fatal(err)
				}
			}, true, false},
			{"a check-in", func(t *testing.T) {
				b := env.businessOf(t, day[0])
				post(t, "/api/v1/tasks/"+day[0].ID+"/checkin", checkinBody(uuid.NewString(), b.Lat, b.Lon, 10, env.clk.Now()), 201)
			}, true, false},
			{"a result", func(t *testing.T) {
				firstResult = result(t, day[0], models.OutcomeViolation, env.clk.Now().Add(-30*time.Minute), "K03")
				post(t, "/api/v1/inspections", firstResult, 201)
			}, true, false},
			{"the same result sent again", func(t *testing.T) {
				post(t, "/api/v1/inspections", firstResult, 200)
			}, false, false},
			{"a task cancelled", func(t *testing.T) {
				if err := env.db.UpdateTaskStatus(ctx, "planner", []string{day[3].ID}, models.TaskCancelled, nil); err != nil {
					t.Fatal(err)
				}
			}, true, false},
			{"a task returned to the pool", func(t *testing.T) {
				if err := env.db.UpdateTaskStatus(ctx, "scheduler", []string{day[4].ID}, models.TaskPlanned, map[string]any{"released_on": nil, "route_order": 0}); err != nil {
					t.Fatal(err)
				}
			}, true, false},
			{"an edit of a business on the day", func(t *testing.T) {
				edit(t, day[5], models.BusinessUpdate{Phone: p("0292 111 222")})
			}, true, false},
			{"an edit of a business only on the other team's day", func(t *testing.T) {
				edit(t, dayB[0], models.BusinessUpdate{Name: p("Karaoke Mới")})
			}, false, true},
			{"another team's visit to a business on the day (its previous inspection)", func(t *testing.T) {
				now := env.clk.Now()
				in := &models.Inspection{ID: uuid.NewString(), BusinessID: day[5].BusinessID, TeamID: &env.teamB.ID, StartedAt: now.Add(-time.Hour),
					FinishedAt: now.Add(-30 * time.Minute), Outcome: models.OutcomeCompliant, ChecklistVersion: 1, Answers: "[]", Members: "[]", BodySHA256: "x", CreatedBy: "b1"}
				if err := env.db.ApplyVisits(ctx, "b1", []models.Visit{{Inspection: in}}); err != nil {
					t.Fatal(err)
				}
			}, true, false},
			{"an urgent tip's task", func(t *testing.T) {
				tip := &models.Tip{Channel: "hotline", ReceivedAt: env.clk.Now(), ReceivedBy: "tips", Description: "Nghi có hoạt động mại dâm", Place: "x",
					Status: models.TipReceived, Severity: "urgent"}
				if err := env.db.CreateTip(ctx, "tips", tip); err != nil {
					t.Fatal(err)
				}
				task := &models.Task{ID: uuid.NewString(), BusinessID: day[0].BusinessID, Reason: models.ReasonTip, Status: models.TaskReleased, TeamID: &env.teamA.ID,
					ReleasedOn: fieldDay, WindowStart: fieldDay, WindowEnd: fieldDay, InclusionProb: 1, TipID: &tip.ID}
				tip.Status, tip.TaskID = models.TipClassified, &task.ID
				if err := env.db.SaveTip(ctx, "tips", models.TipClassified, tip, task); err != nil {
					t.Fatal(err)
				}
			}, true, false},
		}
		tags := map[*Principal]string{env.a1: "", env.b1: ""}
		cursors := map[*Principal]string{}
		for pr := range tags {
			w := env.dayAnswer(t, pr, "")
			tags[pr], cursors[pr] = w.Header().Get("ETag"), decode[Assignments](t, w).Cursor
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				env.clk.Advance(time.Minute)
				st.write(t)
				for pr, want := range map[*Principal]bool{env.a1: st.changed, env.b1: st.changeB} {
					// The phone asks as the app does: from its cursor, with its last tag. A change
					// must come with the tasks it changed, or the phone keeps its old copy under
					// the new tag.
					w := env.do(t, pr, "GET", "/api/v1/me/assignments?since="+cursors[pr], "", "If-None-Match", tags[pr])
					switch {
					case want && (w.Code != 200 || w.Header().Get("ETag") == tags[pr]):
						t.Errorf("%s's day: %d with tag %q, want 200 with a new tag", pr.Username, w.Code, w.Header().Get("ETag"))
					case want:
						if d := decode[Assignments](t, w); len(d.Added)+len(d.Updated)+len(d.Withdrawn) == 0 {
							t.Errorf("%s's delta after the change lists nothing: %s", pr.Username, w.Body)
						}
					case !want && w.Code != 304:
						t.Errorf("%s's day: %d, want 304: nothing it shows changed", pr.Username, w.Code)
					}
					full := env.dayAnswer(t, pr, "")
					tags[pr], cursors[pr] = full.Header().Get("ETag"), decode[Assignments](t, full).Cursor
				}
			})
		}
		// Midnight: the same rows are another day.
		env.clk.Set(at(23, 59).Add(2 * time.Minute))
		if w := env.dayAnswer(t, env.a1, tags[env.a1]); w.Code != 200 || w.Header().Get("ETag") == tags[env.a1] {
			t.Fatalf("the next day: %d %q", w.Code, w.Header().Get("ETag"))
		}
	})
}

// countingField counts the reads of a team's day; after is called once the day is read, as a
// write that commits while the answer is being built.
type countingField struct {
	FieldStore
	days  int
	after func()
}

func (f *countingField) EachTeamDayTask(ctx context.Context, teamID string, day models.Date,
	fn func(t *models.Task, b *models.Business, decidedAt time.Time, checkedIn bool, last *models.Inspection, codes []string)) error {
	f.days++
	err := f.FieldStore.EachTeamDayTask(ctx, teamID, day, fn)
	if f.after != nil {
		f.after()
		f.after = nil
	}
	return err
}

func TestA304DoesNotReadTheDay(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		field := &countingField{FieldStore: env.srv.field}
		env.srv.field = field
		w := env.dayAnswer(t, env.a1, "")
		if w.Code != 200 || field.days != 1 {
			t.Fatalf("a full answer: %d, %d reads of the day", w.Code, field.days)
		}
		cursor := decode[Assignments](t, w).Cursor
		for _, path := range []string{"/api/v1/me/assignments", "/api/v1/me/assignments?since=" + cursor} {
			for _, enc := range []string{"", "gzip"} {
				w := env.do(t, env.a1, "GET", path, "", "If-None-Match", w.Header().Get("ETag"), "Accept-Encoding", enc)
				if w.Code != 304 || w.Body.Len() != 0 || field.days != 1 {
					t.Fatalf("GET %s (%q) with the current tag: %d, %d reads of the day", path, enc, w.Code, field.days)
				}
			}
		}
	})
}

// TestAChangeDuringTheAnswerReachesThePhoneNext: a write that commits after the day was read
// for an answer must not leave the phone with that answer under a current tag.
func TestAChangeDuringTheAnswerReachesThePhoneNext(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		field := &countingField{FieldStore: env.srv.field, after: func() {
			if err := env.db.UpdateTaskStatus(context.Background(), "planner", []string{day[0].ID}, models.TaskCancelled, nil); err != nil {
				t.Error(err)
			}
		}}
		env.srv.field = field
		w := env.dayAnswer(t, env.a1, "")
		if w.Code != 200 || len(decode[Assignments](t, w).Items) != len(day) {
			t.Fatalf("the answer read before the cancellation: %d %s", w.Code, w.Body)
		}
		w = env.dayAnswer(t, env.a1, w.Header().Get("ETag"))
		if w.Code != 200 {
			t.Fatalf("the next question: %d, want 200 with the cancellation", w.Code)
		}
		for _, it := range decode[Assignments](t, w).Items {
			if it.TaskID == day[0].ID {
				t.Fatal("the cancelled task is still on the day")
			}
		}
	})
}
