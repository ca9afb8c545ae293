package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
	"github.com/solidarity-kiosk/kiosk/internal/regfile"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
)

// defaultSecretKey is where minisign keeps its secret key, so a key made
// here signs with `minisign -S` too, and the reverse.
func defaultSecretKey() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "minisign.key"
	}
	return filepath.Join(home, ".minisign", "minisign.key")
}

const keygenHelp = `Usage: kiosk pack keygen [flags]

Makes a minisign key pair for signing packs: the secret key stays with
you, the public key goes to every kiosk (trusted_key in its config file).
Keys made here work with minisign, and the reverse.
`

const signHelp = `Usage: kiosk pack sign [flags] PACK...

Signs pack folders or .zip files with your secret key (minisign's default
place unless -s), writing the signature into the pack; a .zip keeps its
file mode. Kiosks with your public key as trusted_key accept them.
`

// keyFlags are the flags of keygen and sign.
type keyFlags struct {
	secret, public, passwordFile string
	noPassword                   bool
}

func (k *keyFlags) register(fs *flag.FlagSet, public bool) {
	fs.StringVar(&k.secret, "s", defaultSecretKey(), "secret key file (minisign's default place)")
	fs.StringVar(&k.passwordFile, "password-file", "", "file holding the secret key's password (default: asked on the terminal, or read from standard input)")
	if public {
		fs.StringVar(&k.public, "p", "minisign.pub", "public key file to write; give it to the kiosks (trusted_key)")
		fs.BoolVar(&k.noPassword, "no-password", false, "do not encrypt the secret key (as minisign -W)")
	}
}

func packKeygen(args []string, env Env) int {
	fs := flag.NewFlagSet("kiosk pack keygen", flag.ContinueOnError)
	var k keyFlags
	k.register(fs, true)
	rest, code, ok := parseFlags(fs, args, env, keygenHelp, true)
	if !ok {
		return code
	}
	if !noArgs("pack keygen", rest, env.Stderr) {
		return ExitUsage
	}
	if env.parseOnly {
		return ExitOK
	}
	password := ""
	if !k.noPassword {
		var err error
		if password, err = readPassword(env, k.passwordFile, true); err != nil {
			return fail(env, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(k.secret), 0o700); err != nil {
		return fail(env, err)
	}
	pk, err := sign.Keygen(k.secret, k.public, password)
	if err != nil {
		return fail(env, err)
	}
	key, err := sign.ParsePublicKey(pk)
	if err != nil {
		return fail(env, err)
	}
	id := key.ID()
	fmt.Fprintf(env.Stdout, "key %s\nsecret key: %s (keep it to yourself)\npublic key: %s (put it on every kiosk: trusted_key = %q in the config file)\n",
		id, k.secret, k.public, k.public)
	return ExitOK
}

func packSign(args []string, env Env) int {
	fs := flag.NewFlagSet("kiosk pack sign", flag.ContinueOnError)
	var k keyFlags
	k.register(fs, false)
	paths, code, ok := parseFlags(fs, args, env, signHelp, true)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(env.Stderr, "kiosk pack sign: name the pack folder or .zip to sign")
		return ExitUsage
	}
	if env.parseOnly {
		return ExitOK
	}
	// Ctrl+C and SIGTERM end signing within the grace period, removing the
	// temporary copy of the pack (signing a large zip is not interrupted).
	ctx, stop := signalContext()
	defer stop()
	for _, path := range paths {
		if c := signPack(ctx, env, path, k.secret, k.passwordFile); c != ExitOK {
			code = c
		}
	}
	return code
}

// signPack signs one pack with the secret key file.
func signPack(ctx context.Context, env Env, path, secret, passwordFile string) int {
	password := ""
	data, err := sign.ReadKeyFile(secret)
	if err != nil {
		return fail(env, fmt.Errorf("secret key: %w (make one with: kiosk pack keygen)", err))
	}
	if sign.IsEncrypted(data) {
		if password, err = readPassword(env, passwordFile, false); err != nil {
			return fail(env, err)
		}
	}
	err = packbuild.SignPack(ctx, path, func(m []byte) ([]byte, error) { return sign.Sign(data, password, m) })
	if err != nil {
		return fail(env, fmt.Errorf("signing %s with %s: %w", path, secret, err))
	}
	fmt.Fprintf(env.Stdout, "%s: signed with %s\n", path, secret)
	return ExitOK
}

// readPassword reads the password from a file, the terminal (twice when
// confirm) or, when standard input is not a terminal, its first line.
func readPassword(env Env, file string, confirm bool) (string, error) {
	if file != "" {
		data, err := regfile.Read(file, maxPasswordFileBytes)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(data), "\r\n"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		if line = strings.TrimRight(line, "\r\n"); line == "" {
			return "", errors.New("no password: give --password-file, type it on a terminal, or use --no-password when making a key")
		}
		return line, nil
	}
	fmt.Fprint(env.Stderr, "Password: ")
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", err
	}
	if confirm {
		fmt.Fprint(env.Stderr, "Password (again): ")
		again, err := term.ReadPassword(fd)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
		if string(again) != string(pw) {
			return "", errors.New("the passwords differ")
		}
	}
	if len(pw) == 0 {
		return "", errors.New("empty password (use --no-password for a key without one)")
	}
	return string(pw), nil
}

// maxPasswordFileBytes bounds a --password-file: a password, not a file.
const maxPasswordFileBytes = 4 << 10
