package models

import (
	"errors"
	"strings"
	"testing"
)

func TestPushSubscriptionInputValidate(t *testing.T) {
	const key = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
	const auth = "BTBZMqHH6r4Tts7J_aSIgg"
	hosts := []string{"fcm.googleapis.com", "*.notify.windows.com", "127.0.0.1"}
	for _, tc := range []struct {
		name, endpoint, p256dh, auth, lang, field string
	}{
		{"Chrome's push service", "https://fcm.googleapis.com/fcm/send/abc", key, auth, "", ""},
		{"a subdomain of an allowed host", "https://wns2-par02p.notify.windows.com/w/?token=x", key, auth, "en", ""},
		{"plain http on the loopback", "http://127.0.0.1:4000/push/1", key, auth, "vi", ""},
		{"padded base64", "https://fcm.googleapis.com/fcm/send/abc", key, auth + "==", "", ""},
		{"no endpoint", "", key, auth, "", "endpoint"},
		{"plain http elsewhere", "http://fcm.googleapis.com/fcm/send/abc", key, auth, "", "endpoint"},
		{"an address inside the office", "https://10.0.0.5/admin", key, auth, "", "endpoint"},
		{"another port of an allowed host", "https://fcm.googleapis.com:22/fcm/send/abc", key, auth, "", "endpoint"},
		{"a look-alike host", "https://fcm.googleapis.com.evil.example/x", key, auth, "", "endpoint"},
		{"a compressed key", "https://fcm.googleapis.com/x", "AyVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcx", auth, "", "keys.p256dh"},
		{"a short secret", "https://fcm.googleapis.com/x", key, "BTBZMqHH6r4", "", "keys.auth"},
		{"a language we do not write", "https://fcm.googleapis.com/x", key, auth, "fr", "lang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &PushSubscriptionInput{Endpoint: tc.endpoint, Lang: tc.lang}
			in.Keys.P256DH, in.Keys.Auth = tc.p256dh, tc.auth
			s, err := in.Validate(hosts)
			if tc.field == "" {
				if err != nil || s.Endpoint != tc.endpoint || (s.Lang != "vi" && s.Lang != "en") {
					t.Fatalf("refused: %v %+v", err, s)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
}
