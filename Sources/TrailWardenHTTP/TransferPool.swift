import Foundation

/// Runs transfers on a few `CurlMultiLoop`s (one per core, at most
/// `capacity`), so that at most `capacity` requests are in flight and no
/// thread is spent per request.
///
/// Transfers beyond the capacity wait in a FIFO queue as suspended
/// continuations (no thread blocks). A new transfer goes to the loop with the
/// fewest, the first on a tie, so a caller making requests one after another
/// keeps landing on the same loop and its live connection; a queued transfer
/// takes the place of the one that ended, on the same loop. So no loop ever
/// runs more than `capacity ÷ loops` (rounded up) transfers, nor holds more
/// connections to a host.
///
/// `@unchecked Sendable`: every mutable field is read and written only with `lock` held.
final class TransferPool: @unchecked Sendable {
    typealias Job = CurlMultiLoop.Job

    private let capacity: Int
    private let loops: [CurlMultiLoop]
    /// Why the loops could not start (no descriptor or memory left): every transfer fails with it.
    private let startFailure: HTTPError?
    private let lock = NSLock()
    private var pending: [Job] = []
    /// Transfers handed to each loop and not yet ended.
    private var load: [Int]
    private var inFlight = 0

    init(capacity: Int) {
        self.capacity = capacity
        let share = CurlShare()
        let count = max(1, min(capacity, ProcessInfo.processInfo.activeProcessorCount))
        var started: [CurlMultiLoop] = []
        do {
            for _ in 0..<count { started.append(try CurlMultiLoop(share: share)) }
            startFailure = nil
        } catch {
            started.forEach { $0.stop() }
            started = []
            startFailure = error
        }
        loops = started
        load = Array(repeating: 0, count: loops.count)
        loops.forEach { $0.attach(to: self) }
    }

    /// Runs `transfer` on a loop; cancelling the calling task removes it from
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

    /// Lets every loop's thread exit once its transfers are done.
    func shutDown() {
        loops.forEach { $0.stop() }
    }

    /// Called by `loop` when one of its transfers ended: the queued job that takes its place there, if any.
    func transferEnded(on loop: CurlMultiLoop) -> Job? {
        lock.withLock {
            if !pending.isEmpty {
                return pending.removeFirst()
            }
            inFlight -= 1
            if let index = loops.firstIndex(where: { $0 === loop }) {
                load[index] -= 1
            }
            return nil
        }
    }

    private func submit(_ job: Job) {
        if let startFailure {
            job.continuation.resume(throwing: startFailure)
            return
        }
        lock.lock()
        if job.transfer.isCancelled {
            lock.unlock()
            job.continuation.resume(throwing: CancellationError())
        } else if inFlight < capacity {
            inFlight += 1
            let index = load.indices.min { load[$0] < load[$1] } ?? 0
            load[index] += 1
            lock.unlock()
            loops[index].enqueue(job)
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
        if let queued {
            queued.continuation.resume(throwing: CancellationError())
        } else {
            loops.forEach { $0.checkTransfers() }
        }
    }
}
