package demo

import (
	"context"
	"runtime"
	"sync"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/refdata"
)

// Options choose the demo dataset. The same options give the same data.
type Options struct {
	Seed       int64
	Businesses int
	// Today is the date the data is generated as of; it is fixed rather than the clock so that
	// the dataset does not depend on the day it was created.
	Today models.Date
}

// DefaultOptions is the dataset `kiemtra demo` loads: about 1,500 businesses (Can Tho reported
// over 1,000 in 2023).
func DefaultOptions() Options {
	return Options{Seed: 20211101, Businesses: 1500, Today: models.NewDate(2026, 11, 1)}
}

// Dataset is the generated demo data, ready to store.
type Dataset struct {
	Areas      []*models.Area
	Businesses []*models.Business
	Teams      []TeamSpec
	People     []Person
}

// Generate builds the dataset from the embedded Can Tho reference data.
func Generate(o Options) (*Dataset, error) {
	u, err := refdata.CanTho2021()
	if err != nil {
		return nil, err
	}
	cats, err := refdata.Categories()
	if err != nil {
		return nil, err
	}
	areas, err := Areas(u)
	if err != nil {
		return nil, err
	}
	bs, err := Businesses(o.Seed, areas, cats, o.Businesses, o.Today)
	if err != nil {
		return nil, err
	}
	return &Dataset{Areas: areas, Businesses: bs, Teams: Teams(u), People: People(u)}, nil
}

// Store is what Load writes to.
type Store interface {
	UpsertAreas(ctx context.Context, actor string, areas []*models.Area) error
	CreateBusinesses(ctx context.Context, actor string, bs []*models.Business) error
	CreateTeam(ctx context.Context, actor string, t *models.Team) error
	CreateUser(ctx context.Context, actor string, u *models.User) error
}

// actor is the audit log's name for changes the demo makes.
const actor = "demo"

// Load stores the dataset. Run it inside one transaction so that a failure leaves nothing.
func Load(ctx context.Context, st Store, ds *Dataset) error {
	if err := st.UpsertAreas(ctx, actor, ds.Areas); err != nil {
		return err
	}
	if err := st.CreateBusinesses(ctx, actor, ds.Businesses); err != nil {
		return err
	}
	teamIDs := map[string]string{}
	for _, t := range ds.Teams {
		if err := st.CreateTeam(ctx, actor, t.Team); err != nil {
			return err
		}
		teamIDs[t.Slug] = t.Team.ID
	}
	hashes, err := hashAll(len(ds.People))
	if err != nil {
		return err
	}
	for i, p := range ds.People {
		u := &models.User{Username: p.Username, DisplayName: p.DisplayName, Agency: p.Agency, Role: p.Role, AreaCode: p.AreaCode, PasswordHash: hashes[i]}
		if p.TeamSlug != "" {
			id := teamIDs[p.TeamSlug]
			u.TeamID = &id
		}
		if err := st.CreateUser(ctx, actor, u); err != nil {
			return err
		}
	}
	return nil
}

// hashAll hashes the demo password n times with distinct salts, in parallel: each hash costs
// tens of milliseconds by design.
func hashAll(n int) ([]string, error) {
	out := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range out {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = auth.HashPassword(Password, auth.DefaultPasswordParams)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
