/// Turning files (YAML or JSON; single documents, `---` streams, `kind: List` and `<Kind>List`) into
/// resources, with calicoctl's errors.
public enum ResourceFile {
    /// Decodes every object in `text`. Errors carry calicoctl's wording, e.g.
    /// `error parsing document: json: unknown field "foo"` or
    /// `Unknown resource type (Foo) and/or version (projectcalico.org/v3)`.
    public static func decode(_ text: String) throws -> [AnyResource] {
        let docs: [JSONValue]
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            do { docs = [try JSONValue.parse(json: text)] } catch let e as CalicoError { throw CalicoError("error parsing document: \(e.message)") }
        } else {
            do { docs = try YAMLDocuments.parse(text) } catch let e as CalicoError { throw CalicoError("error parsing document: \(e.message)") }
        }
        var out: [AnyResource] = []
        for doc in docs where doc != .null {
            out += try decode(document: doc)
        }
        return out
    }

    /// Decodes one parsed document, expanding lists.
    public static func decode(document doc: JSONValue) throws -> [AnyResource] {
        if case .array(let items) = doc { return try items.flatMap { try decode(document: $0) } }
        guard case .object(let pairs) = doc else { throw CalicoError("error parsing document: json: cannot unmarshal \(doc.jsonTypeName) into Go value of type unstructured") }
        let kind = doc["kind"]?.stringValue ?? ""
        let apiVersion = doc["apiVersion"]?.stringValue ?? ""
        // A list may lose its `kind` when edited by hand (seed 004's pool.yaml); `items` still says it is one.
        if kind == "List" || kind.hasSuffix("List") || (kind.isEmpty && doc["items"] != nil) {
            for (k, _) in pairs where !["kind", "apiVersion", "metadata", "items"].contains(k) {
                throw CalicoError("error parsing document: json: unknown field \"\(k)\"")
            }
            return try (doc["items"]?.arrayValue ?? []).flatMap { try decode(document: $0) }
        }
        guard let rk = ResourceKind(apiVersion: apiVersion, kind: kind) else {
            throw CalicoError("Unknown resource type (\(kind)) and/or version (\(apiVersion))")
        }
        if !rk.isKubernetes {
            let allowed = documentHeaderKeys + (rk == .node ? ["spec", "status"] : ["spec"])
            for (k, _) in pairs where !allowed.contains(k) {
                throw CalicoError("error parsing document: json: unknown field \"\(k)\"")
            }
        }
        do {
            return [try AnyResource.decode(kind: rk, document: doc)]
        } catch let e as CalicoError {
            throw CalicoError("error parsing document: \(e.message)")
        }
    }

    /// Decodes and validates; the first invalid resource's field errors are thrown as `ValidationError`.
    public static func decodeValidated(_ text: String) throws -> [AnyResource] {
        let resources = try decode(text)
        for r in resources {
            let errs = r.validate()
            if !errs.isEmpty { throw ValidationError(errs) }
        }
        return resources
    }
}
