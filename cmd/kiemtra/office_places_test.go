package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
	"kiemtra/places"
)

// TestOfficePlacesFlagADanceHall walks issue 18 on a fresh demo: a planner imports a file of
// places with a row missing its name (refused, the row and column named, nothing stored), then
// the corrected file with a school 120 m from a dance hall that had no place near it, and sees
// the dance hall flagged on its registry page.
func TestOfficePlacesFlagADanceHall(t *testing.T) {
	chromiumFor(t, "the places desk test")
	m := startDemo(t, nil)
	p := newPageSession(t, "the places desk test", 3*time.Minute)
	base := "http://" + m.Addr()
	ctx := context.Background()
	db := m.DB()
	svc := places.New(db, m.Registry())

	halls, _, err := db.FindBusinesses(ctx, models.BusinessFilter{Category: places.DanceHallCategory, Status: models.BusinessActive, Limit: 100})
	if err != nil || len(halls) == 0 {
		t.Fatalf("the demo's dance halls: %d, %v", len(halls), err)
	}
	flagged := 0
	var hall *models.Business
	for _, b := range halls {
		chk, err := svc.Check(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if len(chk.Places) > 0 {
			flagged++
		} else if hall == nil {
			hall = b
		}
	}
	if flagged == 0 || hall == nil {
		t.Fatalf("the demo flags %d of %d dance halls; the test needs some flagged and one not", flagged, len(halls))
	}
	// A school 120 m due north of the hall.
	lat := hall.Lat + 120/6371008.8*180/3.141592653589793
	write := func(name, body string) string {
		f := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	head := "Loại,Tên,Địa chỉ,Vĩ độ,Kinh độ\n"
	// The address holds commas: quoted, as a spreadsheet writes it.
	row := fmt.Sprintf("Trường học,Trường THCS Thử Nghiệm,\"%s\",%.6f,%.6f\n", strings.ReplaceAll("Cạnh "+hall.Address, `"`, `""`), lat, hall.Lon)
	bad := write("diadiem-loi.csv", head+row+fmt.Sprintf("Bệnh viện,,,%.6f,%.6f\n", lat, hall.Lon))
	good := write("diadiem.csv", head+row)
	before, _ := db.FindPlaces(ctx, models.PlaceFilter{})

	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("open the places desk", chromedp.Navigate(base+"/office/#/places"), chromedp.WaitVisible(chromedp.CSS(`#pl-table`)))
	p.Do("import the file with a bad row",
		chromedp.SetUploadFiles(chromedp.CSS(`#pl-file`), []string{bad}, chromedp.NodeReady),
		chromedp.Click(chromedp.CSS(`#pl-import`)),
		chromedp.WaitVisible(chromedp.CSS(`#pl-problems li`)))
	if got := p.Text(`#pl-problems`); !strings.Contains(got, "dòng 3, cột Tên") {
		t.Errorf("the refusal reads %q, want row 3's name named", got)
	}
	if after, _ := db.FindPlaces(ctx, models.PlaceFilter{}); len(after) != len(before) {
		t.Errorf("a refused file stored %d places", len(after)-len(before))
	}
	p.Shot("office-places-refused-vi-1280x800.png")
	p.Do("import the corrected file",
		chromedp.SetUploadFiles(chromedp.CSS(`#pl-file`), []string{good}, chromedp.NodeReady),
		chromedp.Click(chromedp.CSS(`#pl-import`)),
		chromedp.WaitVisible(chromedp.CSS(`#pl-imported`)))
	if got := p.Text(`#pl-imported`); !strings.Contains(got, "1 địa điểm mới") {
		t.Errorf("the import reads %q", got)
	}
	p.NoRawCodes("the places desk")
	p.Shot("office-places-imported-vi-1280x800.png")

	p.Do("open the dance hall", chromedp.Navigate(base+"/office/#/registry/"+hall.ID), chromedp.WaitVisible(chromedp.CSS(`#reg-distance li.bad`)))
	if got := p.Text(`#reg-distance`); !strings.Contains(got, "Cách Trường THCS Thử Nghiệm 120 m theo sổ địa điểm — cần kiểm tra") {
		t.Errorf("the dance hall's page reads %q", got)
	}
	p.Shot("office-places-dance-hall-flagged-vi-1280x800.png")
}
