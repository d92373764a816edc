package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/google/uuid"

	"kiemtra/auth"
	"kiemtra/geo"
	"kiemtra/models"
	"kiemtra/refdata"
)

// Options choose the demo dataset. The same options give the same data.
type Options struct {
	Seed       int64
	Businesses int
	// Today is the day the demo is made on: its history (visits, tips, the jobs' runs) runs up
	// to the day before, and the teams' routes of Today are still to do.
	Today models.Date
	// HauGiang and SocTrang are the sizes of the former provinces' registries, which join the
	// city's on 1 July 2025: roughly in proportion to population (1.24 million in the old city,
	// 0.73 million in Hau Giang, 1.2 million in Soc Trang), a little under for their rural
	// communes.
	HauGiang, SocTrang int
}

// RegistryOn is the date of the demo registry's extract: the businesses, their openings and
// closures are drawn as of this day whatever day the demo is made on (or as of Today when that
// is earlier), so that the city and its finished 2021-2025 programme are the same on every day
// and a later demo only adds history.
var RegistryOn = models.NewDate(2026, 11, 1)

// registryOn is the day the registry of o is drawn as of.
func (o Options) registryOn() models.Date {
	if o.Today.Before(RegistryOn) {
		return o.Today
	}
	return RegistryOn
}

// DefaultOptions is the dataset `kiemtra demo` loads on the day today: about 1,500 businesses
// (Can Tho reported over 1,000 in 2023).
func DefaultOptions(today models.Date) Options {
	return Options{Seed: 20211101, Businesses: 1500, HauGiang: 850, SocTrang: 1400, Today: today}
}

// Dataset is the generated demo data, ready to store: the old city as it was from 2021 (Load),
// and what 1 July 2025 brings (Merge).
type Dataset struct {
	Today      models.Date // the day the demo is made on: its history ends the day before
	Areas      []*models.Area
	Businesses []*models.Business
	Teams      []TeamSpec
	People     []Person
	// Reform is the map of both eras, with the 2025 reorganisation and its polygons.
	Reform *Map
	// ProvinceBusinesses are the registries of the former Hau Giang and Soc Trang, in their
	// 2025 communes.
	ProvinceBusinesses []*models.Business
	ClusterTeams       []TeamSpec
	ClusterPeople      []Person
}

// Generate builds the dataset from the embedded Can Tho reference data.
func Generate(o Options) (*Dataset, error) {
	u, err := refdata.CanTho2021()
	if err != nil {
		return nil, err
	}
	spec, err := refdata.Reorganisation2025()
	if err != nil {
		return nil, err
	}
	cats, err := refdata.Categories()
	if err != nil {
		return nil, err
	}
	m, err := DrawMap(u, spec)
	if err != nil {
		return nil, err
	}
	g, err := newGenerator(o.Seed, o.registryOn())
	if err != nil {
		return nil, err
	}
	bs, err := g.registry(m.Areas2021, cats, o.Businesses, canThoCodes)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{Today: o.Today, Areas: m.Areas2021, Businesses: bs, Teams: Teams(u), People: People(u), Reform: m}
	for _, p := range []struct {
		name  string
		n     int
		codes registryCodes
	}{{hauGiang, o.HauGiang, hauGiangCodes}, {socTrang, o.SocTrang, socTrangCodes}} {
		if p.n == 0 {
			continue
		}
		pbs, err := g.registry(provinceAreas(m.Spec, p.name), cats, p.n, p.codes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		ds.ProvinceBusinesses = append(ds.ProvinceBusinesses, pbs...)
	}
	ds.ClusterTeams = ClusterTeams(m.Spec, u.City.Code)
	ds.ClusterPeople = ClusterPeople(ds.ClusterTeams, u.City.Code)
	return ds, nil
}

// Logins are every demo user, those of the old city and those of the cluster teams set up in
// 2025, without drawing the map.
func Logins() ([]Person, error) {
	u, err := refdata.CanTho2021()
	if err != nil {
		return nil, err
	}
	spec, err := refdata.Reorganisation2025()
	if err != nil {
		return nil, err
	}
	out := append(People(u), ClusterPeople(ClusterTeams(spec, u.City.Code), u.City.Code)...)
	// The reporting officers demo.Indicators makes: the departments' and three communes'.
	out = append(out, DepartmentReporters(u.City.Code)...)
	for _, c := range DemoCommunes(spec) {
		out = append(out, Person{Username: "baocao." + c, Agency: models.AgencyCommune, Role: models.RoleReportingOfficer, AreaCode: c})
	}
	return out, nil
}

// Store is what Load writes teams and users to.
type Store interface {
	CreateTeam(ctx context.Context, actor string, t *models.Team) error
	CreateUser(ctx context.Context, actor string, u *models.User) error
	// MarkDemoDatabase records that the demo made the database: only there is the users'
	// published password accepted.
	MarkDemoDatabase(ctx context.Context, by string) error
}

// Importer is the registry's import: the demo's areas and businesses go through the same code
// (and the same checks) as a planner's files.
type Importer interface {
	ImportAreas(ctx context.Context, actor string, r io.Reader, dryRun bool) (*models.AreaImportReport, error)
	ImportBusinesses(ctx context.Context, actor string, r io.Reader, name string, dryRun bool) (*models.ImportReport, error)
}

// actor is the audit log's name for changes the demo makes.
const actor = "demo"

// Load stores the dataset. Run it inside one transaction so that a failure leaves nothing.
func Load(ctx context.Context, st Store, imp Importer, ds *Dataset) error {
	areas, err := geo.AreaFeatureCollection(ds.Areas, func(a *models.Area) map[string]any {
		return map[string]any{"type_name": a.TypeName, "lat": a.Lat, "lon": a.Lon, "valid_from": a.ValidFrom}
	})
	if err != nil {
		return err
	}
	arep, err := imp.ImportAreas(ctx, actor, bytes.NewReader(areas), false)
	if err != nil {
		return fmt.Errorf("import demo areas: %w", err)
	}
	if len(arep.Problems) > 0 {
		return fmt.Errorf("import demo areas: %d problems, first: %s %s", len(arep.Problems), arep.Problems[0].Code, arep.Problems[0].Message)
	}
	if err := importBusinesses(ctx, imp, ds.Businesses, ds.Areas, "demo-businesses.csv"); err != nil {
		return err
	}
	if err := createTeams(ctx, st, ds.Teams, ds.People); err != nil {
		return err
	}
	// In the load's transaction: the mark exists exactly when the demo users do.
	return st.MarkDemoDatabase(ctx, actor)
}

// importBusinesses imports businesses as a licensing office's file: every one must be created.
func importBusinesses(ctx context.Context, imp Importer, bs []*models.Business, areas []*models.Area, name string) error {
	rep, err := imp.ImportBusinesses(ctx, actor, bytes.NewReader(BusinessesCSV(bs, areas)), name, false)
	if err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	if len(rep.Rejected) > 0 || rep.Created != len(bs) {
		msg := ""
		if len(rep.Rejected) > 0 {
			r := rep.Rejected[0]
			msg = fmt.Sprintf("; first rejection: line %d %s %q: %s", r.Line, r.Field, r.Value, r.Message)
		}
		return fmt.Errorf("import %s: %d of %d created, %d rejected%s", name, rep.Created, len(bs), len(rep.Rejected), msg)
	}
	return nil
}

// BusinessesCSV writes businesses in the registry's import format, as a licensing office would
// send them.
func BusinessesCSV(bs []*models.Business, areas []*models.Area) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"name", "category", "licence_no", "address", "ward", "lat", "lon", "opened_on", "status", "closed_on", "phone", "owner", "tax_code", "security_cert_no"})
	for _, b := range bs {
		w.Write([]string{b.Name, b.Category, b.Licence(), b.Address, b.AreaCode,
			strconv.FormatFloat(b.Lat, 'f', -1, 64), strconv.FormatFloat(b.Lon, 'f', -1, 64),
			b.OpenedOn.String(), b.Status, b.ClosedOn.String(), b.Phone, b.OwnerName, b.TaxCode, b.SecurityCertNo})
	}
	w.Flush()
	return buf.Bytes()
}

// hashAll hashes the demo password once for every user: the same password, published, so
// distinct salts would protect nothing, and each hash costs tens of milliseconds by design.
func hashAll(n int) ([]string, error) {
	h, err := auth.HashPassword(Password, auth.DefaultPasswordParams)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		out[i] = h
	}
	return out, nil
}

// BusinessID names a demo business after its licence number (every demo business has one), so
// that the demo's plans, which order businesses by id, come out the same on every load.
func BusinessID(b *models.Business) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("kiemtra-demo/"+b.Licence())).String()
}
