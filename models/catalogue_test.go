package models

import (
	"reflect"
	"testing"
)

func TestAnEditOfOneCategoryLeavesTheOthersTheirItems(t *testing.T) {
	item := func(id string, cats ...string) ChecklistItem {
		return ChecklistItem{ID: id, Categories: cats, VI: id, EN: id, Answer: "yes_no"}
	}
	base := &Checklist{Version: 4, Items: []ChecklistItem{item("G01", "karaoke", "bar"), item("K01", "karaoke"), item("K02", "karaoke", "bar"), item("B01", "bar")}}
	g01 := item("G01")
	g01.VI = "Sửa"
	got := ApplyChecklistEdit(base, "karaoke", &ChecklistEdit{Items: []ChecklistItem{g01, item("K03"), item("K02", "karaoke")}})
	want := []ChecklistItem{
		{ID: "G01", Categories: []string{"karaoke", "bar"}, VI: "Sửa", EN: "G01", Answer: "yes_no"},
		item("K03", "karaoke"),
		item("K02", "karaoke"), // the edit names its categories: it stops applying to bars
		item("B01", "bar"),
	}
	if got.Version != 5 || !reflect.DeepEqual(got.Items, want) {
		t.Fatalf("got %+v", got.Items)
	}
	if ids := got.ForCategory("bar"); len(ids) != 2 || ids[0].ID != "G01" || ids[1].ID != "B01" {
		t.Fatalf("the bar's items: %+v", ids)
	}
	if base.Items[0].VI != "G01" || len(base.Items) != 4 {
		t.Fatalf("the base changed: %+v", base.Items)
	}
}
