package photos

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
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
	clean, err := s.Strip(r)
	if err != nil {
		return nil, err
	}
	return s.Put(bytes.NewReader(clean))
}

// Strip checks a photo as Put does and answers it decoded and encoded again, without storing
// it: a caller that must check more before it keeps the photo stores these bytes with Put
// later (their SHA-256 is the name the photo will have).
func (s *Store) Strip(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, s.maxBytes()+1))
	if err != nil {
		return nil, fmt.Errorf("photos: read upload: %w", err)
	}
	return s.strip(data)
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
	// The orientation goes with the EXIF block: the pixels are turned as the phone meant them.
	img = orient(img, orientation(info.ContentType, data))
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

// tagOrientation is the TIFF tag of how the camera was held (1 to 8, 1 upright).
const tagOrientation = 0x0112

// orientation reads the EXIF orientation of a photo: 1 when there is none or it makes no sense.
func orientation(contentType string, b []byte) int {
	var raw []byte
	if contentType == ContentTypePNG {
		raw = pngExif(b)
	} else {
		raw = jpegExif(b)
	}
	if len(raw) < 8 {
		return 1
	}
	var t tiff
	switch {
	case raw[0] == 'I' && raw[1] == 'I':
		t = tiff{raw, binary.LittleEndian}
	case raw[0] == 'M' && raw[1] == 'M':
		t = tiff{raw, binary.BigEndian}
	default:
		return 1
	}
	e, ok := find(t.ifd(t.bo.Uint32(raw[4:])), tagOrientation)
	if !ok || e.typ != 3 || e.count != 1 {
		return 1
	}
	if o := int(t.bo.Uint16(t.b[e.at+8:])); o >= 1 && o <= 8 {
		return o
	}
	return 1
}

// orient turns and mirrors img from EXIF orientation o to upright.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			si, di := src.PixOffset(sx, sy), dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}
