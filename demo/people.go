package demo

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/refdata"
)

// Password is every demo user's password. Demo users exist only in databases that `kiemtra demo`
// filled; `serve` never creates them, and accepts the password only in a database the demo
// marked as its own.
const Password = auth.DemoPassword

// TeamSpec is a demo team with the slug its members' usernames start with.
type TeamSpec struct {
	Slug string
	Team *models.Team
}

// Person is a demo user before its password is hashed and its team id is known.
type Person struct {
	Username    string
	DisplayName string
	Agency      string
	Role        string
	AreaCode    string
	TeamSlug    string // "" for users outside any team
}

// DistrictSlug turns "Quận Ninh Kiều" into "ninhkieu": the district's name without its type word,
// accents or spaces.
func DistrictSlug(name string) string {
	s := models.FoldVietnamese(name)
	for _, p := range []string{"quan ", "huyen ", "thi xa ", "thanh pho "} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.ReplaceAll(s, " ", "")
}

// Teams returns the city's interagency team and one per district, based at the district's
// centre (the city team at Ninh Kiều, the city centre).
func Teams(u *refdata.Units2021) []TeamSpec {
	center := u.Districts[0]
	out := []TeamSpec{{Slug: "city", Team: &models.Team{
		Name: "Đoàn kiểm tra liên ngành thành phố", Level: models.TeamLevelCity, AreaCode: u.City.Code,
		BaseLat: center.Lat, BaseLon: center.Lon, WeeklyCapacity: 20, WorkingDays: models.DefaultWorkingDays,
		DecisionNo: "215/QĐ-UBND", DecisionDate: models.NewDate(2022, 1, 14), DecisionBy: "Chủ tịch Ủy ban nhân dân thành phố Cần Thơ",
	}}}
	// The districts' teams were set up by their committees' chairs in the programme's first
	// weeks (synthetic numbers, as the rest of the demo).
	for i, d := range u.Districts {
		out = append(out, TeamSpec{Slug: DistrictSlug(d.Name), Team: &models.Team{
			Name: "Đoàn kiểm tra liên ngành " + d.Name, Level: models.TeamLevelDistrict, AreaCode: d.Code,
			BaseLat: d.Lat, BaseLon: d.Lon, WeeklyCapacity: 15, WorkingDays: models.DefaultWorkingDays,
			DecisionNo: fmt.Sprintf("%d/QĐ-UBND", 30+7*i), DecisionDate: models.NewDate(2022, 1, 17+i), DecisionBy: "Chủ tịch Ủy ban nhân dân " + lowerFirst(d.Name),
		}})
	}
	return out
}

// People returns the demo users: one per city-level role, and a lead and two inspectors of
// different agencies for every team, so that each team is interagency.
func People(u *refdata.Units2021) []Person {
	city := u.City.Code
	out := []Person{
		{"admin", "Quản trị hệ thống", models.AgencyOther, models.RoleAdmin, city, ""},
		{"planner", "Trần Thị Kế Hoạch", models.AgencyHealth, models.RolePlanner, city, ""},
		{"police", "Lê Văn Cấp Phép", models.AgencyPolice, models.RoleLicensingOfficer, city, ""},
		{"tips", "Phạm Thị Tin Báo", models.AgencyPolice, models.RoleTipOfficer, city, ""},
		{"viewer", "Nguyễn Văn Xem", models.AgencyOther, models.RoleViewer, city, ""},
	}
	for i, t := range Teams(u) {
		area := t.Team.AreaCode
		out = append(out,
			Person{t.Slug + ".lead", officerName(i, 0), models.AgencyPolice, models.RoleTeamLead, area, t.Slug},
			Person{t.Slug + ".1", officerName(i, 1), models.AgencyHealth, models.RoleInspector, area, t.Slug},
			Person{t.Slug + ".2", officerName(i, 2), models.AgencyCulture, models.RoleInspector, area, t.Slug},
		)
	}
	return out
}

var (
	officerFamilies = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Dương"}
	officerGiven    = []string{"Văn Hùng", "Thị Lan", "Minh Tuấn", "Ngọc Hân", "Quốc Bảo", "Thị Mai", "Văn Phúc", "Thanh Tâm", "Hoàng Nam", "Thị Thu", "Công Danh", "Kim Ngân", "Hữu Phước"}
)

// officerName gives member k of team i a distinct, plausible Vietnamese name.
func officerName(i, k int) string {
	return officerFamilies[(i*3+k)%len(officerFamilies)] + " " + officerGiven[(i*5+k*4)%len(officerGiven)]
}

// lowerFirst writes a unit's type in lower case inside a sentence ("Quận Ninh Kiều" -> "quận
// Ninh Kiều"), as Vietnamese documents do.
func lowerFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToLower(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}
