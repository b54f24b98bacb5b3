#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address as lab files write it: IPv4 or IPv6, kept as network-order bytes so subnet tests are
/// plain byte masks. Lab does not import BGPWire, so it carries this small type of its own.
public struct LabIPAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: String, Hashable, Sendable { case ipv4, ipv6 }
    public let bytes: [UInt8]
    public var family: Family { bytes.count == 4 ? .ipv4 : .ipv6 }
    public var maxPrefixLength: Int { bytes.count * 8 }

    /// Parses "172.20.0.11" or "2001:db8::1"; nil for anything else (no zones, no leading zeros in IPv4).
    public init?(_ text: String) {
        guard !text.isEmpty, text.count <= 45 else { return nil }
        if text.contains(":") {
            var storage = in6_addr()
            guard inet_pton(AF_INET6, text, &storage) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &storage) { Array($0) }
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var out: [UInt8] = []
            for part in parts {
                guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                      part.count == 1 || part.first != "0", let value = UInt8(part) else { return nil }
                out.append(value)
            }
            bytes = out
        }
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var storage = in6_addr()
        withUnsafeMutableBytes(of: &storage) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &storage, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(cString: buffer)
    }

    /// The address with every bit after `prefixLength` cleared.
    public func masked(to prefixLength: Int) -> LabIPAddress {
        var out = bytes
        for i in 0..<out.count {
            let keep = max(0, min(8, prefixLength - i * 8))
            out[i] &= keep == 8 ? 0xff : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
        return LabIPAddress(bytes: out)
    }

    /// The address with every bit after `prefixLength` set (the IPv4 broadcast address).
    func filled(after prefixLength: Int) -> LabIPAddress {
        var out = bytes
        for i in 0..<out.count {
            let keep = max(0, min(8, prefixLength - i * 8))
            out[i] |= keep == 8 ? 0 : UInt8(truncatingIfNeeded: 0xff >> keep)
        }
        return LabIPAddress(bytes: out)
    }
}

/// An address on an interface with its prefix length, as in `eth0: 172.20.0.11/24`.
public struct InterfaceAddress: Hashable, Sendable, CustomStringConvertible {
    public let address: LabIPAddress
    public let prefixLength: Int

    public init(address: LabIPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Why a CIDR text is not a usable interface address; the message names the fault.
    public enum ParseError: Error, Hashable, CustomStringConvertible {
        case missingPrefixLength(String)
        case badAddress(String)
        case badPrefixLength(String, max: Int)
        case networkAddress(String)
        case broadcastAddress(String)

        public var description: String {
            switch self {
            case .missingPrefixLength(let t): return "'\(t)' has no prefix length; write it as address/length, e.g. 172.20.0.11/24"
            case .badAddress(let t): return "'\(t)' is not an IPv4 or IPv6 address"
            case .badPrefixLength(let t, let max): return "'\(t)' has a bad prefix length; it must be 0...\(max)"
            case .networkAddress(let t): return "'\(t)' is the subnet's network address; use a host address"
            case .broadcastAddress(let t): return "'\(t)' is the subnet's broadcast address; use a host address"
            }
        }
    }

    /// Parses "172.20.0.11/24" and refuses the network and broadcast addresses of IPv4 subnets up to /30.
    public static func parse(_ text: String) -> Result<InterfaceAddress, ParseError> {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2 else {
            if pieces.count == 1, LabIPAddress(text) != nil { return .failure(.missingPrefixLength(text)) }
            return .failure(.badAddress(text))
        }
        guard let address = LabIPAddress(String(pieces[0])) else { return .failure(.badAddress(text)) }
        guard pieces[1].count <= 3, pieces[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let length = Int(pieces[1]), length <= address.maxPrefixLength else {
            return .failure(.badPrefixLength(text, max: address.maxPrefixLength))
        }
        if address.family == .ipv4 && length <= 30 {
            if address.masked(to: length) == address { return .failure(.networkAddress(text)) }
            if address.filled(after: length) == address { return .failure(.broadcastAddress(text)) }
        }
        return .success(InterfaceAddress(address: address, prefixLength: length))
    }

    /// The subnet this address sits in, e.g. 172.20.0.0 for 172.20.0.11/24.
    public var network: LabIPAddress { address.masked(to: prefixLength) }

    /// Whether `other` lies in this address's subnet (same family, same masked bits).
    public func subnetContains(_ other: LabIPAddress) -> Bool {
        other.family == address.family && other.masked(to: prefixLength) == network
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
