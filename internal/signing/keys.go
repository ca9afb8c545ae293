package signing

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"

	"aead.dev/minisign"
)

// Keygen makes a key pair: the secret key at secretPath (encrypted with
// password as minisign does; without a password when it is empty, as
// `minisign -G -W`) and the public key at publicPath. It never overwrites
// a file and returns the key ID.
func Keygen(secretPath, publicPath, password string) (string, error) {
	for _, p := range []string{secretPath, publicPath} {
		if _, err := os.Stat(p); err == nil {
			return "", fmt.Errorf("%s already exists; not overwriting a key", p)
		}
	}
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	var secret []byte
	if password == "" {
		text, err := priv.MarshalText()
		if err != nil {
			return "", err
		}
		secret = text // with minisign's comment line
	} else if secret, err = minisign.EncryptKey(password, priv); err != nil {
		return "", err
	}
	pubText, err := pub.MarshalText()
	if err != nil {
		return "", err
	}
	id := KeyID(pub.ID())
	public := string(pubText) + "\n" // "untrusted comment: minisign public key ID" and the key
	if err := writeNew(secretPath, append(bytes.TrimSpace(secret), '\n'), 0o600); err != nil {
		return "", err
	}
	if err := writeNew(publicPath, []byte(public), 0o644); err != nil {
		_ = os.Remove(secretPath)
		return "", err
	}
	return id, nil
}

// LoadSecret reads a secret key file made by Keygen or by minisign,
// encrypted or not.
func LoadSecret(path, password string) (minisign.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return minisign.PrivateKey{}, err
	}
	if minisign.IsEncrypted(data) {
		if password == "" {
			return minisign.PrivateKey{}, fmt.Errorf("%s is encrypted: give its password", path)
		}
		key, err := minisign.DecryptKey(password, data)
		if err != nil {
			return key, fmt.Errorf("%s: wrong password, or not a minisign secret key", path)
		}
		return key, nil
	}
	var key minisign.PrivateKey
	if err := key.UnmarshalText(bytes.TrimSpace(data)); err != nil {
		return key, fmt.Errorf("%s: not a minisign secret key: %w", path, err)
	}
	return key, nil
}

// Sign signs manifest in minisign's default (pre-hashed) form, as
// `minisign -Sm pack.json` does.
func Sign(key minisign.PrivateKey, manifest []byte) ([]byte, error) {
	if len(manifest) == 0 {
		return nil, errors.New("nothing to sign")
	}
	r := minisign.NewReader(bytes.NewReader(manifest))
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, err
	}
	return r.Sign(key), nil
}

func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		_ = os.Remove(path)
		return err
	}
	return f.Close()
}

// IsEncrypted reports whether a secret key file needs a password.
func IsEncrypted(secretFile []byte) bool { return minisign.IsEncrypted(secretFile) }
