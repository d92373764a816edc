package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
)

// runPlan commits a programme's yearly plan from the registry and prints its figures, or with
// --draw enters the result of a committed plan's public draw, which makes its selection.
func runPlan(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "plan", "--programme ID|CODE --year YEAR [--dry-run] [--draw-date YYYY-MM-DD] [--reason TEXT] [--json]\n"+
		"       kiemtra plan --draw PLAN_ID --result DIGITS [--approve] [--json]")
	programme := fs.String("programme", "", "programme id or code (to commit a plan)")
	year := fs.Int("year", 0, "plan year (to commit a plan)")
	dry := fs.Bool("dry-run", false, "compute and print the figures without committing anything")
	drawDate := fs.String("draw-date", "", "date of the public draw that completes the seed (default: the next draw)")
	reason := fs.String("reason", "", "why the year gets another plan (required when it has one)")
	draw := fs.String("draw", "", "id of a committed plan whose draw result is entered")
	result := fs.String("result", "", "the draw's result (with --draw)")
	approve := fs.Bool("approve", false, "with --draw: approve the plan at once (creates its tasks)")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	committing := *programme != "" || *year != 0
	switch {
	case *draw == "" && (*programme == "" || *year == 0):
		fmt.Fprintln(env.Stderr, "plan: --programme and --year are required to commit a plan, --draw and --result to enter a draw")
		fs.Usage()
		return errUsage
	case *draw != "" && (committing || *dry || *drawDate != "" || *reason != ""):
		fmt.Fprintln(env.Stderr, "plan: --draw goes with --result and --approve only")
		return errUsage
	case *draw == "" && (*approve || *result != ""):
		fmt.Fprintln(env.Stderr, "plan: a committed plan is approved after its draw: use --draw PLAN_ID --result DIGITS --approve")
		return errUsage
	}
	opts := models.DraftOptions{DryRun: *dry, Reason: *reason}
	if *drawDate != "" {
		if opts.DrawDate, err = models.ParseDate(*drawDate); err != nil {
			fmt.Fprintf(env.Stderr, "plan: --draw-date: %v\n", err)
			return errUsage
		}
	}
	m := NewMain(cfg, cfg.newLogger())
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	who := "cli:" + currentUser()
	var d *scheduler.Draft
	if *draw != "" {
		if d, err = m.Planner().DrawPlanResult(ctx, who, *draw, *result); err != nil {
			return err
		}
		if *approve {
			if d.Plan, err = m.Planner().Approve(ctx, who, d.Plan.ID); err != nil {
				return err
			}
		}
	} else if d, err = m.Planner().DraftPlanResult(ctx, who, *programme, *year, opts); err != nil {
		return err
	}
	if *asJSON {
		out := map[string]any{"plan_id": d.Plan.ID, "status": d.Plan.Status, "seed_sha256": d.Plan.SeedSHA256, "secret_sha256": d.Plan.SecretSHA256,
			"draw_date": d.Plan.DrawDate}
		if d.Result != nil {
			out["figures"] = d.Result.Figures
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printPlan(env.Stdout, d, *dry)
	return nil
}

func printPlan(w io.Writer, d *scheduler.Draft, dry bool) {
	p := d.Plan
	state := p.Status
	if dry {
		state = "dry run, nothing committed"
	}
	fmt.Fprintf(w, "Plan %d (%s) %s\n", p.Year, state, p.ID)
	if src, ok := models.DrawSources[p.DrawSource]; ok && !dry {
		fmt.Fprintf(w, "  secret sha256      %s (committed; the secret is revealed after the year)\n", p.SecretSHA256)
		if p.DrawResult == "" {
			fmt.Fprintf(w, "  seed               waits for the %s of %s: enter it with kiemtra plan --draw %s --result DIGITS\n", src.Name, p.DrawDate, p.ID)
		} else {
			fmt.Fprintf(w, "  draw               %s of %s: %s\n", src.Name, p.DrawDate, p.DrawResult)
			fmt.Fprintf(w, "  seed sha256        %s\n", p.SeedSHA256)
		}
	}
	if d.Result == nil {
		return
	}
	f := d.Result.Figures
	if p.Status == models.PlanCommitted || dry {
		fmt.Fprintln(w, "  figures            a preview: the draw decides which businesses, not how many")
	}
	fmt.Fprintf(w, "  in scope           %d active businesses\n", f.InScope)
	fmt.Fprintf(w, "  never inspected    %d, of which %d this year (%d years left)\n", f.Uninspected, f.MustCover, f.RemainingYears)
	fmt.Fprintf(w, "  share target       %d\n", f.ShareTarget)
	fmt.Fprintf(w, "  re-inspections     %d\n", f.Reinspections)
	fmt.Fprintf(w, "  total              %d\n", f.Total)
	if f.Feasible {
		fmt.Fprintln(w, "  feasible           yes: every visit fits the teams' capacity")
		return
	}
	fmt.Fprintf(w, "  feasible           NO: %d visits fit no team's week\n", f.Shortfall)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "    AREA\tVISITS SHORT\tTEAM-DAYS MISSING")
	for _, a := range f.ShortfallAreas {
		fmt.Fprintf(tw, "    %s\t%d\t%.1f\n", a.AreaCode, a.Tasks, a.MissingTeamDays)
	}
	tw.Flush()
}

// runSimulate runs whole programmes on a synthetic city through the planner and prints the
// outcome beside a naive baseline.
func runSimulate(_ context.Context, env *Env, args []string) error {
	o := scheduler.DefaultSimOptions()
	fs := newFlagSet(env, "simulate", "[flags] [--json]")
	fs.IntVar(&o.Businesses, "businesses", o.Businesses, "businesses open at the start")
	fs.IntVar(&o.StartYear, "start", o.StartYear, "first year")
	fs.IntVar(&o.Years, "years", o.Years, "programme length in years")
	fs.Float64Var(&o.OpenRate, "open-rate", o.OpenRate, "openings a year, as a share of open businesses")
	fs.Float64Var(&o.CloseRate, "close-rate", o.CloseRate, "closures a year, as a share of open businesses")
	fs.Float64Var(&o.MissRate, "miss-rate", o.MissRate, "share of visits that fail (closed door, refused) and are repeated")
	fs.IntVar(&o.Teams, "teams", o.Teams, "teams (0: the fewest the projection finds enough, with 10% to spare)")
	fs.IntVar(&o.Capacity, "capacity", o.Capacity, "inspections per team per working week")
	fs.Float64Var(&o.Violators, "violators", o.Violators, "hidden share of violating businesses (more in riskier categories)")
	fs.Float64Var(&o.Share, "share", o.Share, "minimum yearly share")
	fs.IntVar(&o.Rules, "rules", o.Rules, fmt.Sprintf("planner rules version to simulate, 1-%d (0: the current)", scheduler.CurrentRules))
	fs.Float64Var(&o.RiskFloor, "risk-floor", o.RiskFloor, fmt.Sprintf("rules 2: least share of its ward's uniform inclusion probability every business keeps (0: %g)", scheduler.DefaultRiskFloor))
	var seed int64 = int64(o.Seed)
	fs.Int64Var(&seed, "seed", seed, "random seed")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	o.Seed = uint64(seed)
	cats, err := refdata.Categories()
	if err != nil {
		return err
	}
	rep, err := scheduler.Simulate(o, cats)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := env.Stdout
	fmt.Fprintf(w, "Simulated programme %d-%d: %d businesses, %d teams x %d a week, miss rate %.0f%%, seed %d\n\n",
		o.StartYear, o.StartYear+o.Years-1, o.Businesses, rep.Options.Teams, o.Capacity, o.MissRate*100, o.Seed)
	for _, s := range []struct {
		name string
		st   scheduler.SimStrategy
	}{{"kiemtra planner", scheduler.SimStrategy{Years: rep.Years, Final: rep.Final}}, {"baseline: uniform random share", rep.Baseline}} {
		fmt.Fprintln(w, s.name)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "year\tactive 1 Jan\tinspected\tshare\tcoverage\tcapacity used\tviolations\tprevalence est. [95% CI]\ttrue\t")
		for _, y := range s.st.Years {
			fmt.Fprintf(tw, "%d\t%d\t%d\t%.1f%%\t%.1f%%\t%.0f%%\t%d\t%.1f%% [%.1f-%.1f]\t%.1f%%\t\n", y.Year, y.ActiveStart, y.Inspected, y.Share*100,
				y.CumulativeCoverage*100, y.CapacityUsed*100, y.ViolationsFound, y.PrevalenceEstimate*100, y.PrevalenceLow*100, y.PrevalenceHigh*100, y.PrevalenceTrue*100)
		}
		tw.Flush()
		f := s.st.Final
		found, inspections := 0, 0
		for _, y := range s.st.Years {
			found, inspections = found+y.ViolationsFound, inspections+y.Inspections
		}
		fmt.Fprintf(w, "final coverage %.1f%% (%d of %d eligible), closed before inspection %d, violators found %.1f%%, violations per inspection %.3f\n\n",
			f.Coverage*100, f.Covered, f.Eligible, f.ClosedBeforeInspection, f.DetectionRate*100, float64(found)/float64(max(inspections, 1)))
	}
	printProjections(w, rep)
	if rep.Feasible {
		fmt.Fprintln(w, "feasible: yes")
	} else {
		fmt.Fprintf(w, "feasible: NO, %d visits found no capacity\n", rep.Shortfall)
	}
	return nil
}

// printProjections lists the projection the planner made each year and when it first warned.
func printProjections(w io.Writer, rep *scheduler.SimReport) {
	fmt.Fprintln(w, "Dự báo khả năng hoàn thành, lập đầu mỗi năm (projection made each year)")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "năm/year\tđủ/fits\tnăm thiếu đầu/first short\tthiếu ngày công/missing team-days\tmở mới/openings\tđóng cửa/closures\tkhông gặp/misses\t")
	for _, y := range rep.Years {
		p := y.Projection
		if p == nil {
			continue
		}
		fits, short := "có/yes", "-"
		if !p.Fits {
			fits, short = "KHÔNG/NO", fmt.Sprint(p.FirstShortYear)
		}
		rate := func(r float64, def bool) string {
			if def {
				return fmt.Sprintf("%.1f%%*", r*100)
			}
			return fmt.Sprintf("%.1f%%", r*100)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.1f\t%s\t%s\t%s\t\n", y.Year, fits, short, p.MissingTeamDays,
			rate(p.Rates.Openings, p.Rates.OpeningsDefault), rate(p.Rates.Closures, p.Rates.ClosuresDefault), rate(p.Rates.Misses, p.Rates.MissesDefault))
	}
	tw.Flush()
	fmt.Fprintln(w, "* tỷ lệ mặc định, chưa có số liệu (default rate, no history yet)")
	if rep.FirstWarningYear != 0 {
		fmt.Fprintf(w, "cảnh báo đầu tiên: năm %d (first warning: %d)\n\n", rep.FirstWarningYear, rep.FirstWarningYear)
	} else {
		fmt.Fprintln(w, "không có cảnh báo (no warning)")
		fmt.Fprintln(w)
	}
}
