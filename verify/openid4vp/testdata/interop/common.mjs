// Callbacks the @openid4vc libraries need, on Node's crypto and jose.
import { createHash, randomBytes, X509Certificate } from 'node:crypto'
import * as jose from 'jose'
import { setGlobalConfig } from '@openid4vc/utils'

// The tests run both sides on loopback over plain http.
setGlobalConfig({ allowInsecureUrls: true })

const b64 = (s) => Buffer.from(s, 'base64')

export function pemOf(x5c0) {
  return `-----BEGIN CERTIFICATE-----\n${x5c0.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`
}

export const callbacks = {
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  generateRandom: (n) => new Uint8Array(randomBytes(n)),
  getX509CertificateMetadata: (cert) => {
    const c = new X509Certificate(b64(cert))
    const san = c.subjectAltName ?? ''
    return {
      sanDnsNames: san.split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
      sanUriNames: san.split(', ').filter((s) => s.startsWith('URI:')).map((s) => s.slice(4)),
    }
  },
  verifyJwt: async (signer, jwt) => {
    if (signer.method !== 'x5c') return { verified: false }
    const key = await jose.importX509(pemOf(signer.x5c[0]), signer.alg)
    try {
      await jose.compactVerify(jwt.compact, key, { algorithms: [signer.alg] })
      return { verified: true, signerJwk: await jose.exportJWK(key) }
    } catch {
      return { verified: false }
    }
  },
  encryptJwe: async (enc, data) => {
    const key = await jose.importJWK(enc.publicJwk, enc.alg)
    const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(data))
      .setProtectedHeader({ alg: enc.alg, enc: enc.enc, kid: enc.publicJwk.kid })
      .encrypt(key)
    return { jwe, encryptionJwk: enc.publicJwk }
  },
}

export async function readStdinJSON() {
  let s = ''
  for await (const chunk of process.stdin) s += chunk
  return JSON.parse(s)
}
