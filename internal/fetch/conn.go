package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
)

// wire counts the bytes of one check on the connection, both ways: headers,
// body and, for https, the TLS handshake and record overhead. touch, if
// set, is called whenever bytes arrive.
type wire struct {
	read, written atomic.Int64
	touch         func()
}

type wireKey struct{}

// withWire makes connections dialled for requests under ctx count into w.
func withWire(ctx context.Context, w *wire) context.Context {
	return context.WithValue(ctx, wireKey{}, w)
}

// countingConn adds what passes through a connection to a wire.
type countingConn struct {
	net.Conn
	w *wire
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.w.read.Add(int64(n))
		if c.w.touch != nil {
			c.w.touch()
		}
	}
	return n, err
}

// Write counts p before it can reach the server (and takes back what was
// not written): the goroutine that writes a request may return from Write
// only after the answer has been read and the check has ended.
func (c countingConn) Write(p []byte) (int, error) {
	c.w.written.Add(int64(len(p)))
	n, err := c.Conn.Write(p)
	c.w.written.Add(int64(n - len(p)))
	return n, err
}

// maxHeaderBytes bounds the headers of a response to the Fetcher's own
// client (net/http's default is 1 MiB).
const maxHeaderBytes = 64 << 10

// newClient makes the Fetcher's own client: bounded connect and TLS
// handshake, response headers of at most maxHeaderBytes, a fresh
// connection per check (so the bytes of a check are the bytes of its
// connection), no transparent gzip (a zip does not shrink, and
// Content-Length stays the file's length), and redirects only to URLs that
// ValidateURL accepts.
func newClient(opt Options) *http.Client {
	d := &net.Dialer{Timeout: opt.ConnectTimeout}
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if w, ok := ctx.Value(wireKey{}).(*wire); ok && err == nil {
				c = countingConn{Conn: c, w: w}
			}
			return c, err
		},
		TLSClientConfig:        opt.TLSConfig,
		TLSHandshakeTimeout:    opt.ConnectTimeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableKeepAlives:      true,
		DisableCompression:     true,
	}
	return &http.Client{Transport: tr, CheckRedirect: redirectPolicy(opt.AllowHTTP)}
}

// redirectPolicy follows at most 10 redirects, each to a URL ValidateURL
// accepts: an https pack never silently turns into an http one.
func redirectPolicy(allowHTTP bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if err := ValidateURL(req.URL.String(), allowHTTP); err != nil {
			return fmt.Errorf("redirected: %w", err)
		}
		return nil
	}
}

// clientFor returns the client to use: the caller's (with the redirect
// policy added when it has none) or a new one of our own.
func clientFor(opt Options) (c *http.Client, counts bool) {
	if opt.Client == nil {
		return newClient(opt), true
	}
	own := *opt.Client
	if own.CheckRedirect == nil {
		own.CheckRedirect = redirectPolicy(opt.AllowHTTP)
	}
	return &own, false
}
