package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"
)

type panicky struct{}

func (panicky) Name() string { return "panicky" }
func (panicky) Run(context.Context, time.Time) (string, error) {
	var m map[string]int
	m["x"]++ // a nil map: the kind of bug that must not stop the service
	return "", nil
}

func TestAPanickingJobFailsItsRun(t *testing.T) {
	res, err := runRecovered(context.Background(), panicky{}, time.Now())
	if err == nil || res != "" || !strings.Contains(err.Error(), "job panicky panicked: assignment to entry in nil map") {
		t.Fatalf("%q %v", res, err)
	}
}
