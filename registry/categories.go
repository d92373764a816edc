package registry

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"kiemtra/models"
)

// Categories is what a registry file's category cell may say: a code ("karaoke"), or one of the
// names the reference data gives the category, in Vietnamese or English ("Cơ sở lưu trú",
// "Xoa bóp", "Massage", "Quán bar"). The labels are derived from the names, never listed a
// second time, so a category added to the reference data is accepted under its names at once.
type Categories struct {
	codes  map[string]bool      // nil: any code is accepted
	labels map[string]string    // labelKey -> code
	short  map[string][2]string // code -> short Vietnamese and English names, for messages
}

// NewCategories indexes the category codes and the names of the categories. codes nil accepts
// any code (tests, tools); names may be nil, and then only codes are understood. Names of codes
// outside codes are ignored, and a label two categories would share is understood for neither.
func NewCategories(codes map[string]bool, names []models.Category) *Categories {
	c := &Categories{codes: codes, labels: map[string]string{}, short: map[string][2]string{}}
	ambiguous := map[string]bool{}
	for _, cat := range names {
		if codes != nil && !codes[cat.Code] {
			continue
		}
		c.short[cat.Code] = [2]string{shortName(cat.VI), shortName(cat.EN)}
		for _, l := range append(categoryLabels(cat.VI), categoryLabels(cat.EN)...) {
			k := labelKey(l)
			if k == "" || ambiguous[k] {
				continue
			}
			if prev, ok := c.labels[k]; ok && prev != cat.Code {
				delete(c.labels, k)
				ambiguous[k] = true
				continue
			}
			c.labels[k] = cat.Code
		}
	}
	return c
}

// lookup returns the code a cell means, or false.
func (c *Categories) lookup(s string) (string, bool) {
	code := strings.ToLower(s)
	if c == nil || c.codes == nil {
		if c != nil {
			if l, ok := c.labels[labelKey(s)]; ok {
				return l, true
			}
		}
		return code, true
	}
	if c.codes[code] {
		return code, true
	}
	l, ok := c.labels[labelKey(s)]
	return l, ok
}

// known lists the accepted values for a message, in English and in Vietnamese: each code with
// the short form of its name ("accommodation (Cơ sở lưu trú)").
func (c *Categories) known() (en, vi string) {
	codes := slices.Sorted(maps.Keys(c.codes))
	ens, vis := make([]string, len(codes)), make([]string, len(codes))
	for i, k := range codes {
		ens[i], vis[i] = k, k
		if n := c.short[k]; n[0] != "" {
			ens[i], vis[i] = k+" ("+n[1]+")", k+" ("+n[0]+")"
		}
	}
	return strings.Join(ens, ", "), strings.Join(vis, ", ")
}

// shortName is the first item a category's name lists ("Cơ sở lưu trú" for "Cơ sở lưu trú
// (khách sạn, ...)", "Nhà hàng có tiếp viên" for "Nhà hàng, quán nhậu có tiếp viên").
func shortName(name string) string {
	head := name
	if i := strings.Index(head, "("); i >= 0 {
		head = head[:i]
		if j := strings.Index(name[i:], ")"); j > 0 {
			head += name[i+j+1:]
		}
	}
	if items := listItems(head); len(items) > 0 {
		return items[0]
	}
	return strings.TrimSpace(name)
}

// suggest returns the code s most likely meant (see suggestCategory), comparing it with the codes
// and with the labels.
func (c *Categories) suggest(s string) string {
	if sug := suggestCategory(s, c.codes); sug != "" {
		return sug
	}
	key := labelKey(s)
	limit := max(1, utf8.RuneCountInString(key)/4)
	best, bestDist := "", limit+1
	for l, code := range c.labels {
		if d := editDistance(key, l); d < bestDist || (d == bestDist && code < best) {
			best, bestDist = code, d
		}
	}
	return best
}

// labelPrefixes are the words a licensing office puts before the kind of business ("Kinh doanh
// dịch vụ karaoke", "Cơ sở lưu trú"), folded; they are dropped from both the names and the cells.
var labelPrefixes = []string{"kinh doanh dich vu ", "kinh doanh ", "dich vu ", "co so "}

// labelKey folds a label to letters and digits without case, accents or separators, after
// dropping a leading labelPrefixes phrase.
func labelKey(s string) string {
	f := strings.Join(strings.FieldsFunc(models.FoldVietnamese(clean(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
	for _, p := range labelPrefixes {
		if rest, ok := strings.CutPrefix(f, p); ok && rest != "" {
			f = rest
			break
		}
	}
	return strings.ReplaceAll(f, " ", "")
}

// categoryLabels returns the labels a category name stands for: the whole name, the name
// without its parenthesis, the items inside the parenthesis, and the items of a list separated
// by commas or slashes. In "Nhà hàng, quán nhậu có tiếp viên" the qualifier of the last item
// ("có tiếp viên", in English "with ...") belongs to the whole list, so the first item is "Nhà
// hàng có tiếp viên", not a bare "Nhà hàng"; items that begin with the last item's first word
// ("cà phê đèn mờ, cà phê chòi, cà phê có tiếp viên") are complete on their own.
func categoryLabels(name string) []string {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	out := []string{name}
	head, inner := name, ""
	if i := strings.Index(name, "("); i >= 0 {
		head = strings.TrimSpace(name[:i])
		if j := strings.Index(name[i:], ")"); j > 0 {
			inner = name[i+1 : i+j]
			head = strings.TrimSpace(head + " " + name[i+j+1:])
		}
		out = append(out, strings.TrimSpace(name[:i]))
	}
	out = append(out, head)
	out = append(out, listItems(inner)...)
	out = append(out, listItems(head)...)
	return out
}

func listItems(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' })
	var items []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			items = append(items, p)
		}
	}
	if len(items) < 2 {
		return items
	}
	last := strings.Fields(items[len(items)-1])
	qualifier := ""
	for i, w := range last {
		if i > 0 && (models.FoldVietnamese(w) == "co" || strings.EqualFold(w, "with")) {
			qualifier = strings.Join(last[i:], " ")
			break
		}
	}
	if qualifier == "" {
		return items
	}
	for i, it := range items[:len(items)-1] {
		words := strings.Fields(it)
		if models.FoldVietnamese(words[0]) == models.FoldVietnamese(last[0]) {
			continue
		}
		items[i] = it + " " + qualifier
	}
	return items
}
