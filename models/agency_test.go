package models

import (
	"strings"
	"testing"
)

func TestAgencyValidation(t *testing.T) {
	good := func() Agency {
		return Agency{Code: "health", NameVI: "Sở Y tế thành phố Cần Thơ", NameEN: "Can Tho Department of Health", ShortVI: "Sở Y tế", Level: AgencyLevelCity, Active: true}
	}
	for _, tc := range []struct {
		name   string
		change func(a *Agency)
		field  string // "" when valid
	}{
		{"a seeded agency is valid", func(a *Agency) {}, ""},
		{"no short name or level is valid", func(a *Agency) { a.ShortVI, a.Level = "", "" }, ""},
		{"a code with digits and underscores is valid", func(a *Agency) { a.Code = "so_y_te_2025" }, ""},
		{"a code in capitals", func(a *Agency) { a.Code = "Health" }, "code"},
		{"a code with a hyphen", func(a *Agency) { a.Code = "home-affairs" }, "code"},
		{"a code with accents", func(a *Agency) { a.Code = "sở_y_tế" }, "code"},
		{"a code starting with a digit", func(a *Agency) { a.Code = "1health" }, "code"},
		{"a one-letter code", func(a *Agency) { a.Code = "h" }, "code"},
		{"a code of 41 characters", func(a *Agency) { a.Code = strings.Repeat("h", 41) }, "code"},
		{"no Vietnamese name", func(a *Agency) { a.NameVI = "  " }, "name_vi"},
		{"no English name", func(a *Agency) { a.NameEN = "" }, "name_en"},
		{"a Vietnamese name on two lines", func(a *Agency) { a.NameVI = "Sở Y tế\nCần Thơ" }, "name_vi"},
		{"a Vietnamese name of 201 letters", func(a *Agency) { a.NameVI = strings.Repeat("ế", 201) }, "name_vi"},
		{"a short name of 61 letters", func(a *Agency) { a.ShortVI = strings.Repeat("ở", 61) }, "short_vi"},
		{"an unknown level", func(a *Agency) { a.Level = "district" }, "level"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := good()
			tc.change(&a)
			err := a.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid agency refused: %v", err)
				}
				return
			}
			if e := ErrorAs(err); e == nil || e.Code != EINVALID || e.Field != tc.field {
				t.Fatalf("error %v; want invalid %s", err, tc.field)
			}
		})
	}
	t.Run("every wrong field is named at once", func(t *testing.T) {
		a := Agency{Code: "X", Level: "x"}
		var fields []string
		for _, d := range ErrorAs(a.Validate()).Details {
			fields = append(fields, d.Field)
		}
		if strings.Join(fields, ",") != "code,name_vi,name_en,level" {
			t.Fatalf("fields %v", fields)
		}
	})
	t.Run("names are trimmed and stored in NFC", func(t *testing.T) {
		a := good()
		a.NameVI, a.ShortVI = " "+nfd("Sở Văn hóa, Thể thao và Du lịch")+" ", nfd("Sở VH-TT&DL")
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		if a.NameVI != "Sở Văn hóa, Thể thao và Du lịch" || a.ShortVI != "Sở VH-TT&DL" {
			t.Fatalf("not NFC or not trimmed: %+q %+q", a.NameVI, a.ShortVI)
		}
	})
	t.Run("200 letters with marks are not too long", func(t *testing.T) {
		a := good()
		a.NameVI = nfd(strings.Repeat("ồ", 200))
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAgencyChoice(t *testing.T) {
	health := &Agency{Code: "health", NameVI: "Sở Y tế", NameEN: "Department of Health", Active: true}
	labour := &Agency{Code: "labour", NameVI: "Sở Lao động - Thương binh và Xã hội", NameEN: "Department of Labour", Active: false}
	for _, tc := range []struct {
		name        string
		code        string
		a           *Agency
		kept        string
		wantInvalid bool
	}{
		{"an active agency for a new user", "health", health, "", false},
		{"an unknown agency", "army", nil, "", true},
		{"no agency", "", nil, "", true},
		{"an inactive agency for a new user", "labour", labour, "", true},
		{"an inactive agency for a user moving to it", "labour", labour, "health", true},
		{"an inactive agency the user has already", "labour", labour, "labour", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAgencyChoice("agency", tc.code, tc.a, tc.kept)
			if !tc.wantInvalid {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e := ErrorAs(err); e == nil || e.Code != EINVALID || e.Field != "agency" {
				t.Fatalf("error %v; want invalid agency", err)
			}
		})
	}
	t.Run("the refusal names the agency in each language", func(t *testing.T) {
		e := ErrorAs(CheckAgencyChoice("lead_agency", "labour", labour, ""))
		if e.Field != "lead_agency" || !strings.Contains(e.Message, "Department of Labour") || !strings.Contains(e.MessageVI, "Sở Lao động") {
			t.Fatalf("%+v", e)
		}
	})
}

func TestAProgrammeIsLedByTheHealthDepartmentByDefault(t *testing.T) {
	p := &Programme{Code: "P", Name: "P", StartsOn: NewDate(2026, 1, 1), EndsOn: NewDate(2030, 12, 31)}
	p.ApplyDefaults()
	if p.LeadAgency == nil || *p.LeadAgency != AgencyHealth {
		t.Fatalf("lead agency %v; want health", p.LeadAgency)
	}
	police := AgencyPolice
	p = &Programme{LeadAgency: &police}
	p.ApplyDefaults()
	if *p.LeadAgency != AgencyPolice {
		t.Fatalf("a chosen lead was replaced: %s", *p.LeadAgency)
	}
}
