package photos

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
)

func TestPutStrippedRemovesTheMetadata(t *testing.T) {
	s := newTestStore(t)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"a JPEG with the GPS position and time of a phone", withJPEGExif(t, mustJPEG(t, 16, 12), phoneExif(binary.LittleEndian, cantho))},
		{"a PNG with an eXIf chunk", withPNGChunk(mustPNG(t, 16, 12), "eXIf", phoneExif(binary.BigEndian, cantho))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if x := readExif(mustSniff(t, tc.data), tc.data, vietnam); x.lat == nil {
				t.Fatal("the test photo has no position to remove")
			}
			info, err := s.PutStripped(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if info.Lat != nil || info.Lon != nil || info.TakenAt != nil || info.Width != 16 || info.Height != 12 {
				t.Fatalf("stored %+v, want 16×12 without position or time", info)
			}
			f, _, err := s.Open(info.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			stored, _ := io.ReadAll(f)
			if jpegExif(stored) != nil || pngExif(stored) != nil || bytes.Contains(stored, []byte("Exif")) || bytes.Contains(stored, []byte("GPS")) {
				t.Fatal("the stored photo still carries EXIF")
			}
		})
	}
	if _, err := s.PutStripped(bytes.NewReader([]byte("GIF89a not a photo"))); err == nil {
		t.Fatal("a GIF was stored")
	}
}

func mustSniff(tb testing.TB, b []byte) string {
	tb.Helper()
	ct, err := sniff(b)
	if err != nil {
		tb.Fatal(err)
	}
	return ct
}
