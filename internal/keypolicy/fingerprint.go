package keypolicy

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// fingerprint is what private state keeps of the last secret key sent: a
// random salt and the HMAC of the key under it, never the key. It lets a plan
// see that a write-only key changed without storing the key.
type fingerprint struct {
	Salt string `json:"salt"`
	HMAC string `json:"hmac"`
}

// NewFingerprint is the private-state value for key under a fresh salt; nil
// for an empty key.
func NewFingerprint(key string) []byte {
	if key == "" {
		return nil
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (it aborts the program instead)
	b, _ := json.Marshal(fingerprint{Salt: hex.EncodeToString(salt), HMAC: stripekey.Fingerprint(salt, key)})
	return b
}

// fingerprintMatches reports whether raw, a value of NewFingerprint, was made
// from key; present is false when raw holds no usable fingerprint.
func fingerprintMatches(raw []byte, key string) (matches, present bool) {
	if len(raw) == 0 {
		return false, false
	}
	var f fingerprint
	if err := json.Unmarshal(raw, &f); err != nil || f.HMAC == "" {
		return false, false
	}
	salt, err := hex.DecodeString(f.Salt)
	return err == nil && stripekey.Fingerprint(salt, key) == f.HMAC, true
}
