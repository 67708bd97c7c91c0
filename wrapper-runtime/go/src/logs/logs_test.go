package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func parse(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		out = append(out, m)
	}
	return out
}

func TestLog_WritesOneJSONLineWithTheContractsFields(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "hello")
	l.now = func() time.Time { return time.Date(2026, 11, 22, 21, 40, 23, 870_000_000, time.FixedZone("x", 3600)) }

	l.Log(Info, "req-1", "two\nlines <b>&")
	l.Log(Warn, "", "no call")

	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), buf.String())
	}
	if lines[0] != `{"time":"2026-11-22T20:40:23.870Z","level":"info","function":"hello","requestId":"req-1","message":"two\nlines <b>&"}` {
		t.Fatalf("line: %s", lines[0])
	}
	if !strings.Contains(lines[1], `"requestId":null`) {
		t.Fatalf("line: %s", lines[1])
	}
	var unnamed bytes.Buffer
	New(&unnamed, "").Log(Info, "", "x")
	if !strings.Contains(unnamed.String(), `"function":null`) {
		t.Fatalf("line: %s", unnamed.String())
	}
}

func TestCalls_OnlyNamesTheCallWhenExactlyOneRuns(t *testing.T) {
	var c Calls
	if c.Only() != "" {
		t.Fatal("no call yet")
	}
	endA := c.Begin("a")
	if c.Only() != "a" {
		t.Fatal("one call")
	}
	endB := c.Begin("b")
	if c.Only() != "" || c.Count() != 2 {
		t.Fatal("two calls cannot be told apart")
	}
	endA()
	endA() // ending twice is harmless
	if c.Only() != "b" || c.Count() != 1 {
		t.Fatal("b left")
	}
	endB()
	if c.Count() != 0 {
		t.Fatal("none left")
	}
}

func TestWriter_OneLinePerWrite(t *testing.T) {
	var buf bytes.Buffer
	calls := &Calls{}
	end := calls.Begin("req-9")
	defer end()
	logger := log.New(Writer{Logger: New(&buf, "f"), Level: Warn, Calls: calls}, "", 0)

	logger.Printf("multi\nline %d", 1)

	got := parse(t, buf.String())
	if len(got) != 1 || got[0]["message"] != "multi\nline 1" || got[0]["level"] != "warn" || got[0]["requestId"] != "req-9" {
		t.Fatalf("%v", got)
	}
}

func TestStdio_TurnsPrintedOutputAndTheLogPackageIntoLines(t *testing.T) {
	var buf lockedBuffer
	calls := &Calls{}
	stdout, stderr := os.Stdout, os.Stderr
	capture, err := Stdio(New(&buf, "f"), calls)
	if err != nil {
		t.Fatal(err)
	}
	defer log.SetOutput(os.Stderr)
	end := calls.Begin("req-1")

	fmt.Println("printed")
	fmt.Fprint(os.Stdout, "partial ")
	fmt.Fprintln(os.Stdout, "line")
	fmt.Fprintln(os.Stderr, "to stderr")
	log.Printf("logged %s", "call")
	fmt.Print(strings.Repeat("y", maxLine+10) + "\n")
	fmt.Fprint(os.Stdout, "partial before the sync")
	capture.Sync(2 * time.Second) // what was printed is out while the call is still in flight
	end()
	fmt.Print("no newline at the end")
	capture.Close(2 * time.Second)

	if os.Stdout != stdout || os.Stderr != stderr {
		t.Fatal("Close did not restore os.Stdout and os.Stderr")
	}
	byMessage := map[string]map[string]any{}
	long := 0
	for _, line := range parse(t, buf.String()) {
		m := line["message"].(string)
		if strings.HasPrefix(m, "yyy") {
			long += len(m)
			continue
		}
		byMessage[m] = line
	}
	for message, level := range map[string]string{"printed": Info, "partial line": Info, "to stderr": Error, "logged call": Info, "partial before the sync": Info, "no newline at the end": Info} {
		line, ok := byMessage[message]
		if !ok {
			t.Errorf("no line %q in %d lines", message, len(byMessage))
			continue
		}
		wantID := any("req-1")
		if message == "no newline at the end" {
			wantID = nil // written out by Close, after the call
		}
		if line["level"] != level || line["requestId"] != wantID || line["function"] != "f" {
			t.Errorf("line %q: %v", message, line)
		}
	}
	if long != maxLine+10 {
		t.Errorf("a long line is split, not lost: %d bytes of %d", long, maxLine+10)
	}
}

func TestSync_LinesPrintedDuringACallCarryItsID(t *testing.T) {
	var buf lockedBuffer
	calls := &Calls{}
	capture, err := Stdio(New(&buf, "f"), calls)
	if err != nil {
		t.Fatal(err)
	}
	defer log.SetOutput(os.Stderr)
	for i := 0; i < 200; i++ {
		end := calls.Begin(fmt.Sprintf("req-%d", i))
		fmt.Printf("call %d\n", i)
		capture.Sync(time.Second)
		end()
	}
	capture.Close(2 * time.Second)

	lines := parse(t, buf.String())
	if len(lines) != 200 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, line := range lines {
		if line["message"] != fmt.Sprintf("call %d", i) || line["requestId"] != fmt.Sprintf("req-%d", i) {
			t.Fatalf("line %d: %v", i, line)
		}
	}
}
