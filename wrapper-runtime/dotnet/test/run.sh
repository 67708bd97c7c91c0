#!/bin/bash
# The .NET runtime's own tests, on the host (needs the .NET SDK, no Docker): builds src/ around test/fixtures (in a
# temporary folder, so no bin/ or obj/ lands in the repository), runs the host on free ports and checks the HTTP
# contract, the lambda style (with the shared cases of wrapper-runtime/fixtures/lambda-v2, checked by test/LambdaV2.cs, a
# file-based app), the JSON logs, SIGTERM and the build-time check's messages. Ends with "N passed, N failed".
#   bash wrapper-runtime/dotnet/test/run.sh
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d /tmp/epsilon-dotnet-test.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$here/../src" "$work/host"
cp -r "$here/fixtures" "$work/fixtures"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1"; [ $# -gt 1 ] && printf '  %s\n' "$2"; }
expect() { # name, haystack, needle
  if [[ "$2" == *"$3"* ]]; then ok "$1"; else fail "$1" "expected to contain: $3 | got: ${2:0:400}"; fi
}

echo "# building the host around test/fixtures"
if ! dotnet publish "$work/host/EpsilonHost.csproj" -c Release -o "$work/app" "-p:EpsilonFunctionProject=$work/fixtures/Fixtures.csproj" \
     -nologo -v q --tl:off -clp:NoSummary >"$work/build.log" 2>&1; then
  cat "$work/build.log"; echo "0 passed, 1 failed"; exit 1
fi

port=$((20000 + RANDOM % 20000))
start() { # export [style] [timeout] -> starts the host on $port as function ${NAME:-fx}, waits for ready
  port=$((port + 1))
  EPSILON_FUNCTION_NAME="${NAME:-fx}" EPSILON_HANDLER_FILE=Fixtures.csproj EPSILON_HANDLER_EXPORT="$1" EPSILON_STYLE="${2:-}" \
    EPSILON_TIMEOUT_MS="${3:-2000}" PORT=$port dotnet "$work/app/EpsilonHost.dll" >"$work/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do curl -sf -o /dev/null "localhost:$port/_epsilon/ready" && return 0; sleep 0.05; done
  return 1
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
call() { curl -s -i --max-time 15 "$@" | tr -d '\r'; }
check() { # export [style] -> the check's output and exit code
  EPSILON_FUNCTION_NAME=fx EPSILON_HANDLER_FILE=Fixtures.csproj EPSILON_HANDLER_EXPORT="$1" EPSILON_STYLE="${2:-}" \
    dotnet "$work/app/EpsilonHost.dll" --check 2>&1; echo "exit=$?"
}

echo "# aspnet style"
start Fixtures.Echo || fail "Echo starts"
expect "ready answers its JSON" "$(call "localhost:$port/_epsilon/ready")" '{"status":"ready","function":"fx","timeoutMs":2000}'
r="$(call -X PUT "localhost:$port/orders/42?a=1&status=201" -H 'X-Test: hv' -H 'X-Epsilon-Request-Id: rid-1' -d 'payload')"
expect "status from the function" "$r" "HTTP/1.1 201"
expect "request id kept and echoed" "$r" "X-Epsilon-Request-Id: rid-1"
expect "method, path, query, header, body" "$r" '"method":"PUT","path":"/orders/42","query":"?a=1&status=201","header":"hv","body":"payload"'
expect "request id generated when absent" "$(call "localhost:$port/")" "X-Epsilon-Request-Id: "
r="$(call "localhost:$port/throw")"
expect "exception is 500 JSON" "$r" '{"error":{"code":"FunctionError","message":"boom"}}'
expect "500 keeps the request id" "$r" "X-Epsilon-Request-Id: "
expect "process lives on with its state" "$(call "localhost:$port/after")" '"calls":4'
expect "returning null is 200 OK" "$(call "localhost:$port/silent")" $'HTTP/1.1 200 OK'
r="$(call "localhost:$port/sleep?ms=5000")"
expect "timeout is 504" "$r" "HTTP/1.1 504"
expect "timeout header" "$r" "X-Epsilon-Timed-Out: true"
expect "timeout JSON" "$r" '{"error":{"code":"FunctionTimedOut","message":"function '"'"'fx'"'"' did not answer within 2000 ms"}}'
expect "calls go on after a timeout" "$(call "localhost:$port/again")" "HTTP/1.1 200"
expect "body over 6 MB is 413" "$(head -c 7000000 /dev/zero | call -X POST --data-binary @- "localhost:$port/big")" "HTTP/1.1 413"
call -H 'X-Epsilon-Request-Id: log-1' "localhost:$port/log" >/dev/null
sleep 0.2
log="$(cat "$work/out.log")"
expect "Console.WriteLine is a JSON line with the request id" "$log" '"level":"info","function":"fx","requestId":"log-1","message":"to stdout"}'
expect "Console.Error is level error" "$log" '"level":"error","function":"fx","requestId":"log-1","message":"to stderr"}'
expect "ILogger is a JSON line" "$log" '"level":"warn","function":"fx","requestId":"log-1","message":"from ILogger 42"}'
expect "a task started by the call keeps its request id" "$log" '"requestId":"log-1","message":"from a task"}'
expect "ready line outside calls has requestId null" "$log" '"requestId":null,"message":"epsilon: function '"'"'fx'"'"' ready on'
if grep -v '^{"time":"[0-9T:.-]*Z","level":"[a-z]*","function":"fx","requestId":' "$work/out.log" | grep -q .; then
  fail "every log line is JSON" "$(grep -v '^{"time"' "$work/out.log" | head -3)"
else
  ok "every log line is JSON"
fi
t0=$(date +%s%N); stop; t1=$(date +%s%N)
if [ $(( (t1 - t0) / 1000000 )) -lt 2500 ]; then ok "SIGTERM exits promptly"; else fail "SIGTERM exits promptly" "$(( (t1 - t0) / 1000000 )) ms"; fi

echo "# aspnet style: instance, named method, typed result"
start 'Fixtures.Counter::Next' || fail "Counter starts"
call "localhost:$port/" >/dev/null
expect "one instance keeps its state" "$(call "localhost:$port/")" $'\n\n2'
stop

echo "# lambda style"
start Fixtures.RawLambda || fail "RawLambda starts"
r="$(call -X POST "localhost:$port/p/q?x=1&x=2&y=a%20b" -H 'X-Test: t' -H 'Cookie: c1=1; c2=2' -H 'Content-Type: application/json' -H 'X-Epsilon-Request-Id: lam-1' -d '{"k":1}')"
expect "lambda result without statusCode is 200 JSON" "$r" "Content-Type: application/json"
expect "event: rawPath, rawQueryString, decoded and joined query" "$r" '"rawPath":"/p/q","rawQueryString":"x=1&x=2&y=a%20b","query":{"x":"1,2","y":"a b"}'
expect "event: lower-cased headers, cookies, text body" "$r" '"headerTest":"t","cookies":["c1=1","c2=2"],"body":"{\"k\":1}","isBase64Encoded":false'
expect "event: method, version; context: name, request id" "$r" '"method":"POST","version":"2.0","functionName":"fx","awsRequestId":"lam-1"'
expect "binary body is base64" "$(call -X POST -H 'Content-Type: application/octet-stream' --data-binary $'\x01\x02' "localhost:$port/")" '"body":"AQI=","isBase64Encoded":true'
stop
start 'Fixtures.TypedLambda::Handle' || fail "TypedLambda starts"
r="$(call -H 'X-Epsilon-Request-Id: typed-1' "localhost:$port/")"
expect "response statusCode" "$r" "HTTP/1.1 207"
expect "response headers; context interface answers" "$r" "X-Remaining-Ok: True"
expect "context AwsRequestId" "$r" "X-Request: typed-1"
expect "response cookies" "$r" "Set-Cookie: a=1"
expect "base64 response body decoded" "$r" $'\n\nbinary!'
sleep 0.2
expect "context logger writes JSON lines" "$(cat "$work/out.log")" '"level":"error","function":"fx","requestId":"typed-1","message":"an error line"}'
stop
start Fixtures.Cancellable lambda 1000 || fail "Cancellable starts"
expect "CancellationToken context: timeout is 504" "$(call "localhost:$port/")" "HTTP/1.1 504"
stop

echo "# lambda style: the shared API Gateway v2 cases (wrapper-runtime/fixtures/lambda-v2, test/LambdaV2.cs)"
NAME=fixtures start 'Fixtures.LambdaV2::Handle' || fail "LambdaV2 starts"
cp "$here/LambdaV2.cs" "$work/LambdaV2.cs"
dotnet run "$work/LambdaV2.cs" -- "$port" "$here/../../fixtures/lambda-v2" >"$work/lambda-v2.out" 2>&1
while IFS= read -r line; do
  case "$line" in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) rest="${line#not ok - }"; fail "${rest%% | *}" "${rest#* | }" ;;
  esac
done <"$work/lambda-v2.out"
grep -qE '^(not )?ok - ' "$work/lambda-v2.out" || fail "the lambda-v2 cases run" "$(tail -20 "$work/lambda-v2.out")"
stop

echo "# build-time check"
expect "check ok" "$(check Fixtures.Echo)" "epsilon: function 'fx' ok (Fixtures.csproj, Fixtures.Echo::HandleAsync, static, style aspnet"
r="$(check Fixtures.Nope)"
expect "unknown type" "$r" "epsilon: function 'fx': type 'Fixtures.Nope' not found in Fixtures.csproj (assembly Fixtures); types with a 'HandleAsync' method: 'Fixtures.Cancellable'"
expect "unknown type exits 1" "$r" "exit=1"
expect "unknown method" "$(check 'Fixtures.Echo::Nope')" "epsilon: function 'fx': type 'Fixtures.Echo' has no method 'Nope'; it has 'HandleAsync'"
expect "private method" "$(check 'Fixtures.Wrong::Hidden')" "epsilon: function 'fx': method 'Hidden' of 'Fixtures.Wrong' is not public"
expect "wrong return type" "$(check Fixtures.Wrong)" "static String HandleAsync(HttpContext): it returns String; an aspnet handler returns Task<IResult>"
expect "style mismatch" "$(check Fixtures.Echo lambda)" "is an aspnet handler, but the manifest says style: lambda"
expect "unknown style" "$(check Fixtures.Echo plain)" "unknown style 'plain'"
r="$(check Fixtures.Throws)"
expect "constructor that throws" "$r" "epsilon: function 'fx': the constructor of 'Fixtures.Throws' threw InvalidOperationException at "
expect "constructor that throws: file and line" "$r" "Handlers.cs:139: no config"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
