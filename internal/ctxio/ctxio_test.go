package ctxio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	if _, err := io.Copy(Writer(ctx, &out), Reader(ctx, strings.NewReader("before"))); err != nil || out.String() != "before" {
		t.Fatalf("a live copy: %q, %v", out.String(), err)
	}
	cancel()
	if _, err := Reader(ctx, strings.NewReader("after")).Read(make([]byte, 8)); !errors.Is(err, context.Canceled) {
		t.Fatalf("read after cancel: %v", err)
	}
	if _, err := Writer(ctx, &out).Write([]byte("after")); !errors.Is(err, context.Canceled) || out.String() != "before" {
		t.Fatalf("write after cancel: %v, %q", err, out.String())
	}
}
