package keypolicy

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// Private-state keys of the fingerprint of the last write-only secret key
// sent: a random salt and the HMAC of the key under it, never the key. It
// lets a plan see that a write-only key changed without storing the key.
const (
	// PrivateStateKey holds the current, compact fingerprint (NewFingerprint).
	PrivateStateKey = "fp"
	// LegacyPrivateStateKey held the fingerprint of builds before the compact
	// one ({"salt": hex, "hmac": hex}); read, never written.
	LegacyPrivateStateKey = "secret_key_fingerprint"
)

// Sizes of the compact fingerprint: enough salt that two integrations with
// one key do not share a fingerprint, and 128 bits of HMAC to tell keys
// apart (a Stripe key cannot be guessed from them either way).
const (
	fingerprintSaltLen = 8
	fingerprintMACLen  = 16
)

// legacyFingerprint is the fingerprint of earlier builds.
type legacyFingerprint struct {
	Salt string `json:"salt"`
	HMAC string `json:"hmac"`
}

// NewFingerprint is the private-state value for key under a fresh salt; nil
// for an empty key. Private state values must be JSON: it is one JSON
// string, the base64 of salt and truncated HMAC (34 bytes; the framework and
// Terraform each base64 the private state once more).
func NewFingerprint(key string) []byte {
	if key == "" {
		return nil
	}
	raw := make([]byte, fingerprintSaltLen, fingerprintSaltLen+fingerprintMACLen)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails (it aborts the program instead)
	raw = append(raw, fingerprintMAC(raw, key)...)
	b, _ := json.Marshal(base64.RawStdEncoding.EncodeToString(raw))
	return b
}

func fingerprintMAC(salt []byte, key string) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(key))
	return m.Sum(nil)[:fingerprintMACLen]
}

// FingerprintMatches reports whether raw, a private-state value of
// NewFingerprint or of an earlier build, was made from key; present is false
// when raw holds no usable fingerprint.
func FingerprintMatches(raw []byte, key string) (matches, present bool) {
	return fingerprintMatches(raw, key)
}

// IsLegacyFingerprint reports a fingerprint of an earlier build, which the
// next write replaces with a compact one.
func IsLegacyFingerprint(raw []byte) bool { return isLegacyFingerprint(raw) }

// fingerprintMatches reports whether raw, a value of NewFingerprint or of an
// earlier build, was made from key; present is false when raw holds no
// usable fingerprint.
func fingerprintMatches(raw []byte, key string) (matches, present bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return false, false
	}
	if raw[0] != '"' {
		return legacyFingerprintMatches(raw, key)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return false, false
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b) != fingerprintSaltLen+fingerprintMACLen {
		return false, false
	}
	return hmac.Equal(fingerprintMAC(b[:fingerprintSaltLen], key), b[fingerprintSaltLen:]), true
}

func legacyFingerprintMatches(raw []byte, key string) (matches, present bool) {
	var f legacyFingerprint
	if err := json.Unmarshal(raw, &f); err != nil || f.HMAC == "" {
		return false, false
	}
	salt, err := hex.DecodeString(f.Salt)
	return err == nil && stripekey.Fingerprint(salt, key) == f.HMAC, true
}

// isLegacyFingerprint reports a usable fingerprint of an earlier build.
func isLegacyFingerprint(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '"' {
		return false
	}
	_, present := legacyFingerprintMatches(raw, "")
	return present
}
