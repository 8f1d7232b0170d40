internal import CCurl
import Foundation

/// One event-loop thread driving many transfers through a curl multi handle:
/// epoll says which sockets are ready, `curl_multi_socket_action` runs the
/// transfers on them (and on curl's timer), and finished transfers resume
/// their callers. The transfers' callbacks, and so the consumers' gunzip and
/// hashing, run on this thread; `TransferPool` spreads transfers over one loop
/// per core.
///
/// Exists because a thread per transfer cost a thread switch and a wake-up
/// per request, and a thread (with its own inflate buffers) per request in
/// flight. The loop's multi handle keeps the connections of all its transfers;
/// its easy handles are reused.
///
/// The thread starts with the loop's first transfer (a client that sends nothing,
/// or one caller at a time, leaves the other loops without one).
///
/// `@unchecked Sendable`: `inbox`, `checkRequested`, `stopping` and
/// `threadStarted` are guarded by `lock`; `pool` is written once before any
/// transfer; everything else is touched only on the loop's own thread.
final class CurlMultiLoop: @unchecked Sendable {
    struct Job {
        let transfer: Transfer
        let continuation: CheckedContinuation<HTTPResponse, any Error>
    }

    private struct Running {
        let job: Job
        let easy: CurlEasyHandle
    }

    /// How often running transfers are checked for cancellation and the idle timeout
    /// without being asked: curl calls their progress callbacks only when they have events.
    static let checkInterval: Duration = .milliseconds(250)

    private let lock = NSLock()
    private var inbox: [Job] = []
    private var checkRequested = false
    private var stopping = false
    private var threadStarted = false
    private weak var pool: TransferPool?

    private let share: CurlShare
    private let multi: UnsafeMutableRawPointer
    private let epoll: Int32
    private let wakeUp: Int32
    private var running: [UnsafeMutableRawPointer: Running] = [:]
    private var spare: [CurlEasyHandle] = []
    private var timerDeadline: ContinuousClock.Instant?
    private var lastCheck = ContinuousClock.now

    /// Throws when the process has no descriptor (or memory) left for the loop's
    /// epoll set, wake-up eventfd or multi handle: an error for the requests, not a crash.
    init(share: CurlShare) throws(HTTPError) {
        guard CurlGlobal.initialised else { throw Self.startFailure("curl_global_init failed") }
        guard let multi = curl_multi_init() else { throw Self.startFailure("curl_multi_init failed: out of memory") }
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        let epollError = errno
        let wakeUp = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        let wakeUpError = errno
        guard epoll >= 0, wakeUp >= 0, trailwarden_epoll_watch(epoll, wakeUp, CURL_POLL_IN) == 0 else {
            let reason = epoll < 0 ? "epoll_create1: \(String(cString: strerror(epollError)))"
                : wakeUp < 0 ? "eventfd: \(String(cString: strerror(wakeUpError)))" : "epoll_ctl: \(String(cString: strerror(errno)))"
            if epoll >= 0 { close(epoll) }
            if wakeUp >= 0 { close(wakeUp) }
            curl_multi_cleanup(multi)
            throw Self.startFailure(reason)
        }
        self.share = share
        self.multi = multi
        self.epoll = epoll
        self.wakeUp = wakeUp
        let userData = Unmanaged.passUnretained(self).toOpaque()
        let results = [
            trailwarden_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, userData),
            // Always 0: curl 7.88 marks the whole multi handle dead when this returns -1. A socket epoll
            // refused never becomes ready, and its transfer ends at the idle timeout.
            trailwarden_multi_setopt_socket_callback(multi) { _, socket, what, userData, _ in
                _ = trailwarden_epoll_watch(CurlMultiLoop.from(userData).epoll, socket, what)
                return 0
            },
            trailwarden_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, userData),
            trailwarden_multi_setopt_timer_callback(multi) { _, milliseconds, userData in
                CurlMultiLoop.from(userData).timerDeadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
                return 0
            },
        ]
        guard let refused = results.first(where: { $0 != CURLM_OK }) else { return }
        cleanUp()
        throw Self.startFailure("curl_multi_setopt: \(String(cString: curl_multi_strerror(refused)))")
    }

    private static func startFailure(_ reason: String) -> HTTPError {
        HTTPError(.other, "cannot start an HTTP event loop: \(reason)")
    }

    /// `pool` hears of every transfer that ends; called before the first `enqueue`.
    func attach(to pool: TransferPool) {
        self.pool = pool
    }

    /// Hands `job` to the loop (from any thread), starting its thread the first time.
    func enqueue(_ job: Job) {
        let first = lock.withLock {
            inbox.append(job)
            defer { threadStarted = true }
            return !threadStarted
        }
        guard first else {
            eventfd_write(wakeUp, 1)
            return
        }
        let thread = Thread { [self] in run() }
        thread.name = "trailwarden-http"
        thread.start()
    }

    /// Makes the loop check its running transfers for cancellation at once.
    func checkTransfers() {
        lock.withLock { checkRequested = true }
        eventfd_write(wakeUp, 1)
    }

    /// Lets the thread exit once it has no transfers (it cleans up the multi handle); without a thread, cleans up.
    func stop() {
        let started = lock.withLock {
            stopping = true
            return threadStarted
        }
        if started {
            eventfd_write(wakeUp, 1)
        } else {
            cleanUp()
        }
    }

    private func run() {
        Self.ignoreBrokenPipes()
        var sockets = [Int32](repeating: 0, count: 64)
        var events = [Int32](repeating: 0, count: 64)
        while true {
            let (jobs, check, stop) = lock.withLock {
                defer { inbox = []; checkRequested = false }
                return (inbox, checkRequested, stopping)
            }
            if stop && jobs.isEmpty && running.isEmpty { break }
            for job in jobs {
                if let error = add(job) { end(job, with: .failure(error)) }
            }
            if check || ContinuousClock.now - lastCheck >= Self.checkInterval {
                abortCancelledAndStalled()
            }
            let count = trailwarden_epoll_wait(epoll, &sockets, &events, waitMilliseconds())
            for index in 0..<Int(count) {
                if sockets[index] == wakeUp {
                    var value: eventfd_t = 0
                    eventfd_read(wakeUp, &value)
                } else {
                    act(on: sockets[index], events[index])
                }
            }
            if let deadline = timerDeadline, deadline <= .now {
                timerDeadline = nil
                act(on: CURL_SOCKET_TIMEOUT, 0)
            }
            collectFinished()
        }
        cleanUp()
    }

    private func cleanUp() {
        curl_multi_cleanup(multi)
        spare.removeAll()
        close(epoll)
        close(wakeUp)
    }

    /// Until curl's timer, but never longer than the next check (or a second when idle).
    private func waitMilliseconds() -> Int32 {
        var wait: Duration = running.isEmpty ? .seconds(1) : Self.checkInterval
        if let deadline = timerDeadline {
            wait = min(wait, max(.zero, deadline - .now))
        }
        let (seconds, attoseconds) = wait.components
        return Int32(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    private func act(on socket: curl_socket_t, _ events: Int32) {
        var stillRunning: Int32 = 0
        curl_multi_socket_action(multi, socket, events, &stillRunning)
    }

    /// Sets an easy handle up for `job` and adds it to the multi handle; the error if it could not.
    private func add(_ job: Job) -> (any Error)? {
        if job.transfer.isCancelled { return CancellationError() }
        let easy = spare.popLast() ?? CurlEasyHandle(share: share)
        do {
            try job.transfer.prepare(on: easy)
            let code = curl_multi_add_handle(multi, easy.handle)
            guard code == CURLM_OK else {
                throw HTTPError(.other, "curl refused a transfer: \(String(cString: curl_multi_strerror(code)))")
            }
        } catch {
            spare.append(easy)
            return error
        }
        running[easy.handle] = Running(job: job, easy: easy)
        return nil
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            var code = CURLE_OK
            if let easy = trailwarden_multi_done(message, &code) {
                finish(easy, code)
            }
        }
    }

    /// Transfers cancelled, or idle for the idle timeout, end as curl ends those its progress callback aborts.
    private func abortCancelledAndStalled() {
        lastCheck = .now
        for easy in running.filter({ $0.value.job.transfer.mustAbort }).keys {
            finish(easy, CURLE_ABORTED_BY_CALLBACK)
        }
    }

    /// The outcome is read while the handle is still in the multi handle (which keeps its connection).
    private func finish(_ easy: UnsafeMutableRawPointer, _ code: CURLcode) {
        guard let entry = running.removeValue(forKey: easy) else { return }
        let result = Result { try entry.job.transfer.outcome(of: code, on: entry.easy) }
        curl_multi_remove_handle(multi, easy)
        spare.append(entry.easy)
        end(entry.job, with: result)
    }

    /// Resumes the caller, and adds the queued transfer that takes this one's place in the pool.
    private func end(_ job: Job, with result: Result<HTTPResponse, any Error>) {
        var next = pool?.transferEnded(on: self)
        job.continuation.resume(with: result)
        while let queued = next {
            next = nil
            if let error = add(queued) {
                next = pool?.transferEnded(on: self)
                queued.continuation.resume(throwing: error)
            }
        }
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> CurlMultiLoop {
        Unmanaged<CurlMultiLoop>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// A peer closing a connection must fail the write (EPIPE), not kill the
    /// process: OpenSSL writes to sockets without MSG_NOSIGNAL.
    private static func ignoreBrokenPipes() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }
}
