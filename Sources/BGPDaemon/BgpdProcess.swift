#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `peerlab bgpd --config FILE`: one speaker for the current network namespace, until SIGTERM/SIGINT.
/// SIGHUP re-reads the file and applies it as a diff.
public enum BgpdProcess {
    /// Runs the daemon in the foreground; returns after a clean shutdown.
    public static func run(configPath: String) throws {
        fixMmapThreshold()
        let config = try BgpdConfig.load(path: configPath)
        let log = try config.logPath.map { try Logger(path: $0) } ?? .standardError
        let daemon = try SpeakerDaemon(config: config, log: log)
        try daemon.start()
        var control: ControlServer?
        if let socket = config.controlSocket {
            control = try ControlServer(daemon: daemon, path: socket) { try BgpdConfig.load(path: configPath) }
        }
        log.info("bgpd started: AS \(config.speaker.asn), router-id \(config.speaker.routerID), \(config.peers.count) peers" +
                 (config.listenPort.map { ", listening on \(SocketAddress(config.listenAddress, port: $0))" } ?? ", not listening"))

        let signals = DispatchQueue(label: "bgpd-signals")
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGHUP, SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: signals)
            source.setEventHandler {
                if sig == SIGHUP {
                    do {
                        let summary = daemon.reload(try BgpdConfig.load(path: configPath))
                        log.info("SIGHUP: reloaded \(configPath): \(summary)")
                    } catch {
                        log.error("SIGHUP: \(error); keeping the running configuration")
                    }
                } else {
                    done.signal()
                }
            }
            source.resume()
            sources.append(source)
        }
        done.wait()
        log.info("bgpd stopping")
        control?.close()
        daemon.shutdown()
        for s in sources { s.cancel() }
    }

    /// Blocks of 256 KiB and more (the RIB tables of a large feed) come from mmap, so the table a growing RIB
    /// leaves behind goes back to the system at once. glibc's default threshold rises to the largest block freed,
    /// after which the old tables of the next growths stay in the heap as holes: ~30 bytes per route of resident
    /// memory on a 200 000-route table. (`mallopt` is not in the Glibc module, hence the lookup.)
    private static func fixMmapThreshold() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3   // M_MMAP_THRESHOLD in <malloc.h>
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 256 << 10)
        #endif
    }
}
