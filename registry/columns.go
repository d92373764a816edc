package registry

import (
	"slices"
	"strings"

	"kiemtra/models"
)

// ParseColumnMapping reads a column mapping, OURS=THEIRS pairs that name the file's header for
// one of the canonical columns (Columns): `licence_no=Số GP,ward="Đơn vị hành chính"`. Several
// texts are joined, so that the --column flag and the column parameter may repeat; a header
// that holds a comma is quoted. An empty text is no mapping (nil). An unknown column, a column
// mapped twice, two columns mapped to one header and a pair without a header are invalid errors
// on the field "column".
func ParseColumnMapping(texts ...string) (map[string]string, error) {
	m := map[string]string{}
	byHeader := map[string]string{}
	for _, text := range texts {
		for _, pair := range splitPairs(text) {
			if pair = strings.TrimSpace(pair); pair == "" {
				continue
			}
			ours, theirs, ok := strings.Cut(pair, "=")
			ours = strings.ToLower(strings.TrimSpace(ours))
			theirs = strings.Trim(strings.TrimSpace(theirs), `"`)
			theirs = clean(theirs)
			switch {
			case !ok || theirs == "":
				return nil, models.Invalid("column", "%q is not OURS=THEIRS (our columns: %s)", "%q không có dạng CỘT=TIÊU_ĐỀ (các cột: %s)", pair, strings.Join(columns, ", "))
			case !slices.Contains(columns, ours):
				return nil, models.Invalid("column", "%q is not one of our columns (%s)", "%q không phải một cột của hệ thống (các cột: %s)", ours, strings.Join(columns, ", "))
			case m[ours] != "":
				return nil, models.Invalid("column", "%s is mapped twice", "cột %s được chỉ định hai lần", ours)
			case byHeader[headerKey(theirs)] != "":
				return nil, models.Invalid("column", "%q is mapped to both %s and %s", "tiêu đề %q được gán cho cả %s và %s", theirs, byHeader[headerKey(theirs)], ours)
			}
			if en, vi := models.TextProblem(theirs); en != "" {
				return nil, models.Invalid("column", "%[1]s: the header %[2]s", "%[1]s: tiêu đề %[3]s", ours, en, vi)
			}
			m[ours] = theirs
			byHeader[headerKey(theirs)] = ours
		}
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// splitPairs splits on the commas outside double quotes.
func splitPairs(s string) []string {
	var out []string
	quoted, start := false, 0
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
