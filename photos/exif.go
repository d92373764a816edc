package photos

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"time"
)

// EXIF is read defensively: the bytes come from any phone or any attacker. Every offset is
// checked against the block, IFDs are read to a fixed number of entries, and only three IFDs are
// ever visited (IFD0, and the GPS and Exif IFDs it points to), so a block whose pointers loop
// cannot make the parser loop. Anything that does not make sense is ignored, never an error.

// TIFF tags kiemtra reads.
const (
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagGPSLatitudeRef     = 0x0001
	tagGPSLatitude        = 0x0002
	tagGPSLongitudeRef    = 0x0003
	tagGPSLongitude       = 0x0004
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
)

// TIFF field types kiemtra reads.
const (
	typeASCII     = 2
	typeLong      = 4
	typeRational  = 5
	typeSRational = 10
	typeIFD       = 13
)

// maxIFDEntries caps the entries read from one IFD; phones write a few dozen.
const maxIFDEntries = 512

// exifData is what the store keeps from a photo's EXIF block.
type exifData struct {
	lat, lon *float64
	takenAt  *time.Time
}

// readExif returns the position and time of a JPEG's or PNG's EXIF block; zero when there is none
// or it is broken. loc is the zone of a DateTimeOriginal written without OffsetTimeOriginal.
func readExif(contentType string, b []byte, loc *time.Location) exifData {
	var tiff []byte
	if contentType == ContentTypePNG {
		tiff = pngExif(b)
	} else {
		tiff = jpegExif(b)
	}
	if tiff == nil {
		return exifData{}
	}
	return parseTIFF(tiff, loc)
}

// jpegExif returns the TIFF bytes of the first APP1 "Exif\0\0" segment before the image data,
// or nil.
func jpegExif(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	i := 2
	for i+2 <= len(b) {
		if b[i] != 0xFF {
			return nil
		}
		m := b[i+1]
		if m == 0xFF { // fill byte before a marker
			i++
			continue
		}
		i += 2
		switch {
		case m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7): // markers without a length
			continue
		case m == 0xDA || m == 0xD9: // start of scan, end of image: no EXIF comes after
			return nil
		}
		if i+2 > len(b) {
			return nil
		}
		n := int(b[i])<<8 | int(b[i+1])
		if n < 2 || i+n > len(b) {
			return nil
		}
		seg := b[i+2 : i+n]
		if m == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		i += n
	}
	return nil
}

// pngExif returns the TIFF bytes of a PNG's eXIf chunk, or nil.
func pngExif(b []byte) []byte {
	if !bytes.HasPrefix(b, pngMagic) {
		return nil
	}
	i := 8
	for i+8 <= len(b) {
		n := uint64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		start := uint64(i + 8)
		end := start + n
		if end+4 > uint64(len(b)) {
			return nil
		}
		switch typ {
		case "eXIf":
			// Some writers keep the JPEG "Exif\0\0" prefix; the chunk should start at the TIFF header.
			return bytes.TrimPrefix(b[start:end], []byte("Exif\x00\x00"))
		case "IEND":
			return nil
		}
		i = int(end + 4)
	}
	return nil
}

// tiff is an EXIF block: a TIFF header and the IFDs it points to.
type tiff struct {
	b  []byte
	bo binary.ByteOrder
}

// ifdEntry is one 12-byte IFD entry; at is its offset in the block.
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	at       int
}

// parseTIFF reads the GPS position and the original date and time from an EXIF TIFF block.
func parseTIFF(b []byte, loc *time.Location) exifData {
	var t tiff
	switch {
	case len(b) < 8:
		return exifData{}
	case b[0] == 'I' && b[1] == 'I':
		t = tiff{b, binary.LittleEndian}
	case b[0] == 'M' && b[1] == 'M':
		t = tiff{b, binary.BigEndian}
	default:
		return exifData{}
	}
	if t.bo.Uint16(b[2:]) != 42 {
		return exifData{}
	}
	var gpsIFD, exifIFD []ifdEntry
	for _, e := range t.ifd(t.bo.Uint32(b[4:])) {
		switch e.tag {
		case tagGPSIFD:
			if off, ok := t.pointer(e); ok && gpsIFD == nil {
				gpsIFD = t.ifd(off)
			}
		case tagExifIFD:
			if off, ok := t.pointer(e); ok && exifIFD == nil {
				exifIFD = t.ifd(off)
			}
		}
	}
	var d exifData
	d.lat, d.lon = t.position(gpsIFD)
	d.takenAt = t.takenAt(exifIFD, loc)
	return d
}

// ifd returns the entries of the IFD at off, or nil when it lies outside the block.
func (t tiff) ifd(off uint32) []ifdEntry {
	if uint64(off)+2 > uint64(len(t.b)) {
		return nil
	}
	n := int(t.bo.Uint16(t.b[off:]))
	n = min(n, maxIFDEntries, (len(t.b)-int(off)-2)/12)
	entries := make([]ifdEntry, 0, n)
	for i := range n {
		at := int(off) + 2 + 12*i
		entries = append(entries, ifdEntry{
			tag:   t.bo.Uint16(t.b[at:]),
			typ:   t.bo.Uint16(t.b[at+2:]),
			count: t.bo.Uint32(t.b[at+4:]),
			at:    at,
		})
	}
	return entries
}

// typeSize is the size in bytes of one value of a TIFF field type, 0 for types kiemtra ignores.
func typeSize(typ uint16) uint64 {
	switch typ {
	case 1, 2, 6, 7: // BYTE, ASCII, SBYTE, UNDEFINED
		return 1
	case 3, 8: // SHORT, SSHORT
		return 2
	case 4, 9, 11, 13: // LONG, SLONG, FLOAT, IFD
		return 4
	case 5, 10, 12: // RATIONAL, SRATIONAL, DOUBLE
		return 8
	}
	return 0
}

// value returns the bytes of an entry's values: inline in the entry when they fit in four bytes,
// elsewhere in the block otherwise. It returns nil when they lie outside the block.
func (t tiff) value(e ifdEntry) []byte {
	size := typeSize(e.typ) * uint64(e.count)
	if size == 0 {
		return nil
	}
	if size <= 4 {
		return t.b[e.at+8 : e.at+8+int(size)]
	}
	off := uint64(t.bo.Uint32(t.b[e.at+8:]))
	if off+size > uint64(len(t.b)) {
		return nil
	}
	return t.b[off : off+size]
}

// pointer returns the offset an IFD pointer entry holds.
func (t tiff) pointer(e ifdEntry) (uint32, bool) {
	if (e.typ != typeLong && e.typ != typeIFD) || e.count != 1 {
		return 0, false
	}
	return t.bo.Uint32(t.b[e.at+8:]), true
}

// ascii returns an ASCII entry's text without its trailing NULs and spaces.
func (t tiff) ascii(e ifdEntry) string {
	if e.typ != typeASCII {
		return ""
	}
	return strings.TrimRight(string(t.value(e)), "\x00 ")
}

// find returns the first entry with the tag.
func find(entries []ifdEntry, tag uint16) (ifdEntry, bool) {
	for _, e := range entries {
		if e.tag == tag {
			return e, true
		}
	}
	return ifdEntry{}, false
}

// position returns the latitude and longitude of a GPS IFD, or nils when they are missing,
// malformed, out of range, or exactly 0, 0 (which phones write when they had no fix).
func (t tiff) position(gps []ifdEntry) (*float64, *float64) {
	lat, ok1 := t.coordinate(gps, tagGPSLatitude, tagGPSLatitudeRef, "N", "S", 90)
	lon, ok2 := t.coordinate(gps, tagGPSLongitude, tagGPSLongitudeRef, "E", "W", 180)
	if !ok1 || !ok2 || (lat == 0 && lon == 0) {
		return nil, nil
	}
	return &lat, &lon
}

// coordinate reads one degrees, minutes, seconds coordinate and its reference; the reference
// must be pos or neg, and the absolute value at most limit.
func (t tiff) coordinate(gps []ifdEntry, tag, refTag uint16, pos, neg string, limit float64) (float64, bool) {
	e, ok := find(gps, tag)
	if !ok {
		return 0, false
	}
	re, ok := find(gps, refTag)
	if !ok {
		return 0, false
	}
	sign := 1.0
	switch strings.ToUpper(t.ascii(re)) {
	case pos:
	case neg:
		sign = -1
	default:
		return 0, false
	}
	if (e.typ != typeRational && e.typ != typeSRational) || e.count == 0 || e.count > 3 {
		return 0, false
	}
	v := t.value(e)
	if v == nil {
		return 0, false
	}
	var total float64
	for i, unit := range []float64{1, 60, 3600}[:e.count] {
		num, den := t.bo.Uint32(v[8*i:]), t.bo.Uint32(v[8*i+4:])
		var x float64
		if e.typ == typeSRational {
			if int32(den) == 0 {
				if num != 0 {
					return 0, false
				}
				continue // 0/0: some writers leave unused seconds so
			}
			x = float64(int32(num)) / float64(int32(den))
		} else {
			if den == 0 {
				if num != 0 {
					return 0, false
				}
				continue
			}
			x = float64(num) / float64(den)
		}
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false
		}
		total += x / unit
	}
	if total > limit {
		return 0, false
	}
	return sign * total, true
}

// takenAt returns DateTimeOriginal from an Exif IFD. The EXIF time is a wall-clock time without
// a zone: it is read in the zone of OffsetTimeOriginal when the phone wrote one, otherwise in loc.
func (t tiff) takenAt(exif []ifdEntry, loc *time.Location) *time.Time {
	e, ok := find(exif, tagDateTimeOriginal)
	if !ok {
		return nil
	}
	s := t.ascii(e)
	if oe, ok := find(exif, tagOffsetTimeOriginal); ok {
		if z := parseOffset(t.ascii(oe)); z != nil {
			loc = z
		}
	}
	for _, layout := range []string{"2006:01:02 15:04:05", "2006-01-02 15:04:05"} {
		if at, err := time.ParseInLocation(layout, s, loc); err == nil && at.Year() >= 1900 {
			return &at
		}
	}
	return nil
}

// parseOffset reads an EXIF offset such as "+07:00", or returns nil.
func parseOffset(s string) *time.Location {
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return nil
	}
	digits := s[1:3] + s[4:6]
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return nil
		}
	}
	h := int(digits[0]-'0')*10 + int(digits[1]-'0')
	m := int(digits[2]-'0')*10 + int(digits[3]-'0')
	if h > 14 || m > 59 {
		return nil
	}
	off := (h*60 + m) * 60
	if s[0] == '-' {
		off = -off
	}
	return time.FixedZone(s, off)
}
