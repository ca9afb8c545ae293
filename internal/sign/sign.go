// Package sign makes and checks minisign keys and signatures, compatible
// with the standard minisign tool (https://jedisct1.github.io/minisign/).
//
// A pack's pack.json is signed as a detached signature, pack.json.minisig.
// Keygen and SignFile write the same files as "minisign -G" and
// "minisign -Sm"; Verify accepts signatures from either, both the legacy
// (Ed) and the prehashed (ED) kind. Key IDs are written as minisign writes
// them in its public key files, in upper-case hexadecimal, so an operator
// can compare them.
package sign

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
)

// ErrWrongPassword is returned when a secret key cannot be decrypted with
// the password given, including when it is encrypted and no password is
// given.
var ErrWrongPassword = errors.New("wrong password for the secret key")

// untrustedComment is what minisign writes on a signature's first line.
const untrustedComment = "signature from minisign secret key"

// Keygen makes a new key pair and writes the secret key to secretPath (mode
// 0600) and the public key to publicPath, in minisign's formats. The secret
// key is encrypted with password as minisign does; an empty password leaves
// it unencrypted, like "minisign -G -W". Keygen refuses to overwrite an
// existing file (the error wraps fs.ErrExist). It returns the public key as
// the one-line base64 string ("RW…") that "minisign -P" takes.
func Keygen(secretPath, publicPath, password string) (publicKey string, err error) {
	if secretPath == "" || publicPath == "" {
		return "", errors.New("keygen: both a secret key file and a public key file are needed")
	}
	if filepath.Clean(secretPath) == filepath.Clean(publicPath) {
		return "", fmt.Errorf("keygen: the secret and the public key cannot both be written to %s", secretPath)
	}
	for _, p := range []string{secretPath, publicPath} {
		if _, err := os.Lstat(p); err == nil {
			return "", fmt.Errorf("%s already exists; refusing to overwrite a key file: %w", p, fs.ErrExist)
		}
	}
	pub, priv, err := minisign.GenerateKey(nil)
	if err != nil {
		return "", fmt.Errorf("keygen: %w", err)
	}
	var sec []byte
	if password == "" {
		sec, err = priv.MarshalText()
	} else {
		sec, err = minisign.EncryptKey(password, priv)
	}
	if err != nil {
		return "", fmt.Errorf("keygen: %w", err)
	}
	sec = append(sec, '\n')
	pk := PublicKey{pub}
	if err := createFile(secretPath, sec, 0o600); err != nil {
		return "", err
	}
	if err := createFile(publicPath, pk.fileContent(), 0o644); err != nil {
		_ = os.Remove(secretPath)
		return "", err
	}
	return pk.String(), nil
}

// createFile writes a new file, failing if it already exists.
func createFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; refusing to overwrite a key file: %w", path, fs.ErrExist)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// loadSecretKey decodes a minisign secret key file, decrypting it with
// password when it is encrypted. The password of an unencrypted key (one
// made with "minisign -G -W" or Keygen with an empty password) is ignored.
func loadSecretKey(secretKeyFile []byte, password string) (minisign.PrivateKey, error) {
	if len(secretKeyFile) > MaxKeyFileBytes {
		return minisign.PrivateKey{}, fmt.Errorf("not a minisign secret key: %d bytes; a key file is at most %d", len(secretKeyFile), MaxKeyFileBytes)
	}
	if minisign.IsEncrypted(secretKeyFile) {
		if password == "" {
			return minisign.PrivateKey{}, fmt.Errorf("%w: the key is encrypted and no password was given", ErrWrongPassword)
		}
		key, err := minisign.DecryptKey(password, secretKeyFile)
		if err != nil {
			return minisign.PrivateKey{}, ErrWrongPassword
		}
		return key, nil
	}
	var key minisign.PrivateKey
	if err := key.UnmarshalText(bytes.TrimSpace(secretKeyFile)); err != nil {
		return minisign.PrivateKey{}, fmt.Errorf("not a minisign secret key (%s)", strings.TrimPrefix(err.Error(), "minisign: "))
	}
	return key, nil
}

// Sign signs msg with the secret key in secretKeyFile (the contents of a
// minisign secret key file), decrypting it with password, and returns the
// contents of a minisign signature file. The signature is prehashed (ED),
// as "minisign -S" makes by default.
func Sign(secretKeyFile []byte, password string, msg []byte) ([]byte, error) {
	key, err := loadSecretKey(secretKeyFile, password)
	if err != nil {
		return nil, err
	}
	return sign(key, msg, "", true), nil
}

// sign signs msg, prehashed or not, with a trusted comment like minisign's:
// the time, the file's base name when known, and "hashed" when prehashed.
func sign(key minisign.PrivateKey, msg []byte, file string, hashed bool) []byte {
	if !hashed {
		return minisign.SignWithComments(key, msg, trustedComment(file, false), untrustedComment)
	}
	r := minisign.NewReader(bytes.NewReader(msg))
	_, _ = io.Copy(io.Discard, r) // reading from a bytes.Reader cannot fail
	return r.SignWithComments(key, trustedComment(file, true), untrustedComment)
}

// trustedComment is the time, the file's base name when known, and
// "hashed" when prehashed, as minisign writes it.
func trustedComment(file string, hashed bool) string {
	trusted := "timestamp:" + strconv.FormatInt(time.Now().Unix(), 10)
	if file != "" {
		trusted += "\tfile:" + file
	}
	if hashed {
		trusted += "\thashed"
	}
	return trusted
}

// SignFile signs the file target with the secret key in the file
// secretPath, decrypted with password, and writes the signature to
// target+".minisig" (through a temporary file renamed into place), as
// "minisign -Sm target -s secretPath" does. The target is read as a
// stream, prehashed, so its size does not matter.
func SignFile(secretPath, password, target string) error {
	sec, err := ReadKeyFile(secretPath)
	if err != nil {
		return err
	}
	key, err := loadSecretKey(sec, password)
	if err != nil {
		return fmt.Errorf("%s: %w", secretPath, err)
	}
	f, err := os.Open(target)
	if err != nil {
		return err
	}
	defer f.Close()
	r := minisign.NewReader(f)
	if _, err := io.Copy(io.Discard, r); err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	return atomicfile.Write(target+".minisig", r.SignWithComments(key, trustedComment(filepath.Base(target), true), untrustedComment), 0o644)
}
