import TrailWardenStorage

/// Turns a walk's steps into events as the walk goes: verifies the log files
/// of valid digests concurrently, places each result right after its digest,
/// and keeps of the digests only what the run's outcome needs.
///
/// Steps wait in a buffer until it lists `logsPerChunk` log files, so that
/// memory holds the log lists of a few digests, not of the whole range, while
/// the log reads still run `concurrency` at a time. Output order is the
/// steps' order whatever the chunking.
struct WalkEmitter {
    static let logsPerChunk = 4096

    let store: any ObjectStore
    let concurrency: Int
    /// Collect the log files the valid digests list (for `--check-unreferenced`).
    let collectsReferenced: Bool
    /// The standard digest whose validity the outcome reports as the oldest listed.
    let oldestListed: ObjectLocation?

    private var buffered = [WalkStep]()
    private var bufferedLogs = 0
    private(set) var referenced = Set<ObjectLocation>()
    private(set) var newestStandard: VerifiedDigest?
    private(set) var oldestListedDigest: VerifiedDigest?

    init(store: any ObjectStore, concurrency: Int, collectsReferenced: Bool, oldestListed: ObjectLocation?) {
        self.store = store
        self.concurrency = concurrency
        self.collectsReferenced = collectsReferenced
        self.oldestListed = oldestListed
    }

    mutating func add(_ steps: [WalkStep], record: (ValidationEvent) throws -> Void) async throws {
        for step in steps {
            buffered.append(step)
            guard case .digest(let digest) = step else { continue }
            bufferedLogs += digest.file.logFiles.count
            if collectsReferenced { referenced.formUnion(digest.file.logFiles.map { ObjectLocation(bucket: $0.bucket, key: $0.key) }) }
            if digest.kind == .standard {
                if newestStandard.map({ $0.endTime < digest.endTime }) ?? true { newestStandard = digest }
                if digest.location == oldestListed, oldestListedDigest == nil { oldestListedDigest = digest }
            }
        }
        if bufferedLogs >= Self.logsPerChunk { try await flush(record: record) }
    }

    /// Emits everything buffered.
    mutating func flush(record: (ValidationEvent) throws -> Void) async throws {
        let steps = buffered
        buffered = []
        bufferedLogs = 0
        var logs = [LogFileReference]()
        var fixedBefore = [[ValidationEvent]]()
        var pending = [ValidationEvent]()
        for step in steps {
            switch step {
            case .event(let event):
                pending.append(event)
            case .digest(let digest):
                pending.append(.digestValid(digest.location, digest.kind, start: digest.startTime, end: digest.endTime))
                for log in digest.file.logFiles {
                    fixedBefore.append(pending)
                    pending = []
                    logs.append(log)
                }
            }
        }
        let store = self.store
        try await forEachConcurrently(logs, limit: concurrency, operation: { log in
            try await LogFileVerifier.verify(log, in: store)
        }, inOrder: { index, outcome in
            for event in fixedBefore[index] { try record(event) }
            let location = ObjectLocation(bucket: logs[index].bucket, key: logs[index].key)
            switch outcome {
            case .valid: try record(.logValid(location))
            case .invalid(let problem): try record(.logInvalid(location, problem))
            }
        })
        for event in pending { try record(event) }
    }
}
