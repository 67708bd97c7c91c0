package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"epsilon.local/runtime/logs"
)

// lockedBuffer collects log lines written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

type fixture struct {
	url  string
	logs *lockedBuffer
}

func start(t *testing.T, timeout time.Duration, fn http.HandlerFunc) fixture {
	t.Helper()
	buf := &lockedBuffer{}
	h := New(Options{Function: "go-test", Timeout: timeout, Handler: fn, Log: logs.New(buf, "go-test"), Calls: &logs.Calls{}})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return fixture{url: srv.URL, logs: buf}
}

func errorOf(t *testing.T, res *http.Response) (string, string) {
	t.Helper()
	var body errorBody
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("error body is not JSON: %v", err)
	}
	return body.Error.Code, body.Error.Message
}

func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Echo", "yes")
	status := http.StatusOK
	if s := r.URL.Query().Get("status"); s != "" {
		_, _ = fmt.Sscan(s, &status)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery, "header": r.Header.Get("X-Test"),
		"body": string(body), "requestId": r.Header.Get(RequestIDHeader),
	})
}

func TestReady_AnswersJSONWithoutCallingTheFunction(t *testing.T) {
	called := false
	f := start(t, 1500*time.Millisecond, func(w http.ResponseWriter, r *http.Request) { called = true })

	res, err := http.Get(f.url + ReadyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)

	if res.StatusCode != 200 || string(body) != `{"status":"ready","function":"go-test","timeoutMs":1500}` {
		t.Fatalf("ready: %d %s", res.StatusCode, body)
	}
	if res.Header.Get("Content-Type") != "application/json" || called {
		t.Fatalf("content type %q, called %v", res.Header.Get("Content-Type"), called)
	}
}

func TestCall_PassesMethodPathQueryHeadersAndBodyAndTheFunctionsStatus(t *testing.T) {
	f := start(t, time.Second, echo)
	req, _ := http.NewRequest(http.MethodPut, f.url+"/orders/42?expand=items&tag=a%20b&status=201", strings.NewReader(`{"q":3}`))
	req.Header.Set("X-Test", "header-value")
	req.Header.Set(RequestIDHeader, "given-id-1")

	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got map[string]string
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}

	if res.StatusCode != 201 || res.Header.Get("X-Echo") != "yes" || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d headers %v", res.StatusCode, res.Header)
	}
	want := map[string]string{"method": "PUT", "path": "/orders/42", "query": "expand=items&tag=a%20b&status=201",
		"header": "header-value", "body": `{"q":3}`, "requestId": "given-id-1"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if res.Header.Get(RequestIDHeader) != "given-id-1" {
		t.Errorf("request id echoed as %q", res.Header.Get(RequestIDHeader))
	}
	if res.ContentLength <= 0 {
		t.Errorf("the buffered answer has a Content-Length, got %d", res.ContentLength)
	}
}

func TestCall_WithoutRequestId_GetsAGeneratedOneSeenByTheFunction(t *testing.T) {
	f := start(t, time.Second, echo)
	req, _ := http.NewRequest(http.MethodGet, f.url+"/", nil)
	req.Header.Set(RequestIDHeader, strings.Repeat("x", 201)) // too long: replaced

	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got map[string]string
	_ = json.NewDecoder(res.Body).Decode(&got)

	id := res.Header.Get(RequestIDHeader)
	if len(id) != 36 || id[14] != '4' || got["requestId"] != id {
		t.Fatalf("generated id %q, the function saw %q", id, got["requestId"])
	}
}

func TestCall_FunctionWritingNothing_Is200Empty(t *testing.T) {
	f := start(t, time.Second, func(w http.ResponseWriter, r *http.Request) {})

	res, err := http.Get(f.url + "/silent")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)

	if res.StatusCode != 200 || len(body) != 0 || res.Header.Get(RequestIDHeader) == "" {
		t.Fatalf("%d %q %v", res.StatusCode, body, res.Header)
	}
}

func TestCall_Panic_Is500JSONWithoutTheFunctionsHeadersAndTheServerLivesOn(t *testing.T) {
	calls := 0
	f := start(t, time.Second, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.URL.Path == "/panic" {
			w.Header().Set("X-Leak", "no")
			_, _ = w.Write([]byte("half an answer"))
			panic("boom from the function")
		}
		_, _ = fmt.Fprintf(w, "call %d", calls)
	})

	res, err := http.Get(f.url + "/panic")
	if err != nil {
		t.Fatal(err)
	}
	code, message := errorOf(t, res)
	res.Body.Close()
	if res.StatusCode != 500 || code != "FunctionError" || message != "boom from the function" {
		t.Fatalf("panic answered %d %s %q", res.StatusCode, code, message)
	}
	if res.Header.Get("X-Leak") != "" || res.Header.Get(RequestIDHeader) == "" {
		t.Fatalf("headers %v", res.Header)
	}

	res, err = http.Get(f.url + "/next")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "call 2" {
		t.Fatalf("next call: %d %q", res.StatusCode, body)
	}

	var logged map[string]any
	for _, line := range f.logs.lines(t) {
		if strings.Contains(line["message"].(string), "panicked") {
			logged = line
		}
	}
	if logged == nil || logged["level"] != "error" || !strings.Contains(logged["message"].(string), "server_test.go") {
		t.Fatalf("panic log line with the stack: %v", logged)
	}
}

func TestCall_PanicWithError_UsesTheErrorsMessage(t *testing.T) {
	f := start(t, time.Second, func(w http.ResponseWriter, r *http.Request) { panic(fmt.Errorf("wrapped: %w", io.EOF)) })

	res, err := http.Get(f.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, message := errorOf(t, res); message != "wrapped: EOF" {
		t.Fatalf("message %q", message)
	}
}

func TestCall_ErrAbortHandler_CutsTheConnection(t *testing.T) {
	f := start(t, time.Second, func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })

	res, err := http.Get(f.url + "/")
	if err == nil {
		res.Body.Close()
		t.Fatalf("expected a cut connection, got %d", res.StatusCode)
	}
}

func TestCall_SlowerThanTheTimeout_Is504WithTheHeaderAndTheContextIsCancelled(t *testing.T) {
	cancelled := make(chan error, 1)
	f := start(t, 200*time.Millisecond, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Leak", "no")
		<-r.Context().Done()
		cancelled <- r.Context().Err()
		time.Sleep(50 * time.Millisecond)
		if _, err := w.Write([]byte("too late")); err != http.ErrHandlerTimeout { //nolint:errorlint
			cancelled <- fmt.Errorf("late write gave %v", err)
		}
	})

	began := time.Now()
	res, err := http.Get(f.url + "/slow")
	if err != nil {
		t.Fatal(err)
	}
	code, message := errorOf(t, res)
	res.Body.Close()

	if res.StatusCode != 504 || code != "FunctionTimedOut" || res.Header.Get(TimedOutHeader) != "true" || res.Header.Get("X-Leak") != "" {
		t.Fatalf("%d %s %v", res.StatusCode, code, res.Header)
	}
	if message != "function 'go-test' did not answer within 200 ms" {
		t.Fatalf("message %q", message)
	}
	if elapsed := time.Since(began); elapsed < 190*time.Millisecond || elapsed > 2*time.Second {
		t.Fatalf("answered after %v", elapsed)
	}
	if err := <-cancelled; err == nil {
		t.Fatal("the function's context was not cancelled")
	}
	select {
	case err := <-cancelled:
		t.Fatal(err)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestCall_BodyOverTheLimit_Is413BeforeTheFunction(t *testing.T) {
	called := false
	f := start(t, time.Second, func(w http.ResponseWriter, r *http.Request) { called = true })

	res, err := http.Post(f.url+"/", "application/octet-stream", bytes.NewReader(make([]byte, MaxBodyBytes+1)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if code, _ := errorOf(t, res); res.StatusCode != 413 || code != "PayloadTooLarge" || called {
		t.Fatalf("%d %s called=%v", res.StatusCode, code, called)
	}
}

func TestCall_ChunkedBodyOverTheLimit_FailsTheFunctionsRead(t *testing.T) {
	f := start(t, 5*time.Second, func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		w.WriteHeader(http.StatusOK)
	})

	res, err := http.Post(f.url+"/", "application/octet-stream", io.MultiReader(bytes.NewReader(make([]byte, MaxBodyBytes)), strings.NewReader("x")))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("status %d", res.StatusCode)
	}
}

func TestCall_ConcurrentCallsAreServedInParallel(t *testing.T) {
	f := start(t, 2*time.Second, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		_, _ = w.Write([]byte(r.URL.Path))
	})
	began := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := http.Get(fmt.Sprintf("%s/%d", f.url, i))
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) != fmt.Sprintf("/%d", i) {
				t.Errorf("call %d answered %q", i, body)
			}
		}(i)
	}
	wg.Wait()
	if elapsed := time.Since(began); elapsed > 1500*time.Millisecond {
		t.Fatalf("8 calls of 300 ms took %v", elapsed)
	}
}

func TestCall_HeadAndNoContent_HaveNoBody(t *testing.T) {
	f := start(t, time.Second, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/204" {
			w.WriteHeader(http.StatusNoContent)
		}
		_, _ = w.Write([]byte("ignored for HEAD and 204"))
	})
	res, err := http.Head(f.url + "/x")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("HEAD %d", res.StatusCode)
	}
	res, err = http.Get(f.url + "/204")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 204 || len(body) != 0 {
		t.Fatalf("204: %d %q", res.StatusCode, body)
	}
}

func TestSettingsFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	s, err := SettingsFromEnv(env(map[string]string{"EPSILON_FUNCTION_NAME": "f", "EPSILON_TIMEOUT_MS": "2500", "PORT": "9090"}))
	if err != nil || s.Function != "f" || s.Timeout != 2500*time.Millisecond || s.Port != 9090 {
		t.Fatalf("%+v %v", s, err)
	}
	s, err = SettingsFromEnv(env(map[string]string{}))
	if err != nil || s.Timeout != DefaultTimeout || s.Port != 8080 {
		t.Fatalf("defaults: %+v %v", s, err)
	}
	for _, bad := range []string{"0", "-5", "soon", "2147483648"} {
		if _, err := SettingsFromEnv(env(map[string]string{"EPSILON_TIMEOUT_MS": bad})); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("EPSILON_TIMEOUT_MS=%s: %v", bad, err)
		}
	}
	if _, err := SettingsFromEnv(env(map[string]string{"PORT": "70000"})); err == nil {
		t.Error("PORT 70000 accepted")
	}
}

// A handler that returns as soon as its context runs out, without writing, still timed out: 504, never an empty 200.
func TestCall_HandlerReturningOnItsDeadline_Is504(t *testing.T) {
	f := start(t, 100*time.Millisecond, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})

	for i := 0; i < 20; i++ {
		res, err := http.Get(f.url + "/slow")
		if err != nil {
			t.Fatal(err)
		}
		code, _ := errorOf(t, res)
		res.Body.Close()
		if res.StatusCode != 504 || code != "FunctionTimedOut" {
			t.Fatalf("call %d: %d %s", i, res.StatusCode, code)
		}
	}
}
