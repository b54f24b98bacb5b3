// Calico: the pure layer of PeerLab's emulated calico-node (confd + BIRD + Felix) and calicoctl.
//
// Module map (imports: BGPWire for addresses/prefixes, Yams for YAML parsing; no sockets, no processes;
// the only I/O is the datastore's own directory and lock file):
//
//   Document/    JSONValue (ordered JSON, merge patch), JSON text in/out (Go MarshalIndent shape),
//                YAMLDocuments (Yams → JSONValue with yaml.v2 scalar rules and seed-paste repairs) and the
//                yaml.v2-style emitter (sorted keys, flush sequences, Go's quoting).
//   Selector/    Selector: tokenizer, parser (Calico's error texts), matcher over label maps, canonical text.
//   Resources/   CalicoResource protocol, ResourceKind (+ calicoctl aliases), AnyResource; BGPConfiguration,
//                BGPPeer, BGPFilter, Node, IPPool, IPAMBlock, BlockAffinity, WorkloadEndpoint; Kubernetes
//                KubeNode, Pod, ConfigMap; FieldReader (strict decode: unknown fields rejected),
//                FieldError/ValidationError, ASNumber; ResourceFile.decode (documents, `---` streams, lists).
//   Datastore/   Datastore: create/apply/update/delete/get/list/patch/put/atomically with resourceVersions
//                and libcalico-go's errors, watch callbacks, optional JSON-file directory shared under flock.
//   Peers/       BGPTopology (inputs) and PeerComputation.peers(for:in:) → [PeerDescription]: confd's mesh,
//                global, node and reverse passes, dedupe, RR client rule, passive rule, AS resolution;
//                PeerChanges (added/removed/restarted sessions between two peer lists, by BIRD name).
//   IPAM/        IPAM over the datastore: block claim per node, allocation, borrowing, release,
//                routes(for:) (blackhole blocks, borrowed /32s), usage for `ipam show`; BlockMath.
//   Routes/      RoutePolicy: static blackholes, the export filter (calico_export_to_bgp_peers), communities
//                (prefixAdvertisements, node.<name> over default), kernel programming per pool encapsulation;
//                IPAM.assignTunnelAddress (tunl0). BGPFilter.rules(_:) types a filter's rule lists.
//   NodeAgent/   NodeConfig.compute(for:store:) (router ID, AS, listen port, peers, originated routes);
//                CNI (pod ADD/DEL: one address per family with a pool, WorkloadEndpoint, pod IPs); NodeStartup (default pool from env,
//                router ID incl. `hash`, `cali…` interface names); Digest (SHA-1/SHA-256); BirdConfig
//                (bird.cfg/bird6.cfg in the classic layout, peer blocks per spec §2.4, apply_communities and BGPFilter
//                functions per §2.8; bird_aggr.cfg, bird_ipam.cfg).
//   Kubectl/     Kubectl: `execute(_:environment:)` for whole command lines (flags, verb dispatch); node labels
//                (the labels selectors match), `get nodes|pods|cm|secrets|ippools.crd.projectcalico.org`
//                (tables, `-o wide|yaml|json|name`, `-l`), `delete pods` (owners recreate them), `edit`/`patch`
//                (calico-config, IP pools under their CRD name), `create secret generic`, `apply -f`.
//                KubectlEnvironment brings the clock, files and the user's editor.
//   Calicoctl/   Calicoctl (create/apply/replace/delete/get/patch/label/ipam show → CommandOutput, usage,
//                `execute(_:environment:)` for whole command lines),
//                CalicoAPIConfig (calicoctl.cfg + env), GetOutput (tabwriter tables, List YAML/JSON),
//                NodeStatus (command checks, BIRD `show protocols` parsing, tablewriter layout),
//                BirdControl (the `show protocols` reply an emulated bird.ctl serves), IPAMShow,
//                TabTable/BoxTable text tables.
//
// Entry points others call: `Datastore`, `Calicoctl(store:)`, `Kubectl(store:)`, `NodeConfig.compute(for:store:)`
// (or `BGPTopology(datastore:)` + `PeerComputation.peers(for:in:)`), `PeerChanges(from:to:)`, `IPAM(store:)`,
// `CNI(store:)`, `RoutePolicy(nodeName:store:)`, `NodeStatus.command(...)`, `BirdControl.showProtocols(_:)`.
