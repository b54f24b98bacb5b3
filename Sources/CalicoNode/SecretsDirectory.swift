import Foundation
import enum Calico.TextFile

/// Kubernetes Secrets of a lab, which Calico's datastore does not hold: `<datastore>/secrets/<name>/<key>`
/// files, laid out like a mounted secret volume. BGP passwords (`password.secretKeyRef`,
/// `nodeMeshPassword`) are looked up here; `kubectl create secret generic` writes here.
public struct SecretsDirectory: Sendable {
    public let directory: URL
    public init(datastoreDirectory: URL) { directory = datastoreDirectory.appendingPathComponent("secrets") }

    /// Secret name → key → value.
    public func load() -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] {
            let dir = directory.appendingPathComponent(name)
            for key in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] {
                if let value = try? String(contentsOf: dir.appendingPathComponent(key), encoding: .utf8) { out[name, default: [:]][key] = value }
            }
        }
        return out
    }

    /// Writes a secret; refuses to replace an existing one, as `kubectl create` does.
    public func create(name: String, data: [String: String]) throws {
        let dir = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: dir.path) {
            throw FrontendError("Error from server (AlreadyExists): secrets \"\(name)\" already exists")
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (k, v) in data { try TextFile.replace(dir.appendingPathComponent(k).path, with: v) }
    }
}
