package demo

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"kiemtra/models"
)

// The former provinces merged into Can Tho on 1 July 2025, as the 2025 sources name them.
const (
	hauGiang = "Tỉnh Hậu Giang"
	socTrang = "Tỉnh Sóc Trăng"
)

// formerProvince is the former province a 2025 unit belongs to: the old city when any of its
// sources was a unit of the old city (the old city's teams take it over), else the province
// most of its sources were in.
func formerProvince(u models.ReorgUnit) string {
	for _, s := range u.From {
		if s.Province == oldCity {
			return oldCity
		}
	}
	return majorityProvince(u)
}

// provinceAreas are the 2025 units of a former province as areas to draw businesses in, with
// the polygons of the map.
func provinceAreas(spec models.ReorgSpec, province string) []*models.Area {
	var out []*models.Area
	for _, u := range spec.Units {
		if formerProvince(u) != province {
			continue
		}
		typ := u.TypeName
		if typ == "" {
			typ = strings.SplitN(u.Name, " ", 2)[0]
		}
		out = append(out, &models.Area{Code: u.Code, GSOCode: u.Code, Name: u.Name, TypeName: typ, Level: models.AreaLevelCommune,
			Lat: u.Lat, Lon: u.Lon, Geometry: string(u.Geometry)})
	}
	return out
}

// unitsPerClusterTeam is about how many communes one team of the former provinces serves: a
// day's drive across, and about a district's worth of businesses.
const unitsPerClusterTeam = 10

// ClusterTeams are the teams the city sets up on 1 July 2025 for the communes of the former
// Hau Giang and Soc Trang (the old city's district teams carry on, mapped to the communes their
// wards went to): each serves a cluster of neighbouring communes of one former province, about
// ten, and is based at the commune nearest the cluster's middle, whose name it takes.
func ClusterTeams(spec models.ReorgSpec, city string) []TeamSpec {
	var out []TeamSpec
	for _, prov := range []string{hauGiang, socTrang} {
		var units []models.ReorgUnit
		for _, u := range spec.Units {
			if formerProvince(u) == prov {
				units = append(units, u)
			}
		}
		sort.Slice(units, func(i, j int) bool { return units[i].Code < units[j].Code })
		for _, c := range clusters(units, max(1, int(math.Round(float64(len(units))/unitsPerClusterTeam)))) {
			base := c.base
			name := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(base.Name, "Phường "), "Xã "))
			codes := make([]string, len(c.units))
			for i, u := range c.units {
				codes[i] = u.Code
			}
			sort.Strings(codes)
			out = append(out, TeamSpec{Slug: "cum" + strings.ReplaceAll(models.FoldVietnamese(name), " ", ""), Team: &models.Team{
				Name: "Đoàn kiểm tra liên ngành cụm " + name, Level: models.TeamLevelCluster, AreaCode: city, Areas: codes,
				BaseLat: base.Lat, BaseLon: base.Lon, WeeklyCapacity: 15, WorkingDays: models.DefaultWorkingDays,
				DecisionNo: fmt.Sprintf("%d/QĐ-UBND", 1702+len(out)), DecisionDate: models.NewDate(2025, 7, 8),
				DecisionBy: "Chủ tịch Ủy ban nhân dân thành phố Cần Thơ",
			}})
		}
	}
	return out
}

// ClusterPeople are the members of the cluster teams: a police lead and two inspectors of the
// departments that staff the teams since 2025 (health, which leads the work, and culture). A
// member's jurisdiction is the city: a team's cluster is no administrative unit.
func ClusterPeople(teams []TeamSpec, city string) []Person {
	var out []Person
	for i, t := range teams {
		n := 100 + i // names apart from the old city's teams
		out = append(out,
			Person{t.Slug + ".lead", officerName(n, 0), models.AgencyPolice, models.RoleTeamLead, city, t.Slug},
			Person{t.Slug + ".1", officerName(n, 1), models.AgencyHealth, models.RoleInspector, city, t.Slug},
			Person{t.Slug + ".2", officerName(n, 2), models.AgencyCulture, models.RoleInspector, city, t.Slug})
	}
	return out
}

type cluster struct {
	units []models.ReorgUnit
	base  models.ReorgUnit
}

// clusters groups units into k clusters by their centroids (k-means from the farthest-point
// start, so the same units always give the same clusters); none is empty.
func clusters(units []models.ReorgUnit, k int) []cluster {
	if k > len(units) {
		k = len(units)
	}
	if k == 0 {
		return nil
	}
	pts := make([][2]float64, len(units))
	for i, u := range units {
		x, y := toKm(u.Lat, u.Lon)
		pts[i] = [2]float64{x, y}
	}
	dist := func(a, b [2]float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }
	centres := [][2]float64{pts[0]}
	for len(centres) < k {
		far, farD := 0, -1.0
		for i, p := range pts {
			d := math.Inf(1)
			for _, c := range centres {
				d = min(d, dist(p, c))
			}
			if d > farD {
				far, farD = i, d
			}
		}
		centres = append(centres, pts[far])
	}
	// Each round gives every unit the nearest centre that still has room (pairs nearest first),
	// so no team ends up with twice the others' communes.
	capacity := (len(pts)+k-1)/k + 1
	type pair struct {
		p, c int
		d    float64
	}
	assign := make([]int, len(pts))
	for iter := 0; iter < 50; iter++ {
		pairs := make([]pair, 0, len(pts)*k)
		for i, p := range pts {
			for c := range centres {
				pairs = append(pairs, pair{i, c, dist(p, centres[c])})
			}
		}
		sort.Slice(pairs, func(a, b int) bool {
			if pairs[a].d != pairs[b].d {
				return pairs[a].d < pairs[b].d
			}
			return pairs[a].p < pairs[b].p || (pairs[a].p == pairs[b].p && pairs[a].c < pairs[b].c)
		})
		next := make([]int, len(pts))
		for i := range next {
			next[i] = -1
		}
		size := make([]int, k)
		for _, pr := range pairs {
			if next[pr.p] < 0 && size[pr.c] < capacity {
				next[pr.p] = pr.c
				size[pr.c]++
			}
		}
		changed := iter == 0
		for i := range next {
			if next[i] != assign[i] {
				changed = true
			}
		}
		assign = next
		sum := make([][3]float64, k)
		for i, p := range pts {
			sum[assign[i]][0] += p[0]
			sum[assign[i]][1] += p[1]
			sum[assign[i]][2]++
		}
		for c := range centres {
			if sum[c][2] > 0 {
				centres[c] = [2]float64{sum[c][0] / sum[c][2], sum[c][1] / sum[c][2]}
			}
		}
		if !changed {
			break
		}
	}
	out := make([]cluster, k)
	for i, u := range units {
		out[assign[i]].units = append(out[assign[i]].units, u)
	}
	var kept []cluster
	for c := range out {
		if len(out[c].units) == 0 {
			continue
		}
		bestD := math.Inf(1)
		for _, u := range out[c].units {
			x, y := toKm(u.Lat, u.Lon)
			if d := dist([2]float64{x, y}, centres[c]); d < bestD {
				out[c].base, bestD = u, d
			}
		}
		kept = append(kept, out[c])
	}
	return kept
}

// Reorganiser applies a reorganisation as a planner does: import, accept the proposed
// mappings, apply (reorg.Service).
type Reorganiser interface {
	Import(ctx context.Context, actor string, spec models.ReorgSpec, dryRun bool) (*models.ReorgReport, error)
	AcceptProposals(ctx context.Context, actor, id string) (int, error)
	Apply(ctx context.Context, actor, id string) (*models.ReorgReport, error)
}

// Merge is 1 July 2025 in the demo: the reorganisation (with the map's polygons) is imported,
// its proposed mappings of teams and users accepted and applied through the code a planner
// uses; then the registries of the former Hau Giang and Soc Trang are imported into their new
// communes, and the cluster teams that serve them are set up with their members.
func Merge(ctx context.Context, st Store, imp Importer, rs Reorganiser, ds *Dataset) error {
	rep, err := rs.Import(ctx, actor, ds.Reform.Spec, false)
	if err != nil {
		if rep != nil && len(rep.Problems) > 0 {
			return fmt.Errorf("import the 2025 reorganisation: %w (first problem: %s %s)", err, rep.Problems[0].Kind, rep.Problems[0].Message)
		}
		return fmt.Errorf("import the 2025 reorganisation: %w", err)
	}
	if _, err := rs.AcceptProposals(ctx, actor, rep.ID); err != nil {
		return fmt.Errorf("accept the reorganisation's proposals: %w", err)
	}
	if _, err := rs.Apply(ctx, actor, rep.ID); err != nil {
		return fmt.Errorf("apply the 2025 reorganisation: %w", err)
	}
	if len(ds.ProvinceBusinesses) > 0 {
		areas := append(provinceAreas(ds.Reform.Spec, hauGiang), provinceAreas(ds.Reform.Spec, socTrang)...)
		if err := importBusinesses(ctx, imp, ds.ProvinceBusinesses, areas, "hau-giang-soc-trang.csv"); err != nil {
			return err
		}
	}
	return createTeams(ctx, st, ds.ClusterTeams, ds.ClusterPeople)
}

// createTeams stores teams and their members.
func createTeams(ctx context.Context, st Store, teams []TeamSpec, people []Person) error {
	teamIDs := map[string]string{}
	for _, t := range teams {
		if err := st.CreateTeam(ctx, actor, t.Team); err != nil {
			return fmt.Errorf("team %s: %w", t.Slug, err)
		}
		teamIDs[t.Slug] = t.Team.ID
	}
	hashes, err := hashAll(len(people))
	if err != nil {
		return err
	}
	for i, p := range people {
		u := &models.User{Username: p.Username, DisplayName: p.DisplayName, Agency: p.Agency, Role: p.Role, AreaCode: p.AreaCode, PasswordHash: hashes[i]}
		if p.TeamSlug != "" {
			id, ok := teamIDs[p.TeamSlug]
			if !ok {
				return fmt.Errorf("user %s: no team %s", p.Username, p.TeamSlug)
			}
			u.TeamID = &id
		}
		if err := st.CreateUser(ctx, actor, u); err != nil {
			return fmt.Errorf("user %s: %w", p.Username, err)
		}
	}
	return nil
}
