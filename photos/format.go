package photos

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"kiemtra/models"
)

// Content types of the photos the store accepts.
const (
	ContentTypeJPEG = "image/jpeg"
	ContentTypePNG  = "image/png"
)

// field is the input name that photo errors point at.
const field = "photo"

var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// sniff returns the content type of b from its first bytes, or an unsupported_media error that
// names what the file is when it is a known image or document format other than JPEG or PNG.
func sniff(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, jpegMagic):
		return ContentTypeJPEG, nil
	case bytes.HasPrefix(b, pngMagic):
		return ContentTypePNG, nil
	}
	switch kind := otherKind(b); kind {
	case "":
		return "", unsupported(models.NewError(models.EUNSUPPORTEDTYPE,
			"the file is not a JPEG or PNG photo: only JPEG or PNG photos are accepted",
			"Tệp không phải ảnh JPEG hoặc PNG: chỉ nhận ảnh JPEG hoặc PNG"))
	case "HEIC":
		// iPhones by default, and some Android phones, save HEIC; the fix is on the phone.
		return "", unsupported(models.NewError(models.EUNSUPPORTEDTYPE,
			"HEIC photos are not accepted, only JPEG or PNG: in the camera settings choose JPEG "+
				"(on iPhone: Camera > Formats > \"Most Compatible\") and upload the photo again",
			"Không nhận ảnh HEIC, chỉ nhận JPEG hoặc PNG: trong cài đặt máy ảnh hãy chọn JPEG "+
				"(trên iPhone: Camera > Định dạng > \"Tương thích nhất\") rồi tải ảnh lên lại"))
	case "video":
		return "", unsupported(models.NewError(models.EUNSUPPORTEDTYPE,
			"videos are not accepted: only JPEG or PNG photos",
			"Không nhận video: chỉ nhận ảnh JPEG hoặc PNG"))
	default:
		return "", unsupported(models.NewError(models.EUNSUPPORTEDTYPE,
			"%s files are not accepted: only JPEG or PNG photos",
			"Không nhận tệp %s: chỉ nhận ảnh JPEG hoặc PNG", kind))
	}
}

func unsupported(e *models.Error) *models.Error {
	e.Field = field
	return e
}

// otherKind names the format of b when it is one that people upload by mistake instead of a
// JPEG or PNG, or returns "" when it is not recognised.
func otherKind(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "GIF"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "WebP"
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "PDF"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "TIFF"
	case len(b) >= 12 && bytes.Equal(b[4:8], []byte("ftyp")):
		return isoBrand(b)
	}
	return ""
}

// isoBrand classifies an ISO base media file (HEIC, AVIF, MP4, MOV) by the brands of its ftyp
// box: HEIC, AVIF or video.
func isoBrand(b []byte) string {
	size := int(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	if size < 16 || size > len(b) {
		size = min(len(b), 16) // look at the major brand only
	}
	// Major brand at 8, minor version at 12, compatible brands from 16.
	brands := [][]byte{b[8:12]}
	for i := 16; i+4 <= size && len(brands) < 64; i += 4 {
		brands = append(brands, b[i:i+4])
	}
	kind := "video"
	for _, br := range brands {
		switch string(br) {
		case "avif", "avis":
			kind = "AVIF"
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "mif2":
			return "HEIC"
		}
	}
	return kind
}

// decodeConfig reads the image header with the decoder of the sniffed type. It calls the JPEG
// or PNG decoder directly rather than image.DecodeConfig, so that a format another package
// registers (GIF, WebP) can never slip through.
func decodeConfig(contentType string, r io.Reader) (image.Config, error) {
	if contentType == ContentTypePNG {
		return png.DecodeConfig(r)
	}
	return jpeg.DecodeConfig(r)
}

// decode decodes the whole image, which is the only way to know that it is not truncated or
// corrupt past its header.
func decode(contentType string, b []byte) error {
	var err error
	if contentType == ContentTypePNG {
		_, err = png.Decode(bytes.NewReader(b))
	} else {
		_, err = jpeg.Decode(bytes.NewReader(b))
	}
	return err
}

// errDamaged is returned for a JPEG or PNG that does not decode.
func errDamaged() *models.Error {
	return models.Invalid(field,
		"the photo is damaged or incomplete (the upload may have been cut off): take or upload it again",
		"Ảnh bị hỏng hoặc không đầy đủ (có thể do tải lên bị gián đoạn): hãy chụp hoặc tải ảnh lên lại")
}
