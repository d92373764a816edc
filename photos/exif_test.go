package photos

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
	"time"
)

func TestPutReadsEXIFPositionAndTime(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	taken := time.Date(2025, 3, 14, 9, 26, 53, 0, ict)
	with := func(f func(*exifSpec)) exifSpec {
		x := cantho
		f(&x)
		return x
	}
	tests := []struct {
		name     string
		bo       byteOrder
		x        exifSpec
		lat, lon float64 // NaN: no position
		taken    time.Time
	}{
		{"a little-endian block gives 10.0341 N, 105.7880 E", binary.LittleEndian, cantho, 10.0341, 105.7880, taken},
		{"a big-endian block gives the same position", binary.BigEndian, cantho, 10.0341, 105.7880, taken},
		{"south and west give negative coordinates", binary.LittleEndian,
			with(func(x *exifSpec) { x.latRef, x.lonRef = "S", "W" }), -10.0341, -105.7880, taken},
		{"decimal minutes, as some phones write them, give the same position", binary.BigEndian,
			with(func(x *exifSpec) {
				x.lat = [][2]uint32{{10, 1}, {20460, 10000}, {0, 1}}
				x.lon = [][2]uint32{{105, 1}, {472800, 10000}, {0, 0}}
			}), 10.0341, 105.7880, taken},
		{"OffsetTimeOriginal gives the zone of the time", binary.LittleEndian,
			with(func(x *exifSpec) { x.offset = "+09:00" }), 10.0341, 105.7880,
			time.Date(2025, 3, 14, 9, 26, 53, 0, time.FixedZone("", 9*3600))},
		{"a malformed OffsetTimeOriginal falls back to Vietnamese time", binary.LittleEndian,
			with(func(x *exifSpec) { x.offset = "+7" }), 10.0341, 105.7880, taken},
		{"a block without GPS tags gives no position but keeps the time", binary.LittleEndian,
			with(func(x *exifSpec) { x.latRef, x.lonRef, x.lat, x.lon = "", "", nil, nil }), math.NaN(), 0, taken},
		{"0, 0 means the phone had no fix", binary.LittleEndian,
			with(func(x *exifSpec) {
				x.lat = [][2]uint32{{0, 1}, {0, 1}, {0, 1}}
				x.lon = [][2]uint32{{0, 1}, {0, 1}, {0, 1}}
			}), math.NaN(), 0, taken},
		{"a latitude over 90 degrees gives no position", binary.LittleEndian,
			with(func(x *exifSpec) { x.lat = [][2]uint32{{91, 1}, {0, 1}, {0, 1}} }), math.NaN(), 0, taken},
		{"a missing reference gives no position", binary.LittleEndian,
			with(func(x *exifSpec) { x.lonRef = "" }), math.NaN(), 0, taken},
		{"an unknown reference gives no position", binary.LittleEndian,
			with(func(x *exifSpec) { x.latRef = "E" }), math.NaN(), 0, taken},
		{"a zero denominator gives no position", binary.BigEndian,
			with(func(x *exifSpec) { x.lat = [][2]uint32{{10, 0}, {2, 1}, {276, 100}} }), math.NaN(), 0, taken},
		{"a blank DateTimeOriginal gives no time", binary.LittleEndian,
			with(func(x *exifSpec) { x.taken = "    :  :     :  :  " }), 10.0341, 105.7880, time.Time{}},
		{"a zero DateTimeOriginal gives no time", binary.LittleEndian,
			with(func(x *exifSpec) { x.taken = "0000:00:00 00:00:00" }), 10.0341, 105.7880, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tiff := phoneExif(tt.bo, tt.x)
			for _, photo := range []struct {
				kind string
				data []byte
			}{
				{"JPEG", withJPEGExif(t, mustJPEG(t, 24, 16), tiff)},
				{"PNG", withPNGChunk(mustPNG(t, 24, 16), "eXIf", tiff)},
			} {
				s := newTestStore(t)
				info, err := s.Put(bytes.NewReader(photo.data))
				if err != nil {
					t.Fatalf("%s: %v", photo.kind, err)
				}
				checkExif(t, photo.kind+" Put", info, tt.lat, tt.lon, tt.taken)
				f, opened, err := s.Open(info.SHA256)
				if err != nil {
					t.Fatal(err)
				}
				f.Close()
				checkExif(t, photo.kind+" Open", opened, tt.lat, tt.lon, tt.taken)
			}
		})
	}
}

func checkExif(t *testing.T, what string, info *Info, lat, lon float64, taken time.Time) {
	t.Helper()
	switch {
	case math.IsNaN(lat):
		if info.Lat != nil || info.Lon != nil {
			t.Fatalf("%s: position %v, %v, want none", what, *info.Lat, *info.Lon)
		}
	case info.Lat == nil || info.Lon == nil:
		t.Fatalf("%s: no position, want %v, %v", what, lat, lon)
	case math.Abs(*info.Lat-lat) > 1e-9 || math.Abs(*info.Lon-lon) > 1e-9:
		t.Fatalf("%s: position %v, %v, want %v, %v", what, *info.Lat, *info.Lon, lat, lon)
	}
	switch {
	case taken.IsZero():
		if info.TakenAt != nil {
			t.Fatalf("%s: taken at %v, want none", what, info.TakenAt)
		}
	case info.TakenAt == nil:
		t.Fatalf("%s: no time, want %v", what, taken)
	case !info.TakenAt.Equal(taken):
		t.Fatalf("%s: taken at %v, want %v", what, info.TakenAt, taken)
	}
	if !taken.IsZero() {
		_, want := taken.Zone()
		if _, got := info.TakenAt.Zone(); got != want {
			t.Fatalf("%s: taken at %v, want the offset of %v", what, info.TakenAt, taken)
		}
	}
}

func TestStoreLocationReadsTimesWithoutOffset(t *testing.T) {
	s := newTestStore(t)
	s.Location = time.UTC
	info, err := s.Put(bytes.NewReader(withJPEGExif(t, mustJPEG(t, 8, 8), phoneExif(binary.LittleEndian, cantho))))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC); info.TakenAt == nil || !info.TakenAt.Equal(want) {
		t.Fatalf("taken at %v, want %v", info.TakenAt, want)
	}
}

// hostileExif returns EXIF blocks that lie about their structure.
func hostileExif() map[string][]byte {
	le := binary.LittleEndian
	blocks := map[string][]byte{
		"an empty block is ignored":                    {},
		"a block of only a byte order is ignored":      []byte("II"),
		"a block with a wrong magic number is ignored": []byte("II\x2B\x00\x08\x00\x00\x00"),
		"an IFD0 offset past the end is ignored":       []byte("II*\x00\xFF\xFF\xFF\xFF"),
		"an IFD0 offset near the end is ignored":       []byte("MM\x00*\x00\x00\x00\x07\x00"),
		"an IFD0 claiming 65535 entries is read to the end of the block only": append(
			[]byte("MM\x00*\x00\x00\x00\x08\xFF\xFF"), bytes.Repeat([]byte{0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 8}, 40)...),
	}

	t := newTIFF(le)
	blocks["a GPS pointer past the end is ignored"] = t.finish(t.ifd(t.long(tagGPSIFD, 0xFFFFFFF0), t.long(tagExifIFD, 0xFFFFFFFF)))

	t = newTIFF(le)
	gps := t.ifd(
		asciiEntry(tagGPSLatitudeRef, "N"),
		tiffEntry{tag: tagGPSLatitude, typ: typeRational, count: 3, data: le.AppendUint32(nil, 0xFFFFFFF8)},
		asciiEntry(tagGPSLongitudeRef, "E"),
		tiffEntry{tag: tagGPSLongitude, typ: typeRational, count: 3, data: le.AppendUint32(nil, 8)},
	)
	blocks["rationals past the end are ignored"] = t.finish(t.ifd(t.long(tagGPSIFD, gps)))

	t = newTIFF(le)
	gps = t.ifd(
		asciiEntry(tagGPSLatitudeRef, "N"),
		tiffEntry{tag: tagGPSLatitude, typ: typeRational, count: 0xFFFFFFFF, data: le.AppendUint32(nil, 8)},
		asciiEntry(tagGPSLongitudeRef, "E"),
		tiffEntry{tag: tagGPSLongitude, typ: typeRational, count: 0x20000000, data: le.AppendUint32(nil, 8)},
	)
	blocks["huge value counts are ignored"] = t.finish(t.ifd(t.long(tagGPSIFD, gps)))

	t = newTIFF(le)
	gps = t.ifd(
		tiffEntry{tag: tagGPSLatitudeRef, typ: typeASCII, count: 0xFFFFFFFF, data: le.AppendUint32(nil, 0)},
		t.rationals(tagGPSLatitude, [2]uint32{10, 1}, [2]uint32{2, 1}, [2]uint32{276, 100}),
		tiffEntry{tag: tagGPSLongitudeRef, typ: typeRational, count: 1, data: le.AppendUint32(nil, 8)},
		t.rationals(tagGPSLongitude, [2]uint32{105, 1}, [2]uint32{47, 1}, [2]uint32{168, 10}),
	)
	blocks["references of the wrong type or size are ignored"] = t.finish(t.ifd(t.long(tagGPSIFD, gps)))

	t = newTIFF(le)
	gps = t.ifd(
		asciiEntry(tagGPSLatitudeRef, "N"),
		t.rationals(tagGPSLatitude, [2]uint32{0xFFFFFFFF, 1}),
		asciiEntry(tagGPSLongitudeRef, "E"),
		t.rationals(tagGPSLongitude, [2]uint32{0xFFFFFFFF, 1}, [2]uint32{0xFFFFFFFF, 1}, [2]uint32{0xFFFFFFFF, 1}),
	)
	blocks["absurd coordinates are ignored"] = t.finish(t.ifd(t.long(tagGPSIFD, gps)))

	// IFD0 at 8 points at itself as its GPS and Exif IFDs: a loop for a parser that follows
	// pointers recursively.
	loop := []byte("II*\x00\x08\x00\x00\x00")
	loop = le.AppendUint16(loop, 2)
	loop = append(loop, t.long(tagGPSIFD, 8).bytes(le)...)
	loop = append(loop, t.long(tagExifIFD, 8).bytes(le)...)
	loop = le.AppendUint32(loop, 8) // next IFD: itself again
	blocks["IFDs that point at themselves are read once"] = loop

	t = newTIFF(le)
	blocks["pointers of the wrong type are ignored"] = t.finish(t.ifd(
		tiffEntry{tag: tagGPSIFD, typ: typeASCII, count: 4, data: le.AppendUint32(nil, 8)},
		tiffEntry{tag: tagExifIFD, typ: typeLong, count: 2, data: le.AppendUint32(nil, 8)},
	))
	return blocks
}

// bytes encodes an entry whose value fits inline.
func (e tiffEntry) bytes(bo byteOrder) []byte {
	b := bo.AppendUint16(nil, e.tag)
	b = bo.AppendUint16(b, e.typ)
	b = bo.AppendUint32(b, e.count)
	return append(b, append(e.data, make([]byte, 4-len(e.data))...)...)
}

func TestHostileEXIFIsIgnored(t *testing.T) {
	for name, block := range hostileExif() {
		t.Run(name, func(t *testing.T) {
			if x := parseTIFF(block, time.UTC); x.lat != nil || x.lon != nil || x.takenAt != nil {
				t.Fatalf("parsed %+v from a hostile block", x)
			}
			// The photo around it is still good: it is kept, without a position.
			if len(block)+8 > 0xFFFF {
				return
			}
			info, err := newTestStore(t).Put(bytes.NewReader(withJPEGExif(t, mustJPEG(t, 8, 8), block)))
			if err != nil {
				t.Fatal(err)
			}
			if info.Lat != nil || info.TakenAt != nil {
				t.Fatalf("info = %+v, want no position or time", info)
			}
		})
	}
}

func TestEveryPrefixOfAnEXIFBlockParsesWithoutPanic(t *testing.T) {
	for _, bo := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		block := phoneExif(bo, withOffset(cantho, "+07:00"))
		for n := range len(block) {
			x := parseTIFF(block[:n], time.UTC)
			if x.lat != nil && (*x.lat != *x.lat || *x.lon != *x.lon) {
				t.Fatalf("NaN position from %d bytes", n)
			}
		}
		if x := parseTIFF(block, time.UTC); x.lat == nil || x.takenAt == nil {
			t.Fatalf("the whole block gave %+v", x)
		}
	}
}

func withOffset(x exifSpec, offset string) exifSpec {
	x.offset = offset
	return x
}

func TestBrokenSegmentsHideNoEXIF(t *testing.T) {
	jpg := withJPEGExif(t, mustJPEG(t, 8, 8), phoneExif(binary.LittleEndian, cantho))
	for n := range len(jpg) {
		if tiff := jpegExif(jpg[:n]); tiff != nil && len(tiff) > n {
			t.Fatalf("jpegExif returned %d bytes from %d", len(tiff), n)
		}
	}
	long := append([]byte{}, jpg...)
	long[4], long[5] = 0xFF, 0xFF // APP1 length past the end of a short file
	if tiff := jpegExif(long[:200]); tiff != nil {
		t.Fatal("a segment longer than the file was read")
	}
	p := withPNGChunk(mustPNG(t, 8, 8), "eXIf", phoneExif(binary.BigEndian, cantho))
	for n := range len(p) {
		_ = pngExif(p[:n])
	}
	if pngExif(p) == nil {
		t.Fatal("the eXIf chunk was not found")
	}
}
