package verify

// builtinKeyResolvers returns the resolvers that need I/O (did:web), consulted
// after the trust list and did:key.
func (v *Verifier) builtinKeyResolvers() ([]KeyResolver, error) { return nil, nil }
