package photos

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"io"
	"math"
	"testing"
	"time"

	"kiemtra/models"
)

// FuzzPut feeds Put arbitrary uploads. Put must not panic, must refuse with an application
// error, and whatever it accepts must decode as the image it described and read back whole.
func FuzzPut(f *testing.F) {
	f.Add(withJPEGExif(f, mustJPEG(f, 16, 12), phoneExif(binary.BigEndian, cantho)))
	f.Add(withPNGChunk(mustPNG(f, 6, 4), "eXIf", phoneExif(binary.LittleEndian, cantho)))
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00II*\x00\x08\x00\x00\x00"))
	s := newTestStore(f)
	// Small limits keep each run fast and a hostile header from allocating much.
	s.MaxBytes = 1 << 20
	s.MaxPixels = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := s.Put(bytes.NewReader(data))
		if err != nil {
			if info != nil {
				t.Fatal("Put returned an Info with an error")
			}
			switch models.ErrorCode(err) {
			case models.EINVALID, models.EUNSUPPORTEDTYPE, models.ETOOLARGE:
			default:
				t.Fatalf("Put refused with %v, want invalid, unsupported_media or too_large", err)
			}
			return
		}
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Put accepted an image that does not decode: %v", err)
		}
		if "image/"+format != info.ContentType {
			t.Fatalf("Put said %s, the decoder says %s", info.ContentType, format)
		}
		if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
			t.Fatalf("Put said %d×%d, the image is %v", info.Width, info.Height, b)
		}
		sum := sha256.Sum256(data)
		if info.SHA256 != hex.EncodeToString(sum[:]) || info.Size != int64(len(data)) {
			t.Fatalf("info = %+v does not describe the upload", info)
		}
		if (info.Lat == nil) != (info.Lon == nil) {
			t.Fatalf("half a position: %+v", info)
		}
		if info.Lat != nil && (math.IsNaN(*info.Lat) || math.Abs(*info.Lat) > 90 || math.IsNaN(*info.Lon) || math.Abs(*info.Lon) > 180) {
			t.Fatalf("position out of range: %v, %v", *info.Lat, *info.Lon)
		}
		r, _, err := s.Open(info.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		stored, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(stored, data) {
			t.Fatalf("the stored photo differs from the upload (%v)", err)
		}
	})
}

// FuzzParseTIFF feeds the EXIF parser arbitrary blocks directly, which reaches it far more often
// than mutated photos do.
func FuzzParseTIFF(f *testing.F) {
	f.Add(phoneExif(binary.LittleEndian, withOffset(cantho, "+07:00")))
	f.Add(phoneExif(binary.BigEndian, cantho))
	for _, b := range hostileExif() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x := parseTIFF(b, time.UTC)
		if (x.lat == nil) != (x.lon == nil) {
			t.Fatal("half a position")
		}
		if x.lat != nil && (math.IsNaN(*x.lat) || math.Abs(*x.lat) > 90 || math.IsNaN(*x.lon) || math.Abs(*x.lon) > 180) {
			t.Fatalf("position out of range: %v, %v", *x.lat, *x.lon)
		}
	})
}
