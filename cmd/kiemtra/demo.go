package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"kiemtra/demo"
	"kiemtra/models"
	"kiemtra/places"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/reorg"
	"kiemtra/report"
	"kiemtra/scheduler"
	"kiemtra/store"
)

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", "[--addr HOST:PORT] [--data-dir DIR]")
	cfg := DefaultConfig()
	if err := cfg.LoadEnv(env.Getenv); err != nil {
		return err
	}
	// The demo writes users with a published password, so it never follows DATABASE_URL from
	// the environment into a real database: only an explicit flag points it elsewhere.
	envURL := cfg.DatabaseURL
	cfg.DatabaseURL = ""
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "data directory for the SQLite database (env KIEMTRA_DATA_DIR)")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address host:port (env KIEMTRA_ADDR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", "", "load the demo into this PostgreSQL database instead (never taken from DATABASE_URL)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("bad configuration:\n%w", err)
	}
	log := cfg.newLogger()
	if envURL != "" && cfg.DatabaseURL == "" {
		log.Warn("DATABASE_URL is ignored by the demo: it uses SQLite in the data directory", "data_dir", cfg.DataDir)
	}
	return serve(ctx, &cfg, log, serveHooks{
		prepare: func(ctx context.Context, m *Main) error {
			// The demo's history runs up to yesterday in the users' zone.
			setup := demoSetup{Today: models.DateOf(m.Now().In(cfg.Location())), Location: cfg.Location(), TipKey: m.Config.tipKey()}
			if err := loadDemo(ctx, m.DB(), setup, env.Stdout, log); err != nil {
				return err
			}
			return assignToday(ctx, m, env.Stdout)
		},
		started: func(m *Main) { printDemoWelcome(env.Stdout, m.Addr(), m.DB()) },
	})
}

// demoSetup is what loadDemo needs besides the database.
type demoSetup struct {
	// Today is the day the demo is made on: its history ends the day before. The same day
	// gives the same demo.
	Today    models.Date
	Location *time.Location // the users' zone: days, and the jobs' hours
	TipKey   []byte         // the service's key for tip reporters' contacts (Config.tipKey)
}

// demoTipsPerWeek is how many tips the demo city receives in an average week.
const demoTipsPerWeek = 3

// loadDemo fills an empty database with the demo dataset in one transaction, or reuses the data
// already there. The history is made as of setup.Today: the finished 2021-2025 programme, the
// 2025 reorganisation, this year's visits and tips up to yesterday, then what the service's
// jobs would have done by this morning: the reports of the closed periods archived, and next
// year's plan drafted from 2 December on (the yearly job runs at 06:00 on 1 December).
func loadDemo(ctx context.Context, db *store.DB, setup demoSetup, out io.Writer, log *slog.Logger) error {
	n, err := db.Count(ctx)
	if err != nil {
		return err
	}
	if n.Businesses > 0 {
		fmt.Fprintf(out, "Reusing the demo data in %s (%d businesses, %d areas).\n", db.Where(), n.Businesses, n.Areas)
		made, err := db.IsDemoDatabase(ctx)
		if err != nil {
			return err
		}
		if !made {
			// Marking it now would let `kiemtra demo --database-url` open a real database to
			// the published password.
			log.Warn("this database was not made by kiemtra demo (or by an older version): the demo password is refused; delete the data directory to make a new demo", "where", db.Where())
			return nil
		}
		if err := checkDemoIsCurrent(ctx, db); err != nil {
			return err
		}
		// A demo made on an earlier day is kept as it is: say where its history ends (the day
		// before the one it was made on; for a demo older than that mark, its last visit).
		end, ok, err := db.DemoDay(ctx)
		if err != nil {
			return err
		}
		end = end.AddDays(-1)
		if !ok {
			last, err := db.FindLatestInspection(ctx)
			if err != nil && !models.IsCode(err, models.ENOTFOUND) {
				return err
			}
			if err == nil {
				end, ok = models.DateOf(last.FinishedAt.In(setup.Location)), true
			}
		}
		if ok && end.Before(setup.Today.AddDays(-1)) {
			fmt.Fprintf(out, "Its history ends on %s: nothing happened since. For a demo as of today, stop kiemtra, delete the data directory and start again.\n", end)
		}
		return nil
	}
	start := time.Now()
	fmt.Fprintf(out, "Creating the Can Tho demo data in %s, with its history up to %s ...\n", db.Where(), setup.Today.AddDays(-1))
	opts := demo.DefaultOptions(setup.Today)
	ds, err := demo.Generate(opts)
	if err != nil {
		return fmt.Errorf("generate demo data: %w", err)
	}
	cats, err := refdata.CategorySet()
	if err != nil {
		return err
	}
	categories, err := refdata.Categories()
	if err != nil {
		return err
	}
	days, err := refdata.HolidayDates()
	if err != nil {
		return err
	}
	violations, err := refdata.Violations()
	if err != nil {
		return err
	}
	loc := setup.Location
	var archived string
	err = db.Transaction(ctx, func(tx *store.DB) error {
		reg := registry.New(registry.Config{Store: tx, Categories: cats, Logger: log, Now: func() time.Time { return ds.Today.Time(time.UTC) }, NewID: demo.BusinessID})
		if err := demo.Load(ctx, tx, reg, ds); err != nil {
			return err
		}
		if err := tx.MarkDemoDay(ctx, setup.Today); err != nil {
			return err
		}
		reorgs := reorg.NewService(tx, reg.Refresh)
		merge := demo.ReplayEvent{On: ds.Reform.Spec.EffectiveOn, Run: func(ctx context.Context) error {
			fmt.Fprintln(out, "1 July 2025: applying the reorganisation (103 communes, Hau Giang and Soc Trang join the city) ...")
			return demo.Merge(ctx, tx, reg, reorgs, ds)
		}}
		fmt.Fprintln(out, "Replaying the 2021-2025 programme and this year's plan, visits and tips ...")
		err := demo.Replay(ctx, tx, scheduler.Config{Store: tx, Categories: categories, Holidays: days, Logger: log, Location: loc},
			demo.ReplayOptions{Seed: opts.Seed, Today: setup.Today, MissRate: 0.08, SteadyFrom: 2026, Events: []demo.ReplayEvent{merge},
				Tips: &demo.TipOptions{Key: setup.TipKey, Locate: reg, Deadlines: models.DefaultTipDeadlines(), PerWeek: demoTipsPerWeek}})
		if err != nil {
			return err
		}
		// The register of places around the dance halls, in today's wards (after the merge).
		np, err := demo.LoadPlaces(ctx, places.New(tx, reg), reg, opts.Seed, append(slices.Clip(ds.Businesses), ds.ProvinceBusinesses...))
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%d schools, hospitals, religious sites and relics recorded around the dance halls.\n", np)
		penalties, err := refdata.Penalties()
		if err != nil {
			return err
		}
		n, err := demo.Sanctions(ctx, tx, demo.SanctionOptions{Seed: opts.Seed, Today: setup.Today, Location: loc, Penalties: penalties, Violations: violations, Months: 18})
		if err != nil {
			return fmt.Errorf("demo sanctions: %w", err)
		}
		fmt.Fprintf(out, "%d sanctions of the last 18 months recorded.\n", n)
		spec, err := refdata.Reorganisation2025()
		if err != nil {
			return err
		}
		began := time.Now()
		n, err = demo.Indicators(ctx, tx, demo.IndicatorOptions{Seed: opts.Seed, Today: setup.Today, Location: loc, Communes: demo.DemoCommunes(spec)})
		if err != nil {
			return fmt.Errorf("demo indicators: %w", err)
		}
		fmt.Fprintf(out, "%d indicator figures of the units and departments recorded (%s).\n", n, time.Since(began).Round(time.Millisecond))
		// The report job's run of this morning (02:00) archives the periods closed by then of
		// the programme in force (last quarter's reports among them). The finished 2021-2025
		// programme's 300-odd files would double the demo's start: the service's own run at
		// the next 02:00 archives them, and the dashboard makes any of them on demand.
		at := setup.Today.Time(loc).Add(2 * time.Hour)
		reports := report.New(report.Config{Store: programmesInForce{tx, setup.Today}, Archive: reportArchive{tx}, Violations: violations, Logger: log, Now: func() time.Time { return at }, Location: loc})
		archived, err = (&report.ArchiveJob{Service: reports}).Run(ctx, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	n, err = db.Count(ctx)
	if err != nil {
		return err
	}
	log.Info("demo data loaded", "today", setup.Today, "areas", n.Areas, "businesses", n.Businesses, "teams", n.Teams, "users", n.Users, "reports", archived, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// programmesInForce is the store as the demo's archive run sees it: only the programmes in force
// on the day or in the quarter before it (whose last quarter's reports are due).
type programmesInForce struct {
	*store.DB
	on models.Date
}

func (s programmesInForce) FindProgrammes(ctx context.Context) ([]*models.Programme, error) {
	all, err := s.DB.FindProgrammes(ctx)
	if err != nil {
		return nil, err
	}
	var out []*models.Programme
	for _, p := range all {
		if !s.on.Before(p.StartsOn) && !s.on.AddDays(-92).After(p.EndsOn) {
			out = append(out, p)
		}
	}
	return out, nil
}

// errOldDemo is a demo database made before the demo had the 2025 reorganisation: its map ends
// in 2021 and reusing it would show a city that no longer exists.
var errOldDemo = errors.New("this demo database was made by an older kiemtra: it has only the 2021 map of the old city (9 districts, 83 wards), not today's Can Tho (103 communes since 1 July 2025). Delete its data directory (or pass another --data-dir) and run kiemtra demo again to make a new one / cơ sở dữ liệu demo này do phiên bản cũ tạo, chỉ có bản đồ năm 2021: hãy xoá thư mục dữ liệu rồi chạy lại kiemtra demo")

// checkDemoIsCurrent refuses a demo database without the 2025 reorganisation applied.
func checkDemoIsCurrent(ctx context.Context, db *store.DB) error {
	rs, err := db.FindReorganisations(ctx)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.Status == models.ReorgApplied {
			return nil
		}
	}
	return fmt.Errorf("%s: %w", db.Where(), errOldDemo)
}

func printDemoWelcome(out io.Writer, addr string, db *store.DB) {
	base := "http://" + addr
	fmt.Fprintf(out, "\nkiemtra demo is running on %s (%s database %s)\n\n", base, db.Dialect(), db.Where())
	fmt.Fprintf(out, "  Dashboard       %s/dashboard/   (every office user signs in here; planners: map, progress, reports)\n", base)
	fmt.Fprintf(out, "  Office app      %s/office/      (police licensing, tips, team leads; planners and admins: registry, areas, places, programmes, plans, checklists, sanctions, targets, teams, jobs, audit; reporting officers: their figures)\n", base)
	fmt.Fprintf(out, "  Inspectors' app %s/app/         (phones; installable, works offline)\n", base)
	fmt.Fprintf(out, "  Public tip form %s/tip          (no sign-in; its sender follows it at %s/tip/status)\n", base, base)
	fmt.Fprintf(out, "  Health          %s/healthz   %s/readyz\n", base, base)
	fmt.Fprintf(out, "  Metrics         %s/metrics\n", base)
	fmt.Fprintf(out, "  API             %s/api/v1/\n\n", base)
	fmt.Fprintf(out, "Demo logins (password %q for every user):\n", demo.Password)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	byRole := map[string][]string{}
	var roles []string
	people, err := demo.Logins()
	if err != nil {
		panic(err) // compiled-in data: a build bug
	}
	for _, p := range people {
		if _, ok := byRole[p.Role]; !ok {
			roles = append(roles, p.Role)
		}
		byRole[p.Role] = append(byRole[p.Role], p.Username)
	}
	for _, r := range roles {
		fmt.Fprintf(w, "  %s\t%s\n", r, strings.Join(byRole[r], ", "))
	}
	w.Flush()
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
}

// assignToday runs the morning assignment for today, as the cron job would at 06:00, so that
// every demo team has a route; on a day off it releases the next working day instead. A day that
// already has its releases is left alone.
func assignToday(ctx context.Context, m *Main, out io.Writer) error {
	day := models.DateOf(m.Now().In(m.Config.Location()))
	for i := 0; i < 7; i++ {
		if n, err := m.DB().CountReleased(ctx, day); err != nil || n > 0 {
			if err == nil {
				fmt.Fprintf(out, "Visits for %s were released already (%d).\n", day, n)
			}
			return err
		}
		sum, err := m.Morning().Assign(ctx, "demo", day)
		if err != nil {
			return err
		}
		if sum.Released > 0 {
			teams := 0
			for _, t := range sum.Teams {
				if t.Tasks > 0 {
					teams++
				}
			}
			fmt.Fprintf(out, "Morning assignment for %s: %d visits released to %d teams (%d due visits wait for later days).\n", day, sum.Released, teams, sum.Unassigned)
			return nil
		}
		day = day.AddDays(1)
	}
	return nil
}
