package fetch

import (
	"fmt"
	"net/netip"
)

// addrClass names why an address is special. The zero value is a public
// address.
type addrClass int

const (
	classPublic addrClass = iota
	classLoopback
	classPrivate
	classForbidden
)

type specialRange struct {
	prefix netip.Prefix
	class  addrClass
	name   string
}

// specialRanges lists the address ranges a fetch may not reach by default.
// Sources: RFC 6890 special-purpose registries, RFC 1918, RFC 4193, RFC 6598.
var specialRanges = []specialRange{
	{netip.MustParsePrefix("127.0.0.0/8"), classLoopback, "loopback"},
	{netip.MustParsePrefix("::1/128"), classLoopback, "loopback"},

	{netip.MustParsePrefix("10.0.0.0/8"), classPrivate, "private"},
	{netip.MustParsePrefix("172.16.0.0/12"), classPrivate, "private"},
	{netip.MustParsePrefix("192.168.0.0/16"), classPrivate, "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), classPrivate, "carrier-grade NAT"},
	{netip.MustParsePrefix("fc00::/7"), classPrivate, "unique local"},

	{netip.MustParsePrefix("0.0.0.0/8"), classForbidden, "unspecified or this-network"},
	{netip.MustParsePrefix("169.254.0.0/16"), classForbidden, "link-local"},
	{netip.MustParsePrefix("192.0.0.0/24"), classForbidden, "IETF protocol assignment"},
	{netip.MustParsePrefix("192.0.2.0/24"), classForbidden, "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), classForbidden, "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), classForbidden, "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), classForbidden, "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), classForbidden, "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), classForbidden, "reserved or broadcast"},
	{netip.MustParsePrefix("::/128"), classForbidden, "unspecified"},
	{netip.MustParsePrefix("100::/64"), classForbidden, "discard-only"},
	{netip.MustParsePrefix("2001:db8::/32"), classForbidden, "documentation"},
	{netip.MustParsePrefix("fe80::/10"), classForbidden, "link-local"},
	{netip.MustParsePrefix("fec0::/10"), classForbidden, "site-local"},
	{netip.MustParsePrefix("ff00::/8"), classForbidden, "multicast"},
}

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address carried by an IPv4-mapped, NAT64 or
// 6to4 IPv6 address, so that such a form is judged like the address it
// reaches.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if a.Is4In6() {
		return a.Unmap(), true
	}
	if !a.Is6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

func classify(a netip.Addr) (addrClass, string) {
	a = a.WithZone("")
	if v4, ok := embeddedIPv4(a); ok {
		if c, name := classify(v4); c != classPublic {
			return c, name
		}
		if a.Is4In6() {
			return classPublic, ""
		}
	}
	for _, r := range specialRanges {
		if r.prefix.Contains(a) {
			return r.class, r.name
		}
	}
	return classPublic, ""
}

// policy says which special address classes a Fetcher may reach.
type policy struct {
	allowLoopback bool
	allowPrivate  bool
}

// checkAddr returns an error wrapping ErrRefused when a may not be reached.
func (p policy) checkAddr(a netip.Addr) error {
	if !a.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrRefused)
	}
	c, name := classify(a)
	switch c {
	case classPublic:
		return nil
	case classLoopback:
		if p.allowLoopback {
			return nil
		}
		return fmt.Errorf("%w: address %s is %s (loopback fetches are not enabled)", ErrRefused, a, name)
	case classPrivate:
		if p.allowPrivate {
			return nil
		}
		return fmt.Errorf("%w: address %s is %s (private-network fetches are not enabled)", ErrRefused, a, name)
	default:
		return fmt.Errorf("%w: address %s is %s", ErrRefused, a, name)
	}
}
