package fetch_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// nginx is a real nginx serving a folder on 127.0.0.1.
type nginx struct {
	www  string // the document root
	url  string // http://127.0.0.1:port
	cmd  *exec.Cmd
	logs string
}

// findNginx returns the nginx binary; without one the test is skipped,
// except in CI (the CI variable is set), where it fails.
func findNginx(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("nginx missing in CI (make test installs it)")
	}
	t.Skip("nginx not installed")
	return ""
}

// freePort finds a port on 127.0.0.1 nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

const nginxConf = `daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 64; }
http {
	access_log %[1]s/access.log;
	client_body_temp_path %[1]s/client_body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	types { application/zip zip; }
	server {
		listen 127.0.0.1:%[2]d;
		root %[1]s/www;
	}
}
`

// startNginx runs nginx as a child process (one process, no daemon, no
// master, everything under a temporary folder) until the test ends.
func startNginx(t *testing.T) *nginx {
	t.Helper()
	bin := findNginx(t)
	dir := t.TempDir()
	n := &nginx{www: filepath.Join(dir, "www"), logs: dir}
	if err := os.Mkdir(n.www, 0o755); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, dir, port), 0o644); err != nil {
		t.Fatal(err)
	}
	n.cmd = exec.Command(bin, "-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log"))
	n.cmd.Stdout, n.cmd.Stderr = os.Stderr, os.Stderr
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.stop)
	n.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	n.waitListening(t, port)
	return n
}

// waitListening waits until nginx accepts connections.
func (n *nginx) waitListening(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(n.logs, "error.log"))
			t.Fatalf("nginx does not listen on %d: %v\n%s", port, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills nginx and waits for it; calling it again does nothing.
func (n *nginx) stop() {
	if n.cmd.ProcessState != nil {
		return
	}
	_ = n.cmd.Process.Kill()
	_ = n.cmd.Wait()
}

// packZip makes a real portrait pack of people people as zip bytes.
func packZip(t *testing.T, id string, people int) []byte {
	t.Helper()
	dir := t.TempDir()
	err := testpack.Write(dir, testpack.Options{
		ID: id, People: people, W: 64, H: 80,
		Encode: func(img *image.RGBA) ([]byte, error) {
			var b bytes.Buffer
			err := jpeg.Encode(&b, img, nil)
			return b.Bytes(), err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	if err := zw.AddFS(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// publish puts data at www/pack.zip with the given modification time.
func (n *nginx) publish(t *testing.T, data []byte, mtime time.Time) {
	t.Helper()
	p := filepath.Join(n.www, "pack.zip")
	tmp := p + ".new"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// TestAgainstNginx follows one URL pack through its life against a real
// static server: first download, unchanged re-checks, a new version, a
// kiosk restart, and the server going away.
func TestAgainstNginx(t *testing.T) {
	n := startNginx(t)
	e := newEnv(t)
	u := n.url + "/pack.zip"
	f := e.fetcher(t)

	v1 := packZip(t, "fetch-v1", 3)
	n.publish(t, v1, time.Now().Add(-time.Hour).Truncate(time.Second))
	wantImported(t, e, f, u, v1, 1)
	for i := range 2 {
		wantHeadersOnly(t, e, f, u, i)
	}

	// A new version (new content, new mtime) is imported.
	v2 := packZip(t, "fetch-v2", 4)
	n.publish(t, v2, time.Now().Truncate(time.Second))
	wantImported(t, e, f, u, v2, 2)

	// A restart (a new Fetcher on the same Dir) does not download again.
	wantHeadersOnly(t, e, e.fetcher(t), u, 2)

	// The server goes away: offline, nothing imported, retries back off.
	n.stop()
	checkOfflineBackoff(t, e, u)
}

// wantImported checks u and wants it imported, byte for byte, as the
// imports-th import.
func wantImported(t *testing.T, e *env, f *fetch.Fetcher, u string, pack []byte, imports int) {
	t.Helper()
	res, err := f.Check(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	got := e.im.last(t)
	if res.State != fetch.StateImported || e.im.count() != imports || !bytes.Equal(got.data, pack) {
		t.Fatalf("%+v, %d imports, %d of %d bytes equal", res, e.im.count(), len(got.data), len(pack))
	}
	if res.ETag == "" || res.LastModified == "" {
		t.Errorf("nginx sent no validators: %+v", res)
	}
	if res.Transferred() <= int64(len(pack)) {
		t.Errorf("transferred %d bytes for a %d-byte pack", res.Transferred(), len(pack))
	}
	e.wantNothingLeft(t)
}

// wantHeadersOnly checks an unchanged u: a 304, nothing imported, and only
// headers on the wire.
func wantHeadersOnly(t *testing.T, e *env, f *fetch.Fetcher, u string, i int) {
	t.Helper()
	imports := e.im.count()
	res, err := f.Check(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if res.State != fetch.StateUpToDate || res.StatusCode != 304 || e.im.count() != imports {
		t.Fatalf("re-check %d: %+v, %d imports", i, res, e.im.count())
	}
	if res.Transferred() >= 1024 || res.WireRead == 0 || res.WireWritten == 0 || res.BodyBytes != 0 {
		t.Errorf("re-check %d moved %d bytes (%d in, %d out), want headers only (< 1 KiB)",
			i, res.Transferred(), res.WireRead, res.WireWritten)
	}
	t.Logf("unchanged re-check %d: %d bytes transferred (%d received, %d sent)",
		i, res.Transferred(), res.WireRead, res.WireWritten)
}

// checkOfflineBackoff runs the URL's loop against a dead server until six
// retries have been scheduled, and checks the statuses and the delays.
func checkOfflineBackoff(t *testing.T, e *env, u string) {
	t.Helper()
	imports := e.im.count()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sl := &sleeper{stopAfter: 6, cancel: cancel}
	e.opt.Sleep, e.opt.Rand, e.opt.Interval = sl.Sleep, constant(0.75), time.Minute
	before := len(e.rec.finals())
	e.fetcher(t).Keep(ctx, u)

	want := []time.Duration{3750 * time.Millisecond, 7500 * time.Millisecond, 15 * time.Second, 30 * time.Second, 45 * time.Second, 45 * time.Second}
	delays := sl.recorded()
	if !slices.Equal(delays, want) {
		t.Errorf("retry delays = %v, want %v", delays, want)
	}
	finals := e.rec.finals()[before:]
	if len(finals) != len(want) {
		t.Fatalf("%d final statuses, want %d", len(finals), len(want))
	}
	for i, s := range finals {
		var op *net.OpError
		if s.State != fetch.StateOffline || !errors.As(s.Err, &op) || !strings.Contains(s.Err.Error(), u+": offline:") {
			t.Errorf("status %d = %q, %v; want offline with the network error", i, s.State, s.Err)
		}
		if !s.NextCheck.Equal(clock.Add(want[i])) || !s.LastSuccess.Equal(clock) {
			t.Errorf("status %d: next %v, last success %v", i, s.NextCheck, s.LastSuccess)
		}
	}
	if e.im.count() != imports {
		t.Errorf("Import called while offline")
	}
	if left := e.leftovers(t); len(left) > 0 {
		t.Errorf("left in Dir: %v", left)
	}
}
