package wire

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadGatewayErrorFindsCodeBeforeLimit(t *testing.T) {
	t.Parallel()
	body := `{"errorCode":42901,"description":"` + strings.Repeat("x", 1<<20) + `"}`
	g, ok := ReadGatewayError(io.LimitReader(strings.NewReader(body), 64<<10))
	if !ok || g.Code != 42901 {
		t.Fatalf("got %+v, %v; want code 42901 from a body cut at 64 KiB", g, ok)
	}
}

func TestReadGatewayErrorAgreesWithParse(t *testing.T) {
	t.Parallel()
	for _, body := range seedBodies {
		if body == `{` || body == `{"a":"\u00e6\ud800"}` {
			continue
		}
		want, wantOK := ParseGatewayError([]byte(body))
		got, ok := ReadGatewayError(iotest.OneByteReader(strings.NewReader(body)))
		if got != want || ok != wantOK {
			t.Errorf("%s:\n stream %+v, %v\n parse  %+v, %v", body, got, ok, want, wantOK)
		}
	}
}

func TestReadGatewayErrorRejects(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", "<html>", `[{"errorCode":1}]`, `"x"`, `{}`, `{"a":1}`, `{"errorCode":`} {
		if g, ok := ReadGatewayError(strings.NewReader(body)); ok || g != (GatewayError{}) {
			t.Errorf("%q: got %+v, %v", body, g, ok)
		}
	}
}

func TestReadErrorBodyKeepsHeadAndDrains(t *testing.T) {
	t.Parallel()
	body := `{"description":"` + strings.Repeat("d", 20<<10) + `","errorCode":42901}` + strings.Repeat(" ", 100)
	r := strings.NewReader(body)
	head, g, ok := ReadErrorBody(r, 4<<10, 64<<10)
	if !ok || g.Code != 42901 {
		t.Fatalf("got %+v, %v", g, ok)
	}
	if string(head) != body[:4<<10] {
		t.Fatalf("head is %d bytes, want the first 4 KiB", len(head))
	}
	if r.Len() != 0 {
		t.Fatalf("%d bytes left unread: the connection would not be reused", r.Len())
	}

	r = strings.NewReader(strings.Repeat("<p>", 100<<10))
	head, _, ok = ReadErrorBody(r, 4<<10, 64<<10)
	if ok || len(head) != 4<<10 || r.Len() != 300<<10-64<<10 {
		t.Fatalf("ok %v, head %d, left %d: want no code, 4 KiB kept, 64 KiB read", ok, len(head), r.Len())
	}
	if head, _, _ := ReadErrorBody(strings.NewReader(""), 4<<10, 64<<10); head != nil {
		t.Fatalf("empty body gives %q", head)
	}
}

func TestPeekGatewayErrorGivesTheBodyBack(t *testing.T) {
	t.Parallel()
	body := `{"errorCode":42902,"description":"` + strings.Repeat("z", 200<<10) + `"}`
	rc := io.NopCloser(strings.NewReader(body))
	if g := PeekGatewayError(&rc, 64<<10); g.Code != 42902 {
		t.Fatalf("code %d", g.Code)
	}
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, []byte(body)) {
		t.Fatalf("body back: %d bytes, %v; want %d", len(got), err, len(body))
	}
}
