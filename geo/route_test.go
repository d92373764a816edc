package geo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// routeBaseLat and routeBaseLon are a team base in Ninh Kieu, Can Tho.
const routeBaseLat, routeBaseLon = 10.03, 105.78

// routeAt returns a stop eastM east and northM north of the test base.
func routeAt(id string, eastM, northM float64) Stop {
	const mPerDeg = EarthRadiusM * math.Pi / 180
	return Stop{ID: id, Lat: routeBaseLat + northM/mPerDeg, Lon: routeBaseLon + eastM/(mPerDeg*math.Cos(routeBaseLat*math.Pi/180))}
}

// routeIDs returns the IDs of stops in the given order.
func routeIDs(stops []Stop, order []int) []string {
	out := make([]string, len(order))
	for k, i := range order {
		out[k] = stops[i].ID
	}
	return out
}

func checkPermutation(tb testing.TB, order []int, n int) {
	tb.Helper()
	if len(order) != n {
		tb.Fatalf("order has %d entries for %d stops: %v", len(order), n, order)
	}
	seen := make([]bool, n)
	for _, i := range order {
		if i < 0 || i >= n || seen[i] {
			tb.Fatalf("order %v is not a permutation of 0..%d", order, n-1)
		}
		seen[i] = true
	}
}

// bruteForceRoute returns the length of the shortest route by trying every order (a branch
// is dropped once it is already longer than the best complete route, which keeps it exact).
func bruteForceRoute(baseLat, baseLon float64, stops []Stop, returnToBase bool) float64 {
	best := math.Inf(1)
	used := make([]bool, len(stops))
	var walk func(depth int, lat, lon, sofar float64)
	walk = func(depth int, lat, lon, sofar float64) {
		if sofar >= best {
			return
		}
		if depth == len(stops) {
			if returnToBase {
				sofar += DistanceM(lat, lon, baseLat, baseLon)
			}
			best = math.Min(best, sofar)
			return
		}
		for i, s := range stops {
			if used[i] {
				continue
			}
			used[i] = true
			walk(depth+1, s.Lat, s.Lon, sofar+DistanceM(lat, lon, s.Lat, s.Lon))
			used[i] = false
		}
	}
	walk(0, baseLat, baseLon, 0)
	return best
}

// nearestNeighbourOnly is the tour OrderRoute starts from, without improvement.
func nearestNeighbourOnly(baseLat, baseLon float64, stops []Stop) []int {
	var order []int
	used := make([]bool, len(stops))
	lat, lon := baseLat, baseLon
	for range stops {
		next, nextD := -1, 0.0
		for i, s := range stops {
			if used[i] {
				continue
			}
			d := DistanceM(lat, lon, s.Lat, s.Lon)
			if next < 0 || d < nextD || (d == nextD && s.ID < stops[next].ID) {
				next, nextD = i, d
			}
		}
		used[next] = true
		order = append(order, next)
		lat, lon = stops[next].Lat, stops[next].Lon
	}
	return order
}

// randomStops places n stops uniformly within about 6 km of the test base.
func randomStops(r *rand.Rand, n int) []Stop {
	stops := make([]Stop, n)
	for i := range stops {
		stops[i] = routeAt(fmt.Sprintf("s%03d", i), (r.Float64()*2-1)*6000, (r.Float64()*2-1)*6000)
	}
	return stops
}

func TestOrderRouteKnownGeometries(t *testing.T) {
	for _, tc := range []struct {
		name         string
		stops        []Stop
		returnToBase bool
		wantIDs      []string // nil: any order of this length
		wantLengthM  float64
	}{
		{name: "no stops give an empty route of no length", returnToBase: true, wantIDs: []string{}},
		{name: "one stop is a trip there and back", stops: []Stop{routeAt("a", 300, 400)}, returnToBase: true,
			wantIDs: []string{"a"}, wantLengthM: 1000},
		{name: "one stop without the return is a trip there", stops: []Stop{routeAt("a", 300, 400)},
			wantIDs: []string{"a"}, wantLengthM: 500},
		{name: "stops on a line are visited outwards whatever the input order",
			stops:   []Stop{routeAt("c", 300, 0), routeAt("a", 100, 0), routeAt("d", 400, 0), routeAt("b", 200, 0)},
			wantIDs: []string{"a", "b", "c", "d"}, wantLengthM: 400},
		{name: "stops on both sides of the base are not visited by zigzag",
			stops:        []Stop{routeAt("e1", 100, 0), routeAt("w1", -150, 0), routeAt("e2", 200, 0), routeAt("w2", -300, 0), routeAt("e3", 350, 0)},
			returnToBase: true, wantLengthM: 1300},
		{name: "the corners of a square are visited around it, not across",
			stops:        []Stop{routeAt("ne", 1000, 1000), routeAt("n", 0, 1000), routeAt("e", 1000, 0)},
			returnToBase: true, wantLengthM: 4000},
		{name: "businesses at one address are visited one after the other in ID order",
			stops:        []Stop{routeAt("x2", 500, 0), routeAt("y", 0, 400), routeAt("x1", 500, 0), routeAt("z", 500, 400), routeAt("x0", 500, 0)},
			returnToBase: true, wantLengthM: 1800},
		{name: "stops without a position come last and add no length",
			stops:        []Stop{{ID: "nan", Lat: math.NaN(), Lon: 105.7}, routeAt("a", 0, 500), {ID: "zero", Lat: 91, Lon: 0}},
			returnToBase: true, wantIDs: []string{"a", "nan", "zero"}, wantLengthM: 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			order, length := OrderRoute(routeBaseLat, routeBaseLon, tc.stops, tc.returnToBase)
			checkPermutation(t, order, len(tc.stops))
			got := routeIDs(tc.stops, order)
			if tc.wantIDs != nil && !slices.Equal(got, tc.wantIDs) {
				t.Errorf("order = %v, want %v", got, tc.wantIDs)
			}
			if math.Abs(length-tc.wantLengthM) > 0.5 {
				t.Errorf("length = %.2f m, want %.2f m (order %v)", length, tc.wantLengthM, got)
			}
			if l := RouteLength(routeBaseLat, routeBaseLon, tc.stops, order, tc.returnToBase); l != length {
				t.Errorf("RouteLength = %v, OrderRoute said %v", l, length)
			}
		})
	}
}

func TestOrderRouteKeepsDuplicatesTogether(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for trial := range 200 {
		stops := randomStops(r, 3+r.IntN(12))
		// Copy some stops' positions to others: several businesses at one address.
		for k := 0; k < len(stops)/2; k++ {
			i, j := r.IntN(len(stops)), r.IntN(len(stops))
			stops[j].Lat, stops[j].Lon = stops[i].Lat, stops[i].Lon
		}
		for _, back := range []bool{true, false} {
			order, _ := OrderRoute(routeBaseLat, routeBaseLon, stops, back)
			checkPermutation(t, order, len(stops))
			done := map[[2]float64]bool{}
			for k, i := range order {
				p := [2]float64{stops[i].Lat, stops[i].Lon}
				if k > 0 {
					q := stops[order[k-1]]
					if p == [2]float64{q.Lat, q.Lon} {
						if q.ID > stops[i].ID {
							t.Fatalf("trial %d: %s before %s at one address", trial, q.ID, stops[i].ID)
						}
						continue
					}
				}
				if done[p] {
					t.Fatalf("trial %d: the address of %s is visited twice: %v", trial, stops[i].ID, routeIDs(stops, order))
				}
				done[p] = true
			}
		}
	}
}

func TestOrderRouteAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const trials = 40
	for _, back := range []bool{true, false} {
		for n := 1; n <= 8; n++ {
			t.Run(fmt.Sprintf("%d stops return %v", n, back), func(t *testing.T) {
				sumRatio, maxRatio := 0.0, 0.0
				for range trials {
					stops := randomStops(r, n)
					order, length := OrderRoute(routeBaseLat, routeBaseLon, stops, back)
					checkPermutation(t, order, n)
					opt := bruteForceRoute(routeBaseLat, routeBaseLon, stops, back)
					nn := RouteLength(routeBaseLat, routeBaseLon, stops, nearestNeighbourOnly(routeBaseLat, routeBaseLon, stops), back)
					given := RouteLength(routeBaseLat, routeBaseLon, stops, identity(n), back)
					if length < opt-1e-6 {
						t.Fatalf("length %.3f is below the optimum %.3f", length, opt)
					}
					if length > nn+1e-6 {
						t.Errorf("length %.3f is longer than nearest neighbour alone %.3f", length, nn)
					}
					if length > given+1e-6 {
						t.Errorf("length %.3f is longer than the given order %.3f", length, given)
					}
					if n <= 3 && length > opt+1e-6 {
						t.Errorf("%d stops: length %.3f, optimum %.3f", n, length, opt)
					}
					sumRatio += length / opt
					maxRatio = math.Max(maxRatio, length/opt)
				}
				if mean := sumRatio / trials; mean > 1.02 {
					t.Errorf("mean route/optimum = %.4f (max %.4f), want at most 1.02", mean, maxRatio)
				}
			})
		}
	}
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestOrderRouteIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	stops := randomStops(r, 40)
	stops[5].Lat, stops[5].Lon = stops[9].Lat, stops[9].Lon
	first, firstLen := OrderRoute(routeBaseLat, routeBaseLon, stops, true)
	for range 5 {
		again, againLen := OrderRoute(routeBaseLat, routeBaseLon, slices.Clone(stops), true)
		if !slices.Equal(first, again) || firstLen != againLen {
			t.Fatalf("two runs differ: %v (%v) and %v (%v)", first, firstLen, again, againLen)
		}
	}
}

func TestOrderRouteBreaksTiesByID(t *testing.T) {
	// Two stops at the same distance from the base, on opposite sides.
	stops := []Stop{routeAt("b", 0, 500), routeAt("a", 0, -500)}
	order, _ := OrderRoute(routeBaseLat, routeBaseLon, stops, false)
	if got := routeIDs(stops, order); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("order = %v, want the smaller ID first", got)
	}
}

func TestOrderRouteHandlesHundredsOfStops(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{100, 300} {
		t.Run(fmt.Sprintf("%d stops", n), func(t *testing.T) {
			stops := randomStops(r, n)
			order, length := OrderRoute(routeBaseLat, routeBaseLon, stops, true)
			checkPermutation(t, order, n)
			nn := RouteLength(routeBaseLat, routeBaseLon, stops, nearestNeighbourOnly(routeBaseLat, routeBaseLon, stops), true)
			given := RouteLength(routeBaseLat, routeBaseLon, stops, identity(n), true)
			if length > nn || length > given {
				t.Errorf("length %.0f m, nearest neighbour %.0f m, given order %.0f m", length, nn, given)
			}
		})
	}
}

func TestRouteLength(t *testing.T) {
	stops := []Stop{routeAt("a", 0, 300), routeAt("b", 400, 300), {ID: "lost", Lat: math.NaN(), Lon: math.NaN()}}
	for _, tc := range []struct {
		name  string
		order []int
		back  bool
		want  float64
	}{
		{"an empty order without return is nothing", nil, false, 0},
		{"an empty order with return is nothing", nil, true, 0},
		{"a path is the sum of its legs", []int{0, 1}, false, 700},
		{"a round trip adds the way back", []int{0, 1}, true, 1200},
		{"a stop without a position is skipped", []int{0, 2, 1}, true, 1200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RouteLength(routeBaseLat, routeBaseLon, stops, tc.order, tc.back); math.Abs(got-tc.want) > 0.5 {
				t.Errorf("RouteLength = %.2f, want %.2f", got, tc.want)
			}
		})
	}
}

func TestGroupByPlace(t *testing.T) {
	for _, tc := range []struct {
		name    string
		stops   []Stop
		radiusM float64
		want    [][]int
	}{
		{name: "no stops give no places", radiusM: 30},
		{name: "the businesses of one market are one place",
			stops:   []Stop{routeAt("k1", 0, 0), routeAt("far", 500, 0), routeAt("k2", 10, 5), routeAt("k3", -8, 12)},
			radiusM: 30, want: [][]int{{0, 2, 3}, {1}}},
		{name: "a street of bars 20 m apart does not chain into one place",
			stops:   []Stop{routeAt("a", 0, 0), routeAt("b", 20, 0), routeAt("c", 40, 0), routeAt("d", 60, 0), routeAt("e", 80, 0)},
			radiusM: 30, want: [][]int{{0, 1}, {2, 3}, {4}}},
		{name: "stops at one address are one place even with radius 0",
			stops:   []Stop{routeAt("a", 0, 0), routeAt("b", 1, 0), routeAt("c", 0, 0)},
			radiusM: 0, want: [][]int{{0, 2}, {1}}},
		{name: "a stop without a position is a place of its own",
			stops:   []Stop{{ID: "x", Lat: math.NaN(), Lon: 0}, {ID: "y", Lat: math.NaN(), Lon: 0}, routeAt("a", 0, 0)},
			radiusM: 30, want: [][]int{{0}, {1}, {2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := GroupByPlace(tc.stops, tc.radiusM)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("GroupByPlace = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGroupByPlaceProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for trial := range 50 {
		// Dense clusters so that many stops have neighbours within the radius.
		stops := make([]Stop, 200)
		for i := range stops {
			c := r.IntN(20)
			stops[i] = routeAt(fmt.Sprintf("s%03d", i), float64(c%5)*200+r.Float64()*60, float64(c/5)*200+r.Float64()*60)
		}
		groups := GroupByPlace(stops, PlaceRadiusM)
		var all []int
		for _, g := range groups {
			if !slices.IsSorted(g) {
				t.Fatalf("trial %d: group %v is not ascending", trial, g)
			}
			for _, a := range g {
				for _, b := range g {
					if d := DistanceM(stops[a].Lat, stops[a].Lon, stops[b].Lat, stops[b].Lon); d > PlaceRadiusM {
						t.Fatalf("trial %d: %s and %s are %.1f m apart in one place", trial, stops[a].ID, stops[b].ID, d)
					}
				}
			}
			all = append(all, g...)
		}
		if !slices.IsSortedFunc(groups, func(a, b []int) int { return cmp.Compare(a[0], b[0]) }) {
			t.Fatalf("trial %d: groups are not ordered by first index", trial)
		}
		slices.Sort(all)
		if !slices.Equal(all, identity(len(stops))) {
			t.Fatalf("trial %d: groups do not hold every stop exactly once", trial)
		}
		if fmt.Sprint(groups) != fmt.Sprint(GroupByPlace(slices.Clone(stops), PlaceRadiusM)) {
			t.Fatalf("trial %d: two runs differ", trial)
		}
	}
}
