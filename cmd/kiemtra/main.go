// Command kiemtra plans, assigns and records inspections of service businesses. One binary holds
// the HTTP service and the operator's tools; `kiemtra help` lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // the static binary and its container have no zoneinfo of their own

	"kiemtra/notify"
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise it comes from the
// VCS information Go records.
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "-dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env *Env, args []string) error
}

// Env is what a subcommand may touch of the process: streams and the environment. Tests pass
// their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

func commands() []command {
	return []command{
		{"serve", "[flags]", "run the HTTP service (migrates the database first)", runServe},
		{"migrate", "up|status [flags]", "apply pending database migrations, or list them", runMigrate},
		{"import", "businesses|areas|reorganisation FILE [--dry-run]", "import the registry (CSV or GeoJSON), areas (GeoJSON) or a reorganisation of the units (JSON)", runImport},
		{"user", "add|passwd|disable|enable|list [flags]", "manage accounts (passwords on standard input)", runUser},
		{"audit", "verify [flags]", "check the audit log's signatures and signed head; exit 1 naming the first bad event", runAudit},
		{"plan", "--programme ID --year Y [--dry-run] | --draw PLAN --result DIGITS", "commit a yearly plan (figures, waiting for its public draw), or enter the draw's result", runPlan},
		{"verify-plan", "FILE [--json]", "re-derive a plan's selection from its public bundle, without a database; exit 1 saying what differs", runVerifyPlan},
		{"report", "--period P [--area CODE] [--format F]", "write the report of a period (2026, 2026-H1, 2026-Q1) as XLSX or CSV", runReport},
		{"simulate", "[--businesses N --years Y ...] [--json]", "simulate whole programmes against a naive baseline", runSimulate},
		{"demo", "[--addr HOST:PORT] [--data-dir DIR]", "fill a SQLite database with Can Tho demo data (once) and serve it", runDemo},
		{"vapid-keys", "[--subject mailto:ADDRESS]", "make a Web Push (VAPID) key pair and print it as the KIEMTRA_VAPID_ variables", runVAPIDKeys},
		{"version", "", "print the version", runVersion},
		{"healthcheck", "[--url URL]", "exit 0 when the service's /healthz answers 200 (for container health checks)", runHealthcheck},
		{"help", "", "list the commands", nil},
	}
}

// errUsage marks a usage error: the message has been printed; exit with status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(Run(ctx, env, os.Args[1:]))
}

// Run runs one command line and returns the exit status: 0 ok, 1 failure, 2 usage, or the
// status a command chose (exitStatus: the import commands say what they refused).
func Run(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return 2
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != name || c.run == nil {
			continue
		}
		err := c.run(ctx, env, args[1:])
		var es *exitStatus
		switch {
		case err == nil:
			return 0
		case errors.As(err, &es):
			if es.err != nil && !errors.Is(es.err, errUsage) && !errors.Is(es.err, flag.ErrHelp) {
				fmt.Fprintf(env.Stderr, "kiemtra %s: %v\n", name, es.err)
			}
			return es.code
		case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
			return 2
		default:
			fmt.Fprintf(env.Stderr, "kiemtra %s: %v\n", name, err)
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "kiemtra: unknown command %q\n\n", name)
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "kiemtra plans, assigns and records inspections of service businesses.")
	fmt.Fprintln(w, "\nUsage: kiemtra COMMAND [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %-38s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration comes from environment variables (DATABASE_URL, KIEMTRA_ADDR, KIEMTRA_DATA_DIR, ...);")
	fmt.Fprintln(w, "see docs/operations.md. `kiemtra COMMAND -h` lists a command's flags.")
}

// newFlagSet returns a flag set that prints its usage to env.Stderr and does not exit.
func newFlagSet(env *Env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: kiemtra %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// loadConfig builds the configuration from defaults, the environment and the flags in args.
func loadConfig(env *Env, fs *flag.FlagSet, args []string) (*Config, error) {
	cfg := DefaultConfig()
	if err := cfg.LoadEnv(env.Getenv); err != nil {
		return nil, err
	}
	cfg.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return nil, errUsage
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bad configuration:\n%w", err)
	}
	return &cfg, nil
}

func runVAPIDKeys(_ context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("vapid-keys", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	subject := fs.String("subject", "mailto:kiemtra@soyte.cantho.gov.vn", "the operator's contact the push services see")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "Usage: kiemtra vapid-keys [--subject mailto:ADDRESS]")
		return errUsage
	}
	v, private, err := notify.GenerateVAPID(*subject)
	if err != nil {
		return err
	}
	if _, err := notify.ParseVAPID(private, *subject); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "# Keep the private key secret; browsers subscribed with the public key stop receiving pushes if it changes.\n")
	fmt.Fprintf(env.Stdout, "KIEMTRA_VAPID_PRIVATE_KEY=%s\nKIEMTRA_VAPID_SUBJECT=%s\n# public key (served to the app): %s\n", private, *subject, v.Public)
	return nil
}

func runVersion(_ context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		fmt.Fprintln(env.Stderr, "Usage: kiemtra version")
		return errUsage
	}
	fmt.Fprintln(env.Stdout, "kiemtra", buildVersion())
	return nil
}
