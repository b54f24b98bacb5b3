/// `/etc/calico/calicoctl.cfg` (kind `CalicoAPIConfig`) and the environment calicoctl reads.
public struct CalicoAPIConfig: Hashable, Sendable {
    public var datastoreType: String
    public var kubeconfig: String?
    public var etcdEndpoints: String?

    /// Parses the config file; `DATASTORE_TYPE`/`KUBECONFIG`/`ETCD_ENDPOINTS` in `environment` win,
    /// as they do for calicoctl. Default datastore: `etcdv3`.
    public static func load(file text: String?, environment env: [String: String] = [:]) throws -> CalicoAPIConfig {
        var cfg = CalicoAPIConfig(datastoreType: "etcdv3", kubeconfig: nil, etcdEndpoints: nil)
        if let text, !text.isEmpty {
            guard let doc = try YAMLDocuments.parse(text).first, doc != .null else { return cfg }
            guard doc["kind"]?.stringValue == "CalicoAPIConfig" else {
                throw CalicoError("invalid config file: expected kind CalicoAPIConfig")
            }
            let spec = try FieldReader(doc["spec"] ?? .null, structName: "CalicoAPIConfigSpec", path: "spec",
                                       known: ["datastoreType", "kubeconfig", "k8sAPIEndpoint", "k8sAPIToken", "etcdEndpoints",
                                               "etcdUsername", "etcdPassword", "etcdKeyFile", "etcdCertFile", "etcdCACertFile"])
            cfg.datastoreType = try spec.string("datastoreType") ?? cfg.datastoreType
            cfg.kubeconfig = try spec.string("kubeconfig")
            cfg.etcdEndpoints = try spec.string("etcdEndpoints")
        }
        if let t = env["DATASTORE_TYPE"], !t.isEmpty { cfg.datastoreType = t }
        if let k = env["KUBECONFIG"], !k.isEmpty { cfg.kubeconfig = k }
        if let e = env["ETCD_ENDPOINTS"], !e.isEmpty { cfg.etcdEndpoints = e }
        return cfg
    }

    /// The datastore flavour whose error texts calicoctl shows.
    public var backend: Datastore.Backend { datastoreType == "kubernetes" ? .kubernetes : .etcd }
}

extension Calicoctl {
    /// `calicoctl -h` / `calicoctl --help` (the v3.17-era text seed 001 shows).
    public static let usage = """
    Usage:
      calicoctl [options] <command> [<args>...]

        create       Create a resource by filename or stdin.
        replace      Replace a resource by filename or stdin.
        apply        Apply a resource by filename or stdin.  This creates a resource
                     if it does not exist, and replaces a resource if it does exists.
        patch        Patch a pre-exisiting resource in place.
        delete       Delete a resource identified by file, stdin or resource type and
                     name.
        get          Get a resource identified by file, stdin or resource type and
                     name.
        label        Add or update labels of resources.
        convert      Convert config files between different API versions.
        ipam         IP address management.
        node         Calico node management.
        version      Display the version of calicoctl.
        export       Export the Calico datastore objects for migration
        import       Import the Calico datastore objects for migration
        datastore    Calico datastore management.

    Options:
      -h --help               Show this screen.
      -l --log-level=<level>  Set the log level (one of panic, fatal, error,
                              warn, info, debug) [default: panic]

    Description:
      The calicoctl command line tool is used to manage Calico network and security
      policy, to view and manage endpoint configuration, and to manage a Calico
      node instance.

      See 'calicoctl <command> --help' to read about a specific subcommand.

    """
}
