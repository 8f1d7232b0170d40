import TrailWardenStorage

/// The log verifications of a validation, running as child tasks of the validation's own task group.
typealias LogVerifications = ThrowingTaskGroup<(Int, LogFileVerifier.Outcome), any Error>

/// Turns a walk's steps into events as the walk goes: starts verifying each
/// valid digest's log files as soon as the walk hands the digest over (not
/// after the whole range), places each result right after its digest, and
/// keeps of the digests only what the run's outcome needs.
///
/// At most `concurrency` log files are read at once, and at most
/// `concurrency * 4` are started ahead of the oldest not yet emitted; when the
/// window is full the walk waits, so memory holds a window of results and the
/// steps around them, never the log lists of the whole range. Output order is
/// the steps' order whatever the timing.
struct WalkEmitter {
    private enum Slot {
        case event(ValidationEvent)
        case log(Int, ObjectLocation)
    }

    let store: any ObjectStore
    let concurrency: Int
    /// Collect the log files the valid digests list (for `--check-unreferenced`).
    let collectsReferenced: Bool
    /// The standard digest whose validity the outcome reports as the oldest listed.
    let oldestListed: ObjectLocation?

    /// What is still to be emitted, oldest first, from `head` on.
    private var slots = [Slot]()
    private var head = 0
    private var outcomes = [Int: LogFileVerifier.Outcome]()
    private var logsStarted = 0
    private var logsEmitted = 0
    private var inFlight = 0
    private(set) var referenced = Set<ObjectLocation>()
    private(set) var newestStandard: VerifiedDigest?
    private(set) var oldestListedDigest: VerifiedDigest?

    init(store: any ObjectStore, concurrency: Int, collectsReferenced: Bool, oldestListed: ObjectLocation?) {
        self.store = store
        self.concurrency = concurrency
        self.collectsReferenced = collectsReferenced
        self.oldestListed = oldestListed
    }

    mutating func add(_ steps: [WalkStep], verifying group: inout LogVerifications, record: (ValidationEvent) throws -> Void) async throws {
        for step in steps {
            switch step {
            case .event(let event):
                slots.append(.event(event))
            case .digest(let digest):
                note(digest)
                slots.append(.event(.digestValid(digest.location, digest.kind, start: digest.startTime, end: digest.endTime)))
                for log in digest.file.logFiles {
                    while inFlight >= concurrency || logsStarted - logsEmitted >= concurrency * 4,
                          try await receive(from: &group, record: record) {}
                    start(log, in: &group)
                }
            }
        }
        try emitReady(record)
    }

    /// Emits everything, waiting for the log files still being verified.
    mutating func flush(verifying group: inout LogVerifications, record: (ValidationEvent) throws -> Void) async throws {
        try emitReady(record)
        while head < slots.count, try await receive(from: &group, record: record) {}
    }

    private mutating func note(_ digest: VerifiedDigest) {
        if collectsReferenced { referenced.formUnion(digest.file.logFiles.map { ObjectLocation(bucket: $0.bucket, key: $0.key) }) }
        if digest.kind == .standard {
            if newestStandard.map({ $0.endTime < digest.endTime }) ?? true { newestStandard = digest }
            if digest.location == oldestListed, oldestListedDigest == nil { oldestListedDigest = digest }
        }
    }

    private mutating func start(_ log: LogFileReference, in group: inout LogVerifications) {
        let index = logsStarted, store = self.store
        group.addTask { (index, try await LogFileVerifier.verify(log, in: store)) }
        slots.append(.log(index, ObjectLocation(bucket: log.bucket, key: log.key)))
        logsStarted += 1
        inFlight += 1
    }

    /// Takes the next verification to finish; false when none is running.
    @discardableResult
    private mutating func receive(from group: inout LogVerifications, record: (ValidationEvent) throws -> Void) async throws -> Bool {
        guard let (index, outcome) = try await group.next() else { return false }
        inFlight -= 1
        outcomes[index] = outcome
        try emitReady(record)
        return true
    }

    /// Emits from the head up to the first log file whose outcome is not known yet.
    private mutating func emitReady(_ record: (ValidationEvent) throws -> Void) throws {
        while head < slots.count {
            switch slots[head] {
            case .event(let event):
                try record(event)
            case .log(let index, let location):
                guard let outcome = outcomes.removeValue(forKey: index) else { return compact() }
                switch outcome {
                case .valid: try record(.logValid(location))
                case .invalid(let problem): try record(.logInvalid(location, problem))
                }
                logsEmitted += 1
            }
            head += 1
        }
        compact()
    }

    /// Drops the emitted slots once they are most of the buffer.
    private mutating func compact() {
        if head > 1024, head * 2 > slots.count {
            slots.removeFirst(head)
            head = 0
        }
    }
}
