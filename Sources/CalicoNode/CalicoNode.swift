// CalicoNode: the calico-node device of a lab, over the pure Calico module.
//
//   CalicoNodeAgent   one per calico-node: polls the lab's datastore directory, computes the node's
//                     peerings (NodeConfig) and drives a SpeakerDaemon as BIRD would (protocols start, stop,
//                     restart by name), wires pods (PodNetwork), publishes `show protocols` (NodeStatusFiles).
//   SpeakerPlan       NodeConfig/PeerDescription → BgpdConfig/PeerConfig; CalicoExport: Calico's export filter
//                     (with communities) and per-peer BGPFilter import/export policies for the speaker.
//   BirdFIB           the kernel table as BIRD programs it (`proto bird`, blackholed own blocks; IPIP pools
//                     routed directly, since this kernel has no ipip/tunl0).
//   PodNetwork        pod namespaces, `cali…` veths (MAC ee:ee:ee:ee:ee:ee), /32 and /128 routes, proxy ARP,
//                     169.254.1.1 and fe80::ecee:eeff:feee:eeee default routes.
//   NATOutgoing       Felix's natOutgoing: `table ip/ip6 calico` (all-/masq-ipam-pools sets, cali-nat-outgoing
//                     MASQUERADE) loaded whole by `nft -f -` in the node's namespace when pools change.
//   NodeStatusFiles   the agent's published BIRD replies and PID; `calicoctl node status` reads them.
//   NodeBootstrap     what calico-node writes at start: lab resources (once), kube-system/calico-config,
//                     its Node/KubeNode, the default pool, its calico-node pod, the lab's pods for this node.
//   KubeaszRouteReflectors  kubeasz's CALICO_RR_ENABLED step (cluster ID, route-reflector label, BGPPeer,
//                     mesh off), run by NodeBootstrap once per lab and by `peerlab ezctl setup LAB 07`.
//   BirdControlServer the emulated bird.ctl unix socket (`show protocols`); the lab launcher's ready signal.
//   CalicoctlFrontend / KubectlFrontend   argument handling over Calico's Calicoctl and Kubectl (kubectl
//                     edit's editor runs here); CalicoLabEnvironment finds the datastore (PEERLAB_CALICO_DATASTORE,
//                     PEERLAB_LAB) and node. BGP passwords are Secret objects in the datastore (kube-system).
//
// The datastore of a lab lives in `<lab state dir>/calico/`; node status files in `calico/status/<node>/`.
