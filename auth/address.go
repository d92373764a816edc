package auth

import "net/netip"

// AddressKey is the key a client's address is counted under by the rate limits: an IPv4
// address, or the /64 of an IPv6 address (one subscriber gets a whole /64 and picks addresses in
// it at will). Something that is no address is its own key.
func AddressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}
