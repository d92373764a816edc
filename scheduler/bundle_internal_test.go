package scheduler

import (
	"crypto/sha256"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSeedDerivationIsWhatNewRandDoes keeps the bundle's description of the draws (which an
// outsider may re-implement) in step with the planner's random stream.
func TestSeedDerivationIsWhatNewRandDoes(t *testing.T) {
	if !strings.Contains(SeedDerivation, `SHA-256("kiemtra/v1/select/<year>/" + seed)`) {
		t.Fatalf("SeedDerivation no longer names the key: %s", SeedDerivation)
	}
	seed := "a revealed seed"
	got := newRand(seed, "select/2026")
	want := rand.New(rand.NewChaCha8(sha256.Sum256([]byte("kiemtra/v1/select/2026/" + seed))))
	for i := 0; i < 16; i++ {
		if g, w := got.Uint64(), want.Uint64(); g != w {
			t.Fatalf("draw %d: newRand gives %d, the described derivation %d", i, g, w)
		}
	}
}
