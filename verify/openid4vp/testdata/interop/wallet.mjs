// An independent wallet: resolves a request (argv[2]) with @openid4vc/openid4vp,
// checks its signature and client identifier, answers with the vp_token read
// from stdin ({"vp_token": {...}}), encrypted when direct_post.jwt, and prints
// what it saw and what the relying party answered as one JSON line.
import { Openid4vpClient } from '@openid4vc/openid4vp'
import { callbacks, readStdinJSON } from './common.mjs'

const client = new Openid4vpClient({ callbacks: { ...callbacks, fetch } })
const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: process.argv[2] })
const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params })
const req = resolved.authorizationRequestPayload
// Tell the Go test what was resolved; it answers with a presentation bound to it.
process.stdout.write(JSON.stringify({ step: 'resolved', client_id: req.client_id, prefix: resolved.client.prefix ?? resolved.client.scheme, nonce: req.nonce, response_mode: req.response_mode, version: resolved.version, dcql: resolved.dcql?.query }) + '\n')
const { vp_token } = await readStdinJSON()
const response = await client.createOpenid4vpAuthorizationResponse({
  authorizationRequestPayload: req,
  authorizationResponsePayload: { vp_token },
  jarm: req.response_mode === 'direct_post.jwt' ? {
    encryption: { nonce: req.nonce },
    serverMetadata: {
      authorization_signing_alg_values_supported: ['ES256'],
      authorization_encryption_alg_values_supported: ['ECDH-ES'],
      authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'],
    },
  } : undefined,
})
const submitted = await client.submitOpenid4vpAuthorizationResponse({
  authorizationRequestPayload: req,
  authorizationResponsePayload: response.authorizationResponsePayload,
  jarm: response.jarm ? { responseJwt: response.jarm.responseJwt } : undefined,
})
process.stdout.write(JSON.stringify({ step: 'submitted', status: submitted.response.status, body: await submitted.response.text(), encrypted: Boolean(response.jarm) }) + '\n')
