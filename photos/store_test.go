package photos

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/gif"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"kiemtra/models"
)

func TestPutAcceptsJPEGAndPNG(t *testing.T) {
	tests := []struct {
		name        string
		data        []byte
		contentType string
		w, h        int
	}{
		{"a JPEG is stored with its size and type", mustJPEG(t, 64, 48), ContentTypeJPEG, 64, 48},
		{"a portrait JPEG keeps its width and height apart", mustJPEG(t, 30, 70), ContentTypeJPEG, 30, 70},
		{"a PNG is stored with its size and type", mustPNG(t, 33, 21), ContentTypePNG, 33, 21},
		{"a JPEG followed by a phone's trailer after its end marker is accepted",
			append(mustJPEG(t, 16, 16), []byte("SEFHmotion photo trailer")...), ContentTypeJPEG, 16, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStore(t)
			info, err := s.Put(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tt.data)
			want := hex.EncodeToString(sum[:])
			if info.SHA256 != want || info.ContentType != tt.contentType || info.Size != int64(len(tt.data)) ||
				info.Width != tt.w || info.Height != tt.h {
				t.Fatalf("info = %+v, want sha %s, %s, %d bytes, %d×%d", info, want, tt.contentType, len(tt.data), tt.w, tt.h)
			}
			if info.Lat != nil || info.Lon != nil || info.TakenAt != nil {
				t.Fatalf("a photo without EXIF got a position or time: %+v", info)
			}
			stored, err := os.ReadFile(filepath.Join(s.Dir(), want[:2], want))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(stored, tt.data) {
				t.Fatal("the stored file differs from the upload")
			}

			f, got, err := s.Open(want)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			read, err := io.ReadAll(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(read, tt.data) {
				t.Fatal("Open reads other bytes than were stored")
			}
			if *got != *info {
				t.Fatalf("Open info = %+v, want %+v", got, info)
			}
		})
	}
}

func TestPutStoresIdenticalBytesOnce(t *testing.T) {
	s := newTestStore(t)
	data := mustJPEG(t, 40, 30)
	first, err := s.Put(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(s.Dir(), first.SHA256[:2], first.SHA256)
	before, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Put(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if *second != *first {
		t.Fatalf("second Put = %+v, want %+v", second, first)
	}
	after, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Fatal("the second Put rewrote the file")
	}
	if files := storedFiles(t, s); len(files) != 1 {
		t.Fatalf("files = %v, want one", files)
	}
}

// pngClaiming returns a valid-looking PNG header that claims w×h pixels.
func pngClaiming(t *testing.T, w, h uint32) []byte {
	p := mustPNG(t, 2, 2)
	ihdr := append([]byte{}, p[16:29]...)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	out := append([]byte{}, p[:8]...)
	out = append(out, pngChunk("IHDR", ihdr)...)
	return append(out, p[33:]...)
}

func TestPutRefusesWhatIsNotAGoodJPEGOrPNG(t *testing.T) {
	jpg := mustJPEG(t, 64, 48)
	pngBytes := mustPNG(t, 64, 48)
	var gifBytes bytes.Buffer
	if err := gif.Encode(&gifBytes, testImage(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	corruptJPEG := append([]byte{}, jpg...)
	for i := 20; i < len(corruptJPEG)-2; i++ {
		corruptJPEG[i] = 0x5A
	}
	badCRC := append([]byte{}, pngBytes...)
	badCRC[len(badCRC)-20] ^= 0xFF // inside IDAT

	tests := []struct {
		name    string
		data    []byte
		code    string
		mention string // in the English message
	}{
		{"a PDF is refused as unsupported", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"), models.EUNSUPPORTEDTYPE, "PDF"},
		{"a text file is refused as unsupported", []byte("hello, this is not a photo\n"), models.EUNSUPPORTEDTYPE, "only JPEG or PNG"},
		{"a GIF is refused as unsupported", gifBytes.Bytes(), models.EUNSUPPORTEDTYPE, "GIF"},
		{"a WebP is refused as unsupported", []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), models.EUNSUPPORTEDTYPE, "WebP"},
		{"a HEIC says how to make the camera write JPEG",
			[]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x00\x00meta"), models.EUNSUPPORTEDTYPE, "Most Compatible"},
		{"a HEIC whose major brand is mif1 is still a HEIC",
			[]byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic\x00\x00\x00\x00meta"), models.EUNSUPPORTEDTYPE, "HEIC"},
		{"an MP4 video is refused as a video", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08free"), models.EUNSUPPORTEDTYPE, "videos"},
		{"an empty upload is invalid", nil, models.EINVALID, "empty"},
		{"a JPEG cut off in its scan data is invalid", jpg[:len(jpg)/2], models.EINVALID, "incomplete"},
		{"a JPEG cut off before its end marker is invalid", jpg[:len(jpg)-2], models.EINVALID, "incomplete"},
		{"a JPEG cut off in its header is invalid", jpg[:40], models.EINVALID, "damaged"},
		{"a JPEG whose scan data is garbage is invalid", corruptJPEG, models.EINVALID, "damaged"},
		{"three JPEG magic bytes and text are invalid", []byte("\xFF\xD8\xFFthis is text"), models.EINVALID, "damaged"},
		{"a PNG cut off is invalid", pngBytes[:len(pngBytes)-30], models.EINVALID, "incomplete"},
		{"a PNG with a damaged chunk is invalid", badCRC, models.EINVALID, "damaged"},
		{"a PNG of zero pixels is invalid", pngClaiming(t, 0, 10), models.EINVALID, "damaged"},
		{"a small PNG claiming a gigapixel is too large and not decoded", pngClaiming(t, 40000, 40000), models.ETOOLARGE, "megapixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStore(t)
			info, err := s.Put(bytes.NewReader(tt.data))
			if info != nil {
				t.Fatalf("info = %+v, want nil", info)
			}
			e := wantCode(t, err, tt.code)
			if !strings.Contains(e.Message, tt.mention) {
				t.Fatalf("message %q does not mention %q", e.Message, tt.mention)
			}
			if e.Field != "photo" {
				t.Fatalf("field = %q, want photo", e.Field)
			}
			if files := storedFiles(t, s); len(files) != 0 {
				t.Fatalf("a refused upload left files: %v", files)
			}
		})
	}
}

// endless is a reader that never ends, to show that Put stops reading at its limit.
type endless struct{ n int64 }

func (r *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0x5A
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestPutLimitsSize(t *testing.T) {
	jpg := mustJPEG(t, 32, 32)
	padded := func(n int) []byte { // a valid JPEG, padded after its end marker to n bytes
		return append(append([]byte{}, jpg...), make([]byte, n-len(jpg))...)
	}
	tests := []struct {
		name     string
		maxBytes int64 // 0: the default
		r        io.Reader
		code     string // "" when accepted
	}{
		{"a valid JPEG of exactly 10 MB is accepted", 0, bytes.NewReader(padded(MaxBytes)), ""},
		{"a valid JPEG of 10 MB and one byte is too large", 0, bytes.NewReader(padded(MaxBytes + 1)), models.ETOOLARGE},
		{"10 MB and one byte of text is too large before any type check", 0, io.LimitReader(&endless{}, MaxBytes+1), models.ETOOLARGE},
		{"an endless upload is too large", 0, &endless{}, models.ETOOLARGE},
		{"a photo of exactly a lowered limit is accepted", int64(len(jpg)), bytes.NewReader(jpg), ""},
		{"a photo one byte over a lowered limit is too large", int64(len(jpg) - 1), bytes.NewReader(jpg), models.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStore(t)
			s.MaxBytes = tt.maxBytes
			info, err := s.Put(tt.r)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(storedFiles(t, s)) != 1 {
					t.Fatal("the photo was not stored")
				}
				return
			}
			if info != nil {
				t.Fatalf("info = %+v, want nil", info)
			}
			e := wantCode(t, err, tt.code)
			if tt.maxBytes == 0 && !strings.Contains(e.Message, "10 MB") {
				t.Fatalf("message %q does not give the limit", e.Message)
			}
			if files := storedFiles(t, s); len(files) != 0 {
				t.Fatalf("a refused upload left files: %v", files)
			}
			if r, ok := tt.r.(*endless); ok && r.n > 2*MaxBytes {
				t.Fatalf("Put read %d bytes of an endless upload", r.n)
			}
		})
	}
}

func TestPutLimitsPixels(t *testing.T) {
	s := newTestStore(t)
	s.MaxPixels = 64 * 48
	if _, err := s.Put(bytes.NewReader(mustJPEG(t, 64, 48))); err != nil {
		t.Fatalf("a photo of exactly MaxPixels: %v", err)
	}
	_, err := s.Put(bytes.NewReader(mustJPEG(t, 64, 49)))
	wantCode(t, err, models.ETOOLARGE)
}

func TestOpenRefusesBadNames(t *testing.T) {
	s := newTestStore(t)
	info, err := s.Put(bytes.NewReader(mustPNG(t, 4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	// A file the store did not write, which a path traversal would reach.
	if err := os.WriteFile(filepath.Join(filepath.Dir(s.Dir()), "secret"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sha  string
		code string
	}{
		{"a path out of the store is invalid", "../etc/passwd", models.EINVALID},
		{"a relative path to a file beside the store is invalid", "../secret", models.EINVALID},
		{"a traversal padded to 64 characters is invalid", "../" + strings.Repeat("a", 61), models.EINVALID},
		{"uppercase hex is invalid", strings.ToUpper(info.SHA256), models.EINVALID},
		{"a short hash is invalid", info.SHA256[:63], models.EINVALID},
		{"a long hash is invalid", info.SHA256 + "0", models.EINVALID},
		{"an empty name is invalid", "", models.EINVALID},
		{"an absolute path is invalid", "/" + info.SHA256[1:], models.EINVALID},
		{"a well-formed hash of nothing stored is not found", strings.Repeat("ab", 32), models.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, got, err := s.Open(tt.sha)
			if f != nil || got != nil {
				t.Fatal("Open returned a file for a bad name")
			}
			wantCode(t, err, tt.code)
		})
	}
}

func TestPutOfTheSameImageConcurrentlyLeavesOneFile(t *testing.T) {
	s := newTestStore(t)
	data := withJPEGExif(t, mustJPEG(t, 120, 90), phoneExif(binary.BigEndian, cantho))
	const n = 8
	infos := make([]*Info, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { infos[i], errs[i] = s.Put(bytes.NewReader(data)) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if infos[i].SHA256 != infos[0].SHA256 || *infos[i].Lat != *infos[0].Lat {
			t.Fatalf("Put %d = %+v, want %+v", i, infos[i], infos[0])
		}
	}
	files := storedFiles(t, s)
	if len(files) != 1 {
		t.Fatalf("files = %v, want one (no temporary files either)", files)
	}
	stored, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored, data) || filepath.Base(files[0]) != infos[0].SHA256 {
		t.Fatal("the stored file is not the photo under its hash")
	}
}

func TestNewStoreCreatesTheDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "photos")
	if _, err := NewStore(dir); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsDir() || st.Mode().Perm()&0o007 != 0 {
		t.Fatalf("directory mode = %v, want a directory closed to others", st.Mode())
	}
	if _, err := NewStore(""); err == nil {
		t.Fatal("NewStore accepted an empty directory name")
	}
}

// Decoders of other formats may be registered by other packages of the binary; the store must
// not accept them through image.DecodeConfig.
func TestPutIgnoresOtherRegisteredDecoders(t *testing.T) {
	var b bytes.Buffer
	if err := gif.Encode(&b, testImage(4, 4), nil); err != nil {
		t.Fatal(err)
	}
	if _, format, err := image.DecodeConfig(bytes.NewReader(b.Bytes())); err != nil || format != "gif" {
		t.Fatalf("the GIF decoder is not registered in this test binary: %v %q", err, format)
	}
	_, err := newTestStore(t).Put(bytes.NewReader(b.Bytes()))
	wantCode(t, err, models.EUNSUPPORTEDTYPE)
}
