/// A CLI view (VRP/Comware) or mode (Quagga): a record, not a type.
public struct View: Sendable, Equatable {
    public let name: String
    /// Prompt template: `%s` is the hostname, `%a` the view's label (`[%s-%a]` → `[HUAWEI-Vlanif98]`).
    public let prompt: String
    /// Where `quit` / `exit` goes; nil for the outermost view.
    public let parent: String?
    /// Header printed above the full `?` list on an empty line (`User view commands:`); nil for none.
    public let helpTitle: String?

    public init(_ name: String, prompt: String, parent: String? = nil, helpTitle: String? = nil) {
        self.name = name
        self.prompt = prompt
        self.parent = parent
        self.helpTitle = helpTitle
    }

    /// The prompt for this view on a device called `hostname`.
    public func prompt(hostname: String, label: String?) -> String {
        var out = ""
        var chars = prompt.makeIterator()
        while let c = chars.next() {
            guard c == "%" else { out.append(c); continue }
            switch chars.next() {
            case "s": out += hostname
            case "a": out += label ?? ""
            case let other?: out.append(c); out.append(other)
            case nil: out.append(c)
            }
        }
        return out
    }
}

/// One open view on the session's stack, with its label (`Vlanif98` for an interface view).
public struct ViewFrame: Sendable, Equatable {
    public let view: String
    public let label: String?
    public init(view: String, label: String? = nil) { self.view = view; self.label = label }
}
