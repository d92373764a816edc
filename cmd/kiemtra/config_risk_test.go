package main

import (
	"strings"
	"testing"

	"kiemtra/scheduler"
)

// The plans' inclusion-probability floor comes from KIEMTRA_PLAN_RISK_FLOOR; a value that is
// not a number, or not in (0, 1], is refused by name.
func TestThePlanRiskFloorIsConfiguredAndChecked(t *testing.T) {
	for _, tc := range []struct {
		env   string
		want  float64
		error string
	}{
		{"", scheduler.DefaultRiskFloor, ""},
		{"0.5", 0.5, ""},
		{"1", 1, ""},
		{"a quarter", 0, "is not a number"},
		{"0", 0, "must be above 0"},
		{"1.5", 0, "must be above 0"},
		{"-0.2", 0, "must be above 0"},
	} {
		c := DefaultConfig()
		c.DataDir = t.TempDir()
		err := c.LoadEnv(func(name string) string {
			if name == "KIEMTRA_PLAN_RISK_FLOOR" {
				return tc.env
			}
			return ""
		})
		if err == nil {
			err = c.Validate()
		}
		switch {
		case tc.error == "" && err != nil:
			t.Errorf("%q: %v", tc.env, err)
		case tc.error == "" && c.PlanRiskFloor != tc.want:
			t.Errorf("%q: floor %v, want %v", tc.env, c.PlanRiskFloor, tc.want)
		case tc.error != "" && (err == nil || !strings.Contains(err.Error(), "KIEMTRA_PLAN_RISK_FLOOR") || !strings.Contains(err.Error(), tc.error)):
			t.Errorf("%q: error %v, want KIEMTRA_PLAN_RISK_FLOOR: ...%s", tc.env, err, tc.error)
		}
	}
}
