// Package obschema validates Open Badges 3.0 achievement credentials against
// the official 1EdTech JSON schema (ob_v3p0_achievementcredential_schema.json,
// draft 2019-09), embedded byte for byte. No network access: every $ref in
// the schema is local.
//
// The data model lets proof, credentialSchema, evidence, termsOfUse, type
// and other multi-valued properties be a single value or an array, while the
// schema demands arrays. Before validating, [Validate] wraps single values
// into one-element arrays wherever the schema, followed along the document,
// declares an array. The input itself is not changed.
package obschema
