/// Numbers from <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h> and
/// <linux/if_bridge.h>. Glibc's Swift module does not export them, so they live here, named as in the headers.
enum NL {
    // Socket level.
    static let NETLINK_ROUTE: Int32 = 0
    static let SOL_NETLINK: Int32 = 270
    static let NETLINK_ADD_MEMBERSHIP: Int32 = 1
    static let NETLINK_CAP_ACK: Int32 = 10
    static let NETLINK_EXT_ACK: Int32 = 11
    static let SO_RCVBUFFORCE: Int32 = 33
    static let SO_SNDBUFFORCE: Int32 = 32

    // nlmsghdr flags and control types.
    static let NLM_F_REQUEST: UInt16 = 0x01
    static let NLM_F_MULTI: UInt16 = 0x02
    static let NLM_F_ACK: UInt16 = 0x04
    static let NLM_F_DUMP_INTR: UInt16 = 0x10
    static let NLM_F_DUMP: UInt16 = 0x300
    static let NLM_F_REPLACE: UInt16 = 0x100
    static let NLM_F_EXCL: UInt16 = 0x200
    static let NLM_F_CREATE: UInt16 = 0x400
    static let NLM_F_APPEND: UInt16 = 0x800
    static let NLM_F_CAPPED: UInt16 = 0x100
    static let NLM_F_ACK_TLVS: UInt16 = 0x200
    static let NLMSG_NOOP: UInt16 = 1
    static let NLMSG_ERROR: UInt16 = 2
    static let NLMSG_DONE: UInt16 = 3
    static let NLMSG_OVERRUN: UInt16 = 4
    static let NLMSGERR_ATTR_MSG: UInt16 = 1
    static let headerSize = 16

    // rtnetlink message types.
    static let RTM_NEWLINK: UInt16 = 16
    static let RTM_DELLINK: UInt16 = 17
    static let RTM_GETLINK: UInt16 = 18
    static let RTM_SETLINK: UInt16 = 19
    static let RTM_NEWADDR: UInt16 = 20
    static let RTM_DELADDR: UInt16 = 21
    static let RTM_GETADDR: UInt16 = 22
    static let RTM_NEWROUTE: UInt16 = 24
    static let RTM_DELROUTE: UInt16 = 25
    static let RTM_GETROUTE: UInt16 = 26

    // Multicast groups (RTNLGRP_*).
    static let RTNLGRP_LINK: UInt32 = 1
    static let RTNLGRP_IPV4_IFADDR: UInt32 = 5
    static let RTNLGRP_IPV4_ROUTE: UInt32 = 7
    static let RTNLGRP_IPV6_IFADDR: UInt32 = 9
    static let RTNLGRP_IPV6_ROUTE: UInt32 = 11

    // Link attributes (IFLA_*).
    static let IFLA_ADDRESS: UInt16 = 1
    static let IFLA_IFNAME: UInt16 = 3
    static let IFLA_MTU: UInt16 = 4
    static let IFLA_LINK: UInt16 = 5
    static let IFLA_MASTER: UInt16 = 10
    static let IFLA_OPERSTATE: UInt16 = 16
    static let IFLA_LINKINFO: UInt16 = 18
    static let IFLA_IFALIAS: UInt16 = 20
    static let IFLA_AF_SPEC: UInt16 = 26
    static let IFLA_NET_NS_FD: UInt16 = 28
    static let IFLA_EXT_MASK: UInt16 = 29
    static let IFLA_INFO_KIND: UInt16 = 1
    static let IFLA_INFO_DATA: UInt16 = 2
    static let IFLA_BR_VLAN_FILTERING: UInt16 = 7
    static let IFLA_BR_VLAN_DEFAULT_PVID: UInt16 = 39
    static let IFLA_VLAN_ID: UInt16 = 1
    static let VETH_INFO_PEER: UInt16 = 1
    static let IFF_UP: UInt32 = 0x1
    static let IFF_LOWER_UP: UInt32 = 0x10000
    static let ifinfomsgSize = 16

    // Bridge (IFLA_BRIDGE_*, BRIDGE_*).
    static let IFLA_BRIDGE_FLAGS: UInt16 = 0
    static let IFLA_BRIDGE_VLAN_INFO: UInt16 = 2
    static let BRIDGE_FLAGS_SELF: UInt16 = 2
    static let BRIDGE_VLAN_INFO_PVID: UInt16 = 0x2
    static let BRIDGE_VLAN_INFO_UNTAGGED: UInt16 = 0x4
    static let BRIDGE_VLAN_INFO_RANGE_BEGIN: UInt16 = 0x8
    static let BRIDGE_VLAN_INFO_RANGE_END: UInt16 = 0x10
    static let RTEXT_FILTER_BRVLAN: UInt32 = 0x2
    static let AF_BRIDGE: UInt8 = 7

    // Address attributes (IFA_*).
    static let IFA_ADDRESS: UInt16 = 1
    static let IFA_LOCAL: UInt16 = 2
    static let IFA_LABEL: UInt16 = 3
    static let IFA_FLAGS: UInt16 = 8
    static let IFA_F_NODAD: UInt32 = 0x02
    static let ifaddrmsgSize = 8

    // Route attributes (RTA_*) and next hops.
    static let RTA_DST: UInt16 = 1
    static let RTA_OIF: UInt16 = 4
    static let RTA_GATEWAY: UInt16 = 5
    static let RTA_PRIORITY: UInt16 = 6
    static let RTA_PREFSRC: UInt16 = 7
    static let RTA_MULTIPATH: UInt16 = 9
    static let RTA_TABLE: UInt16 = 15
    static let RTA_VIA: UInt16 = 18
    static let RTNH_F_ONLINK: UInt8 = 4
    static let RTM_F_CLONED: UInt32 = 0x200
    static let RT_TABLE_COMPAT: UInt8 = 252
    static let rtmsgSize = 12
    static let rtnexthopSize = 8

    // Namespaces.
    static let CLONE_NEWNET: Int32 = 0x4000_0000
}

/// Rounds up to the 4-byte alignment netlink uses for messages and attributes.
@inline(__always) func netlinkAlign(_ n: Int) -> Int { (n + 3) & ~3 }
