package scheduler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"kiemtra/models"
)

// LotterySeedDerivation describes LotterySeed for the readers of a bundle.
const LotterySeedDerivation = `seed = hex(SHA-256("kiemtra/seed/v2\n" + secret + "\n" + draw source + "\n" + draw date + "\n" + draw result)); ` +
	`the secret is committed by its SHA-256 with the inputs hash before the draw, and revealed after the plan's year`

// LotterySeed derives a plan's seed from the secret committed with its inputs and the result of
// the public draw it named. Neither part alone decides the selection: the agency cannot choose
// the draw's result, and the public cannot compute the selection before the secret is revealed.
func LotterySeed(secret, source string, date models.Date, result string) string {
	h := sha256.Sum256([]byte("kiemtra/seed/v2\n" + secret + "\n" + source + "\n" + date.String() + "\n" + result))
	return hex.EncodeToString(h[:])
}

// maxDrawWait bounds how far ahead a plan may name its draw: the plan waits for it, and the
// year's visits wait for the plan.
const maxDrawWait = 35

// NextDraw is the source's first draw after today.
func NextDraw(src models.DrawSource, today models.Date) models.Date {
	d := today.AddDays(1)
	for d.Time(time.UTC).Weekday() != src.Day {
		d = d.AddDays(1)
	}
	return d
}

// CheckDrawDate refuses a draw date that is not after today (its result could be known when the
// plan is committed), not on the source's draw day, or too far ahead.
func CheckDrawDate(src models.DrawSource, date, today models.Date) error {
	switch {
	case !date.After(today):
		return models.Invalid("draw_date", "must be after today (%s): a draw already held or held today could be known when the plan is committed",
			"phải sau ngày hôm nay (%s): kết quả của kỳ quay đã diễn ra hoặc diễn ra hôm nay có thể đã được biết khi cam kết kế hoạch", today)
	case date.Time(time.UTC).Weekday() != src.Day:
		return models.Invalid("draw_date", "%[1]s is not a draw day of the %[2]s (draws are on %[3]s)", "ngày %[1]s không có kỳ quay %[4]s (quay vào %[5]s)",
			date, src.Name, src.Day, src.NameVI, weekdayVI(src.Day))
	case today.DaysUntil(date) > maxDrawWait:
		return models.Invalid("draw_date", "is more than %d days ahead", "cách quá %d ngày", maxDrawWait)
	}
	return nil
}

// CheckDrawResult normalises a draw result as a person types it ("12 34 56") and refuses what
// is not the source's number of digits.
func CheckDrawResult(src models.DrawSource, result string) (string, error) {
	r := strings.Map(func(c rune) rune {
		if c == ' ' || c == '.' || c == '-' {
			return -1
		}
		return c
	}, strings.TrimSpace(result))
	ok := len(r) == src.Digits
	for _, c := range r {
		ok = ok && c >= '0' && c <= '9'
	}
	if !ok {
		return "", models.Invalid("result", "must be the %[1]d digits of the %[2]s", "phải gồm %[1]d chữ số của %[3]s", src.Digits, src.Name, src.NameVI)
	}
	return r, nil
}

// drawResultsKnown is when a draw's result is published, in the users' zone.
func drawResultsKnown(src models.DrawSource, date models.Date, loc *time.Location) (time.Time, error) {
	var h, m int
	if _, err := fmt.Sscanf(src.ResultsFrom, "%d:%d", &h, &m); err != nil {
		return time.Time{}, fmt.Errorf("draw source %s: results_from %q: %w", src.Code, src.ResultsFrom, err)
	}
	return time.Date(date.Year, date.Month, date.Day, h, m, 0, 0, loc), nil
}

func weekdayVI(d time.Weekday) string {
	return [...]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}[d]
}
