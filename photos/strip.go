package photos

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// PutStripped checks that r holds one JPEG or PNG photo, as Put does, and stores it decoded and
// encoded again, so that nothing but the pixels is kept: no EXIF (the GPS position and the time
// a phone writes), no XMP, no comments, no colour profile. It is for photos whose senders must
// not be found by them, such as the public's tips. The Info describes the stored photo (no
// position, no time).
func (s *Store) PutStripped(r io.Reader) (*Info, error) {
	data, err := io.ReadAll(io.LimitReader(r, s.maxBytes()+1))
	if err != nil {
		return nil, fmt.Errorf("photos: read upload: %w", err)
	}
	clean, err := s.strip(data)
	if err != nil {
		return nil, err
	}
	return s.Put(bytes.NewReader(clean))
}

// strip re-encodes a checked photo: JPEG at quality 90, PNG losslessly.
func (s *Store) strip(data []byte) ([]byte, error) {
	info, err := s.check(data) // size, type and pixel count before the whole image is decoded
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, errDamaged()
	}
	var out bytes.Buffer
	if info.ContentType == ContentTypePNG {
		err = png.Encode(&out, img)
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		return nil, fmt.Errorf("photos: encode: %w", err)
	}
	return out.Bytes(), nil
}
