// Independent implementations for badgeproof's interop tests: the npm
// packages jose (JWS) and @sd-jwt/* (SD-JWT VC, Token Status List).
// Reads one JSON request on stdin, writes one JSON answer on stdout; a
// failed verification exits 1 with the reason on stderr.
import { compactVerify, importJWK, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { StatusList } from '@sd-jwt/jwt-status-list';
import { createHash, randomBytes, sign, verify, createPublicKey, createPrivateKey } from 'node:crypto';

const input = JSON.parse(await new Promise((res) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => res(s));
}));

const b64u = (b) => Buffer.from(b).toString('base64url');
const hasher = (data, alg) => {
  if (alg !== 'sha-256') throw new Error('unsupported hash ' + alg);
  return createHash('sha256').update(data).digest();
};
const saltGenerator = () => b64u(randomBytes(16));

// ES256 signer and verifier over node:crypto, raw r||s as JWS wants.
const es256Signer = (privateJwk) => async (data) =>
  b64u(sign('sha256', Buffer.from(data), { key: createPrivateKey({ key: privateJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }));
const es256Verify = (publicJwk) => (data, sig) =>
  verify('sha256', Buffer.from(data), { key: createPublicKey({ key: publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));

async function main() {
  switch (input.cmd) {
    case 'versions': {
      const { readFileSync } = await import('node:fs');
      const v = (p) => JSON.parse(readFileSync(new URL(`./node_modules/${p}/package.json`, import.meta.url))).version;
      return { jose: v('jose'), 'sd-jwt-vc': v('@sd-jwt/sd-jwt-vc'), 'jwt-status-list': v('@sd-jwt/jwt-status-list'), node: process.version };
    }
    case 'jws-verify': {
      // Verify a compact JWS made by badgeproof with the issuer's public JWK.
      const key = await importJWK(input.jwk, input.alg);
      const { payload, protectedHeader } = await compactVerify(input.token, key, { algorithms: [input.alg] });
      return { header: protectedHeader, payload: JSON.parse(Buffer.from(payload).toString()) };
    }
    case 'jws-sign': {
      // Sign a payload with a fresh key; badgeproof verifies it.
      const { publicKey, privateKey } = await generateKeyPair(input.alg, { extractable: true, crv: input.crv });
      const jwk = await exportJWK(publicKey);
      const header = { alg: input.alg, typ: input.typ, ...(input.embedJwk ? { jwk } : {}), ...(input.kid ? { kid: input.kid } : {}) };
      if (input.kidFromJwk) header.kid = 'did:jwk:' + b64u(JSON.stringify(jwk)) + '#0';
      const token = await new SignJWT(input.payload).setProtectedHeader(header).sign(privateKey);
      return { token, jwk, did: 'did:jwk:' + b64u(JSON.stringify(jwk)) };
    }
    case 'sdjwt-issue-present': {
      // Issue an SD-JWT VC and present a subset with key binding, all by @sd-jwt.
      const issuer = await generateKeyPair('ES256', { extractable: true });
      const holder = await generateKeyPair('ES256', { extractable: true });
      const issuerJwk = await exportJWK(issuer.publicKey);
      const issuerPriv = await exportJWK(issuer.privateKey);
      const holderJwk = await exportJWK(holder.publicKey);
      const holderPriv = await exportJWK(holder.privateKey);
      const sd = new SDJwtVcInstance({
        hasher, hashAlg: 'sha-256', saltGenerator,
        signer: es256Signer(issuerPriv), signAlg: 'ES256',
        kbSigner: es256Signer(holderPriv), kbSignAlg: 'ES256',
      });
      const payload = { ...input.claims, iss: input.iss, vct: input.vct, iat: Math.floor(Date.now() / 1000), cnf: { jwk: holderJwk } };
      const issued = await sd.issue(payload, { _sd: input.disclosable }, { header: { kid: input.kid || 'key-1' } });
      const frame = Object.fromEntries(input.disclose.map((k) => [k, true]));
      const presentation = await sd.present(issued, frame, {
        kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: input.aud, nonce: input.nonce } },
      });
      return { issued, presentation, issuerJwk: { ...issuerJwk, kid: input.kid || 'key-1' }, holderJwk };
    }
    case 'sdjwt-verify': {
      // Verify an SD-JWT VC presentation made by badgeproof.
      const sd = new SDJwtVcInstance({
        hasher, hashAlg: 'sha-256', saltGenerator,
        verifier: es256Verify(input.issuerJwk),
        kbVerifier: (data, sig, payload) => es256Verify(payload.cnf.jwk)(data, sig),
      });
      const res = await sd.verify(input.presentation, { keyBindingNonce: input.nonce, requiredClaimKeys: input.required || [] });
      if (input.aud !== undefined && res.kb?.payload.aud !== input.aud) throw new Error(`key binding aud ${res.kb?.payload.aud}, want ${input.aud}`);
      const claims = await sd.getClaims ? null : null;
      return { payload: res.payload, kb: res.kb?.payload ?? null, header: res.header };
    }
    case 'statuslist-encode': {
      const l = new StatusList(input.statuses, input.bits);
      return { lst: l.compressStatusList() };
    }
    case 'statuslist-decode': {
      const l = StatusList.decompressStatusList(input.lst, input.bits);
      return { statuses: input.indexes.map((i) => l.getStatus(i)) };
    }
  }
  throw new Error('unknown command ' + input.cmd);
}

try {
  process.stdout.write(JSON.stringify(await main()));
} catch (e) {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
}
