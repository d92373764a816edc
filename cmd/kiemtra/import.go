package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"kiemtra/refdata"
	"kiemtra/registry"
)

// runImport imports businesses (CSV or GeoJSON points) or areas (GeoJSON) and prints the report
// as JSON. Rows with problems are listed with their line and not imported; the rest are, in one
// transaction.
func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "reorganisation" {
		return runImportReorganisation(ctx, env, args[1:])
	}
	fs := newFlagSet(env, "import", "businesses|areas|reorganisation FILE [--dry-run] [flags]")
	if len(args) < 1 || (args[0] != "businesses" && args[0] != "areas") {
		fs.Usage()
		return errUsage
	}
	what := args[0]
	dry := fs.Bool("dry-run", false, "check the file and report, but store nothing")
	actorName := fs.String("actor", "cli:"+currentUser(), "name recorded in the audit log")
	cfg := DefaultConfig()
	if err := cfg.LoadEnv(env.Getenv); err != nil {
		return err
	}
	cfg.RegisterFlags(fs)
	// Flags may come before or after the file name.
	rest := args[1:]
	var file string
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return errUsage
		}
		rest = fs.Args()
		if len(rest) > 0 {
			if file != "" {
				fmt.Fprintf(env.Stderr, "unexpected argument %q\n", rest[0])
				return errUsage
			}
			file, rest = rest[0], rest[1:]
		}
	}
	if file == "" {
		fmt.Fprintln(env.Stderr, "import: name the file to import")
		fs.Usage()
		return errUsage
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
	reg := registry.New(registry.Config{Store: db, Categories: cats, Logger: cfg.newLogger(), Location: cfg.Location()})
	var rep any
	if what == "businesses" {
		rep, err = reg.ImportBusinesses(ctx, *actorName, f, filepath.Base(file), *dry)
	} else {
		rep, err = reg.ImportAreas(ctx, *actorName, f, *dry)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}
