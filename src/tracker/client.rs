//! Who a request comes from, as the tracker's limits count clients: one IPv4
//! address, or one IPv6 /64. The connection limits, the beacon limiter, the
//! admin throttle and the flood allowance all key clients this way.

use std::net::IpAddr;

/// The key a client is rate-limited by: its IPv4 address, or the /64 network
/// of its IPv6 address (one subscriber commonly holds a whole /64, and would
/// otherwise get a fresh allowance, and a new entry in memory, per address).
pub fn rate_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_rate_limited_by_address_or_ipv6_network() {
        let key = |ip: &str| rate_key(ip.parse().unwrap()).to_string();
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"), "one /64, one allowance");
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7", "an IPv4 client on a dual-stack socket");
    }
}
