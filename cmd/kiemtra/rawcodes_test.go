package main

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/fieldwork"
	"kiemtra/models"
	"kiemtra/refdata"
)

var (
	snakeCode = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b`)
	lowerWord = regexp.MustCompile(`\b[a-z]+\b`)
)

// wordsUsersWrite are codes that are also words a Vietnamese screen writes as they are.
var wordsUsersWrite = map[string]bool{"web": true, "email": true}

// rawCodes lists what a Vietnamese screen's text shows as a code rather than in words: any
// snake_case or UPPER_SNAKE word (field names, violation codes, states such as not_found), and
// any single-word code of the reference tables (roles, states, severities, outcomes).
func rawCodes(text string, ref *models.Reference) []string {
	codes := map[string]bool{}
	for kind, labels := range ref.Labels {
		if kind == models.LabelSeverity {
			continue // low, high... overlap the tip severities, which are checked
		}
		for code := range labels {
			if !wordsUsersWrite[code] {
				codes[code] = true
			}
		}
	}
	found := map[string]bool{}
	for _, m := range snakeCode.FindAllString(text, -1) {
		found[m] = true
	}
	for _, w := range lowerWord.FindAllString(text, -1) {
		if codes[w] {
			found[w] = true
		}
	}
	var out []string
	for c := range found {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func TestRawCodesFindsCodesNotWords(t *testing.T) {
	ref, err := refdata.Reference(models.OnSiteRule{RadiusM: fieldwork.OnSiteRadiusM, MaxAccuracyM: fieldwork.MaxAccuracyM})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"Trạng thái: Đang xác minh · Khẩn cấp", ""},
		{"Karaoke Hoa Hồng, 12 Lê Lợi; gửi qua trang web", ""},
		{"Trạng thái: verifying", "verifying"},
		{"Kết quả: not_found", "not_found"},
		{"Vi phạm ACC_NOTIFY", "ACC_NOTIFY"},
		{"licence_no: cần đúng một trong tax_code", "licence_no tax_code"},
		{"Người xử lý: tip_officer (planner)", "planner tip_officer"},
	} {
		if got := strings.Join(rawCodes(tc.text, ref), " "); got != tc.want {
			t.Errorf("rawCodes(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestOfficeScreensShowNoRawCodes signs in as each office role of the demo and walks its
// screens in Vietnamese: every desk in its menu and the screens their links open (a tip, a
// business, a day), checking the visible text for codes (roles, states, field names) where
// words belong.
func TestOfficeScreensShowNoRawCodes(t *testing.T) {
	m := startDemo(t, nil)
	p := newPageSession(t, "the office app's raw-code walk", 3*time.Minute)
	base := "http://" + m.Addr()
	ref, err := refdata.Reference(models.OnSiteRule{RadiusM: fieldwork.OnSiteRadiusM, MaxAccuracyM: fieldwork.MaxAccuracyM})
	if err != nil {
		t.Fatal(err)
	}
	const settled = `new Promise(resolve => {
		const t0 = Date.now();
		const tick = () => {
			const desk = document.querySelector('#desk');
			const busy = !desk || desk.querySelector('.loading') || !desk.textContent.trim();
			if (!busy || Date.now() - t0 > 8000) setTimeout(() => resolve(true), 300); else setTimeout(tick, 100);
		};
		tick();
	})`
	const links = `Array.from(new Set(Array.from(document.querySelectorAll('#nav a[href^="#/"], #desk a[href^="#/"]')).map(a => a.getAttribute('href'))))`
	for _, user := range []string{"police", "tips", "city.lead", "planner", "admin"} {
		p.SignIn(base, "/office/", user, `#desk`)
		awaitJS[bool](t, p.ctx, settled)
		seen, kinds := map[string]bool{}, map[string]bool{}
		queue := evalJS[[]string](t, p.ctx, links)
		if len(queue) == 0 {
			t.Errorf("%s has no desk in the office app", user)
		}
		for visited := 0; len(queue) > 0 && visited < 12; {
			href := queue[0]
			queue = queue[1:]
			// One screen of each kind: a second tip's page checks nothing new.
			if seen[href] || kinds[screenKind(href)] {
				continue
			}
			seen[href], kinds[screenKind(href)] = true, true
			visited++
			p.Do("open "+href+" as "+user, chromedp.Navigate(base+"/office/"+href))
			awaitJS[bool](t, p.ctx, settled)
			text := evalJS[string](t, p.ctx, `document.querySelector('.topbar').innerText + "\n" + document.querySelector('#desk').innerText`)
			if codes := rawCodes(text, ref); len(codes) > 0 {
				t.Errorf("%s at %s reads codes %v", user, href, codes)
			}
			for _, l := range evalJS[[]string](t, p.ctx, links) {
				if !seen[l] {
					queue = append(queue, l)
				}
			}
		}
		var walked []string
		for h := range seen {
			walked = append(walked, h)
		}
		sort.Strings(walked)
		t.Logf("%s: %d screens walked: %v", user, len(walked), walked)
		if len(walked) < 2 {
			t.Errorf("%s: only %v walked; the desk should link its screens", user, walked)
		}
		p.Do("sign out "+user, chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	}
}

var screenID = regexp.MustCompile(`/[0-9a-f]{8}-[0-9a-f-]{27}|/\d{4}-\d{2}-\d{2}|/\d+|=[^&]*`)

// screenKind is a route with its ids and days left out: #/tips/ID is one kind of screen.
func screenKind(href string) string { return screenID.ReplaceAllString(href, "/:id") }

// testReference is the reference tables the server serves.
func testReference(t *testing.T) *models.Reference {
	t.Helper()
	ref, err := refdata.Reference(models.OnSiteRule{RadiusM: fieldwork.OnSiteRadiusM, MaxAccuracyM: fieldwork.MaxAccuracyM})
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// NoRawCodes fails the test when the page's visible text shows a code where words belong.
func (p *pageSession) NoRawCodes(where string) {
	p.t.Helper()
	// Usernames (marked .username) are names people chose, not codes: "admin" is an account.
	text := evalJS[string](p.t, p.ctx, `(() => {
		const els = [...document.querySelectorAll('.username')], kept = els.map(e => e.textContent);
		els.forEach(e => { e.textContent = ""; });
		const text = document.body.innerText;
		els.forEach((e, i) => { e.textContent = kept[i]; });
		return text;
	})()`)
	if codes := rawCodes(text, testReference(p.t)); len(codes) > 0 {
		p.t.Errorf("%s reads codes %v", where, codes)
	}
}
