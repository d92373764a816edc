package models

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Severities a violation may have, lightest first.
var Severities = []string{"low", "medium", "high", "critical"}

// ChecklistVersion is one stored version of the whole checklist (every category's items): each
// edit of one category's items makes a new version of the whole, so that an inspection names
// its checklist with one number.
type ChecklistVersion struct {
	Checklist
	Category  string    `json:"category"` // the category whose edit made it; "" for a seeded version
	Note      string    `json:"note"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// ViolationCatalogue is one stored version of the violation catalogue.
type ViolationCatalogue struct {
	Version    int             `json:"version"`
	Violations []ViolationType `json:"violations"`
	Note       string          `json:"note"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  time.Time       `json:"created_at"`
}

// CatalogueVersion is a line of a catalogue's history: a version without its content.
type CatalogueVersion struct {
	Version   int       `json:"version"`
	Category  string    `json:"category,omitempty"`
	Note      string    `json:"note"`
	Count     int       `json:"count"` // items or violation codes in the version
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// CatalogueStore keeps the versions of the checklist and of the violation catalogue. Versions
// are never changed once stored; a new one is added on top of the current (highest) one.
type CatalogueStore interface {
	// FindChecklistVersion returns a version of the checklist, the current one for version 0;
	// not_found when there is no such version.
	FindChecklistVersion(ctx context.Context, version int) (*ChecklistVersion, error)
	// CurrentChecklistVersion returns the number of the current checklist version.
	CurrentChecklistVersion(ctx context.Context) (int, error)
	// FindChecklistVersions returns the checklist's history, newest first.
	FindChecklistVersions(ctx context.Context) ([]*CatalogueVersion, error)
	// CreateChecklistVersion stores v as the next version; conflict when v.Version is not one
	// above the current version (someone saved in between).
	CreateChecklistVersion(ctx context.Context, actor string, v *ChecklistVersion) error
	// FindViolationCatalogue returns a version of the violation catalogue, the current one for
	// version 0; not_found when there is no such version.
	FindViolationCatalogue(ctx context.Context, version int) (*ViolationCatalogue, error)
	// FindViolationCatalogues returns the catalogue's history, newest first.
	FindViolationCatalogues(ctx context.Context) ([]*CatalogueVersion, error)
	// CreateViolationCatalogue stores c as the next version; conflict as CreateChecklistVersion.
	CreateViolationCatalogue(ctx context.Context, actor string, c *ViolationCatalogue) error
}

// ChecklistEdit is a new list of one category's checklist items, made on top of BaseVersion.
// Items keep the order given; an item shared with other categories changes for them too.
type ChecklistEdit struct {
	BaseVersion int             `json:"base_version"`
	Items       []ChecklistItem `json:"items"`
	Note        string          `json:"note"`
}

// ViolationEdit is a new violation catalogue made on top of BaseVersion.
type ViolationEdit struct {
	BaseVersion int             `json:"base_version"`
	Violations  []ViolationType `json:"violations"`
	Note        string          `json:"note"`
}

var (
	itemIDPattern        = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,15}$`)
	violationCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,39}$`)
)

func at(list string, i int, name string) string {
	return list + "[" + strconv.Itoa(i) + "]." + name
}

func checkLegal(v *Validation, list string, i int, name string, refs []string) {
	for j, r := range refs {
		if strings.TrimSpace(r) == "" {
			v.Add(at(list, i, name)+"["+strconv.Itoa(j)+"]", "is empty", "đang để trống")
		}
	}
}

// Validate checks an edit of category's items against the categories and violation codes in
// force; every problem names its field (items[2].vi).
func (e *ChecklistEdit) Validate(category string, categories, codes map[string]bool) error {
	var v Validation
	if e.BaseVersion < 1 {
		v.Add("base_version", "is required: the version the edit was made on", "bắt buộc: phiên bản được dùng để sửa")
	}
	if !categories[category] {
		v.Add("category", "unknown category %q", "loại hình %q không có trong danh mục", category)
	}
	if len(e.Items) == 0 {
		v.Add("items", "a checklist needs at least one item", "bảng kiểm cần ít nhất một mục")
	}
	seen := map[string]int{}
	for i, it := range e.Items {
		switch j, dup := seen[it.ID]; {
		case !itemIDPattern.MatchString(it.ID):
			v.Add(at("items", i, "id"), "must be 2-16 capital letters, digits or _, starting with a letter (K05)", "phải gồm 2-16 chữ in hoa, chữ số hoặc _, bắt đầu bằng chữ (K05)")
		case dup:
			v.Add(at("items", i, "id"), "%s is also item %d", "%s trùng với mục %d", it.ID, j+1)
		default:
			seen[it.ID] = i
		}
		if strings.TrimSpace(it.VI) == "" {
			v.Add(at("items", i, "vi"), "the Vietnamese question is required", "cần câu hỏi tiếng Việt")
		}
		if strings.TrimSpace(it.EN) == "" {
			v.Add(at("items", i, "en"), "the English question is required", "cần câu hỏi tiếng Anh")
		}
		if it.Answer != "yes_no" {
			v.Add(at("items", i, "answer"), "must be yes_no", "phải là yes_no")
		}
		switch {
		case it.Violation != "" && !codes[it.Violation]:
			v.Add(at("items", i, "violation"), "unknown violation code %q", "mã vi phạm %q không có trong danh mục vi phạm", it.Violation)
		case it.NoIsViolation && it.Violation == "":
			v.Add(at("items", i, "violation"), "a 'no' that is a violation needs its violation code", "câu trả lời 'không' là vi phạm thì cần mã vi phạm")
		}
		if it.NoIsViolation && len(it.Legal) == 0 {
			v.Add(at("items", i, "legal"), "a duty whose breach is a violation needs its legal reference", "nghĩa vụ mà vi phạm bị xử lý cần căn cứ pháp lý")
		}
		checkLegal(&v, "items", i, "legal", it.Legal)
		for j, c := range it.Categories {
			if !categories[c] {
				v.Add(at("items", i, "categories")+"["+strconv.Itoa(j)+"]", "unknown category %q", "loại hình %q không có trong danh mục", c)
			}
		}
	}
	return v.Err()
}

// Validate checks a violation catalogue; used lists the codes the checklist in force refers to,
// which may not be removed.
func (e *ViolationEdit) Validate(used map[string]bool) error {
	var v Validation
	if e.BaseVersion < 1 {
		v.Add("base_version", "is required: the version the edit was made on", "bắt buộc: phiên bản được dùng để sửa")
	}
	if len(e.Violations) == 0 {
		v.Add("violations", "the catalogue needs at least one violation", "danh mục cần ít nhất một hành vi vi phạm")
	}
	severities := map[string]bool{}
	for _, s := range Severities {
		severities[s] = true
	}
	seen := map[string]int{}
	for i, x := range e.Violations {
		switch j, dup := seen[x.Code]; {
		case !violationCodePattern.MatchString(x.Code):
			v.Add(at("violations", i, "code"), "must be 2-40 capital letters, digits or _, starting with a letter", "phải gồm 2-40 chữ in hoa, chữ số hoặc _, bắt đầu bằng chữ")
		case dup:
			v.Add(at("violations", i, "code"), "%s is also line %d", "%s trùng với dòng %d", x.Code, j+1)
		default:
			seen[x.Code] = i
		}
		if strings.TrimSpace(x.VI) == "" {
			v.Add(at("violations", i, "vi"), "the Vietnamese name is required", "cần tên tiếng Việt")
		}
		if strings.TrimSpace(x.EN) == "" {
			v.Add(at("violations", i, "en"), "the English name is required", "cần tên tiếng Anh")
		}
		if !severities[x.Severity] {
			v.Add(at("violations", i, "severity"), "must be one of %s", "phải là một trong %s", strings.Join(Severities, ", "))
		}
		checkLegal(&v, "violations", i, "legal_basis", x.LegalBasis)
		switch {
		case (x.FineMinVND == nil) != (x.FineMaxVND == nil):
			f := "fine_max_vnd"
			if x.FineMinVND == nil {
				f = "fine_min_vnd"
			}
			v.Add(at("violations", i, f), "a fine range needs both its lowest and highest amount", "khung tiền phạt cần cả mức thấp nhất và cao nhất")
		case x.FineMinVND != nil && *x.FineMinVND < 0:
			v.Add(at("violations", i, "fine_min_vnd"), "cannot be negative", "không được âm")
		case x.FineMinVND != nil && *x.FineMaxVND < *x.FineMinVND:
			v.Add(at("violations", i, "fine_max_vnd"), "is below the lowest amount", "thấp hơn mức thấp nhất")
		}
		if x.FineMinVND != nil && strings.TrimSpace(x.PenaltyArticle) == "" {
			v.Add(at("violations", i, "penalty_article"), "a fine range needs the article that sets it", "khung tiền phạt cần điều khoản quy định")
		}
	}
	var gone []string
	for c := range used {
		if _, ok := seen[c]; !ok {
			gone = append(gone, c)
		}
	}
	if len(gone) > 0 {
		sort.Strings(gone)
		v.Add("violations", "the checklist in force uses %s: change its items first", "bảng kiểm đang dùng còn dùng %s: sửa các mục đó trước", strings.Join(gone, ", "))
	}
	return v.Err()
}

// ApplyChecklistEdit makes the checklist that an edit of category's items turns base into. The
// edit's items, in its order, take the place of the first of them base holds (the end for an edit
// of new items only); an item listed keeps base's other categories unless the edit names its
// categories; a base item of the category that the edit leaves out stops applying to it and
// disappears when it applies to no category. The edit must be valid.
func ApplyChecklistEdit(base *Checklist, category string, e *ChecklistEdit) *Checklist {
	old := map[string]ChecklistItem{}
	for _, it := range base.Items {
		old[it.ID] = it
	}
	block := make([]ChecklistItem, 0, len(e.Items))
	listed := map[string]bool{}
	for _, it := range e.Items {
		cats := it.Categories
		if prev, ok := old[it.ID]; ok && len(cats) == 0 {
			cats = prev.Categories
		}
		it.Categories = withString(cats, category)
		block = append(block, it)
		listed[it.ID] = true
	}
	out := &Checklist{Version: base.Version + 1, Items: []ChecklistItem{}}
	placed := false
	for _, it := range base.Items {
		switch {
		case listed[it.ID]:
			if !placed {
				out.Items = append(out.Items, block...)
				placed = true
			}
		case hasString(it.Categories, category):
			if rest := withoutString(it.Categories, category); len(rest) > 0 {
				it.Categories = rest
				out.Items = append(out.Items, it)
			}
		default:
			out.Items = append(out.Items, it)
		}
	}
	if !placed {
		out.Items = append(out.Items, block...)
	}
	return out
}

// ForCategory returns the items of cl that apply to category, in order.
func (cl *Checklist) ForCategory(category string) []ChecklistItem {
	out := []ChecklistItem{}
	for _, it := range cl.Items {
		if hasString(it.Categories, category) {
			out = append(out, it)
		}
	}
	return out
}

// ViolationCodes returns the codes the items of cl refer to.
func (cl *Checklist) ViolationCodes() map[string]bool {
	out := map[string]bool{}
	for _, it := range cl.Items {
		if it.Violation != "" {
			out[it.Violation] = true
		}
	}
	return out
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func withString(list []string, s string) []string {
	out := append([]string{}, list...)
	if !hasString(out, s) {
		out = append(out, s)
	}
	return out
}

func withoutString(list []string, s string) []string {
	out := []string{}
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
