// Package photos keeps the photos inspectors take during an inspection: JPEG or PNG only,
// checked by their content, stored once per content under their SHA-256 in a directory, with the
// position and time the phone wrote in their EXIF block.
package photos

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"kiemtra/models"
)

// MaxBytes is the largest photo the store accepts: 10 MB.
const MaxBytes = 10 << 20

// MaxPixels is the largest photo the store decodes, in pixels: about 67 megapixels, above what
// a 64-megapixel phone camera writes at full resolution. A small file can claim a huge image
// (a PNG of one colour compresses a thousandfold), and decoding it would exhaust memory.
const MaxPixels = 1 << 26

// headerBytes is how much of a stored photo Open reads to describe it: an EXIF block lives in
// one JPEG segment of at most 64 KB near the start of the file.
const headerBytes = 256 << 10

// Info describes a stored photo.
type Info struct {
	SHA256      string `json:"sha256"`       // 64 lowercase hex digits: the photo's name in the store
	ContentType string `json:"content_type"` // ContentTypeJPEG or ContentTypePNG
	Size        int64  `json:"size"`         // bytes
	Width       int    `json:"width"`        // pixels as stored, before any EXIF rotation
	Height      int    `json:"height"`
	// Lat and Lon are the position from the EXIF GPS tags, nil when there is none (or the phone
	// wrote 0, 0, which means it had no fix).
	Lat *float64 `json:"lat,omitempty"`
	Lon *float64 `json:"lon,omitempty"`
	// TakenAt is EXIF DateTimeOriginal, nil when absent. EXIF writes a wall-clock time without a
	// zone: TakenAt is that time in the zone of OffsetTimeOriginal when the phone wrote one, and
	// otherwise in Store.Location (Asia/Ho_Chi_Minh, UTC+7, by default), on the assumption that
	// the phone's clock was set to Vietnamese time.
	TakenAt *time.Time `json:"taken_at,omitempty"`
}

// Store keeps photos in a directory, each in a file named by the SHA-256 of its bytes under a
// folder named by the first two hex digits: dir/ab/abcdef.... Identical photos are kept once.
// A Store is safe for concurrent use, by several goroutines or several processes sharing dir.
type Store struct {
	dir string
	// MaxBytes is the largest photo Put accepts; zero means the package's MaxBytes.
	MaxBytes int64
	// MaxPixels is the largest photo Put decodes, in pixels; zero means the package's MaxPixels.
	MaxPixels int
	// Location is the zone of EXIF times written without an offset; nil means Asia/Ho_Chi_Minh
	// (a fixed UTC+7: Vietnam has not changed its clocks since 1975).
	Location *time.Location
}

// NewStore returns a store over dir, creating it (mode 0750) when it does not exist.
func NewStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("photos: no directory")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("photos: create directory: %w", err)
	}
	return &Store{dir: dir}, nil
}

// vietnam is Asia/Ho_Chi_Minh without the need for a zoneinfo database.
var vietnam = time.FixedZone("ICT", 7*60*60)

func (s *Store) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return MaxBytes
}

func (s *Store) maxPixels() int64 {
	if s.MaxPixels > 0 {
		return int64(s.MaxPixels)
	}
	return MaxPixels
}

func (s *Store) location() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return vietnam
}

// Dir returns the directory the store keeps its photos in.
func (s *Store) Dir() string { return s.dir }

// Put checks that r holds one JPEG or PNG photo and stores it. It returns the photo's Info,
// whether the same bytes were stored before or not. Errors: too_large over MaxBytes bytes or
// MaxPixels pixels (nothing is kept); unsupported_media for any other kind of file, with a
// message that names it (HEIC, GIF, PDF...); invalid for an empty, truncated or corrupt image.
// A broken EXIF block is not an error: the photo is kept without position or time.
func (s *Store) Put(r io.Reader) (*Info, error) {
	data, err := io.ReadAll(io.LimitReader(r, s.maxBytes()+1))
	if err != nil {
		return nil, fmt.Errorf("photos: read upload: %w", err)
	}
	info, err := s.check(data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	info.SHA256 = hex.EncodeToString(sum[:])
	// The same bytes were checked whole when they were stored; phones that resend a queued photo
	// after a lost response need not pay for a second full decode.
	if _, err := os.Stat(s.path(info.SHA256)); err == nil {
		return info, nil
	}
	if err := decode(info.ContentType, data); err != nil {
		return nil, errDamaged()
	}
	if err := s.write(info.SHA256, data); err != nil {
		return nil, err
	}
	return info, nil
}

// check validates a photo's size, type and header, and describes it but for its hash. It does
// not decode the whole image.
func (s *Store) check(data []byte) (*Info, error) {
	// The size comes first so that an oversized upload is refused as such whatever it holds.
	if int64(len(data)) > s.maxBytes() {
		e := models.NewError(models.ETOOLARGE,
			"the photo is larger than %s: take it at a lower resolution or quality",
			"Ảnh lớn hơn %s: hãy chụp với độ phân giải hoặc chất lượng thấp hơn", formatBytes(s.maxBytes()))
		e.Field = field
		return nil, e
	}
	if len(data) == 0 {
		return nil, models.Invalid(field, "the photo is empty", "Ảnh rỗng (không có dữ liệu)")
	}
	contentType, err := sniff(data)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeConfig(contentType, bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errDamaged()
	}
	if int64(cfg.Width)*int64(cfg.Height) > s.maxPixels() {
		e := models.NewError(models.ETOOLARGE,
			"the photo has %d×%d pixels, more than %d megapixels: take it at a lower resolution",
			"Ảnh có %d×%d điểm ảnh, quá %d megapixel: hãy chụp với độ phân giải thấp hơn",
			cfg.Width, cfg.Height, s.maxPixels()/1_000_000)
		e.Field = field
		return nil, e
	}
	x := readExif(contentType, data, s.location())
	return &Info{
		ContentType: contentType,
		Size:        int64(len(data)),
		Width:       cfg.Width,
		Height:      cfg.Height,
		Lat:         x.lat,
		Lon:         x.lon,
		TakenAt:     x.takenAt,
	}, nil
}

// formatBytes writes a limit for people: "10 MB", or bytes when it is not a whole number of MB.
func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// write stores data under its hash. The file appears whole or not at all: data goes to a
// temporary file in the same folder, is synced, and is then linked to its name, which fails
// rather than replace a photo another Put stored meanwhile.
func (s *Store) write(sha string, data []byte) error {
	name := s.path(sha)
	folder := filepath.Dir(name)
	if err := os.MkdirAll(folder, 0o750); err != nil {
		return fmt.Errorf("photos: create folder: %w", err)
	}
	tmp, err := os.CreateTemp(folder, ".tmp-*")
	if err != nil {
		return fmt.Errorf("photos: create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a link or a failure; a no-op after a rename
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o640)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("photos: write %s: %w", sha, err)
	}
	switch err := os.Link(tmp.Name(), name); {
	case err == nil, errors.Is(err, fs.ErrExist):
	default:
		// Some file systems have no hard links; a rename replaces an identical file at worst.
		if err := os.Rename(tmp.Name(), name); err != nil {
			return fmt.Errorf("photos: store %s: %w", sha, err)
		}
	}
	syncDir(folder)
	return nil
}

// syncDir makes a new directory entry durable. It is best effort: some systems cannot sync a
// directory, and the photo's bytes are already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// path is the file of the photo with the given (valid) hash.
func (s *Store) path(sha string) string {
	return filepath.Join(s.dir, sha[:2], sha)
}

// validSHA reports whether sha is 64 lowercase hex digits, the only names Open looks up.
func validSHA(sha string) bool {
	if len(sha) != sha256.Size*2 {
		return false
	}
	for i := range len(sha) {
		c := sha[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Open returns the stored photo with the given SHA-256, ready to read (it is an *os.File, which
// http.ServeContent can serve with ranges), and its Info. The caller closes it. Errors: invalid
// when sha is not 64 lowercase hex digits; not_found when no such photo is stored.
func (s *Store) Open(sha string) (io.ReadSeekCloser, *Info, error) {
	if !validSHA(sha) {
		return nil, nil, models.Invalid("sha256",
			"a photo is named by its SHA-256: 64 lowercase hexadecimal digits",
			"Ảnh được gọi bằng mã SHA-256: 64 chữ số thập lục phân viết thường")
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, models.NotFound("photo", "photo not found", "Không tìm thấy ảnh")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("photos: open %s: %w", sha, err)
	}
	info, err := s.describe(f, sha)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// describe reads a stored photo's header for its Info, leaving f's offset at 0. Only the first
// headerBytes are searched for EXIF, which holds every phone's block.
func (s *Store) describe(f *os.File, sha string) (*Info, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("photos: stat %s: %w", sha, err)
	}
	head := make([]byte, min(st.Size(), headerBytes))
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("photos: read %s: %w", sha, err)
	}
	contentType, err := sniff(head)
	if err != nil {
		return nil, fmt.Errorf("photos: stored file %s is not a photo", sha)
	}
	cfg, err := decodeConfig(contentType, io.NewSectionReader(f, 0, st.Size()))
	if err != nil {
		return nil, fmt.Errorf("photos: stored file %s: %w", sha, err)
	}
	x := readExif(contentType, head, s.location())
	return &Info{
		SHA256:      sha,
		ContentType: contentType,
		Size:        st.Size(),
		Width:       cfg.Width,
		Height:      cfg.Height,
		Lat:         x.lat,
		Lon:         x.lon,
		TakenAt:     x.takenAt,
	}, nil
}
