package models

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// nfd is Vietnamese text as a decomposing keyboard or file gives it: base letters followed by
// combining marks.
func nfd(s string) string { return norm.NFD.String(s) }

func TestTextIsStoredInNFC(t *testing.T) {
	const name, address, owner = "Karaoke Hoa Hồng Đỏ", "12 Nguyễn Trãi, phường Tân An", "Trần Thị Ánh"
	if nfd(name) == name {
		t.Fatal("the test input is not decomposed")
	}
	t.Run("a business's name, address, owner and notes", func(t *testing.T) {
		b := &Business{Name: nfd(name), Category: "karaoke", Address: nfd(address), OwnerName: nfd(owner), Notes: nfd("Đã nhắc nhở"),
			Lat: 10.03, Lon: 105.78, Status: BusinessActive}
		if err := b.Validate(map[string]bool{"karaoke": true}); err != nil {
			t.Fatal(err)
		}
		if b.Name != name || b.Address != address || b.OwnerName != owner || b.Notes != "Đã nhắc nhở" {
			t.Fatalf("not NFC: %+q %+q %+q %+q", b.Name, b.Address, b.OwnerName, b.Notes)
		}
	})
	t.Run("a name of 200 letters with marks is not too long", func(t *testing.T) {
		long := ""
		for len([]rune(long)) < 200 {
			long += "ồ"
		}
		b := &Business{Name: nfd(long), Category: "karaoke", Lat: 10.03, Lon: 105.78, Status: BusinessActive}
		if err := b.Validate(nil); err != nil {
			t.Fatalf("%d letters (%d runes decomposed): %v", len([]rune(long)), len([]rune(nfd(long))), err)
		}
	})
	t.Run("a programme's code and name", func(t *testing.T) {
		p := &Programme{Code: nfd("KH-237"), Name: nfd("Kế hoạch phòng, chống mại dâm"), StartsOn: NewDate(2026, 1, 1), EndsOn: NewDate(2030, 12, 31)}
		p.ApplyDefaults()
		if err := p.Validate(nil); err != nil {
			t.Fatal(err)
		}
		if p.Name != "Kế hoạch phòng, chống mại dâm" {
			t.Fatalf("not NFC: %+q", p.Name)
		}
	})
	t.Run("an area's names", func(t *testing.T) {
		a := &Area{Name: nfd("Ninh Kiều"), TypeName: nfd("Quận")}
		a.Normalise()
		if a.Name != "Ninh Kiều" || a.TypeName != "Quận" {
			t.Fatalf("not NFC: %+q %+q", a.Name, a.TypeName)
		}
	})
}
