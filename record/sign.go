package record

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"strings"

	"kiemtra/models"
)

// Input is what a phone sends for the record of one inspection version, with the signatures as
// base64 PNG (decoded by validate, which names the field of bad base64). It is queued and retried like the inspection: the same body again is
// the stored record.
type Input struct {
	InspectionID            string `json:"inspection_id"`
	RepresentativeName      string `json:"representative_name"`
	RepresentativeRole      string `json:"representative_role"`
	Statement               string `json:"statement"`
	Refused                 bool   `json:"refused"`
	RefusalNote             string `json:"refusal_note"`
	InspectorSignature      string `json:"inspector_signature"`
	RepresentativeSignature string `json:"representative_signature"`

	inspector, representative []byte // the signatures decoded
}

func (in *Input) hash() string {
	b, _ := json.Marshal(in)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// validate checks what needs nothing stored.
func (in *Input) validate() error {
	var v models.Validation
	if in.InspectionID == "" {
		v.Add("inspection_id", "is required", "không được để trống")
	}
	text := func(field, s string, max int, required bool) {
		switch {
		case required && strings.TrimSpace(s) == "":
			v.Add(field, "is required", "không được để trống")
		case len([]rune(s)) > max:
			v.Add(field, "is longer than %d characters", "dài quá %d ký tự", max)
		}
	}
	text("representative_name", in.RepresentativeName, 200, true)
	text("representative_role", in.RepresentativeRole, 200, false)
	text("statement", in.Statement, 4000, false)
	text("refusal_note", in.RefusalNote, 1000, in.Refused)
	decode := func(field, b64 string) []byte {
		b, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			v.Add(field, "is not base64", "không phải dữ liệu base64")
			return nil
		}
		return b
	}
	in.inspector, in.representative = decode("inspector_signature", in.InspectorSignature), decode("representative_signature", in.RepresentativeSignature)
	if in.InspectorSignature == "" {
		v.Add("inspector_signature", "is required", "không được để trống")
	} else if in.inspector != nil {
		checkSignature(&v, "inspector_signature", in.inspector)
	}
	switch {
	case in.Refused && in.RepresentativeSignature != "":
		v.Add("representative_signature", "must be empty when the representative refused to sign", "phải để trống khi người đại diện từ chối ký")
	case !in.Refused && in.RepresentativeSignature == "":
		v.Add("representative_signature", "is required unless the representative refused to sign", "là bắt buộc, trừ khi người đại diện từ chối ký")
	case !in.Refused && in.representative != nil:
		checkSignature(&v, "representative_signature", in.representative)
	}
	return v.Err()
}

// checkSignature accepts a PNG of a plausible size with some ink on it: a blank canvas is not
// a signature.
func checkSignature(v *models.Validation, field string, b []byte) {
	if len(b) > models.MaxSignatureBytes {
		v.Add(field, "is larger than %d KB", "lớn hơn %d KB", models.MaxSignatureBytes>>10)
		return
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		v.Add(field, "is not a PNG image", "không phải ảnh PNG")
		return
	}
	if cfg.Width < models.MinSignatureWidth || cfg.Height < models.MinSignatureHeight || cfg.Width > models.MaxSignatureWidth || cfg.Height > models.MaxSignatureHeight {
		v.Add(field, "must be between %d×%d and %d×%d pixels", "phải có kích thước từ %d×%d đến %d×%d điểm ảnh",
			models.MinSignatureWidth, models.MinSignatureHeight, models.MaxSignatureWidth, models.MaxSignatureHeight)
		return
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		v.Add(field, "is not a PNG image", "không phải ảnh PNG")
		return
	}
	if !inked(img) {
		v.Add(field, "has no signature stroke on it", "không có nét chữ ký")
	}
}

// inked reports whether an image looks like strokes on a canvas: some dark, opaque pixels, but
// not most of them (a filled rectangle or a photo is not a signature).
func inked(img image.Image) bool {
	r := img.Bounds()
	ink := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			if ca > 0x8000 && (cr+cg+cb)/3 < 0x8000 {
				ink++
			}
		}
	}
	return ink >= 10 && ink*2 < r.Dx()*r.Dy()
}

// nonEmpty keeps a refused record's missing signature NULL rather than empty bytes.
func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func sum(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Caller is the team member who sends the record.
type Caller struct {
	UserID   string
	Username string
	TeamID   string
}

// Sign stores the record of one inspection version. The first time it answers created true;
// the same body again answers the stored record; any other body is refused naming the first
// field that differs, because a signed record never changes: an amendment of the inspection
// makes a new version with a record of its own.
func (s *Service) Sign(ctx context.Context, c Caller, in Input) (*models.InspectionRecord, bool, error) {
	if err := in.validate(); err != nil {
		return nil, false, err
	}
	return s.sign(ctx, c, in, true)
}

func (s *Service) sign(ctx context.Context, c Caller, in Input, retry bool) (*models.InspectionRecord, bool, error) {
	insp, err := s.store.FindInspectionByID(ctx, in.InspectionID)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, false, models.NotFound("inspection_id", "inspection not found", "không tìm thấy kết quả kiểm tra")
	}
	if err != nil {
		return nil, false, err
	}
	if insp.TeamID == nil || *insp.TeamID != c.TeamID {
		return nil, false, models.NewError(models.EFORBIDDEN, "only the team that made the inspection signs its record", "chỉ tổ đã kiểm tra mới được ký biên bản")
	}
	hash := in.hash()
	if prev, err := s.store.FindInspectionRecord(ctx, insp.ID); err == nil {
		if prev.BodySHA256 == hash {
			return prev, false, nil
		}
		return nil, false, signedError(prev, &in)
	} else if !models.IsCode(err, models.ENOTFOUND) {
		return nil, false, err
	}
	rec := &models.InspectionRecord{InspectionID: insp.ID, RepresentativeName: strings.TrimSpace(in.RepresentativeName), RepresentativeRole: strings.TrimSpace(in.RepresentativeRole),
		Statement: strings.TrimSpace(in.Statement), Refused: in.Refused, RefusalNote: strings.TrimSpace(in.RefusalNote),
		InspectorSignature: in.inspector, InspectorSignatureSHA256: sum(in.inspector),
		RepresentativeSignature: nonEmpty(in.representative), RepresentativeSignatureSHA256: sum(in.representative),
		BodySHA256: hash, CreatedBy: c.Username}
	signer, err := s.store.FindUserByID(ctx, c.UserID)
	if err != nil {
		return nil, false, err
	}
	doc, err := s.doc(ctx, insp, rec, signer)
	if err != nil {
		return nil, false, err
	}
	var content []byte
	if rec.RecordSHA256, content, err = doc.Hash(); err != nil {
		return nil, false, err
	}
	rec.Content = string(content)
	if err := s.store.CreateInspectionRecord(ctx, c.Username, rec); err != nil {
		if models.IsCode(err, models.ECONFLICT) && retry {
			// A copy of this request raced with it: answer as a retry would.
			return s.sign(ctx, c, in, false)
		}
		return nil, false, err
	}
	return rec, true, nil
}

// signedError names the first field of in that differs from the stored record.
func signedError(prev *models.InspectionRecord, in *Input) error {
	field := "inspection_id"
	switch {
	case sum(in.inspector) != prev.InspectorSignatureSHA256:
		field = "inspector_signature"
	case sum(in.representative) != prev.RepresentativeSignatureSHA256:
		field = "representative_signature"
	case in.Refused != prev.Refused:
		field = "refused"
	case strings.TrimSpace(in.RepresentativeName) != prev.RepresentativeName:
		field = "representative_name"
	case strings.TrimSpace(in.RepresentativeRole) != prev.RepresentativeRole:
		field = "representative_role"
	case strings.TrimSpace(in.Statement) != prev.Statement:
		field = "statement"
	case strings.TrimSpace(in.RefusalNote) != prev.RefusalNote:
		field = "refusal_note"
	}
	return models.Invalid(field, "the record of inspection %s is signed and cannot be changed: amend the inspection to make a new version of the record",
		"biên bản của kết quả %s đã ký, không sửa được: hãy gửi bản sửa đổi kết quả để lập biên bản mới", prev.InspectionID)
}
