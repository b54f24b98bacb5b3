/// Runs arbitrary bytes through everything a peer can make us parse: the framer, the decoder under both codec
/// options, and the encoder on whatever decodes. Must never trap; errors are expected and ignored.
/// The entry point of the randomised test and of the libFuzzer harness (`scripts/fuzz-wire.sh`).
public func fuzzDecode(_ bytes: [UInt8]) {
    for options in [CodecOptions(fourOctetAS: true), CodecOptions(fourOctetAS: false)] {
        var framer = MessageFramer()
        framer.append(bytes)
        while true {
            let message: ArraySlice<UInt8>?
            do { message = try framer.next() } catch { break }
            guard let message else { break }
            if let decoded = try? BGPMessage.decode(message, options: options) {
                let again = decoded.encode(options: options)
                _ = try? BGPMessage.decode(again[...], options: options)
            }
        }
        _ = try? BGPMessage.decode(bytes[...], options: options)
    }
}
