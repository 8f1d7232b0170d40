import Foundation
import TrailWardenStorage

/// Bytes the digests in memory may take, shared by the reads ahead of a walk.
/// Waiters are served in order; a request larger than the capacity is served
/// when nothing else is held.
final class DigestMemoryBudget: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var held = 0
    private var waiting: [(bytes: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(capacity: Int) { self.capacity = capacity }

    func acquire(_ bytes: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if waiting.isEmpty, fits(bytes) {
                held += bytes
                lock.unlock()
                continuation.resume()
            } else {
                waiting.append((bytes, continuation))
                lock.unlock()
            }
        }
    }

    /// Takes `bytes` only if they fit now, whoever waits: for a read ahead growing while it streams,
    /// which cannot wait (it runs in the transport's callback) and gives up instead.
    func tryAcquire(_ bytes: Int) -> Bool {
        lock.withLock {
            guard held + bytes <= capacity else { return false }
            held += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        lock.lock()
        held -= bytes
        var served = [CheckedContinuation<Void, Never>]()
        while let first = waiting.first, fits(first.bytes) {
            waiting.removeFirst()
            held += first.bytes
            served.append(first.continuation)
        }
        lock.unlock()
        for continuation in served { continuation.resume() }
    }

    private func fits(_ bytes: Int) -> Bool { held == 0 || held + bytes <= capacity }
}

/// The budget a read ahead holds, grown as its digest inflates.
///
/// `@unchecked Sendable`: used by one read at a time, first by its task, then by the
/// transport's callback while that task is suspended, then by the task again.
final class DigestMemoryGrant: @unchecked Sendable {
    private let budget: DigestMemoryBudget
    private(set) var held: Int

    init(budget: DigestMemoryBudget, held: Int) {
        self.budget = budget
        self.held = held
    }

    /// Makes the grant at least `bytes`, doubling it while the budget allows at once; false when it cannot.
    func cover(_ bytes: Int) -> Bool {
        guard bytes > held else { return true }
        for more in [max(bytes, 2 * held) - held, bytes - held] where budget.tryAcquire(more) {
            held += more
            return true
        }
        return false
    }
}

/// Reads the digests a chain walk will ask for ahead of it, in the order it
/// will ask for them (newest first), and hands each over once.
///
/// A forged digest costs memory before its signature can be checked, so reads
/// ahead are bounded twice: at most `concurrency` in flight, and at most
/// `capacity` bytes held by reads and by digests read but not yet taken. A read
/// ahead starts holding `initialReservation` and, as its digest inflates, takes
/// `heldPerInflatedByte` bytes per byte from the budget (a `DigestMemoryGrant`);
/// it gives up on a digest inflating past `prefetchLimit` (about 3,500 log files)
/// or past what the budget has left. Those, and digests not in the plan, are read
/// when the walk asks for them, one at a time, with the reads ahead paused and the
/// whole budget theirs. Digests the walk has passed are dropped.
actor DigestPrefetcher {
    static let prefetchLimit = 1 << 20
    /// What a read and its decoding hold per inflated byte: the growing buffer, then the decoded digest.
    static let heldPerInflatedByte = 3
    /// Enough for a digest of a few hundred log files, so that an hour's digests start at once (reserving
    /// the worst case, `heldPerInflatedByte × prefetchLimit`, let only 32 reads ahead start per round trip).
    static let initialReservation = 256 << 10
    static let capacity = 96 << 20

    private let store: any ObjectStore
    private let budget = DigestMemoryBudget(capacity: DigestPrefetcher.capacity)
    private let plan: [ObjectLocation]
    private let positions: [ObjectLocation: Int]
    /// The lowest plan position the walk may still ask for.
    private var wanted = 0
    private var ready: [Int: Result<DigestRead, any Error>] = [:]
    /// The next plan position the pump starts, and the positions being read.
    private var nextToStart = 0
    private var inFlight = Set<Int>()
    private var waiter: (position: Int, continuation: CheckedContinuation<Result<DigestRead, any Error>, Never>)?
    private var paused = false
    private var pausedPump: CheckedContinuation<Void, Never>?
    private var pump: Task<Void, Never>?

    private init(store: any ObjectStore, plan: [ObjectLocation]) {
        self.store = store
        self.plan = plan
        positions = Dictionary(plan.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Runs `body` with a prefetcher reading `plan` ahead, and stops it afterwards, however `body` ends.
    static func with<Output: Sendable>(_ plan: [ObjectLocation], store: any ObjectStore, concurrency: Int,
                                       _ body: (DigestPrefetcher) async throws -> Output) async throws -> Output {
        let prefetcher = DigestPrefetcher(store: store, plan: plan)
        await prefetcher.start(concurrency: concurrency)
        do {
            let output = try await body(prefetcher)
            await prefetcher.stop()
            return output
        } catch {
            await prefetcher.stop()
            throw error
        }
    }

    /// The digest at `location`, nil when it does not exist.
    func fetch(_ location: ObjectLocation) async throws -> FetchedDigest? {
        resumePump()
        var read = try await take(location)
        if read == nil { read = try await FetchedDigest.read(location, from: store, limit: Self.prefetchLimit) }
        if case .tooLargeToPrefetch = read {
            paused = true
            dropReady()
            await budget.acquire(budget.capacity)
            defer { budget.release(budget.capacity) }
            read = try await FetchedDigest.read(location, from: store)
        }
        guard case .fetched(let digest) = read else { return nil }
        return digest
    }

    private func take(_ location: ObjectLocation) async throws -> DigestRead? {
        guard let position = positions[location], position >= wanted else { return nil }
        wanted = position
        dropReady()
        let result: Result<DigestRead, any Error>
        if let known = ready.removeValue(forKey: position) {
            result = known
        } else if inFlight.contains(position) || position >= nextToStart {
            result = await withCheckedContinuation { waiter = (position, $0) }
        } else {
            // Read ahead and dropped while a large digest was read: read it now.
            wanted = position + 1
            return nil
        }
        wanted = position + 1
        return try handOver(result)
    }

    private func handOver(_ result: Result<DigestRead, any Error>) throws -> DigestRead {
        budget.release(Self.retained(result))
        return try result.get()
    }

    private func start(concurrency: Int) {
        let plan = self.plan, store = self.store, budget = self.budget
        pump = Task {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                while self.nextToStart < plan.count, !Task.isCancelled {
                    let position = self.nextToStart
                    if running >= concurrency, await group.next() != nil { running -= 1 }
                    await budget.acquire(Self.initialReservation)
                    if self.isPaused {
                        budget.release(Self.initialReservation)
                        await self.parkWhilePaused()
                        continue
                    }
                    self.nextToStart += 1
                    guard self.isWanted(position), !Task.isCancelled else {
                        budget.release(Self.initialReservation)
                        continue
                    }
                    self.inFlight.insert(position)
                    let location = plan[position], index = position
                    group.addTask {
                        let grant = DigestMemoryGrant(budget: budget, held: Self.initialReservation)
                        let result: Result<DigestRead, any Error>
                        do {
                            result = .success(try await FetchedDigest.read(location, from: store, limit: Self.prefetchLimit,
                                                                           grant: grant))
                        } catch {
                            result = .failure(error)
                        }
                        budget.release(grant.held - Self.retained(result))
                        await self.deliver(index, result)
                    }
                    running += 1
                }
            }
        }
    }

    private func isWanted(_ position: Int) -> Bool { position >= wanted }

    private var isPaused: Bool { paused }

    /// Parks the pump, holding nothing, while a large digest is read.
    private func parkWhilePaused() async {
        guard paused else { return }
        await withCheckedContinuation { pausedPump = $0 }
    }

    private func resumePump() {
        paused = false
        pausedPump?.resume()
        pausedPump = nil
    }

    private func deliver(_ position: Int, _ result: Result<DigestRead, any Error>) {
        inFlight.remove(position)
        if let waiter, waiter.position == position {
            self.waiter = nil
            waiter.continuation.resume(returning: result)
        } else if position < wanted || paused {
            budget.release(Self.retained(result))
        } else {
            ready[position] = result
        }
    }

    /// Drops what the walk can no longer ask for (everything, while paused).
    private func dropReady() {
        for (position, result) in ready where paused || position < wanted {
            ready[position] = nil
            budget.release(Self.retained(result))
        }
    }

    private func stop() async {
        wanted = plan.count
        pump?.cancel()
        resumePump()
        dropReady()
        await pump?.value
    }

    private static func retained(_ result: Result<DigestRead, any Error>) -> Int {
        if case .success(.fetched(let digest)) = result { return digest.retainedBytes }
        return 0
    }
}
