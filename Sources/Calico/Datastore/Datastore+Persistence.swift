import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The on-disk form: `<dir>/objects/<Kind>~[<namespace>~]<name>.json` holds each object as calicoctl's
/// JSON, `<dir>/revision` the last resourceVersion, `<dir>/.lock` the advisory lock.
extension Datastore {
    private var objectsDirectory: URL? { directory?.appendingPathComponent("objects", isDirectory: true) }

    func fileName(_ key: ResourceKey) -> String {
        ([key.kind.rawValue] + (key.namespace.map { [$0] } ?? []) + [key.name]).joined(separator: "~") + ".json"
    }

    func withFileLock<T>(_ body: () throws -> T) throws -> T {
        guard let directory else { return try body() }
        fileLockDepth += 1
        defer { fileLockDepth -= 1 }
        if fileLockDepth > 1 { return try body() }
        let path = directory.appendingPathComponent(".lock").path
        let fd = open(path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw CalicoError("cannot open datastore lock \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw CalicoError("cannot lock datastore \(path): \(String(cString: strerror(errno)))") }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }

    func reloadIfChanged() throws {
        var ignored: [DatastoreChange] = []
        try reloadIfChanged(changes: &ignored)
    }

    /// Re-reads the directory when another process bumped the revision, recording what changed.
    func reloadIfChanged(changes: inout [DatastoreChange]) throws {
        guard let directory, let objectsDirectory else { return }
        let revText = (try? String(contentsOf: directory.appendingPathComponent("revision"), encoding: .utf8)) ?? "0"
        let diskRevision = Int(revText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        if diskRevision == loadedRevision { return }
        var fresh: [ResourceKey: AnyResource] = [:]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: objectsDirectory.path)) ?? []
        for f in files where f.hasSuffix(".json") {
            guard let text = try? String(contentsOf: objectsDirectory.appendingPathComponent(f), encoding: .utf8),
                  let doc = try? JSONValue.parse(json: text),
                  let r = try? ResourceFile.decode(document: doc).first else { continue }
            fresh[ResourceKey(r)] = r
        }
        for (k, r) in fresh {
            if let old = objects[k] {
                if old != r { changes.append(DatastoreChange(action: .modified, key: k, resource: r, previous: old)) }
            } else {
                changes.append(DatastoreChange(action: .added, key: k, resource: r, previous: nil))
            }
        }
        for (k, old) in objects where fresh[k] == nil {
            changes.append(DatastoreChange(action: .deleted, key: k, resource: old, previous: old))
        }
        objects = fresh
        revision = diskRevision
        loadedRevision = diskRevision
    }

    /// Picks up changes other processes made and delivers them to this process's watchers.
    public func refresh() throws {
        _ = try transaction { _ in () }
    }

    func writeFile(_ r: AnyResource, key: ResourceKey) throws {
        guard let objectsDirectory else { return }
        try FileManager.default.createDirectory(at: objectsDirectory, withIntermediateDirectories: true)
        try TextFile.replace(objectsDirectory.appendingPathComponent(fileName(key)).path, with: r.json.jsonText() + "\n")
    }

    func removeFile(_ key: ResourceKey) throws {
        guard let objectsDirectory else { return }
        try FileManager.default.removeItem(at: objectsDirectory.appendingPathComponent(fileName(key)))
    }

    func writeRevision() throws {
        guard let directory else { return }
        try TextFile.replace(directory.appendingPathComponent("revision").path, with: "\(revision)\n")
        loadedRevision = revision
    }
}
