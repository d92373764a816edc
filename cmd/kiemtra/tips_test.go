package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseTipDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		wantErr  string // a part of the error; "" when the value is good
	}{
		{"the default", "urgent=24h/168h,high=48h/360h,normal=120h/720h", ""},
		{"spaces around the parts", " urgent=24h/168h , high=48h/360h,normal=120h/720h ", ""},
		{"empty", "", "is not severity=verify/handle"},
		{"no equals sign", "urgent:24h/168h,high=48h/360h,normal=120h/720h", "is not severity=verify/handle"},
		{"no slash", "urgent=24h,high=48h/360h,normal=120h/720h", "is not severity=verify/handle"},
		{"not a duration", "urgent=a day/168h,high=48h/360h,normal=120h/720h", "durations such as 24h"},
		{"days are not a Go duration", "urgent=1d/7d,high=48h/360h,normal=120h/720h", "durations such as 24h"},
		{"a zero verification time", "urgent=0s/168h,high=48h/360h,normal=120h/720h", "durations such as 24h"},
		{"a negative verification time", "urgent=-24h/168h,high=48h/360h,normal=120h/720h", "durations such as 24h"},
		{"handling shorter than verifying", "urgent=24h/12h,high=48h/360h,normal=120h/720h", "not shorter than the verifying one"},
		{"a severity missing", "urgent=24h/168h,high=48h/360h", `no deadline for the severity "normal"`},
		{"a severity in capitals is another severity", "Urgent=24h/168h,high=48h/360h,normal=120h/720h", `unknown severity "Urgent"`},
		{"an unknown severity", "urgent=24h/168h,high=48h/360h,normal=120h/720h,extreme=1h/2h", `unknown severity "extreme"`},
		{"a severity twice", "urgent=24h/168h,urgent=12h/48h,high=48h/360h,normal=120h/720h", `"urgent" is given twice`},
		{"a trailing comma", "urgent=24h/168h,high=48h/360h,normal=120h/720h,", "is not severity=verify/handle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseTipDeadlines(tc.in)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseTipDeadlines(%q): %v", tc.in, err)
				}
				if d.Verify["urgent"] != 24*time.Hour || d.Handle["normal"] != 720*time.Hour {
					t.Fatalf("ParseTipDeadlines(%q) = %+v", tc.in, d)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ParseTipDeadlines(%q): error %v, want one saying %q", tc.in, err, tc.wantErr)
			}
		})
	}
}
