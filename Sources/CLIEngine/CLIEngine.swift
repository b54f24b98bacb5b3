// CLIEngine: the command-tree engine behind PeerLab's vendor consoles (Huawei VRP 5, H3C Comware 7,
// Quagga/FRR vtysh). It knows nothing of BGP: personalities declare their commands as data.
//
// Module map
// ----------
//   Values/      CLIValue.swift        protocol CLIValue: a token kind parses itself, names its `?` placeholder
//                                      (VRP `X.X.X.X`, Quagga `A.B.C.D`) and offers Tab completions
//                AddressValues.swift   IPv4Value, IPv4MaskValue, MaskLengthValue, IPv4PrefixValue, IPv6Value, IPv6PrefixValue
//                NumberValues.swift    ASNumberValue (asplain and asdot), IntegerValue (grammar bounds)
//                TextValues.swift      WordValue, QuotedStringValue, TextValue (rest of line)
//                InterfaceName.swift   InterfaceNaming per vendor, InterfaceNameValue (`g0/0/1`, `Vlan10`, `eth0`)
//                PasswordCipher.swift  the reversible `cipher` text of stored passwords (VRP `%^%#…%^%#`, Comware
//                                      `$c$3$…`): PeerLab's own scheme in the vendors' framing
//   Grammar/     Grammar.swift         the grammar notation ("peer {ip:ipv4} as-number {asn:asn}") → Grammar
//                Command.swift         Command<Device> (grammar, per-token help, views, enters, negation, handler),
//                                      CommandContext, CommandFailure
//                CommandGraph.swift    grammar → position automaton per command; the graph of each view
//   Matching/    Token.swift           line → tokens with columns; Captures
//                Matcher.swift         the pure matcher: (view graph, tokens) → command + captures, or
//                                      incomplete / ambiguous / unrecognized / wrong parameter / too many, with
//                                      the offending token; abbreviation and precedence live only here
//                Help.swift            `?` entries and Tab candidates from the same graph
//   Dialect/     Dialect.swift         vendor conventions as data: placeholders, interface names, undo/no,
//                                      navigation keywords, aliases; built-ins vrp5, vrp8, comware7, quagga, frr
//                ErrorStyle.swift      caret errors (VRP/Comware) and `%` errors (Quagga/FRR)
//   Session/     View.swift            View { name, prompt template, parent, help title }, ViewFrame
//                CommandTree.swift     a personality's compiled CLI; `match(_:in:)` for tools and tests
//                Session.swift         view stack + hostname: execute / describe (`?`) / complete (Tab) / Ctrl+Z,
//                                      handler questions ([Y/N]), transcripts, load(config:) for saved configs
//   Validation/  Validator.swift       checks a command table: duplicates, help, reachability, abbreviations
//
// Path of a line: Session.execute(line:) → aliases (Comware `show` → `display`) → Matcher.match over the
// current view's graph → navigation (quit/return/end/exit) or the command's handler with typed captures →
// output, view changes (`enters`), hostname, or a question (`[Y/N]`) whose answer is the next line →
// Reply { lines, prompt, ended, refused }. Quagga/FRR also try the enclosing modes up to `config` when the
// current one has no such command. The terminal calls describe(line:) for `?` and complete(line:) for Tab.
//
// The matcher keeps every live path through every command of the view (a position automaton per command,
// paths sharing their steps as a persistent list). Figures (MatcherBenchmark, CPU time per line): a 30-command
// table 11 µs release / 72 µs debug; with 430 commands in one view 175 µs release / 1.1 ms debug.
//
// Precedence when several nodes could take the same word (Matcher.Fit): a typed value beats an exact keyword,
// which beats a keyword it prefixes, which beats an abbreviated value (interface type), which beats a
// malformed value (→ Wrong parameter), which beats a free word. Two different keywords both cut to the word:
// Ambiguous.
//
// Sources: /work/shared/spec/vendor-cli.md (§A.1–A.2 VRP, §B.1–B.2 Comware, §C.1 Quagga/FRR) and
// style.md §7 items 8–12. Unverified vendor details are marked where they are used.
