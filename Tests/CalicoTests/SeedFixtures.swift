/// The YAML documents of the five seeds, as a user would paste them (code-block indent removed,
/// everything else — tabs, comments, typographic hyphens, odd indentation — left as in the seed).
enum Seed000 {
    static let rrPeer = """
    kind: BGPPeer
    apiVersion: projectcalico.org/v3
    metadata:
      name: peer-with-route-reflectors
    spec:
      nodeSelector: all()
      peerSelector: route-reflector == 'true'
    """
    static let bgpConfig = """
    apiVersion: projectcalico.org/v3
    kind: BGPConfiguration
    metadata:
      name: default
    spec:
      logSeverityScreen: Info
      nodeToNodeMeshEnabled: false
      asNumber: 64512
    """
    static let clusterIDPatch = #"{"spec": {"bgp": {"routeReflectorClusterID": "244.0.0.1"}}}"#
    static let labelPatch = #"{"metadata": {"labels": {"route-reflector": "true"}}}"#
}

enum Seed001 {
    static let bgpConf = """
    apiVersion: projectcalico.org/v3
    kind: BGPConfiguration
    metadata:
      name: default
    spec:
      logSeverityScreen: Info
      nodeToNodeMeshEnabled: false
      asNumber: 64512
    """
    static let node1 = """
    apiVersion: projectcalico.org/v3
    kind: Node
    metadata:
      annotations:
        projectcalico.org/kube-labels: '{"beta.kubernetes.io/arch":"amd64","beta.kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","kubernetes.io/hostname":"node1","kubernetes.io/os":"linux","node-role.kubernetes.io/master":"","node-role.kubernetes.io/worker":"","rr-group":"rr1","rr-id":"rr1"}'
      creationTimestamp: null
      labels:
        beta.kubernetes.io/arch: amd64
        beta.kubernetes.io/os: linux
        kubernetes.io/arch: amd64
        kubernetes.io/hostname: node1
        kubernetes.io/os: linux
        node-role.kubernetes.io/master: ""
        node-role.kubernetes.io/worker: ""
      name: node1
    spec:
      bgp:
        asNumber: 64512                           ## asNumber根据自己需要进行修改

        ipv4Address: 172.20.0.11/24
        routeReflectorClusterID: 172.20.0.11      ## routeReflectorClusterID一般改成自己节点的IP地址
      orchRefs:
      - nodeName: node1
        orchestrator: k8s
    status:
      podCIDRs:
      - ""
      - 10.233.64.0/24
    """
    static let rr1ToLeaf1 = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: rr1-to-leaf1-peer        ## 给BGPPeer取一个名称,方便识别

    spec:
      nodeSelector: rr-id == 'rr1'   ## 通过节点选择器添加有rr-id == 'rr1'标签的节点

      peerIP: 172.20.0.254           ##  leaf01交换机的地址
      asNumber: 65009                ##  leaf01交换机的AS号
    """
    static let rr1ToNode = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: rr1-to-node-peer              ## 给BGPPeer取一个名称,方便识别

    spec:
      nodeSelector: rr-group == 'rr1'     ## 通过节点选择器添加有rr-group == ‘rr1’标签的节点

      peerSelector: rr-id  == 'rr1'       ## 通过peer选择器添加有rr-id == ‘rr1’标签的路由反射器
    """
    static let rr2ToLeaf2 = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: rr2-to-leaf2-peer        ## 给BGPPeer取一个名称,方便识别

    spec:
      nodeSelector: rr-id == 'rr2'   ## 通过节点选择器添加有rr-id == 'rr2'标签的节点
      peerIP: 173.20.0.254           ##  leaf02交换机的地址
      asNumber: 65010                ##  leaf02交换机的AS号
    """
    static let rr2ToNode = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: rr2-to-node-peer              ## 给BGPPeer取一个名称,方便识别

    spec:
      nodeSelector: rr-group == 'rr2'     ## 通过节点选择器添加有rr-group == ‘rr2’标签的节点
      peerSelector: rr-id  == 'rr2'       ## 通过peer选择器添加有rr-id == ‘rr2’标签的路由反射器
    """
    static let serviceIPPatch = #"{"spec": {"serviceClusterIPs": [{"cidr": "10.233.0.0/18"}]}}"#
}

enum Seed002 {
    static let bgpConfig = """
    apiVersion: projectcalico.org/v3
    kind: BGPConfiguration
    metadata:
      name: default
    spec:
      logSeverityScreen: Info
      nodeToNodeMeshEnabled: false #为了禁用默认的full-mesh
      asNumber: 64512 # calico集群，默认as number
    """
    static let rrPeer = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: rr-peer
    spec:
      nodeSelector: route-reflector == 'true'
      peerIP: 172.31.13.116 # 交换机/路由器上的BGP 地址
      asNumber: 7675 # 交换机/路由器上的BGP的AS
    """
    static let peerWithRRs = """
    kind: BGPPeer
    apiVersion: projectcalico.org/v3
    metadata:
      name: peer-with-route-reflectors
    spec:
      nodeSelector: all()
      peerSelector: route-reflector == 'true'
    """
}

enum Seed003 {
    /// As printed: every line after the first indented by two.
    static let bgpLocal = """
    apiVersion: projectcalico.org/v3
      kind: BGPConfiguration
      metadata:
        name: default
      spec:
        logSeverityScreen: Info
        nodeToNodeMeshEnabled: false
        asNumber: 63400
    """
    /// The name carries U+2010 hyphens, as printed.
    static let bgpPeer = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: 64511‐peer‐to‐65001
    spec:
      peerIP: 10.2.98.1
      asNumber: 65001
    """
}

enum Seed004 {
    static let bgpConfig = """
    apiVersion: projectcalico.org/v3
    kind: BGPConfiguration
    metadata:
      name: default
    spec:
      logSeverityScreen: Info
      nodeToNodeMeshEnabled: false
      asNumber: 63400    
    """
    static let globalPeer = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: bgppeer-global-3040
    spec:
      peerIP: 192.20.30.40
      asNumber: 64567
    """
    static let nodePeer = """
    apiVersion: projectcalico.org/v3
    kind: BGPPeer
    metadata:
      name: bgppeer-node-aabbff
    spec:
      peerIP: aa:bb::ff
      node: node1
      asNumber: 64514
    """
    /// The node.yml fragment, tab-indented as in the seed, completed with the node it edits.
    static func nodeYML(name: String, ip: String) -> String {
        """
        apiVersion: projectcalico.org/v3
        kind: Node
        metadata:
          name: \(name)
          labels:
        \ti-am-a-route-reflector: true
        spec:
          bgp:
        \tipv4Address: \(ip)
        \trouteReflectorClusterID: 224.0.0.1
        """
    }
    /// Unquoted `!has(...)`: YAML reads it as a tag; it must still mean the negated selector.
    static let peerToRRs = """
    kind: BGPPeer
    apiVersion: projectcalico.org/v3
    metadata:
      name: peer-to-rrs
    spec:
      nodeSelector: !has(i-am-a-route-reflector)
      peerSelector: has(i-am-a-route-reflector)
    """
    static let rrMesh = """
    kind: BGPPeer
    apiVersion: projectcalico.org/v3
    metadata:
      name: rr-mesh
    spec:
      nodeSelector: has(i-am-a-route-reflector)
      peerSelector: has(i-am-a-route-reflector)
    """
    static let newPool = """
    apiVersion: projectcalico.org/v3
    kind: IPPool
    metadata:
      name: new-pool
    spec:
      cidr: 10.0.0.0/16
      ipipMode: Always
      natOutgoing: true
    """
    /// pool.yaml as printed (tabs, and the seed's `192.0.0.0/16` typo).
    static let poolList = """
    apiVersion: projectcalico.org/v3
    items:
    - apiVersion: projectcalico.org/v3
      kind: IPPool
      metadata:
    \tname: default-ipv4-ippool
      spec:
    \tcidr: 192.0.0.0/16
    \tipipMode: Always
    \tnatOutgoing: true
    - apiVersion: projectcalico.org/v3
      kind: IPPool
      metadata:
    \tname: new-pool
      spec:
    \tcidr: 10.0.0.0/16
    \tipipMode: Always
    \tnatOutgoing: true
    \t
    """
    static let disabledPool = """
    apiVersion: projectcalico.org/v3
    kind: IPPool
    metadata:
      name: default-ipv4-ippool
    spec:
      cidr: 192.0.0.0/16
      ipipMode: Always
      natOutgoing: true
      disabled: true
    """
}
