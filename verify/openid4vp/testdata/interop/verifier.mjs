// An independent relying party: reads {client_id, x5c, sign_jwk, dcql} from
// stdin, creates a signed OpenID4VP 1.0 request (request_uri, direct_post.jwt,
// its own ECDH-ES key) with @openid4vc/openid4vp, serves it on loopback,
// prints {"step":"ready", url, nonce, client_id}, parses and validates the
// wallet's response with the library and prints {"step":"response", ...}.
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import * as jose from 'jose'
import { Openid4vpVerifier } from '@openid4vc/openid4vp'
import { callbacks, readStdinJSON } from './common.mjs'

const cfg = await readStdinJSON()
const signKey = await jose.importJWK(cfg.sign_jwk, 'ES256')
const enc = await jose.generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true })
const encPub = { ...(await jose.exportJWK(enc.publicKey)), kid: 'enc-1', use: 'enc', alg: 'ECDH-ES' }

const verifierCallbacks = {
  ...callbacks,
  signJwt: async (signer, { header, payload }) => {
    const jwt = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(signKey)
    return { jwt, signerJwk: cfg.sign_jwk }
  },
  decryptJwe: async (jwe) => {
    try {
      const { plaintext } = await jose.compactDecrypt(jwe, enc.privateKey)
      return { decrypted: true, decryptionJwk: encPub, payload: new TextDecoder().decode(plaintext) }
    } catch {
      return { decrypted: false }
    }
  },
}
const verifier = new Openid4vpVerifier({ callbacks: verifierCallbacks })

let created
const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'GET' && req.url === '/request') {
      res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' })
      res.end(created.jar.authorizationRequestJwt)
      return
    }
    if (req.method === 'POST' && req.url === '/response') {
      let body = ''
      for await (const chunk of req) body += chunk
      const form = Object.fromEntries(new URLSearchParams(body))
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
        authorizationResponse: form,
        authorizationRequestPayload: created.authorizationRequestPayload,
        callbacks: verifierCallbacks,
      })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
      process.stdout.write(JSON.stringify({
        step: 'response', type: parsed.type, encrypted: Boolean(parsed.jarm), state: parsed.authorizationResponsePayload.state,
        expected_state: created.authorizationRequestPayload.state, presentations: parsed.dcql?.presentations,
      }) + '\n')
      server.close()
      return
    }
    res.writeHead(404).end()
  } catch (e) {
    res.writeHead(400, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: 'invalid_request', error_description: String(e) }))
    process.stdout.write(JSON.stringify({ step: 'response', error: String(e) }) + '\n')
    server.close()
  }
})
server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`
  created = await verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token', client_id: cfg.client_id, response_mode: 'direct_post.jwt', response_uri: `${base}/response`,
      nonce: randomBytes(16).toString('base64url'), state: randomBytes(16).toString('base64url'), dcql_query: cfg.dcql,
      client_metadata: { client_name: 'Interop RP', jwks: { keys: [encPub] }, encrypted_response_enc_values_supported: ['A128GCM'], vp_formats_supported: { ldp_vc: {} } },
    },
    jar: { requestUri: `${base}/request`, jwtSigner: { method: 'x5c', alg: 'ES256', x5c: cfg.x5c }, expiresInSeconds: 600 },
  })
  process.stdout.write(JSON.stringify({ step: 'ready', url: created.authorizationRequest, nonce: created.authorizationRequestPayload.nonce, client_id: cfg.client_id }) + '\n')
})
