package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// BenchmarkAssignmentsUnderLoad is the issue's load test of GET /me/assignments: the whole
// service on PostgreSQL and 127.0.0.1, 500 teams of two inspectors with five released visits
// each, and 1,000 simulated inspectors. It runs once whatever b.N, and only when asked:
//
//	KIEMTRA_LOAD=1 KIEMTRA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	  go test -run '^$' -bench AssignmentsUnderLoad -benchtime 1x -timeout 10m ./cmd/kiemtra/
//
// Two phases of KIEMTRA_LOAD_SECONDS each (default 20): "saturated", every inspector sending
// its next request as soon as the last one is answered (the throughput; by Little's law its
// latency is clients / throughput), then "paced", the same inspectors sending at half that
// rate in all (the latency of a loaded but not overloaded service). Each inspector mixes
// requests as a phone does: 15% plain (a cold start), 60% If-None-Match with its last ETag
// (a poll), 25% since=its last cursor (a delta). pgbench -S on a scratch database of the same
// server gives the ceiling when pgbench is installed. KIEMTRA_LOAD_CPUPROFILE=file writes the
// server's and the generator's CPU profile (one process) of the saturated phase.
func BenchmarkAssignmentsUnderLoad(b *testing.B) {
	if os.Getenv("KIEMTRA_LOAD") == "" {
		b.Skip("set KIEMTRA_LOAD=1 (and KIEMTRA_TEST_POSTGRES_URL) to run the load test")
	}
	clients := envInt("KIEMTRA_LOAD_CLIENTS", 1000)
	seconds := envInt("KIEMTRA_LOAD_SECONDS", 20)
	teams := clients / 2
	const tasksPerTeam = 5

	cfg := DefaultConfig()
	cfg.DatabaseURL = storetest.PostgresURL(b)
	cfg.Secret = testSecret
	cfg.DataDir = b.TempDir()
	cfg.Addr = "127.0.0.1:0"
	cfg.CronNightly, cfg.CronYearly, cfg.CronMorning, cfg.CronReports = "off", "off", "off", "off"
	if v := os.Getenv("KIEMTRA_LOAD_DB_CONNS"); v != "" {
		cfg.DBMaxConns, _ = strconv.Atoi(v)
	}
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	// The service logs every request as in production, to nowhere.
	m := NewMain(&cfg, slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	users := seedLoad(b, m.DB(), cfg.Location(), teams, tasksPerTeam)
	b.Logf("seeded %d teams, %d inspectors, %d released visits in %s", teams, len(users), teams*tasksPerTeam, time.Since(start).Round(time.Millisecond))
	if err := m.Listen(); err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	defer func() {
		cancel()
		<-done
		m.Close()
	}()
	signer, err := auth.NewSigner(cfg.Secret, nil)
	if err != nil {
		b.Fatal(err)
	}
	// Each phone has its own session, as after a sign-in: the access check reads it.
	tokens := make([]string, len(users))
	now := time.Now().UTC()
	for i, u := range users {
		sess := &models.Session{ID: fmt.Sprintf("load-session-%d", i), UserID: u, CreatedAt: now}
		rt := &models.RefreshToken{ID: sess.ID, UserID: u, FamilyID: sess.ID, TokenHash: auth.HashRefreshToken(auth.NewRefreshToken()), ExpiresAt: now.Add(auth.RefreshTTL), CreatedAt: now}
		if err := m.DB().CreateSession(ctx, sess, rt); err != nil {
			b.Fatal(err)
		}
		if tokens[i], _, err = signer.Issue(u, sess.ID); err != nil {
			b.Fatal(err)
		}
	}
	base := "http://" + m.Addr() + "/api/v1/me/assignments"
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()

	// Every phone loads its day once, as in the morning, so that polls have an ETag.
	phones := make([]*phone, len(users))
	var wg sync.WaitGroup
	for i := range phones {
		phones[i] = &phone{token: tokens[i], rng: rand.New(rand.NewPCG(uint64(i), 7))}
	}
	sem := make(chan struct{}, 100)
	for _, p := range phones {
		wg.Add(1)
		sem <- struct{}{}
		go func(p *phone) {
			defer func() { <-sem; wg.Done() }()
			if _, err := p.get(client, base, "plain"); err != nil {
				b.Errorf("first load: %v", err)
			}
		}(p)
	}
	wg.Wait()
	if b.Failed() {
		return
	}
	for _, p := range phones {
		if len(p.items) == 0 || p.items[0] != tasksPerTeam {
			b.Fatalf("a phone got %v items, want %d", p.items, tasksPerTeam)
		}
	}

	b.ResetTimer()
	var stopProfile func()
	if path := os.Getenv("KIEMTRA_LOAD_CPUPROFILE"); path != "" {
		stopProfile = cpuProfile(b, path)
	}
	sat := runPhase(client, base, phones, time.Duration(seconds)*time.Second, 0)
	if stopProfile != nil {
		stopProfile()
	}
	paced := runPhase(client, base, phones, time.Duration(seconds)*time.Second, sat.rps/2)
	b.StopTimer()

	tps, pgerr := pgbenchSelectOnly(b, os.Getenv(storetest.EnvPostgresURL), seconds)
	for _, r := range []struct {
		name string
		res  *phaseResult
	}{{"saturated", sat}, {"paced", paced}} {
		b.Logf("%-9s %d clients, %ds: %.0f req/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d errors of %d requests (%s)",
			r.name, clients, seconds, r.res.rps, ms(r.res.p50), ms(r.res.p99), ms(r.res.max), r.res.errors, r.res.requests, r.res.mix)
	}
	b.ReportMetric(sat.rps, "req/s")
	b.ReportMetric(ms(sat.p50), "p50-ms")
	b.ReportMetric(ms(sat.p99), "p99-ms")
	b.ReportMetric(float64(sat.errors), "errors")
	b.ReportMetric(paced.rps, "paced-req/s")
	b.ReportMetric(ms(paced.p50), "paced-p50-ms")
	b.ReportMetric(ms(paced.p99), "paced-p99-ms")
	if pgerr != nil {
		b.Logf("pgbench: %v", pgerr)
	} else {
		b.Logf("pgbench -S -c 8 -j 2 -T %d on the same server: %.0f tps; the service does %.0f%% of it (aim: 25%%)", seconds, tps, 100*sat.rps/tps)
		b.ReportMetric(tps, "pgbench-tps")
	}
	b.Logf("GOMAXPROCS %d, database pool %d connections", runtime.GOMAXPROCS(0), cfg.DBMaxConns)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seedLoad stores a city of teams, each with two inspectors and tasksPerTeam visits released
// for today, and a previous inspection (with a finding for one in three) of half the
// businesses. It returns the inspectors' ids.
func seedLoad(b *testing.B, db *store.DB, loc *time.Location, teams, tasksPerTeam int) []string {
	b.Helper()
	ctx := context.Background()
	g := db.Gorm()
	p := func(s string) *string { return &s }
	const districts, wardsPer = 10, 5
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}
	for d := 0; d < districts; d++ {
		dc := fmt.Sprintf("D%02d", d)
		areas = append(areas, &models.Area{Code: dc, ParentCode: p("92"), Name: "Quận " + dc, Level: models.AreaLevelDistrict})
		for w := 0; w < wardsPer; w++ {
			areas = append(areas, &models.Area{Code: fmt.Sprintf("%s%d", dc, w), ParentCode: p(dc), Name: fmt.Sprintf("Phường %s%d", dc, w), Level: models.AreaLevelWard})
		}
	}
	if err := db.UpsertAreas(ctx, "load", areas); err != nil {
		b.Fatal(err)
	}
	now := db.Now()
	today := models.DateOf(time.Now().In(loc))
	var ts []*models.Team
	var us []*models.User
	var bs []*models.Business
	for i := 0; i < teams; i++ {
		dc := fmt.Sprintf("D%02d", i%districts)
		lat, lon := 10.0+float64(i%50)*0.004, 105.7+float64(i/50)*0.004
		t := &models.Team{ID: fmt.Sprintf("team-%04d", i), Name: fmt.Sprintf("Tổ %d", i), Level: models.TeamLevelDistrict, AreaCode: dc,
			BaseLat: lat, BaseLon: lon, WeeklyCapacity: 25, WorkingDays: models.DefaultWorkingDays, Version: 1, CreatedAt: now, UpdatedAt: now}
		ts = append(ts, t)
		for j := 0; j < 2; j++ {
			us = append(us, &models.User{ID: fmt.Sprintf("user-%04d-%d", i, j), Username: fmt.Sprintf("ins%04d%d", i, j), DisplayName: "Cán bộ", Agency: models.AgencyPolice,
				Role: models.RoleInspector, AreaCode: dc, TeamID: &t.ID, PasswordHash: "-", Version: 1, CreatedAt: now, UpdatedAt: now})
		}
		for k := 0; k < tasksPerTeam; k++ {
			bs = append(bs, &models.Business{Name: fmt.Sprintf("Karaoke %d-%d", i, k), Category: "karaoke", LicenceNo: p(fmt.Sprintf("L%04d%d", i, k)),
				Address: fmt.Sprintf("%d đường 30 Tháng 4", k+1), Phone: "0292 3 000 000", OwnerName: "Nguyễn Văn A", Lat: lat + float64(k)*0.001, Lon: lon,
				AreaCode: fmt.Sprintf("%s%d", dc, k%wardsPer), Status: models.BusinessActive, OpenedOn: models.NewDate(2019, 1, 1)})
		}
	}
	if err := g.CreateInBatches(ts, 500).Error; err != nil {
		b.Fatal(err)
	}
	if err := g.CreateInBatches(us, 500).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.CreateBusinesses(ctx, "load", bs); err != nil {
		b.Fatal(err)
	}
	// Last year's results for half the businesses.
	var visits []models.Visit
	for i, biz := range bs {
		if i%2 == 1 {
			continue
		}
		fin := time.Date(today.Year-1, 6, 1+i%28, 10, 0, 0, 0, loc)
		team := ts[i/tasksPerTeam].ID
		outcome := models.OutcomeCompliant
		v := models.Visit{Inspection: &models.Inspection{BusinessID: biz.ID, TeamID: &team, StartedAt: fin.Add(-40 * time.Minute), FinishedAt: fin,
			Outcome: outcome, ChecklistVersion: 1, Answers: "[]", Members: "[]", CreatedBy: "load"}}
		if i%3 == 0 {
			v.Inspection.Outcome = models.OutcomeViolation
			v.Findings = []*models.Finding{{Code: "HOURS", Severity: "minor", Note: "mở quá giờ"}}
		}
		visits = append(visits, v)
	}
	for i := 0; i < len(visits); i += 500 {
		if err := db.ApplyVisits(ctx, "load", visits[i:min(i+500, len(visits))]); err != nil {
			b.Fatal(err)
		}
	}
	tasks := make([]*models.Task, len(bs))
	for i, biz := range bs {
		tasks[i] = &models.Task{BusinessID: biz.ID, Reason: models.ReasonCoverage, Status: models.TaskPlanned, WindowStart: today, WindowEnd: today.AddDays(60), InclusionProb: 0.4}
	}
	if err := db.CreateTasks(ctx, "load", tasks); err != nil {
		b.Fatal(err)
	}
	decisions := make([]*models.AssignmentDecision, len(tasks))
	for i, t := range tasks {
		decisions[i] = &models.AssignmentDecision{TaskID: t.ID, TeamID: ts[i/tasksPerTeam].ID, RouteOrder: i%tasksPerTeam + 1, Reason: "jurisdiction"}
	}
	if err := db.ReleaseTasks(ctx, "load", today, decisions); err != nil {
		b.Fatal(err)
	}
	if err := g.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids
}

// phone is one simulated inspector: its token and what it last got.
type phone struct {
	token  string
	rng    *rand.Rand
	etag   string
	cursor string
	items  []int
	lat    []time.Duration
	errs   int
	kinds  [3]int
}

var cursorRe = regexp.MustCompile(`"cursor":"([^"]*)"`)

// get sends one request of a kind (plain, poll, delta) and keeps the ETag and the cursor.
func (p *phone) get(c *http.Client, base, kind string) (time.Duration, error) {
	u := base
	req, _ := http.NewRequest("GET", u, nil)
	switch kind {
	case "poll":
		if p.etag != "" {
			req.Header.Set("If-None-Match", p.etag)
		}
	case "delta":
		if p.cursor != "" {
			req.URL.RawQuery = "since=" + url.QueryEscape(p.cursor)
		}
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return time.Since(start), err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		return d, err
	}
	switch resp.StatusCode {
	case http.StatusNotModified:
	case http.StatusOK:
		if m := cursorRe.FindSubmatch(body); m != nil {
			p.cursor = string(m[1])
		}
		if kind != "delta" {
			p.etag = resp.Header.Get("ETag")
			var a struct {
				Items []json.RawMessage `json:"items"`
			}
			if p.items == nil {
				if err := json.Unmarshal(body, &a); err != nil {
					return d, err
				}
				p.items = []int{len(a.Items)}
			}
		}
	default:
		return d, fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	}
	return d, nil
}

type phaseResult struct {
	requests, errors int
	rps              float64
	p50, p99, max    time.Duration
	mix              string
}

// runPhase runs every phone for d: back to back when rate is 0, otherwise at rate requests a
// second in all, each phone on its own period from a random phase.
func runPhase(c *http.Client, base string, phones []*phone, d time.Duration, rate float64) *phaseResult {
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	var period time.Duration
	if rate > 0 {
		period = time.Duration(float64(len(phones)) / rate * float64(time.Second))
	}
	for _, p := range phones {
		p.lat, p.errs, p.kinds = p.lat[:0], 0, [3]int{}
		wg.Add(1)
		go func(p *phone) {
			defer wg.Done()
			next := start
			if period > 0 {
				next = start.Add(time.Duration(p.rng.Int64N(int64(period))))
			}
			for {
				if period > 0 {
					if wait := time.Until(next); wait > 0 {
						time.Sleep(wait)
					}
					next = next.Add(period)
				}
				if time.Now().After(deadline) {
					return
				}
				r := p.rng.Float64()
				kind, k := "poll", 1
				switch {
				case r < 0.15:
					kind, k = "plain", 0
				case r >= 0.75:
					kind, k = "delta", 2
				}
				lat, err := p.get(c, base, kind)
				p.kinds[k]++
				if err != nil {
					p.errs++
					continue
				}
				p.lat = append(p.lat, lat)
			}
		}(p)
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := &phaseResult{}
	var all []time.Duration
	var kinds [3]int
	for _, p := range phones {
		all = append(all, p.lat...)
		res.errors += p.errs
		for i := range kinds {
			kinds[i] += p.kinds[i]
		}
	}
	slices.Sort(all)
	res.requests = len(all) + res.errors
	res.rps = float64(len(all)) / elapsed.Seconds()
	if n := len(all); n > 0 {
		res.p50, res.p99, res.max = all[n*50/100], all[min(n-1, n*99/100)], all[n-1]
	}
	res.mix = fmt.Sprintf("%d plain, %d If-None-Match, %d since", kinds[0], kinds[1], kinds[2])
	return res
}

var tpsRe = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbenchSelectOnly measures the server's read ceiling: pgbench -i -s 10 into a scratch
// database, pgbench -S -c 8 -j 2, and the database dropped.
func pgbenchSelectOnly(b *testing.B, baseURL string, seconds int) (float64, error) {
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		if _, e := os.Stat("/usr/lib/postgresql/15/bin/pgbench"); e != nil {
			return 0, fmt.Errorf("pgbench is not installed")
		}
		bin = "/usr/lib/postgresql/15/bin/pgbench"
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return 0, err
	}
	admin, err := store.Open(context.Background(), store.Options{URL: baseURL, MaxOpenConns: 1})
	if err != nil {
		return 0, err
	}
	defer admin.Close()
	const scratch = "kt_pgbench"
	g := admin.Gorm()
	g.Exec("DROP DATABASE IF EXISTS " + scratch)
	if err := g.Exec("CREATE DATABASE " + scratch).Error; err != nil {
		return 0, err
	}
	defer g.Exec("DROP DATABASE IF EXISTS " + scratch)
	host, port, _ := net.SplitHostPort(u.Host)
	if host == "" {
		host, port = u.Host, "5432"
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
	}
	conn := []string{"-h", host, "-p", port, "-U", u.User.Username()}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, append(append(args, conn...), scratch)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("-i", "-s", "10", "-q"); err != nil {
		return 0, fmt.Errorf("pgbench -i: %v: %s", err, out)
	}
	out, err := run("-S", "-c", "8", "-j", "2", "-T", strconv.Itoa(seconds))
	if err != nil {
		return 0, fmt.Errorf("pgbench -S: %v: %s", err, out)
	}
	m := tpsRe.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no tps in pgbench's output: %s", out)
	}
	return strconv.ParseFloat(m[1], 64)
}

// cpuProfile writes this process's CPU profile (the service and the load generator) to path
// until the returned function is called.
func cpuProfile(b *testing.B, path string) func() {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
