package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
)

// Exit statuses of `kiemtra import ...` (README, "Commands"): 0 when everything was applied.
// They follow the other commands' (1 failure, 2 usage): a refused file is a failure.
const (
	exitImportFailed  = 1 // a file that cannot be opened, the database
	exitImportRefused = 1 // the file was refused: nothing was applied
	exitImportUsage   = 2 // the command line is wrong
	exitImportPartial = 3 // some rows were rejected, the others were applied
)

// exitStatus is an error that carries the exit status a command chose. Err, when not nil and
// not a usage error (whose message is printed already), is printed by Run.
type exitStatus struct {
	code int
	err  error
}

func (e *exitStatus) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitStatus) Unwrap() error { return e.err }

// importStatus gives an import command's error its exit status: a file the import refused
// (invalid, too large, in conflict with what is stored) is 1 with its reasons printed, a usage
// error 2, anything else 1; -h is 0.
func importStatus(env *Env, what string, err error) error {
	var es *exitStatus
	switch {
	case err == nil:
		return nil
	case errors.As(err, &es):
		return err
	case errors.Is(err, flag.ErrHelp):
		return &exitStatus{code: 0}
	case errors.Is(err, errUsage):
		return &exitStatus{code: exitImportUsage}
	}
	if e := models.ErrorAs(err); e != nil && (e.Code == models.EINVALID || e.Code == models.ETOOLARGE || e.Code == models.ECONFLICT || e.Code == models.EUNSUPPORTEDTYPE) {
		fmt.Fprintf(env.Stderr, "kiemtra import %s: tệp bị từ chối, không có gì được lưu / the file was refused, nothing was stored\n", what)
		printAppError(env.Stderr, e)
		return &exitStatus{code: exitImportRefused}
	}
	return &exitStatus{code: exitImportFailed, err: err}
}

// printAppError writes an application error for a person, Vietnamese first, one line per
// field at fault.
func printAppError(w io.Writer, e *models.Error) {
	if len(e.Details) == 0 {
		fmt.Fprintf(w, "  %s\n", bilingual(e.Field, e.MessageVI, e.Message))
		return
	}
	for _, d := range e.Details {
		fmt.Fprintf(w, "  %s\n", bilingual(d.Field, d.MessageVI, d.Message))
	}
}

// bilingual is a message for the terminal: Vietnamese, then English on its own line.
func bilingual(field, vi, en string) string {
	s := vi
	if field != "" {
		s = field + ": " + s
	}
	if en != "" && en != vi {
		s += "\n    " + en
	}
	return s
}

// runImport imports businesses (CSV or GeoJSON points), areas (GeoJSON) or a reorganisation,
// prints the report and exits 0 when everything was applied, 1 when the file was refused
// (nothing applied) or could not be read, 2 on a usage error and 3 when some rows were rejected
// (the others applied).
func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "reorganisation" {
		return importStatus(env, "reorganisation", runImportReorganisation(ctx, env, args[1:]))
	}
	what := ""
	if len(args) > 0 {
		what = args[0]
	}
	return importStatus(env, what, runImportFile(ctx, env, args))
}

// dateFlag reads an optional YYYY-MM-DD flag (zero when empty); a bad one is a usage error.
func dateFlag(env *Env, name, value string) (models.Date, error) {
	if value == "" {
		return models.Date{}, nil
	}
	d, err := models.ParseDate(value)
	if err != nil {
		fmt.Fprintf(env.Stderr, "--%s: %q is not a date YYYY-MM-DD\n", name, value)
		return models.Date{}, errUsage
	}
	return d, nil
}

// importFlagSet is newFlagSet whose usage ends with the exit statuses.
func importFlagSet(env *Env, name, args string) *flag.FlagSet {
	fs := newFlagSet(env, name, args)
	flags := fs.Usage
	fs.Usage = func() {
		flags()
		fmt.Fprintln(env.Stderr, "\nExit status: 0 everything applied, 1 the file was refused (nothing applied) or could not be read,\n2 usage error, 3 some rows rejected (the others applied).")
	}
	return fs
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runImportFile(ctx context.Context, env *Env, args []string) error {
	usage := "businesses|areas|reorganisation FILE [--dry-run] [flags]"
	if len(args) > 0 && args[0] == "businesses" {
		usage = "businesses FILE.csv|FILE.xlsx|FILE.geojson [--dry-run] [--sheet NAME] [--column OURS=THEIRS]... [--json] [flags]"
	}
	if len(args) > 0 && args[0] == "areas" {
		usage = "areas FILE [--dry-run] [--property code=P,name=P,parent=P,level=P,type=P,valid_from=P,valid_to=P] [--valid-from YYYY-MM-DD] [--json] [flags]"
	}
	fs := importFlagSet(env, "import", usage)
	if len(args) < 1 || (args[0] != "businesses" && args[0] != "areas") {
		fs.Usage()
		fmt.Fprintln(env.Stderr, "kiemtra import businesses -h, areas -h and reorganisation -h list the flags of each.")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			return flag.ErrHelp
		}
		return errUsage
	}
	what := args[0]
	dry := fs.Bool("dry-run", false, "check the file and report, but store nothing")
	actorName := fs.String("actor", "cli:"+currentUser(), "name recorded in the audit log")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of the summary")
	var property, column stringList
	validFrom, sheet := new(string), new(string)
	if what == "businesses" {
		fs.Var(&column, "column", "name the file's header for one of our columns, OURS=THEIRS pairs separated by commas, e.g. licence_no=\"Số GP\" (columns: "+strings.Join(registry.Columns(), ", ")+"); may repeat")
		sheet = fs.String("sheet", "", "the sheet of an .xlsx workbook to read (default: the first)")
	}
	if what == "areas" {
		fs.Var(&property, "property", "name the feature properties that hold the fields, FIELD=PROPERTY pairs separated by commas (fields: code, name, parent, level, type, valid_from, valid_to); may repeat")
		validFrom = fs.String("valid-from", "", "the start (YYYY-MM-DD) of every feature that gives none, e.g. 2025-07-01 for a file of the 2025 map")
	}
	cfg := DefaultConfig()
	if err := cfg.LoadEnv(env.Getenv); err != nil {
		return err
	}
	cfg.RegisterFlags(fs)
	file, err := parseFileArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	var opts models.AreaImportOptions
	bopts := models.BusinessImportOptions{Name: filepath.Base(file), Sheet: *sheet, DryRun: *dry}
	if what == "businesses" {
		if bopts.Columns, err = registry.ParseColumnMapping(column...); err != nil {
			fmt.Fprintf(env.Stderr, "--column: %s\n", models.ErrorAs(err).Message)
			return errUsage
		}
	}
	if what == "areas" {
		m, err := models.ParseAreaPropertyMapping(property...)
		if err != nil {
			fmt.Fprintf(env.Stderr, "--property: %s\n", models.ErrorAs(err).Message)
			return errUsage
		}
		opts.Mapping, opts.DryRun = m, *dry
		if opts.ValidFrom, err = dateFlag(env, "valid-from", *validFrom); err != nil {
			return err
		}
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("bad configuration:\n%w", err)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openStore(ctx, &cfg, 4)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	cats, err := refdata.CategorySet()
	if err != nil {
		return err
	}
	names, err := refdata.Categories()
	if err != nil {
		return err
	}
	reg := registry.New(registry.Config{Store: db, Categories: cats, CategoryNames: names, Logger: cfg.newLogger(), Location: cfg.Location()})
	if what == "businesses" {
		rep, err := reg.ImportBusinessesWith(ctx, *actorName, f, bopts)
		if err != nil {
			return err
		}
		if *asJSON {
			writeJSON(env.Stdout, rep)
		} else {
			printBusinessImport(env.Stdout, rep)
		}
		return businessImportStatus(env, rep)
	}
	rep, err := reg.ImportAreasWith(ctx, *actorName, f, opts)
	if err != nil {
		return err
	}
	if *asJSON {
		writeJSON(env.Stdout, rep)
	} else {
		printAreaImport(env.Stdout, rep)
	}
	return areaImportStatus(env, rep)
}

// maxPrintedRejections bounds the rejected lines the summary lists; --json lists them all.
const maxPrintedRejections = 50

// printBusinessImport writes a registry import's report for a planner: the counts, Vietnamese
// then English, then the rejected lines and the possible duplicates as short tables.
func printBusinessImport(w io.Writer, rep *models.ImportReport) {
	lines := len(uniqueLines(rep.Rejected))
	applied := rep.Created + rep.Updated + rep.Unchanged
	if rep.DryRun {
		fmt.Fprintf(w, "Thử, không lưu gì: sẽ nhập %d cơ sở: %d mới, %d cập nhật, %d không đổi; %d dòng bị từ chối\n", applied, rep.Created, rep.Updated, rep.Unchanged, lines)
		fmt.Fprintf(w, "Dry run, nothing stored: would import %d businesses: %d new, %d updated, %d unchanged; %d lines rejected\n", applied, rep.Created, rep.Updated, rep.Unchanged, lines)
	} else {
		fmt.Fprintf(w, "Đã nhập %d cơ sở: %d mới, %d cập nhật, %d không đổi; %d dòng bị từ chối\n", applied, rep.Created, rep.Updated, rep.Unchanged, lines)
		fmt.Fprintf(w, "Imported %d businesses: %d new, %d updated, %d unchanged; %d lines rejected\n", applied, rep.Created, rep.Updated, rep.Unchanged, lines)
	}
	if len(rep.Rejected) > 0 {
		fmt.Fprintln(w, "\nDòng bị từ chối / Rejected lines:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  Sheet/Dòng\tCột\tGiá trị\tLý do / Reason")
		for i, r := range rep.Rejected {
			if i == maxPrintedRejections {
				fmt.Fprintf(tw, "  ...\t\t\t%d lỗi nữa, xem --json / %d more, see --json\n", len(rep.Rejected)-i, len(rep.Rejected)-i)
				break
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", rowPlace(r.Sheet, r.Line), r.Field, cellText(r.Value), r.MessageVI)
			if r.Message != "" && r.Message != r.MessageVI {
				fmt.Fprintf(tw, "  \t\t\t%s\n", r.Message)
			}
		}
		_ = tw.Flush()
	}
	if len(rep.PossibleDuplicates) > 0 {
		fmt.Fprintln(w, "\nCó thể trùng với cơ sở đã có (vẫn được nhập) / Possible duplicates (imported anyway):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  Sheet/Dòng\tCơ sở / Business\tLý do / Reason")
		for i, d := range rep.PossibleDuplicates {
			if i == maxPrintedRejections {
				fmt.Fprintf(tw, "  ...\t\t%d nữa, xem --json / %d more, see --json\n", len(rep.PossibleDuplicates)-i, len(rep.PossibleDuplicates)-i)
				break
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", rowPlace(d.Sheet, d.Line), d.BusinessID, d.Reason)
		}
		_ = tw.Flush()
	}
}

// rowPlace is where a row is: its line, or its sheet and row in a workbook.
func rowPlace(sheet string, line int) string {
	if sheet == "" {
		return strconv.Itoa(line)
	}
	return sheet + "/" + strconv.Itoa(line)
}

// cellText is a value for a table cell: quoted, on one line, at most 30 characters.
func cellText(v string) string {
	v = strings.Join(strings.Fields(v), " ")
	if r := []rune(v); len(r) > 30 {
		v = string(r[:29]) + "…"
	}
	if v == "" {
		return "(trống)"
	}
	return strconv.Quote(v)
}

// printAreaImport writes an area import's counts for a planner; the problems and warnings go to
// stderr (areaImportStatus).
func printAreaImport(w io.Writer, rep *models.AreaImportReport) {
	switch {
	case len(rep.Problems) > 0:
		fmt.Fprintf(w, "Tệp bị từ chối: %d vấn đề, không có gì được lưu (%d đối tượng, cách đặt tên %s)\n", len(rep.Problems), rep.Features, rep.Source)
		fmt.Fprintf(w, "The file was refused: %d problems, nothing stored (%d features, naming %s)\n", len(rep.Problems), rep.Features, rep.Source)
		return
	case rep.DryRun:
		fmt.Fprintf(w, "Thử, không lưu gì: sẽ nhập %d đơn vị: %d mới, %d cập nhật (%d đối tượng, cách đặt tên %s)\n", len(rep.Units), rep.Created, rep.Updated, rep.Features, rep.Source)
		fmt.Fprintf(w, "Dry run, nothing stored: would import %d units: %d new, %d updated (%d features, naming %s)\n", len(rep.Units), rep.Created, rep.Updated, rep.Features, rep.Source)
	default:
		fmt.Fprintf(w, "Đã nhập %d đơn vị: %d mới, %d cập nhật (%d đối tượng, cách đặt tên %s)\n", len(rep.Units), rep.Created, rep.Updated, rep.Features, rep.Source)
		fmt.Fprintf(w, "Imported %d units: %d new, %d updated (%d features, naming %s)\n", len(rep.Units), rep.Created, rep.Updated, rep.Features, rep.Source)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, u := range rep.Units {
		if i == maxPrintedRejections {
			fmt.Fprintf(tw, "  ...\t%d nữa, xem --json / %d more, see --json\n", len(rep.Units)-i, len(rep.Units)-i)
			break
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", u.Code, u.Name, u.Level, u.Action)
	}
	_ = tw.Flush()
	if n := len(rep.Warnings) + rep.WarningsOmitted; n > 0 {
		fmt.Fprintf(w, "%d cảnh báo (xem bên dưới, hoặc --json) / %d warnings (below, or --json)\n", n, n)
	}
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func dryRunNote(dry bool) string {
	if dry {
		return " (thử, không lưu gì / dry run, nothing stored)"
	}
	return ""
}

// businessImportStatus: rejected rows make 3 when other rows went in, 2 when none did.
func businessImportStatus(env *Env, rep *models.ImportReport) error {
	if len(rep.Rejected) == 0 {
		return nil
	}
	applied := rep.Created + rep.Updated + rep.Unchanged
	if applied == 0 {
		fmt.Fprintf(env.Stderr, "kiemtra import businesses: mọi dòng đều bị từ chối, không có gì được lưu / every row was rejected, nothing was stored%s\n", dryRunNote(rep.DryRun))
		return &exitStatus{code: exitImportRefused}
	}
	fmt.Fprintf(env.Stderr, "kiemtra import businesses: %d dòng bị từ chối, %d dòng đã được nhập / %d rows were rejected, %d were imported%s\n",
		len(uniqueLines(rep.Rejected)), applied, len(uniqueLines(rep.Rejected)), applied, dryRunNote(rep.DryRun))
	return &exitStatus{code: exitImportPartial}
}

func uniqueLines(rs []models.ImportRejection) map[int]bool {
	out := map[int]bool{}
	for _, r := range rs {
		out[r.Line] = true
	}
	return out
}

// maxPrintedWarnings bounds the warnings printed to the terminal; the report lists them all.
const maxPrintedWarnings = 20

// areaImportStatus: problems refuse the whole file (2); warnings are printed, the file is
// applied (0).
func areaImportStatus(env *Env, rep *models.AreaImportReport) error {
	if len(rep.Problems) > 0 {
		fmt.Fprintf(env.Stderr, "kiemtra import areas: tệp bị từ chối vì %d vấn đề, không có gì được lưu / the file was refused for %d problems, nothing was stored\n", len(rep.Problems), len(rep.Problems))
		for i, p := range rep.Problems {
			if i == maxPrintedWarnings {
				fmt.Fprintf(env.Stderr, "  ... (%d more in the report)\n", len(rep.Problems)-i)
				break
			}
			fmt.Fprintf(env.Stderr, "  %s\n", bilingual(p.Feature, p.MessageVI, p.Message))
		}
		return &exitStatus{code: exitImportRefused}
	}
	n := len(rep.Warnings) + rep.WarningsOmitted
	if n == 0 {
		return nil
	}
	if rep.DryRun {
		fmt.Fprintf(env.Stderr, "kiemtra import areas: %d đơn vị sẽ được nhập, với %d cảnh báo / %d units would be imported, with %d warnings%s\n", len(rep.Units), n, len(rep.Units), n, dryRunNote(true))
	} else {
		fmt.Fprintf(env.Stderr, "kiemtra import areas: %d đơn vị đã được nhập, với %d cảnh báo / %d units imported, with %d warnings\n", len(rep.Units), n, len(rep.Units), n)
	}
	for i, w := range rep.Warnings {
		if i == maxPrintedWarnings {
			fmt.Fprintf(env.Stderr, "  ... (%d more in the report)\n", n-i)
			break
		}
		fmt.Fprintf(env.Stderr, "  %s\n", bilingual(w.Kind, w.MessageVI, w.Message))
	}
	return nil
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}
