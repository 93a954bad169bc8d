package keys

import (
	"encoding/json"
	"fmt"
	"os"
)

// File is the key file of the command-line tools: a private key with its
// type, its did:key and its public Multikey, so that a person reading the
// file sees which key it holds.
type File struct {
	Type               Type   `json:"type"`
	ID                 string `json:"id"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
	SecretKeyMultibase string `json:"secretKeyMultibase"`
}

// maxFileLen bounds a key file; a real one is a few hundred bytes.
const maxFileLen = 64 << 10

// MarshalFile encodes k as a key file.
func MarshalFile(k *PrivateKey) ([]byte, error) {
	f := File{Type: k.Type(), ID: k.pub.DID(), PublicKeyMultibase: k.pub.Multibase(), SecretKeyMultibase: k.Multibase()}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseFile decodes a key file and checks that its parts agree: the type,
// the did:key and the public key, where present, must be the secret key's.
func ParseFile(data []byte) (*PrivateKey, error) {
	if len(data) > maxFileLen {
		return nil, fmt.Errorf("%w: key file is %d bytes", ErrInvalid, len(data))
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: key file: %v", ErrInvalid, err)
	}
	k, err := ParseSecretMultikey(f.SecretKeyMultibase)
	if err != nil {
		return nil, err
	}
	switch {
	case f.Type != "" && f.Type != k.Type():
		return nil, fmt.Errorf("%w: key file says %s, its secret key is %s", ErrInvalid, f.Type, k.Type())
	case f.PublicKeyMultibase != "" && f.PublicKeyMultibase != k.pub.Multibase():
		return nil, fmt.Errorf("%w: key file's public key does not match its secret key", ErrInvalid)
	case f.ID != "" && f.ID != k.pub.DID():
		return nil, fmt.Errorf("%w: key file's id %s is not its key's did:key", ErrInvalid, f.ID)
	}
	return k, nil
}

// WriteFile saves k to path as a key file readable by the owner only. It
// refuses to overwrite an existing file.
func WriteFile(path string, k *PrivateKey) error {
	b, err := MarshalFile(k)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadFile loads a key file written by WriteFile.
func ReadFile(path string) (*PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParseFile(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}
