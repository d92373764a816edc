package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
)

// errPlanMismatch is the failure of `kiemtra verify-plan` on a bundle that does not re-derive;
// the differences have been printed.
var errPlanMismatch = errors.New("the bundle does not re-derive: không khớp / does not match (see above)")

// runVerifyPlan checks a plan's public verification bundle (docs/verification.md) with the
// planner's own code, without a database or an account: exit 0 when it re-derives, 1 when it
// does not or cannot be read, 2 on a usage error.
func runVerifyPlan(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "verify-plan", "FILE [--json]")
	asJSON := fs.Bool("json", false, "print the verification as JSON instead of the summary")
	// FILE may come before or after the flags.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(env.Stderr, "verify-plan needs exactly one bundle file (- for standard input)")
		fs.Usage()
		return errUsage
	}
	raw, err := readBundleFile(env, files[0])
	if err != nil {
		return err
	}
	b, err := decodePlanBundle(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	v := scheduler.CheckPlanBundle(b)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
	} else {
		printPlanVerification(env.Stdout, b, v)
	}
	if !v.Matches {
		return errPlanMismatch
	}
	return nil
}

func readBundleFile(env *Env, name string) ([]byte, error) {
	if name == "-" {
		if env.Stdin == nil {
			return nil, errors.New("no standard input")
		}
		return io.ReadAll(env.Stdin)
	}
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read the bundle: %w", err)
	}
	return raw, nil
}

// decodePlanBundle reads a bundle of the one format this kiemtra knows, refusing fields it
// does not know rather than ignoring part of what it was asked to check.
func decodePlanBundle(raw []byte) (*models.PlanBundle, error) {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("not a JSON bundle: %w", err)
	}
	if head.Format != models.PlanBundleFormat {
		return nil, fmt.Errorf("format is %q: this kiemtra reads %q bundles", head.Format, models.PlanBundleFormat)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var b models.PlanBundle
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a %s bundle: %w", models.PlanBundleFormat, err)
	}
	return &b, nil
}

// printPlanVerification writes the summary for a reader, Vietnamese first.
func printPlanVerification(w io.Writer, b *models.PlanBundle, v *models.PlanVerification) {
	check := func(ok bool) string {
		if ok {
			return "khớp / matches"
		}
		return "KHÔNG KHỚP / DOES NOT MATCH"
	}
	fmt.Fprintf(w, "Kế hoạch / plan %s: năm / year %d, chương trình / programme %s (%s)\n", b.PlanID, b.Year, b.ProgrammeCode, b.ProgrammeName)
	fmt.Fprintf(w, "  mã băm đầu vào / inputs hash:  %s (%s)\n", check(v.InputsMatch), b.InputsSHA256)
	fmt.Fprintf(w, "  hạt giống / seed:              %s (%s)\n", check(v.SeedMatches), b.SeedSHA256)
	if v.SeedSource == models.SeedSourceLottery {
		fmt.Fprintf(w, "  mã bí mật / secret:            %s (%s)\n", check(v.SecretMatches), b.SecretSHA256)
		if d := b.Draw; d != nil {
			fmt.Fprintf(w, "  kỳ quay / draw:                %s (%s %s: %s)\n", check(v.SeedDerives), d.NameVI, d.Date, d.Result)
		}
		fmt.Fprintf(w, "  cam kết trước kỳ quay / committed before the draw: %s (%s)\n", check(v.DrawAfterCommit), b.CommittedAt.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "  danh sách / selection:         %s (%d trong gói / in the bundle, %d rút lại / re-derived)\n", check(v.ItemsMatch), v.StoredItems, v.ComputedItems)
	if len(v.Differences) > 0 {
		fmt.Fprintln(w, "Khác biệt / differences:")
		for _, d := range v.Differences {
			fmt.Fprintf(w, "  - %s\n", d)
		}
	}
	if len(b.WarningsVI) > 0 {
		fmt.Fprintln(w, "Lưu ý / warnings:")
		for i, d := range b.WarningsVI {
			fmt.Fprintf(w, "  - %s\n", d)
			if i < len(b.Warnings) {
				fmt.Fprintf(w, "    %s\n", b.Warnings[i])
			}
		}
	}
	if v.Matches {
		fmt.Fprintln(w, "khớp / matches: danh sách đúng là kết quả của đầu vào đã cam kết và hạt giống đã công bố / the selection is what the committed inputs and the revealed seed give")
	} else {
		fmt.Fprintln(w, "không khớp / does not match: xem các khác biệt ở trên / see the differences above")
	}
}
