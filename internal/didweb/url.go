package didweb

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Prefix starts every did:web identifier.
const Prefix = "did:web:"

// ErrInvalidDID: the identifier is not a well-formed did:web DID.
var ErrInvalidDID = errors.New("didweb: invalid did:web identifier")

// URL returns the HTTPS URL of the DID document of did. did must be a DID,
// not a DID URL: a fragment, query or path is an error.
func URL(did string) (string, error) {
	if !strings.HasPrefix(did, Prefix) {
		return "", fmt.Errorf("%w: %q does not start with %q", ErrInvalidDID, did, Prefix)
	}
	msid := did[len(Prefix):]
	if msid == "" {
		return "", fmt.Errorf("%w: empty method-specific identifier", ErrInvalidDID)
	}
	for i := 0; i < len(msid); i++ {
		if c := msid[i]; !isIDChar(c) && c != ':' && c != '%' {
			return "", fmt.Errorf("%w: character %q at offset %d of %q", ErrInvalidDID, c, len(Prefix)+i, did)
		}
	}
	segs := strings.Split(msid, ":")
	host, err := hostPort(segs[0])
	if err != nil {
		return "", err
	}
	path := segs[1:]
	for _, p := range path {
		if err := checkPathSegment(p); err != nil {
			return "", err
		}
	}
	if len(path) == 0 {
		return "https://" + host + "/.well-known/did.json", nil
	}
	return "https://" + host + "/" + strings.Join(path, "/") + "/did.json", nil
}

func isIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '-' || c == '_'
}

// hostPort checks the domain segment, decoding a %3A port separator.
func hostPort(seg string) (string, error) {
	host, port := seg, ""
	if i := strings.Index(strings.ToUpper(seg), "%3A"); i >= 0 {
		host, port = seg[:i], seg[i+3:]
		p, err := strconv.Atoi(port)
		if err != nil || p < 1 || p > 65535 || port[0] == '0' {
			return "", fmt.Errorf("%w: port %q", ErrInvalidDID, port)
		}
	}
	if strings.Contains(host, "%") {
		return "", fmt.Errorf("%w: domain %q may contain only a %%3A port separator as percent-encoding", ErrInvalidDID, seg)
	}
	if err := checkDomain(host); err != nil {
		return "", err
	}
	if port != "" {
		return host + ":" + port, nil
	}
	return host, nil
}

func checkDomain(host string) error {
	if host == "" {
		return fmt.Errorf("%w: empty domain", ErrInvalidDID)
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return fmt.Errorf("%w: domain %q is an IP address; did:web requires a domain name", ErrInvalidDID, host)
	}
	if len(host) > 253 {
		return fmt.Errorf("%w: domain is %d characters, at most 253", ErrInvalidDID, len(host))
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return fmt.Errorf("%w: domain %q has an empty or over-long label", ErrInvalidDID, host)
		}
		if l[0] == '-' || l[len(l)-1] == '-' || strings.Contains(l, "_") {
			return fmt.Errorf("%w: domain %q has an invalid label %q", ErrInvalidDID, host, l)
		}
	}
	// An all-numeric last label would make the name read as an address.
	if last := labels[len(labels)-1]; strings.Trim(last, "0123456789") == "" {
		return fmt.Errorf("%w: domain %q ends in a numeric label", ErrInvalidDID, host)
	}
	return nil
}

func checkPathSegment(p string) error {
	if p == "" {
		return fmt.Errorf("%w: empty path segment", ErrInvalidDID)
	}
	dec, err := url.PathUnescape(p)
	if err != nil {
		return fmt.Errorf("%w: path segment %q has a bad percent-encoding", ErrInvalidDID, p)
	}
	if dec == "." || dec == ".." || strings.ContainsAny(dec, "/\\?#") {
		return fmt.Errorf("%w: path segment %q", ErrInvalidDID, p)
	}
	return nil
}
