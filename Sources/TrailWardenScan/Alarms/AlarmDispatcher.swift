import Foundation
import TrailWardenAlarms
import TrailWardenState

/// Announces, after a scan, what each alarm target has not yet received.
///
/// The state decides what is pending per target; a delivery is recorded with
/// the findings it carried, in one transaction, only once the target accepted
/// it. So a target that fails keeps its findings pending for the next scan,
/// and a finding reaches each target exactly once. Targets are served
/// concurrently; one failing never holds up the others.
public struct AlarmDispatcher: Sendable {
    public let sinks: [any AlarmSink]
    public let state: any StateStore
    public let attempts: Int
    public let retryDelay: @Sendable (Int) -> Duration

    public init(sinks: [any AlarmSink], state: any StateStore, attempts: Int = 3,
                retryDelay: @escaping @Sendable (Int) -> Duration = AlarmDelivery.backoff) {
        self.sinks = sinks
        self.state = state
        self.attempts = attempts
        self.retryDelay = retryDelay
    }

    /// The scan's own figures, which every notice carries.
    public struct ScanFigures: Sendable {
        public var run: Int64
        public var caller: String
        public var finishedAt: Date
        public var accounts: [AlarmNotice.AccountFigures]
        public var scanErrors: Int

        public init(run: Int64, caller: String, finishedAt: Date, accounts: [AlarmNotice.AccountFigures], scanErrors: Int) {
            self.run = run
            self.caller = caller
            self.finishedAt = finishedAt
            self.accounts = accounts
            self.scanErrors = scanErrors
        }
    }

    /// Sends each target its pending findings (or, with `send` false, only records
    /// that they stay pending) and returns one outcome per target, in target order.
    public func dispatch(_ figures: ScanFigures, send: Bool, at now: @escaping @Sendable () -> Date = { Date() }) async throws
        -> [AlarmOutcomeRecord] {
        try await withThrowingTaskGroup(of: AlarmOutcomeRecord.self) { group in
            for sink in sinks {
                group.addTask { try await dispatch(figures, to: sink, send: send, at: now) }
            }
            var outcomes = [AlarmOutcomeRecord]()
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.target < $1.target }
        }
    }

    private func dispatch(_ figures: ScanFigures, to sink: any AlarmSink, send: Bool, at now: @Sendable () -> Date) async throws
        -> AlarmOutcomeRecord {
        // A finding the target does not take now stays pending for it, unrecorded.
        let pending = try await state.pendingAlarms(target: sink.target).filter { sink.takes(Self.alarmFinding($0)) }
        var outcome = AlarmOutcomeRecord(run: figures.run, target: sink.target, status: .skipped,
                                         findings: pending.count, attempts: 0, error: nil)
        if send, pending.isEmpty, !sink.announcesQuietScans {
            outcome.status = .nothingNew
        } else if send {
            let notice = AlarmNotice(runID: figures.run, caller: figures.caller, finishedAt: figures.finishedAt,
                                     findings: pending.map(Self.alarmFinding), accounts: figures.accounts, scanErrors: figures.scanErrors)
            let result = await AlarmDelivery.deliver(notice, to: sink, attempts: attempts, delay: retryDelay)
            outcome.attempts = result.attempts
            outcome.error = result.error
            outcome.status = result.isDelivered ? .delivered : .failed
        }
        let delivered = outcome.status == .delivered ? pending.map(\.id) : []
        try await state.recordAlarm(outcome, delivered: delivered, at: now())
        return outcome
    }

    /// Sends every target a marked test notice; nothing is recorded.
    public static func test(_ sinks: [any AlarmSink], caller: String, at date: Date, attempts: Int = 1) async -> [AlarmDeliveryResult] {
        let notice = AlarmNotice(runID: 0, caller: caller, finishedAt: date, isTest: true, findings: [], accounts: [])
        return await withTaskGroup(of: AlarmDeliveryResult.self) { group in
            for sink in sinks {
                group.addTask { await AlarmDelivery.deliver(notice, to: sink, attempts: attempts) }
            }
            var results = [AlarmDeliveryResult]()
            for await result in group { results.append(result) }
            return results.sorted { $0.target < $1.target }
        }
    }

    static func alarmFinding(_ stored: StoredFinding) -> AlarmFinding {
        AlarmFinding(accountID: stored.accountID, trailARN: stored.trailARN, region: stored.chain?.sourceRegion, kind: stored.kind,
                     object: stored.object, message: stored.message, firstSeen: stored.firstSeenAt, status: stored.status,
                     lastSeen: stored.lastSeenAt)
    }
}
