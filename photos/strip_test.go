package photos

import (
	"bytes"
	"encoding/binary"
	"image"
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

func TestPutStrippedTurnsThePhotoUpright(t *testing.T) {
	s := newTestStore(t)
	le := binary.LittleEndian
	for _, tc := range []struct {
		name        string
		orientation uint16
		w, h        int
	}{
		{"upright", 1, 16, 12},
		{"turned a quarter clockwise", 6, 12, 16},
		{"upside down", 3, 16, 12},
		{"turned a quarter anticlockwise", 8, 12, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := newTIFF(le)
			block := tb.finish(tb.ifd(tiffEntry{tag: tagOrientation, typ: 3, count: 1, data: le.AppendUint16(nil, tc.orientation)}))
			photo := withJPEGExif(t, mustJPEG(t, 16, 12), block)
			if got := orientation(ContentTypeJPEG, photo); got != int(tc.orientation) {
				t.Fatalf("read orientation %d, want %d", got, tc.orientation)
			}
			info, err := s.PutStripped(bytes.NewReader(photo))
			if err != nil {
				t.Fatal(err)
			}
			if info.Width != tc.w || info.Height != tc.h {
				t.Fatalf("stored %d×%d, want %d×%d", info.Width, info.Height, tc.w, tc.h)
			}
		})
	}
}

func TestOrientMovesEveryCornerWhereItBelongs(t *testing.T) {
	// A 3×2 image whose top-left pixel is marked; where the mark ends up, for each orientation.
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Pix[0] = 255
	for o, want := range map[int]image.Point{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}} {
		out := orient(img, o).(*image.RGBA)
		found := image.Point{-1, -1}
		for y := 0; y < out.Bounds().Dy(); y++ {
			for x := 0; x < out.Bounds().Dx(); x++ {
				if out.Pix[out.PixOffset(x, y)] == 255 {
					found = image.Point{x, y}
				}
			}
		}
		if o != 1 && found != want {
			t.Errorf("orientation %d: the top-left pixel went to %v, want %v", o, found, want)
		}
	}
}
