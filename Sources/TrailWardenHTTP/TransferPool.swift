import Foundation

/// Runs transfers on up to `capacity` worker threads, each with its own curl
/// easy handle, so blocking `curl_easy_perform` never runs on the Swift
/// concurrency pool and at most `capacity` requests are in flight.
///
/// Transfers beyond the capacity wait in a FIFO queue as suspended
/// continuations (no thread blocks). Idle workers are reused most recently
/// used first, so a caller making requests one after another keeps landing on
/// the same handle and its live connection; rarely used workers' connections
/// simply age out.
///
/// `@unchecked Sendable`: every mutable field (and each worker's `assigned`)
/// is read and written only with `lock` held.
final class TransferPool: @unchecked Sendable {
    private struct Job {
        let transfer: Transfer
        let continuation: CheckedContinuation<HTTPResponse, any Error>
    }

    /// A worker thread's state. `@unchecked Sendable`: `assigned` is guarded by
    /// the pool's lock; `easy` is used only on the worker's own thread.
    private final class Worker: @unchecked Sendable {
        let easy: CurlEasyHandle
        let wakeUp = DispatchSemaphore(value: 0)
        var assigned: Job?

        init(share: CurlShare) {
            easy = CurlEasyHandle(share: share)
        }
    }

    private let capacity: Int
    private let share = CurlShare()
    private let lock = NSLock()
    private var pending: [Job] = []
    private var idle: [Worker] = []
    private var workerCount = 0
    private var shuttingDown = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Runs `transfer` on a worker; cancelling the calling task removes it from
    /// the queue or aborts it mid-transfer, throwing `CancellationError`.
    func run(_ transfer: Transfer) async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                submit(Job(transfer: transfer, continuation: continuation))
            }
        } onCancel: {
            cancel(transfer)
        }
    }

    /// Lets idle workers exit and busy ones exit after their transfer.
    func shutDown() {
        let sleepers = lock.withLock {
            shuttingDown = true
            defer { idle.removeAll() }
            return idle
        }
        sleepers.forEach { $0.wakeUp.signal() }
    }

    private func submit(_ job: Job) {
        lock.lock()
        if job.transfer.isCancelled {
            lock.unlock()
            job.continuation.resume(throwing: CancellationError())
        } else if let worker = idle.popLast() {
            worker.assigned = job
            lock.unlock()
            worker.wakeUp.signal()
        } else if workerCount < capacity {
            workerCount += 1
            lock.unlock()
            startWorker(with: job)
        } else {
            pending.append(job)
            lock.unlock()
        }
    }

    private func cancel(_ transfer: Transfer) {
        transfer.cancel()
        let queued: Job? = lock.withLock {
            pending.firstIndex { $0.transfer === transfer }.map { pending.remove(at: $0) }
        }
        queued?.continuation.resume(throwing: CancellationError())
    }

    private func startWorker(with job: Job) {
        let worker = Worker(share: share)
        let thread = Thread { [self] in
            Self.ignoreBrokenPipes()
            var next: Job? = job
            while let current = next {
                let result = current.transfer.perform(on: worker.easy)
                let queued = queuedJobOrPark(worker)
                current.continuation.resume(with: result)
                switch queued {
                case .job(let job): next = job
                case .parked: next = assignment(for: worker)
                case .exit: next = nil
                }
            }
        }
        thread.name = "trailwarden-http"
        thread.start()
    }

    private enum WorkerNext {
        case job(Job)
        case parked
        case exit
    }

    /// The next queued job, or else parks `worker` as idle. Runs before the
    /// finished transfer's caller resumes, so a caller sending its next request
    /// at once finds this worker (and its open connection) idle.
    private func queuedJobOrPark(_ worker: Worker) -> WorkerNext {
        lock.withLock {
            if !pending.isEmpty {
                return .job(pending.removeFirst())
            }
            if shuttingDown {
                return .exit
            }
            idle.append(worker)
            return .parked
        }
    }

    /// Waits until a job is handed to the parked `worker`; nil once the pool shuts down.
    private func assignment(for worker: Worker) -> Job? {
        worker.wakeUp.wait()
        return lock.withLock {
            defer { worker.assigned = nil }
            return worker.assigned
        }
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
