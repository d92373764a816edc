package api

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/photos"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// tipReceiptOf reads the code and secret of a public tip's JSON answer.
func tipReceiptOf(t *testing.T, w *httptest.ResponseRecorder) (code, secret string) {
	t.Helper()
	var r struct{ Code, Secret string }
	if w.Code != 202 || json.Unmarshal(w.Body.Bytes(), &r) != nil || r.Code == "" || r.Secret == "" {
		t.Fatalf("public tip: %d %s", w.Code, w.Body)
	}
	return r.Code, r.Secret
}

// tipStatus asks /tip/status as JSON from an address and checks the answer against the contract.
func tipStatus(t *testing.T, h *Server, ip, code, secret string) *httptest.ResponseRecorder {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"code": code, "secret": secret})
	req := httptest.NewRequest("POST", "/tip/status", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = net.JoinHostPort(ip, "40000")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	checkContract(t, req, body, w)
	return w
}

func TestPublicTipStatus(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		code, secret := tipReceiptOf(t, publicTip(t, h, "203.0.113.7", `{"description":"Quán karaoke có tiếp viên dưới 18 tuổi phục vụ phòng kín","place":"Quán Hoa Hồng, Phường D11","contact":"0912 345 678"}`))

		// Only the hash of the secret is stored.
		var stored models.Tip
		db.Gorm().Where("tracking_code = ?", code).Take(&stored)
		if stored.ID == "" || strings.Contains(stored.TrackingSecretHash, secret) || !strings.HasPrefix(stored.TrackingSecretHash, "v1:") {
			t.Fatalf("stored %q for code %q", stored.TrackingSecretHash, code)
		}
		status := func(wantCode int, code, secret string) map[string]any {
			t.Helper()
			w := tipStatus(t, h, "198.51.100.50", code, secret)
			var out map[string]any
			json.Unmarshal(w.Body.Bytes(), &out)
			if w.Code != wantCode {
				t.Fatalf("status of %s: %d %s", code, w.Code, w.Body)
			}
			for _, private := range []string{"Hoa Hồng", "0912", "karaoke", "severity", "business", stored.ID, "public\""} {
				if strings.Contains(w.Body.String(), private) {
					t.Fatalf("the status shows %q: %s", private, w.Body)
				}
			}
			return out
		}
		if got := status(200, code, secret); got["status"] != "received" || got["label"] != "Đã tiếp nhận" || got["received_on"] != "2026-03-02" || got["result"] != nil {
			t.Fatalf("a new tip: %v", got)
		}
		// Typed in lower case with spaces, the code and secret still work.
		if got := status(200, strings.ToLower(strings.ReplaceAll(code, "-", " ")), strings.ToLower(secret)); got["status"] != "received" {
			t.Fatalf("typed loosely: %v", got)
		}

		// A wrong secret, an unknown code and a code that cannot be one answer alike.
		wrong := tipStatus(t, h, "198.51.100.51", code, "2222-2222-2222")
		unknown := tipStatus(t, h, "198.51.100.51", "TB-2222-2222", secret)
		garbage := tipStatus(t, h, "198.51.100.51", "not a code", "x")
		// The same but for the request's id.
		same := func(w *httptest.ResponseRecorder) string {
			return regexp.MustCompile(`"request_id":"[^"]*"`).ReplaceAllString(w.Body.String(), "")
		}
		for _, w := range []*httptest.ResponseRecorder{unknown, garbage} {
			if w.Code != wrong.Code || same(w) != same(wrong) {
				t.Fatalf("a wrong secret answered %d %s, another %d %s", wrong.Code, wrong.Body, w.Code, w.Body)
			}
		}
		if wrong.Code != 404 {
			t.Fatalf("a wrong secret: %d %s", wrong.Code, wrong.Body)
		}
		// Missing fields are named.
		if w := tipStatus(t, h, "198.51.100.52", "", ""); w.Code != 400 || decodeError(t, w).Field == "" {
			t.Fatalf("an empty look-up: %d %s", w.Code, w.Body)
		}

		// Verifying and classified read "being verified"; the officer must write the result.
		id := stored.ID
		transition := func(body string, want int) *httptest.ResponseRecorder {
			t.Helper()
			w := doAs(t, h, officer, "POST", "/api/v1/tips/"+id+"/transition", body)
			if w.Code != want {
				t.Fatalf("transition %s: %d %s", body, w.Code, w.Body)
			}
			return w
		}
		transition(`{"version":1,"to":"verifying"}`, 200)
		if got := status(200, code, secret); got["status"] != "verifying" || got["label"] != "Đang xác minh" {
			t.Fatalf("verifying: %v", got)
		}
		transition(`{"version":2,"to":"classified","type":"minors","severity":"normal"}`, 200)
		if got := status(200, code, secret); got["status"] != "verifying" {
			t.Fatalf("classified: %v", got)
		}
		for _, tc := range []struct{ name, body string }{
			{"without a result", `{"version":3,"to":"handled","handling":"dismissed","note":"Không có cơ sở"}`},
			{"with a result too short", `{"version":3,"to":"handled","handling":"dismissed","note":"Không có cơ sở","public_result":"ngắn"}`},
			{"with a result too long", `{"version":3,"to":"handled","handling":"dismissed","note":"Không có cơ sở","public_result":"` + strings.Repeat("a", 1001) + `"}`},
		} {
			t.Run("handling "+tc.name+" is refused", func(t *testing.T) {
				w := transition(tc.body, 400)
				if e := decodeError(t, w); e.Field != "public_result" {
					t.Fatalf("field %q: %s", e.Field, w.Body)
				}
			})
		}
		result := "Đoàn kiểm tra đã xác minh, chưa phát hiện vi phạm như nội dung tin báo."
		w := transition(`{"version":3,"to":"handled","handling":"dismissed","note":"Không có cơ sở","public_result":"`+result+`"}`, 200)
		var view TipView
		json.Unmarshal(w.Body.Bytes(), &view)
		if view.PublicResult != result || view.TrackingCode == nil || *view.TrackingCode != code {
			t.Fatalf("the officer's view: %s", w.Body)
		}
		if got := status(200, code, secret); got["status"] != "handled" || got["label"] != "Đã xử lý" || got["result"] != result || got["handled_on"] != "2026-03-02" {
			t.Fatalf("handled: %v", got)
		}

		// The page: Vietnamese by default, the status in words, the secret never shown back.
		form := url.Values{"code": {code}, "secret": {secret}}
		pw := publicForm(t, h, "/tip/status", "", form)
		if pw.Code != 200 || !strings.Contains(pw.Body.String(), "Đã xử lý") || !strings.Contains(pw.Body.String(), result) || strings.Contains(pw.Body.String(), secret) || !norm.NFC.IsNormalString(pw.Body.String()) {
			t.Fatalf("the status page: %d %s", pw.Code, pw.Body)
		}
		pw = publicForm(t, h, "/tip/status?lang=en", "", url.Values{"code": {code}, "secret": {"2222-2222-2222"}})
		if pw.Code != 404 || !strings.Contains(pw.Body.String(), "No tip has this code and secret") || !strings.Contains(pw.Body.String(), `value="`+code+`"`) {
			t.Fatalf("a wrong secret on the English page: %d %s", pw.Code, pw.Body)
		}
	})
}

func TestAMergedTipReportsTheTipItWasMergedInto(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		firstCode, _ := tipReceiptOf(t, publicTip(t, h, "203.0.113.7", `{"description":"Nhà nghỉ có dấu hiệu môi giới mại dâm","lat":10.03,"lon":105.78}`))
		code, secret := tipReceiptOf(t, publicTip(t, h, "203.0.113.8", `{"description":"Nhà nghỉ này có người dẫn khách lạ ra vào","lat":10.0301,"lon":105.78}`))
		idOf := func(code string) string {
			var tp models.Tip
			db.Gorm().Where("tracking_code = ?", code).Take(&tp)
			return tp.ID
		}
		into, merged := idOf(firstCode), idOf(code)
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+merged+"/merge", `{"into":"`+into+`","version":1}`); w.Code != 200 {
			t.Fatalf("merge: %d %s", w.Code, w.Body)
		}
		for _, step := range []string{`{"version":1,"to":"verifying"}`, `{"version":2,"to":"classified","type":"prostitution","severity":"normal"}`,
			`{"version":3,"to":"handled","handling":"referred","note":"Chuyển công an","public_result":"Tin báo đã được chuyển cơ quan công an xử lý."}`} {
			if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+into+"/transition", step); w.Code != 200 {
				t.Fatalf("%s: %d %s", step, w.Code, w.Body)
			}
		}
		w := tipStatus(t, h, "198.51.100.60", code, secret)
		var got map[string]any
		json.Unmarshal(w.Body.Bytes(), &got)
		if w.Code != 200 || got["status"] != "handled" || got["result"] != "Tin báo đã được chuyển cơ quan công an xử lý." || got["code"] != code {
			t.Fatalf("the merged tip's status: %d %s", w.Code, w.Body)
		}
	})
}

func TestTipStatusLookupsAreLimitedPerAddress(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		code, secret := tipReceiptOf(t, publicTip(t, h, "203.0.113.7", publicBody))
		// Every attempt counts, right or wrong: the right secret after the allowance is refused too.
		for i := 0; i < publicTipStatusPerHour; i++ {
			if w := tipStatus(t, h, "198.51.100.70", code, "2222-2222-2222"); w.Code != 404 {
				t.Fatalf("attempt %d: %d", i+1, w.Code)
			}
		}
		w := tipStatus(t, h, "198.51.100.70", code, secret)
		if w.Code != 429 || decodeError(t, w).Code != models.ERATELIMITED || w.Header().Get("Retry-After") == "" {
			t.Fatalf("past the allowance: %d %s", w.Code, w.Body)
		}
		if w := tipStatus(t, h, "198.51.100.71", code, secret); w.Code != 200 {
			t.Fatalf("another address: %d %s", w.Code, w.Body)
		}
		// The page says so, keeping the code typed.
		for i := 0; i < publicTipStatusPerHour; i++ {
			publicForm(t, h, "/tip/status", "", url.Values{"code": {code}, "secret": {"x"}})
		}
		pw := publicForm(t, h, "/tip/status", "", url.Values{"code": {code}, "secret": {secret}})
		if pw.Code != 429 || !strings.Contains(pw.Body.String(), "Đã tra cứu quá nhiều lần") || !strings.Contains(pw.Body.String(), `value="`+code+`"`) {
			t.Fatalf("the page past the allowance: %d %s", pw.Code, pw.Body)
		}
	})
}

func TestThePublicTipFormKeepsWhatWasTyped(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		typed := url.Values{"description": {"ngắn"}, "place": {"Đường 30/4 <số 12>"}, "contact": {"0912 345 678"}, "area": {"D12"}, "lat": {"10.030000"}, "lon": {"105.780000"}}
		want := []string{">ngắn</textarea>", `value="Đường 30/4 &lt;số 12&gt;"`, `value="0912 345 678"`, `value="D12" data-lat="0" data-lon="0" selected`, `value="10.030000"`, `value="105.780000"`}
		check := func(name string, w *httptest.ResponseRecorder, status int) {
			t.Helper()
			if w.Code != status {
				t.Fatalf("%s: %d, want %d", name, w.Code, status)
			}
			for _, s := range want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("%s: the form lost %s", name, s)
				}
			}
		}
		check("a description too short", publicForm(t, h, "/tip", "vi", typed), 400)
		bad := url.Values{}
		for k, v := range typed {
			bad[k] = v
		}
		bad.Set("description", "Quán karaoke có tiếp viên nhỏ tuổi")
		bad.Set("area", "NOWHERE")
		if w := publicForm(t, h, "/tip", "vi", bad); w.Code != 400 || !strings.Contains(w.Body.String(), "Phường, xã: không phải phường, xã hiện nay") {
			t.Fatalf("an unknown commune: %d %s", w.Code, w.Body)
		}
		// The allowance spent (one tip above, refused, counts), the page keeps the text too.
		for i := 1; i < publicTipsPerHour; i++ {
			publicForm(t, h, "/tip", "vi", typed)
		}
		check("past the allowance", publicForm(t, h, "/tip", "vi", typed), 429)

		// A commune alone says where.
		w := publicTip(t, h, "203.0.113.90", `{"description":"Quán karaoke có tiếp viên nhỏ tuổi","area":"D12"}`)
		code, _ := tipReceiptOf(t, w)
		var tp models.Tip
		db.Gorm().Where("tracking_code = ?", code).Take(&tp)
		if tp.AreaCode == nil || *tp.AreaCode != "D12" {
			t.Fatalf("the tip's area: %v", tp.AreaCode)
		}
	})
}

// jpegWithGPS is a small JPEG with an APP1 EXIF segment naming a GPS block.
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(1, 1, color.Black)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00II*\x00\x08\x00\x00\x00"), []byte("GPSLatitude 10.03 GPSLongitude 105.78")...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	raw := b.Bytes()
	return append(append(append([]byte{}, raw[:2]...), append(seg, payload...)...), raw[2:]...)
}

func TestATipPhotoIsStoredWithoutItsMetadata(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		planner := &Principal{UserID: "u-plan", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		send := func(photo []byte, description ...string) *httptest.ResponseRecorder {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("description", append(description, "Quán karaoke có tiếp viên nhỏ tuổi")[0])
			mw.WriteField("place", "Phường D11")
			fw, _ := mw.CreateFormFile("photo", "anh.jpg")
			fw.Write(photo)
			mw.Close()
			req := httptest.NewRequest("POST", "/tip?lang=vi", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.RemoteAddr = "198.51.100.80:40000"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w
		}
		photo := jpegWithGPS(t)
		if !bytes.Contains(photo, []byte("GPSLatitude")) {
			t.Fatal("the test photo has no GPS text")
		}
		// A refused tip leaves no photo behind.
		stored := func() int {
			n := 0
			filepath.WalkDir(h.blobs.(*photos.Store).Dir(), func(_ string, d fs.DirEntry, _ error) error {
				if d != nil && !d.IsDir() {
					n++
				}
				return nil
			})
			return n
		}
		if w := send(photo, "ngắn"); w.Code != 400 || stored() != 0 {
			t.Fatalf("a refused tip with a photo: %d, %d photos stored", w.Code, stored())
		}
		w := send(photo)
		if w.Code != 202 || !strings.Contains(w.Body.String(), `id="tip-secret"`) {
			t.Fatalf("a tip with a photo: %d %s", w.Code, w.Body)
		}
		var tp models.Tip
		db.Gorm().Where("photo_sha256 <> ''").Take(&tp)
		if tp.ID == "" {
			t.Fatal("no tip with a photo stored")
		}
		got := doAs(t, h, officer, "GET", "/api/v1/tips/"+tp.ID+"/photo", "")
		if got.Code != 200 || got.Header().Get("Content-Type") != "image/jpeg" || bytes.Contains(got.Body.Bytes(), []byte("Exif")) || bytes.Contains(got.Body.Bytes(), []byte("GPS")) {
			t.Fatalf("the photo as the officer gets it: %d %s, %d bytes", got.Code, got.Header().Get("Content-Type"), got.Body.Len())
		}
		if _, _, err := image.Decode(bytes.NewReader(got.Body.Bytes())); err != nil {
			t.Fatalf("the stored photo does not decode: %v", err)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/tips/"+tp.ID+"/photo", ""); w.Code != 403 {
			t.Fatalf("a planner reading the photo: %d", w.Code)
		}
		// Not a photo: the form says so and keeps the text.
		w = send([]byte("%PDF-1.4 not a photo"))
		if w.Code != 415 || !strings.Contains(w.Body.String(), "Ảnh:") || !strings.Contains(w.Body.String(), "Quán karaoke có tiếp viên nhỏ tuổi</textarea>") {
			t.Fatalf("a PDF as the photo: %d %s", w.Code, w.Body)
		}
	})
}

func TestARetriedPublicTipAnswersItsCodeWithoutTheSecret(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		body := `{"id":"0b5d4e6a-8f1c-4a57-9a4e-2f7f1f0c3b12","description":"Quán karaoke có tiếp viên nhỏ tuổi","place":"Phường D11"}`
		code, _ := tipReceiptOf(t, publicTip(t, h, "203.0.113.7", body))
		w := publicTip(t, h, "203.0.113.7", body)
		var again map[string]any
		json.Unmarshal(w.Body.Bytes(), &again)
		if w.Code != 202 || again["code"] != code || again["secret"] != nil {
			t.Fatalf("the retry: %d %s", w.Code, w.Body)
		}
		// A bot's answer looks like a person's, and opens nothing.
		botCode, botSecret := tipReceiptOf(t, publicTip(t, h, "203.0.113.8", `{"description":"Quán karaoke có tiếp viên nhỏ tuổi","place":"x","website":"http://spam"}`))
		if w := tipStatus(t, h, "198.51.100.90", botCode, botSecret); w.Code != 404 {
			t.Fatalf("a bot's code: %d %s", w.Code, w.Body)
		}
		// An officer's tip has a code too.
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		w = doAs(t, h, officer, "POST", "/api/v1/tips", `{"channel":"hotline","description":"Gọi đường dây nóng về quán karaoke","place":"Phường D12"}`)
		var view TipView
		json.Unmarshal(w.Body.Bytes(), &view)
		if w.Code != 201 || view.TrackingCode == nil || !strings.HasPrefix(*view.TrackingCode, "TB-") || strings.Contains(w.Body.String(), "secret") {
			t.Fatalf("an officer's tip: %d %s", w.Code, w.Body)
		}
	})
}
