package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/reorg"
	"kiemtra/store"
)

// runImportReorganisation imports a reorganisation of the units (docs/areas.md): with
// --dry-run it prints what applying it would do; without, it stores it as a draft (or takes the
// draft of the same file stored before), and with --accept-proposals and --apply it settles
// every open decision with its proposal and applies it. A reorganisation with problems, one
// applied before and an apply with decisions open are refused (exit status 2).
func runImportReorganisation(ctx context.Context, env *Env, args []string) error {
	fs := importFlagSet(env, "import reorganisation", "FILE [--dry-run] [--accept-proposals] [--apply] [flags]")
	dry := fs.Bool("dry-run", false, "report what applying it would do, store nothing")
	accept := fs.Bool("accept-proposals", false, "settle every open decision (reviews, teams, users) with its proposal")
	apply := fs.Bool("apply", false, "apply the draft once no decision is open")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	effective := fs.String("effective-on", "", "the effective date (YYYY-MM-DD) when the file has none")
	parent := fs.String("parent", "", "the unit the new units sit under, when the file does not say")
	name := fs.String("name", "", "the reorganisation's name, when the file has none")
	actorName := fs.String("actor", "cli:"+currentUser(), "name recorded in the audit log")
	cfg := DefaultConfig()
	if err := cfg.LoadEnv(env.Getenv); err != nil {
		return err
	}
	cfg.RegisterFlags(fs)
	file, err := parseFileArgs(env, fs, args)
	if err != nil {
		return err
	}
	fill := models.ReorgSpec{Name: *name, Parent: *parent}
	if fill.EffectiveOn, err = dateFlag(env, "effective-on", *effective); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("bad configuration:\n%w", err)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	spec, err := reorg.ParseSpec(f, fill)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, &cfg, 4)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	svc, err := reorgService(db, &cfg)
	if err != nil {
		return err
	}
	rep, err := svc.Import(ctx, *actorName, spec, *dry)
	var pe *reorg.ProblemsError
	switch {
	case errors.As(err, &pe):
		printReorgReport(env.Stdout, pe.Report, *asJSON)
		return err
	case models.IsCode(err, models.ECONFLICT) && !*dry:
		// Imported before: go on with its draft (or say that it was applied).
		prev, ferr := draftOf(ctx, db, reorg.Fingerprint(spec))
		if ferr != nil {
			return errors.Join(err, ferr)
		}
		if prev.Status == models.ReorgApplied {
			fmt.Fprintf(env.Stderr, "kiemtra import reorganisation: cuộc sắp xếp %s (%s) đã được áp dụng ngày %s / reorganisation %s (%s) was applied on %s already\n",
				prev.Name, prev.ID, prev.AppliedAt.Format("2006-01-02"), prev.Name, prev.ID, prev.AppliedAt.Format("2006-01-02"))
			return &exitStatus{code: exitImportRefused}
		}
		if rep, err = svc.Report(ctx, prev.ID); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if !*dry && *accept {
		n, err := svc.AcceptProposals(ctx, *actorName, rep.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "%d decisions settled with their proposals\n", n)
		if rep, err = svc.Report(ctx, rep.ID); err != nil {
			return err
		}
	}
	if !*dry && *apply {
		if rep, err = svc.Apply(ctx, *actorName, rep.ID); err != nil {
			if rep != nil {
				printReorgReport(env.Stdout, rep, *asJSON)
			}
			return err
		}
	}
	printReorgReport(env.Stdout, rep, *asJSON)
	if len(rep.Problems) > 0 {
		// A dry run reports the problems that would refuse the import.
		fmt.Fprintf(env.Stderr, "kiemtra import reorganisation: %d vấn đề, cuộc sắp xếp sẽ bị từ chối / %d problems: the reorganisation would be refused\n", len(rep.Problems), len(rep.Problems))
		return &exitStatus{code: exitImportRefused}
	}
	return nil
}

// parseFileArgs reads flags before or after the one file name.
func parseFileArgs(env *Env, fs *flag.FlagSet, args []string) (string, error) {
	var file string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", err
			}
			return "", errUsage
		}
		rest = fs.Args()
		if len(rest) > 0 {
			if file != "" {
				fmt.Fprintf(env.Stderr, "unexpected argument %q\n", rest[0])
				return "", errUsage
			}
			file, rest = rest[0], rest[1:]
		}
	}
	if file == "" {
		fmt.Fprintln(env.Stderr, "name the file to import")
		fs.Usage()
		return "", errUsage
	}
	return file, nil
}

// reorgService is the reorganisation service of a command, with the registry whose indexes an
// apply refreshes.
func reorgService(db *store.DB, cfg *Config) (*reorg.Service, error) {
	cats, err := refdata.CategorySet()
	if err != nil {
		return nil, err
	}
	reg := registry.New(registry.Config{Store: db, Categories: cats, Logger: cfg.newLogger(), Location: cfg.Location()})
	return reorg.NewService(db, reg.Refresh), nil
}

func draftOf(ctx context.Context, db *store.DB, fingerprint string) (*models.Reorganisation, error) {
	list, err := db.FindReorganisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if r.Fingerprint == fingerprint {
			return r, nil
		}
	}
	return nil, errors.New("the reorganisation imported before is not found")
}

// printReorgReport writes a reorganisation's report for a person, or as JSON.
func printReorgReport(w io.Writer, r *models.ReorgReport, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		_ = enc.Encode(r)
		return
	}
	id := r.ID
	if id == "" {
		id = "(dry run, not stored)"
	}
	fmt.Fprintf(w, "Reorganisation %s: %s, effective %s, %s\n", id, r.Name, r.EffectiveOn, r.Status)
	fmt.Fprintf(w, "  %d new units, %d units end on %s; %d businesses and %d tips move\n", len(r.Units), len(r.Ending), r.EffectiveOn.AddDays(-1), r.MovedBusinesses, r.MovedTips)
	fmt.Fprintf(w, "  before: %d businesses, %d open tasks, %d tips; after: %d, %d, %d\n", r.Before.Businesses, r.Before.OpenTasks, r.Before.Tips, r.After.Businesses, r.After.OpenTasks, r.After.Tips)
	if len(r.External) > 0 {
		fmt.Fprintf(w, "  sources outside this database (no business registered here): %s\n", strings.Join(r.External, ", "))
	}
	for _, u := range r.Units {
		fmt.Fprintf(w, "  %-12s %-32s %4d businesses (%d by polygon, %d to review)  from %s%s\n", u.Code, u.Name, u.Businesses, u.ByPolygon, u.ToReview,
			strings.Join(u.FullFrom, ", "), partial(u.PartFrom))
	}
	openOf := func(items []*models.ReorgItem) int {
		n := 0
		for _, it := range items {
			if it.Settled == "" {
				n++
			}
		}
		return n
	}
	fmt.Fprintf(w, "  decisions: %d reviews (%d open), %d teams (%d open), %d users (%d open)\n",
		len(r.Reviews), openOf(r.Reviews), len(r.Teams), openOf(r.Teams), len(r.Users), openOf(r.Users))
	for _, it := range append(append([]*models.ReorgItem(nil), r.Teams...), r.Users...) {
		state := "proposed " + it.Proposed
		if it.Settled != "" {
			state = "mapped to " + it.Settled
		}
		fmt.Fprintf(w, "    %s %s: now %s, %s\n", it.Kind, it.SubjectID, it.Current, state)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  PROBLEM %s: %s\n", p.Kind, p.Message)
	}
	if r.Status == models.ReorgDraft && r.ID != "" && r.Open > 0 {
		fmt.Fprintf(w, "  %d decisions open: settle them (the office app, the API) or run again with --accept-proposals, then --apply\n", r.Open)
	}
}

func partial(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	return " and in part " + strings.Join(codes, ", ")
}
