package sign_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/solidarity-kiosk/kiosk/internal/sign"
)

func Example() {
	dir, err := os.MkdirTemp("", "sign-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// The publisher makes a key pair once (an empty password leaves the
	// secret key unencrypted, like "minisign -G -W")...
	sec, pub := filepath.Join(dir, "publisher.key"), filepath.Join(dir, "publisher.pub")
	pubKey, err := sign.Keygen(sec, pub, "")
	if err != nil {
		log.Fatal(err)
	}
	// ... and signs each pack's pack.json, writing pack.json.minisig.
	manifest := filepath.Join(dir, "pack.json")
	if err := os.WriteFile(manifest, []byte(`{"format":1}`), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := sign.SignFile(sec, "", manifest); err != nil {
		log.Fatal(err)
	}

	// The kiosk trusts the public key, given as a string or a .pub file.
	keys, err := sign.LoadTrusted([]string{pubKey, pub})
	if err != nil {
		log.Fatal(err)
	}
	data, _ := os.ReadFile(manifest)
	sig, _ := os.ReadFile(manifest + ".minisig")
	id, err := sign.Verify(keys, data, sig)
	fmt.Println("verified:", err == nil, "by the trusted key:", id == keys.IDs()[0])

	// A manifest changed after signing is refused.
	_, err = sign.Verify(keys, []byte(`{"format":2}`), sig)
	fmt.Println(errors.Is(err, sign.ErrMismatch))
	fmt.Println(err)

	// Output:
	// verified: true by the trusted key: true
	// true
	// pack.json.minisig: signature does not match pack.json (the manifest was changed after signing)
}
