package api

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// neverRun is a job for manual runs only, which no test runs.
type neverRun struct{}

func (neverRun) Name() string                                   { return "archive_by_hand" }
func (neverRun) Run(context.Context, time.Time) (string, error) { return "", nil }

// The service ran in February and was down over the night of 2 March: started at 09:00, it
// runs that night's job once, and GET /api/v1/jobs says it was a catch-up, of which slot, when.
func TestJobsShowACatchUp(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		env := newPlanServer(t, db)
		ctx := context.Background()
		before := time.Date(2026, 2, 20, 8, 15, 0, 0, time.UTC)
		if err := db.Gorm().Create(&models.JobRun{Job: "tip_escalation", Slot: "2026-02-20T08:15", Kind: models.JobScheduled,
			StartedAt: before, FinishedAt: &before, Status: models.JobOK}).Error; err != nil {
			t.Fatal(err)
		}
		if err := env.runner.Add("30 1 * * *", &scheduler.NightlyJob{Service: env.planner, Store: db}); err != nil {
			t.Fatal(err)
		}
		if err := env.runner.Add("", neverRun{}); err != nil {
			t.Fatal(err)
		}
		if runs, err := env.runner.CatchUp(ctx); err != nil || len(runs) != 1 {
			t.Fatalf("catch-up: %+v %v", runs, err)
		}
		planner := &Principal{Username: "planner", Role: models.RolePlanner}
		var body struct {
			Jobs   []string            `json:"jobs"`
			Latest []*models.JobStatus `json:"latest"`
			Runs   []*models.JobRun    `json:"runs"`
		}
		w := doAs(t, env.srv, planner, "GET", "/api/v1/jobs", "")
		if err := json.Unmarshal(w.Body.Bytes(), &body); w.Code != 200 || err != nil || len(body.Latest) != 2 || len(body.Runs) != 2 {
			t.Fatalf("jobs: %d %v %s", w.Code, err, w.Body)
		}
		if st := body.Latest[0]; st.Job != "archive_by_hand" || st.Schedule != "" || st.LastRun != nil {
			t.Errorf("a job never run: %+v", st)
		}
		st := body.Latest[1]
		if st.Job != "nightly" || st.Schedule != "30 1 * * *" || st.LastRun == nil {
			t.Fatalf("the nightly job: %+v", st)
		}
		if r := st.LastRun; r.Kind != models.JobCatchUp || r.Slot != "2026-03-02T01:30" || !r.StartedAt.Equal(planClock()) || r.Status != models.JobOK {
			t.Errorf("its catch-up: %+v", r)
		}
		// One job's view: its runs and its entry only.
		w = doAs(t, env.srv, planner, "GET", "/api/v1/jobs?job=nightly", "")
		if err := json.Unmarshal(w.Body.Bytes(), &body); w.Code != 200 || err != nil || len(body.Latest) != 1 || body.Latest[0].Job != "nightly" ||
			len(body.Runs) != 1 || body.Runs[0].Kind != models.JobCatchUp {
			t.Fatalf("the nightly job's view: %d %v %s", w.Code, err, w.Body)
		}
	})
}
