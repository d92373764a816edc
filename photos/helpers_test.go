package photos

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"path/filepath"
	"testing"

	"kiemtra/models"
)

// newTestStore returns a store over a fresh temporary directory.
func newTestStore(tb testing.TB) *Store {
	tb.Helper()
	s, err := NewStore(filepath.Join(tb.TempDir(), "photos"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// testImage is a small picture with some detail, so that encoders produce real scan data.
func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), uint8(x * y), 255})
		}
	}
	return img
}

// mustJPEG encodes a w×h JPEG.
func mustJPEG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(w, h), &jpeg.Options{Quality: 80}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// mustPNG encodes a w×h PNG.
func mustPNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(w, h)); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// withJPEGExif returns a copy of a JPEG with an APP1 EXIF segment holding tiff right after SOI,
// where phones write it.
func withJPEGExif(tb testing.TB, jpg, tiff []byte) []byte {
	tb.Helper()
	payload := append([]byte("Exif\x00\x00"), tiff...)
	if len(payload)+2 > 0xFFFF {
		tb.Fatal("EXIF block too large for one segment")
	}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1, byte((len(payload)+2)>>8), byte(len(payload)+2))
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// pngChunk encodes one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// withPNGChunk returns a copy of a PNG with a chunk inserted after IHDR.
func withPNGChunk(p []byte, typ string, data []byte) []byte {
	const afterIHDR = 8 + 8 + 13 + 4
	out := append([]byte{}, p[:afterIHDR]...)
	out = append(out, pngChunk(typ, data)...)
	return append(out, p[afterIHDR:]...)
}

// byteOrder is binary.LittleEndian or binary.BigEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tiffEntry is one IFD entry for tiffBuilder; data holds the values in the builder's byte order.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

// tiffBuilder writes EXIF TIFF blocks by hand: sub-IFDs first, then IFD0 pointing at them.
type tiffBuilder struct {
	bo byteOrder
	b  []byte
}

func newTIFF(bo byteOrder) *tiffBuilder {
	t := &tiffBuilder{bo: bo}
	if bo == binary.LittleEndian {
		t.b = []byte("II")
	} else {
		t.b = []byte("MM")
	}
	t.b = bo.AppendUint16(t.b, 42)
	t.b = bo.AppendUint32(t.b, 0) // IFD0 offset, set by finish
	return t
}

// ifd appends an IFD and the values that do not fit in its entries, and returns its offset.
func (t *tiffBuilder) ifd(entries ...tiffEntry) uint32 {
	off := len(t.b)
	dataAt := off + 2 + 12*len(entries) + 4
	var extra []byte
	t.b = t.bo.AppendUint16(t.b, uint16(len(entries)))
	for _, e := range entries {
		t.b = t.bo.AppendUint16(t.b, e.tag)
		t.b = t.bo.AppendUint16(t.b, e.typ)
		t.b = t.bo.AppendUint32(t.b, e.count)
		if len(e.data) <= 4 {
			t.b = append(t.b, append(e.data, make([]byte, 4-len(e.data))...)...)
			continue
		}
		t.b = t.bo.AppendUint32(t.b, uint32(dataAt+len(extra)))
		extra = append(extra, e.data...)
		if len(extra)%2 == 1 {
			extra = append(extra, 0)
		}
	}
	t.b = t.bo.AppendUint32(t.b, 0) // no next IFD
	t.b = append(t.b, extra...)
	return uint32(off)
}

// finish makes the IFD at off IFD0 and returns the block.
func (t *tiffBuilder) finish(ifd0 uint32) []byte {
	t.bo.PutUint32(t.b[4:], ifd0)
	return t.b
}

func asciiEntry(tag uint16, s string) tiffEntry {
	return tiffEntry{tag: tag, typ: typeASCII, count: uint32(len(s) + 1), data: append([]byte(s), 0)}
}

func (t *tiffBuilder) rationals(tag uint16, vs ...[2]uint32) tiffEntry {
	var data []byte
	for _, v := range vs {
		data = t.bo.AppendUint32(data, v[0])
		data = t.bo.AppendUint32(data, v[1])
	}
	return tiffEntry{tag: tag, typ: typeRational, count: uint32(len(vs)), data: data}
}

func (t *tiffBuilder) long(tag uint16, v uint32) tiffEntry {
	return tiffEntry{tag: tag, typ: typeLong, count: 1, data: t.bo.AppendUint32(nil, v)}
}

// exifSpec is what a phone writes, for phoneExif.
type exifSpec struct {
	latRef, lonRef string
	lat, lon       [][2]uint32
	taken, offset  string // DateTimeOriginal, OffsetTimeOriginal; "" leaves them out
}

// phoneExif builds the EXIF block a phone writes: IFD0 pointing at an Exif IFD and a GPS IFD.
func phoneExif(bo byteOrder, x exifSpec) []byte {
	t := newTIFF(bo)
	var gps []tiffEntry
	if x.latRef != "" {
		gps = append(gps, asciiEntry(tagGPSLatitudeRef, x.latRef))
	}
	if x.lat != nil {
		gps = append(gps, t.rationals(tagGPSLatitude, x.lat...))
	}
	if x.lonRef != "" {
		gps = append(gps, asciiEntry(tagGPSLongitudeRef, x.lonRef))
	}
	if x.lon != nil {
		gps = append(gps, t.rationals(tagGPSLongitude, x.lon...))
	}
	gpsOff := t.ifd(gps...)
	var ex []tiffEntry
	if x.taken != "" {
		ex = append(ex, asciiEntry(tagDateTimeOriginal, x.taken))
	}
	if x.offset != "" {
		ex = append(ex, asciiEntry(tagOffsetTimeOriginal, x.offset))
	}
	exifOff := t.ifd(ex...)
	ifd0 := t.ifd(
		asciiEntry(0x010F, "Xiaomi"), // Make, so IFD0 is not only pointers
		t.long(tagExifIFD, exifOff),
		t.long(tagGPSIFD, gpsOff),
	)
	return t.finish(ifd0)
}

// cantho is where the test photos are taken: 10°2'2.76" N, 105°47'16.8" E, which is
// 10.0341, 105.7880.
var cantho = exifSpec{
	latRef: "N", lat: [][2]uint32{{10, 1}, {2, 1}, {276, 100}},
	lonRef: "E", lon: [][2]uint32{{105, 1}, {47, 1}, {168, 10}},
	taken: "2025:03:14 09:26:53",
}

// wantCode fails unless err is a *models.Error with the code.
func wantCode(tb testing.TB, err error, code string) *models.Error {
	tb.Helper()
	e := models.ErrorAs(err)
	if e == nil {
		tb.Fatalf("error = %v (%T), want a *models.Error with code %s", err, err, code)
	}
	if e.Code != code {
		tb.Fatalf("code = %s (%v), want %s", e.Code, err, code)
	}
	if e.Message == "" || e.MessageVI == "" {
		tb.Fatalf("error %v has no English or no Vietnamese message", err)
	}
	return e
}

// storedFiles lists every file under the store's directory, temporary ones included.
func storedFiles(tb testing.TB, s *Store) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(s.Dir(), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}
