package notify

import (
	"crypto/ecdh"
	"encoding/base64"
	"testing"
)

// The example of RFC 8291 section 5, byte for byte: what every browser decrypts.
func TestPushEncryptionIsTheRFCsExample(t *testing.T) {
	d := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const body = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
	const plain = "When I grow up, I want to be a watermelon"
	as, err := ecdh.P256().NewPrivateKey(d("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
	if err != nil {
		t.Fatal(err)
	}
	uaPub, auth := d("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"), d("BTBZMqHH6r4Tts7J_aSIgg")
	got, err := encryptPush(uaPub, auth, []byte(plain), as, d("DGv6ra1nlYgDCS1FRnbzlw"))
	if err != nil {
		t.Fatal(err)
	}
	if enc := base64.RawURLEncoding.EncodeToString(got); enc != body {
		t.Fatalf("encrypted\n got %s\nwant %s", enc, body)
	}
	ua, err := ecdh.P256().NewPrivateKey(d("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"))
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecryptPush(ua, auth, d(body))
	if err != nil || string(back) != plain {
		t.Fatalf("decrypted %q, %v", back, err)
	}
	tampered := d(body)
	tampered[len(tampered)-1] ^= 1
	if _, err := DecryptPush(ua, auth, tampered); err == nil {
		t.Fatal("a tampered push decrypted")
	}
}
