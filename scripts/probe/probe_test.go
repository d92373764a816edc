// Package probe replays, against a running kiemtra server, the requests that used to break it on
// PostgreSQL: a NUL or invalid UTF-8 in a path or query parameter and in a JSON body, and a
// /sync batch with a bad item in the middle. It needs nothing but Go; it is skipped unless
// KIEMTRA_PROBE_URL names the server:
//
//	createdb -h 127.0.0.1 -U postgres kiemtra_probe
//	KIEMTRA_SECRET=$(openssl rand -hex 32) go run ./cmd/kiemtra demo --addr 127.0.0.1:18081 \
//	    --data-dir /tmp/kiemtra-probe \
//	    --database-url 'postgres://postgres@127.0.0.1:5432/kiemtra_probe?sslmode=disable'
//	KIEMTRA_PROBE_URL=http://127.0.0.1:18081 go test -count=1 -v ./scripts/probe
//
// It signs in as an inspector (KIEMTRA_PROBE_USER and KIEMTRA_PROBE_PASSWORD, by default the
// demo's city.1) whose team has visits released today, and records two results among them: run
// it against a database made for it, never a real one.
package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// probe is a signed-in client of the server under test.
type probe struct {
	t     *testing.T
	base  string
	token string
	http  *http.Client
}

// answer is a response: its status and its body.
type answer struct {
	status int
	body   []byte
}

func (a answer) String() string { return fmt.Sprintf("%d %.300s", a.status, a.body) }

// errorField reads error.field and error.message from an error answer.
func (a answer) errorField() (string, string) {
	var e struct {
		Error struct{ Field, Message string } `json:"error"`
	}
	_ = json.Unmarshal(a.body, &e)
	return e.Error.Field, e.Error.Message
}

// send sends a request with a raw target (so that %00 and %FF reach the server as they are) and
// a raw body (so that invalid UTF-8 does too).
func (p *probe) send(method, target string, body []byte) answer {
	p.t.Helper()
	u, err := url.Parse(p.base)
	if err != nil {
		p.t.Fatal(err)
	}
	req, err := http.NewRequest(method, p.base, bytes.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	path, query, _ := strings.Cut(target, "?")
	req.URL = &url.URL{Scheme: u.Scheme, Host: u.Host, Opaque: "//" + u.Host + path, RawQuery: query}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept-Language", "en")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	res, err := p.http.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return answer{res.StatusCode, b}
}

func (p *probe) json(method, target string, v any, out any) answer {
	p.t.Helper()
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			p.t.Fatal(err)
		}
	}
	a := p.send(method, target, body)
	if out != nil && a.status < 300 {
		if err := json.Unmarshal(a.body, out); err != nil {
			p.t.Fatalf("%s %s: %v: %s", method, target, err, a.body)
		}
	}
	return a
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type task struct {
	TaskID           string `json:"task_id"`
	Status           string `json:"status"`
	ChecklistVersion int    `json:"checklist_version"`
	Business         struct {
		Name     string `json:"name"`
		Category string `json:"category"`
	} `json:"business"`
}

func TestProbeARunningServer(t *testing.T) {
	base := os.Getenv("KIEMTRA_PROBE_URL")
	if base == "" {
		t.Skip("set KIEMTRA_PROBE_URL to the base URL of a running kiemtra server made for probing (see the package comment)")
	}
	p := &probe{t: t, base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: 30 * time.Second}}
	user := env("KIEMTRA_PROBE_USER", "city.1")
	var session struct {
		AccessToken string `json:"access_token"`
	}
	if a := p.json("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": env("KIEMTRA_PROBE_PASSWORD", "kiemtra-demo")}, &session); a.status != 200 {
		t.Fatalf("sign in as %s: %s", user, a)
	}
	p.token = session.AccessToken
	var version struct{ Version string }
	p.json("GET", "/api/v1/version", nil, &version)
	t.Logf("server %s, version %q, signed in as %s", p.base, version.Version, user)

	var day struct {
		Day   string  `json:"day"`
		Items []*task `json:"items"`
	}
	if a := p.json("GET", "/api/v1/me/assignments", nil, &day); a.status != 200 {
		t.Fatalf("today's visits: %s", a)
	}
	var open []*task
	for _, it := range day.Items {
		if it.Status == "released" {
			open = append(open, it)
		}
	}
	if len(open) < 3 {
		t.Fatalf("%s's team has %d visits without a result on %s; the probe needs 3", user, len(open), day.Day)
	}
	t.Logf("%d visits released on %s, %d without a result", len(day.Items), day.Day, len(open))

	// A result that passes every check: all of the category's checklist answered yes.
	now := time.Now().UTC()
	result := func(tk *task, notes string) map[string]any {
		var cl struct {
			Version int `json:"version"`
			Items   []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if a := p.json("GET", "/api/v1/checklists?category="+url.QueryEscape(tk.Business.Category), nil, &cl); a.status != 200 {
			t.Fatalf("checklist of %s: %s", tk.Business.Category, a)
		}
		answers := []map[string]string{}
		for _, it := range cl.Items {
			answers = append(answers, map[string]string{"item_id": it.ID, "answer": "yes"})
		}
		return map[string]any{"id": uuid.NewString(), "task_id": tk.TaskID, "started_at": now.Add(-2 * time.Minute).Format(time.RFC3339),
			"finished_at": now.Add(-time.Minute).Format(time.RFC3339), "outcome": "compliant", "checklist_version": cl.Version,
			"answers": answers, "notes": notes}
	}

	mustBe400 := func(what string, a answer, field string) {
		t.Helper()
		got, msg := a.errorField()
		if a.status != 400 || got != field {
			t.Errorf("FAIL %s: %s, want 400 naming %q", what, a, field)
			return
		}
		t.Logf("ok   %s: 400 %s: %s", what, got, msg)
	}
	mustBe400("NUL in a path parameter (GET /inspections/%00)", p.send("GET", "/api/v1/inspections/%00", nil), "id")
	mustBe400("invalid UTF-8 in a path parameter (GET /inspections/%FF)", p.send("GET", "/api/v1/inspections/%FF", nil), "id")
	mustBe400("NUL in a query parameter (GET /checklists?category=%00)", p.send("GET", "/api/v1/checklists?category=%00", nil), "category")
	mustBe400("NUL in a query parameter (GET /businesses?q=%00)", p.send("GET", "/api/v1/businesses?q=%00", nil), "q")
	// The single requests use the last visit, so that a server that wrongly stores one does not
	// take a visit of the batch below (with three visits they share one).
	single := open[len(open)-1]
	nulBody, _ := json.Marshal(result(single, "ghi chú\x00"))
	mustBe400(`NUL in a JSON string (POST /inspections, "notes":"...\u0000")`, p.send("POST", "/api/v1/inspections", nulBody), "notes")
	rawBody, _ := json.Marshal(result(single, "RAW"))
	rawBody = bytes.Replace(rawBody, []byte("RAW"), []byte("Ch\xe1 c\xf4"), 1)
	mustBe400("invalid UTF-8 bytes in a JSON string (POST /inspections)", p.send("POST", "/api/v1/inspections", rawBody), "notes")

	// A batch whose second item has a NUL in its notes, sent twice.
	items := []map[string]any{result(open[0], "Cơ sở chấp hành tốt"), result(open[1], "Chủ cơ sở\x00 vắng mặt"), result(open[2], "")}
	batch := map[string]any{"operations": []map[string]any{
		{"type": "inspection", "body": items[0]}, {"type": "inspection", "body": items[1]}, {"type": "inspection", "body": items[2]},
	}}
	for round, want := range [][]string{{"applied", "rejected", "applied"}, {"duplicate", "rejected", "duplicate"}} {
		var out struct {
			Results []struct {
				Index      int    `json:"index"`
				ID         string `json:"id"`
				Status     string `json:"status"`
				HTTPStatus int    `json:"http_status"`
				Error      *struct{ Field, Message string }
			} `json:"results"`
		}
		a := p.json("POST", "/api/v1/sync", batch, &out)
		if a.status != 200 || len(out.Results) != 3 {
			t.Errorf("FAIL sync batch, round %d: %s", round+1, a)
			continue
		}
		for i, r := range out.Results {
			line := fmt.Sprintf("sync round %d, item %d (%s): %s %d", round+1, i+1, open[i].Business.Name, r.Status, r.HTTPStatus)
			if r.Error != nil {
				line += fmt.Sprintf(" %s: %s", r.Error.Field, r.Error.Message)
			}
			if r.Status != want[i] || (r.Status == "rejected" && (r.HTTPStatus != 400 || r.Error == nil || r.Error.Field != "notes")) {
				t.Errorf("FAIL %s, want %s", line, want[i])
				continue
			}
			t.Logf("ok   %s", line)
		}
	}
	for i, it := range items {
		a := p.send("GET", "/api/v1/inspections/"+it["id"].(string), nil)
		stored := a.status == 200
		if stored != (i != 1) {
			t.Errorf("FAIL item %d stored: %v (%s)", i+1, stored, a)
			continue
		}
		t.Logf("ok   item %d stored: %v (GET /inspections/%s: %d)", i+1, stored, it["id"], a.status)
	}
}
