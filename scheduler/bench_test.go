package scheduler

import (
	"fmt"
	"runtime"
	"testing"

	"kiemtra/models"
	"kiemtra/refdata"
)

// BenchmarkYearlyPlan1M plans a year for 1,000,000 businesses over 1,000 wards with 100 district
// teams and a city team. It reports the heap in use after planning (the plan's own memory).
func BenchmarkYearlyPlan1M(b *testing.B) {
	bs := city(1_000_000, 1000, 400_000)
	in := input(2023, bs, 2000)
	for d := 0; d < 100; d++ {
		in.Teams = append(in.Teams, Team{ID: fmt.Sprintf("d%03d", d), AreaPath: fmt.Sprintf("/92/w%02d", d), Weekly: 200, WorkingDays: models.DefaultWorkingDays})
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	var r *Result
	for i := 0; i < b.N; i++ {
		var err error
		if r, err = YearlyPlan(in, fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/op")
	b.ReportMetric(float64(len(r.Items)), "items")
}

// BenchmarkSimulate100k runs `kiemtra simulate --businesses 100000 --years 5`.
func BenchmarkSimulate100k(b *testing.B) {
	cats, _ := refdata.Categories()
	o := DefaultSimOptions()
	o.Businesses = 100_000
	for i := 0; i < b.N; i++ {
		if _, err := Simulate(o, cats); err != nil {
			b.Fatal(err)
		}
	}
}
