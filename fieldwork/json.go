package fieldwork

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"kiemtra/models"
)

// The phones' bodies are decoded strictly (no unknown field, one value) and a time that does
// not parse is reported under its own field: encoding/json passes time.Time's parse error up
// without saying which field it was, and an inspector must be told which.

// UnmarshalJSON decodes a check-in, naming a bad time as "at".
func (in *CheckinInput) UnmarshalJSON(b []byte) error {
	type plain CheckinInput
	var raw struct {
		plain
		At json.RawMessage `json:"at"`
	}
	if err := decodeStrict(b, &raw); err != nil {
		return err
	}
	*in = CheckinInput(raw.plain)
	t, err := parseTime("at", raw.At)
	in.At = t
	return err
}

// UnmarshalJSON decodes a result, naming a bad time as "started_at" or "finished_at".
func (in *InspectionInput) UnmarshalJSON(b []byte) error {
	type plain InspectionInput
	var raw struct {
		plain
		StartedAt  json.RawMessage `json:"started_at"`
		FinishedAt json.RawMessage `json:"finished_at"`
	}
	if err := decodeStrict(b, &raw); err != nil {
		return err
	}
	*in = InspectionInput(raw.plain)
	var v models.Validation
	var err error
	if in.StartedAt, err = parseTime("started_at", raw.StartedAt); err != nil {
		v.AddError(err)
	}
	if in.FinishedAt, err = parseTime("finished_at", raw.FinishedAt); err != nil {
		v.AddError(err)
	}
	return v.Err()
}

// decodeStrict decodes into the raw struct of an UnmarshalJSON method; a type error names the
// field as the caller sent it, not by the path through the embedded struct.
func decodeStrict(b []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		typ.Field = strings.TrimPrefix(typ.Field, "plain.")
	}
	return err
}

// parseTime reads an RFC 3339 time with its zone; null or absent is nil.
func parseTime(field string, raw json.RawMessage) (*time.Time, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var t time.Time
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, models.Invalid(field, "must be a date and time with its zone offset, such as 2026-03-03T09:00:00+07:00",
			"phải là ngày giờ kèm múi giờ, ví dụ 2026-03-03T09:00:00+07:00")
	}
	return &t, nil
}
