package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "migrate", "up|status [flags]")
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		fs.Usage()
		return errUsage
	}
	action := args[0]
	cfg, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	if action == "up" {
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, a := range applied {
			fmt.Fprintf(env.Stdout, "applied %d %s\n", a.Version, a.Name)
		}
		if len(applied) == 0 {
			fmt.Fprintf(env.Stdout, "%s database at %s: schema already current\n", db.Dialect(), db.Where())
		}
		return nil
	}
	st, err := db.SchemaState(ctx)
	if err != nil {
		return err
	}
	statuses, err := db.MigrationStatuses(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s database at %s: schema version %d, this binary knows %d\n", db.Dialect(), db.Where(), st.Current, st.Latest)
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VERSION\tSTATE\tFILE")
	for _, s := range statuses {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\n", s.Version, state, s.Name)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if st.TooNew() {
		return fmt.Errorf("the database schema (version %d) is newer than this binary (%d): run a newer kiemtra", st.Current, st.Latest)
	}
	return nil
}
