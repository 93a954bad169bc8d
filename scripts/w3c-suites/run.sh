#!/usr/bin/env bash
# Runs the W3C interoperability test suites against the reference verifier
# (verifier serve) and issuing service (issuer serve) on loopback, and
# prints each suite's passed and failed tests. See README.md beside it.
#
#   scripts/w3c-suites/run.sh WORKDIR
#
# WORKDIR holds checkouts of the suites and of the two libraries they load
# from GitHub:
#   vc-data-model-2.0-test-suite  vc-di-eddsa-test-suite  vc-di-ecdsa-test-suite
#   vc-bitstring-status-list-test-suite  vc-test-suite-implementations
#   data-integrity-test-suite-assertion  vc-di-ecdsa (the ECDSA vectors)
# Needs go, node (20 or later), npm with registry access, and openssl.
set -euo pipefail

work=$(cd "${1:?usage: run.sh WORKDIR}" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
run=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "building the verifier and the issuer into $run"
(cd "$repo" && go build -o "$run/verifier" ./examples/verifier && go build -o "$run/issuer" ./examples/issuer)
for t in ed25519 p256 p384; do "$run/issuer" keygen --type "$t" --out "$run/$t.key" > "$run/$t.did"; done
ed=$(cat "$run/ed25519.did") p256=$(cat "$run/p256.did") p384=$(cat "$run/p384.did")

# The status list is served over HTTPS (the suite fetches https URLs only)
# by a loopback proxy with a certificate of a throwaway CA the verifier
# is told to trust.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$run/ca.key" -out "$run/ca.pem" -days 2 -subj "/CN=w3c suites CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$run/tls.key" -out "$run/tls.csr" -subj "/CN=127.0.0.1" 2>/dev/null
openssl x509 -req -in "$run/tls.csr" -CA "$run/ca.pem" -CAkey "$run/ca.key" -CAcreateserial -out "$run/tls.pem" -days 2 \
  -extfile <(printf 'subjectAltName=IP:127.0.0.1\n') 2>/dev/null

start() { "$@" > "$run/server-${#pids[@]}.log" 2>&1 & pids+=($!); }
# The verifier trusts the throwaway CA for the status list's HTTPS.
start env SSL_CERT_FILE="$run/ca.pem" "$run/verifier" serve --addr 127.0.0.1:18080 --without-issuer-trust-unsafe --allow-loopback
start "$run/issuer" serve --addr 127.0.0.1:18090 --key "$run/ed25519.key" --suite eddsa-rdfc-2022
start "$run/issuer" serve --addr 127.0.0.1:18091 --key "$run/ed25519.key" --suite eddsa-jcs-2022
start "$run/issuer" serve --addr 127.0.0.1:18092 --key "$run/p256.key" --suite ecdsa-rdfc-2019
start "$run/issuer" serve --addr 127.0.0.1:18093 --key "$run/p384.key" --suite ecdsa-rdfc-2019
start "$run/issuer" serve --addr 127.0.0.1:18094 --key "$run/ed25519.key" --suite eddsa-rdfc-2022 \
  --status-url https://127.0.0.1:18443/status/1 --status-dir "$run/status"
# The VC 2.0 suite reads an issuer's answer as the credential itself, not
# as VC-API's {"verifiableCredential": ...}: a proxy unwraps it.
cat > "$run/proxy.mjs" <<'EOF'
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
const forward = (port, unwrap) => (req, res) => {
  const up = http.request({host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers}, u => {
    const parts = [];
    u.on('data', c => parts.push(c));
    u.on('end', () => {
      let body = Buffer.concat(parts);
      const headers = {...u.headers};
      if(unwrap && u.statusCode < 300) {
        try { const j = JSON.parse(body); if(j.verifiableCredential) { body = Buffer.from(JSON.stringify(j.verifiableCredential)); delete headers['content-length']; } } catch {}
      }
      res.writeHead(u.statusCode, headers);
      res.end(body);
    });
  });
  up.on('error', e => { res.writeHead(502); res.end(String(e)); });
  req.pipe(up);
};
http.createServer(forward(18090, true)).listen(18190, '127.0.0.1');
const [key, cert] = process.argv.slice(2).map(f => fs.readFileSync(f));
https.createServer({key, cert}, forward(18094, false)).listen(18443, '127.0.0.1');
EOF
start node "$run/proxy.mjs" "$run/tls.key" "$run/tls.pem"
sleep 2
for i in "${!pids[@]}"; do
  kill -0 "${pids[$i]}" 2>/dev/null || { echo "a server did not start (a port in use?): $run/server-$i.log" >&2; cat "$run/server-$i.log" >&2; exit 1; }
done

endpoint() { printf "{id: '%s', endpoint: 'http://127.0.0.1:%s/%s', supports: {vc: ['1.1', '2.0']}, supportedEcdsaKeyTypes: %s, tags: %s}" "$@"; }
config() { # suite-dir issuers verifiers vpVerifiers
  cat > "$1/localConfig.cjs" <<EOF
module.exports = {settings: {enableInteropTests: true, testAllImplementations: false}, implementations: [{
  name: 'badgeproof', implementation: 'badgeproof reference (local)',
  issuers: [$2], verifiers: [$3], vpVerifiers: [$4]}]};
EOF
}
install() { # suite-dir: the GitHub dependencies point at the checkouts
  sed -i -e "s#\"vc-test-suite-implementations\": \"github:[^\"]*\"#\"vc-test-suite-implementations\": \"file:$work/vc-test-suite-implementations\"#" \
    -e "s#\"data-integrity-test-suite-assertion\": \"github:[^\"]*\"#\"data-integrity-test-suite-assertion\": \"file:$work/data-integrity-test-suite-assertion\"#" \
    -e 's#"pretest": "[^"]*",##' "$1/package.json"
  rm -f "$1/package-lock.json"
  (cd "$1" && npm install --install-links --no-audit --no-fund --ignore-scripts > "$run/npm-$(basename "$1").log" 2>&1)
}
suite() { # suite-dir
  local log="$run/$(basename "$1").log"
  (cd "$1" && npx mocha tests/ --reporter spec --timeout 15000 --preserve-symlinks > "$log" 2>&1) || true
  local passed failed
  passed=$(grep -oE '^ +[0-9]+ passing' "$log" | grep -oE '[0-9]+' || echo 0)
  failed=$(grep -oE '^ +[0-9]+ failing' "$log" | grep -oE '[0-9]+' || echo 0)
  printf '%-40s %3d passed %3d failed   (%s)\n' "$(basename "$1")" "$passed" "$failed" "$log"
}

vc2="$work/vc-data-model-2.0-test-suite"
install "$vc2"
config "$vc2" "$(endpoint "$ed" 18190 credentials/issue "[]" "['vc2.0']")" \
  "$(endpoint "$ed" 18080 credentials/verify "[]" "['vc2.0']")" "$(endpoint "$ed" 18080 presentations/verify "[]" "['vc2.0']")"
suite "$vc2"

eddsa="$work/vc-di-eddsa-test-suite"
install "$eddsa"
config "$eddsa" "$(endpoint "$ed" 18090 credentials/issue "[]" "['eddsa-rdfc-2022']"), $(endpoint "$ed" 18091 credentials/issue "[]" "['eddsa-jcs-2022']")" \
  "$(endpoint "$ed" 18080 credentials/verify "[]" "['eddsa-rdfc-2022', 'eddsa-jcs-2022']")" ""
suite "$eddsa"

ecdsa="$work/vc-di-ecdsa-test-suite"
mkdir -p "$ecdsa/tests/input" && rm -rf "$ecdsa/tests/input/vc-di-ecdsa" && cp -r "$work/vc-di-ecdsa" "$ecdsa/tests/input/vc-di-ecdsa"
install "$ecdsa"
config "$ecdsa" "$(endpoint "$p256" 18092 credentials/issue "['P-256']" "['ecdsa-rdfc-2019']"), $(endpoint "$p384" 18093 credentials/issue "['P-384']" "['ecdsa-rdfc-2019']")" \
  "$(endpoint "$p256" 18080 credentials/verify "['P-256', 'P-384']" "['ecdsa-rdfc-2019', 'ecdsa-sd-2023']")" ""
suite "$ecdsa"

bsl="$work/vc-bitstring-status-list-test-suite"
install "$bsl"
config "$bsl" "$(endpoint "$ed" 18094 credentials/issue "[]" "['BitstringStatusList']")" \
  "$(endpoint "$ed" 18080 credentials/verify "[]" "['BitstringStatusList']")" "$(endpoint "$ed" 18080 presentations/verify "[]" "['BitstringStatusList']")"
suite "$bsl"
