import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One thread that owns a daemon: `poll()` over registered descriptors, a monotonic timer heap, and a self-pipe
/// that wakes it for work submitted from other threads. Everything registered here runs on that thread only,
/// and nothing on it may block.
public final class EventLoop: @unchecked Sendable {
    public struct TimerID: Hashable, Sendable { fileprivate let raw: UInt64 }
    public typealias Handler = (_ revents: Int16) -> Void

    private struct Registration { var events: Int16; var handler: Handler }
    private struct Deadline: Comparable {
        var at: Double, id: UInt64
        static func < (a: Deadline, b: Deadline) -> Bool { (a.at, a.id) < (b.at, b.id) }
    }

    private var registrations: [Int32: Registration] = [:]
    private var heap: [Deadline] = []
    private var timerActions: [UInt64: () -> Void] = [:]
    private var nextTimerID: UInt64 = 0
    /// Read and write ends of the wake-up pipe.
    private let wakeFD: Int32
    private let wakeWriteFD: Int32

    private let lock = NSLock()
    private var submitted: [() -> Void] = []
    private var stopRequested = false
    private var thread: Thread?
    private var loopThreadID: pthread_t?

    public init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SystemError("pipe") }
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = ends[0]; wakeWriteFD = ends[1]
    }

    deinit { close(wakeFD); close(wakeWriteFD) }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)
    }

    /// Monotonic seconds; never jumps with the wall clock.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// True when called on the loop's own thread.
    public var inLoop: Bool {
        lock.lock(); defer { lock.unlock() }
        return loopThreadID.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    // MARK: - Cross-thread entry points

    /// Queues `work` to run on the loop thread. Safe from any thread.
    public func submit(_ work: @escaping () -> Void) {
        lock.lock(); submitted.append(work); lock.unlock()
        wake()
    }

    /// Runs `work` on the loop thread and waits for its result (directly when already on it).
    /// Before `run` and after it has returned, the calling thread is the only user, so `work` runs inline.
    public func sync<T>(_ work: @escaping () -> T) -> T {
        if inLoop { return work() }
        let done = DispatchSemaphore(value: 0)
        var result: T?
        lock.lock()
        guard loopThreadID != nil else {
            lock.unlock()
            return work()
        }
        // Queued under the same lock that `run` holds when it stops taking work, so this is never stranded.
        submitted.append { result = work(); done.signal() }
        lock.unlock()
        wake()
        done.wait()
        return result!
    }

    /// Starts the loop on a new thread of its own.
    /// - Parameter around: wraps the whole run, e.g. to keep the thread inside a network namespace.
    public func start(name: String = "bgpd-loop", around: ((() -> Void) -> Void)? = nil) {
        let t = Thread { [self] in
            if let around { around { self.run() } } else { run() }
        }
        t.name = name
        thread = t
        t.start()
        while loopThreadIDIsUnset { usleep(1000) }
    }

    private var loopThreadIDIsUnset: Bool { lock.lock(); defer { lock.unlock() }; return loopThreadID == nil }

    /// Asks the loop to return after the current iteration. Safe from any thread.
    public func stop() {
        lock.lock(); stopRequested = true; lock.unlock()
        wake()
    }

    // MARK: - Loop-thread API

    /// Watches `fd` for `events` (POLLIN/POLLOUT); replaces any earlier registration.
    public func register(_ fd: Int32, events: Int16, _ handler: @escaping Handler) {
        registrations[fd] = Registration(events: events, handler: handler)
    }

    public func setEvents(_ fd: Int32, _ events: Int16) {
        registrations[fd]?.events = events
    }

    public func unregister(_ fd: Int32) { registrations[fd] = nil }

    /// Runs `action` once after `seconds`.
    @discardableResult
    public func schedule(after seconds: Double, _ action: @escaping () -> Void) -> TimerID {
        nextTimerID += 1
        let id = nextTimerID
        timerActions[id] = action
        push(Deadline(at: Self.now() + seconds, id: id))
        return TimerID(raw: id)
    }

    public func cancel(_ timer: TimerID) { timerActions[timer.raw] = nil }

    /// Runs the loop on the calling thread until `stop()`.
    public func run() {
        lock.lock(); loopThreadID = pthread_self(); lock.unlock()
        while true {
            lock.lock(); let stopping = stopRequested; lock.unlock()
            if stopping { break }
            iterate()
        }
        // Work submitted up to now still runs here; later `sync` calls run inline on their own thread.
        lock.lock()
        loopThreadID = nil
        stopRequested = false
        let remaining = submitted
        submitted = []
        lock.unlock()
        for w in remaining { w() }
    }

    private func iterate() {
        var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        for (fd, r) in registrations where r.events != 0 { fds.append(pollfd(fd: fd, events: r.events, revents: 0)) }
        let n = poll(&fds, nfds_t(fds.count), timeoutMilliseconds())
        if n > 0 {
            if fds[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 256)
                while read(wakeFD, &drain, 256) > 0 {}
                runSubmitted()
            }
            for p in fds.dropFirst() where p.revents != 0 {
                // A handler may have unregistered this descriptor while handling another one.
                registrations[p.fd]?.handler(p.revents)
            }
        }
        runDueTimers()
    }

    private func runSubmitted() {
        lock.lock(); let work = submitted; submitted = []; lock.unlock()
        for w in work { w() }
    }

    private func timeoutMilliseconds() -> Int32 {
        while let first = heap.first, timerActions[first.id] == nil { _ = pop() }
        guard let first = heap.first else { return -1 }
        let ms = (first.at - Self.now()) * 1000
        return ms <= 0 ? 0 : Int32(min(ms.rounded(.up), 60_000))
    }

    private func runDueTimers() {
        let now = Self.now()
        while let first = heap.first, first.at <= now {
            _ = pop()
            if let action = timerActions.removeValue(forKey: first.id) { action() }
        }
    }

    // MARK: - Binary heap of deadlines

    private func push(_ d: Deadline) {
        heap.append(d)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i] < heap[parent] else { break }
            heap.swapAt(i, parent); i = parent
        }
    }

    private func pop() -> Deadline? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count && heap[l] < heap[smallest] { smallest = l }
            if r < heap.count && heap[r] < heap[smallest] { smallest = r }
            if smallest == i { break }
            heap.swapAt(i, smallest); i = smallest
        }
        return top
    }
}

/// A failed system call, with errno's text: "connect 10.0.0.2:179: Connection refused".
public struct SystemError: Error, CustomStringConvertible, Hashable {
    public var operation: String
    public var code: Int32
    public init(_ operation: String, code: Int32 = errno) { self.operation = operation; self.code = code }
    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
