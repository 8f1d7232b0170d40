import Foundation
import TrailWardenAlarms
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary

/// Runs an organization scan: enters every account (a shard: its own and the management
/// account, `DiscoveryScope`), discovers trails, turns them into chains (each validated
/// once however many accounts and regions show the trail), validates chains in parallel
/// over the shared request budget, resumes each from its checkpoint, and records every
/// chain's result as soon as it is known, so an interrupted scan loses nothing.
///
/// One account's failure (a refused role, an unreadable bucket) is recorded
/// as that account's error; the rest of the organization is still scanned.
public struct ScanCoordinator: Sendable {
    let plan: ScanPlan
    let source: any ScanSource
    let state: any StateStore
    let now: @Sendable () -> Date
    let progress: @Sendable (String) -> Void
    /// Receives each finding as its chain finishes (its `message` is the reference-style INVALID line).
    let finding: @Sendable (ScanFindingEvent) -> Void
    /// Announces new findings after the scan; nil when no target is configured.
    let alarms: AlarmDispatcher?
    /// False for a dry run (--no-alarms): findings stay pending.
    let sendAlarms: Bool

    public init(plan: ScanPlan, source: any ScanSource, state: any StateStore, now: @escaping @Sendable () -> Date = { Date() },
                progress: @escaping @Sendable (String) -> Void = { _ in }, finding: @escaping @Sendable (ScanFindingEvent) -> Void = { _ in },
                alarms: AlarmDispatcher? = nil, sendAlarms: Bool = true) {
        self.plan = plan
        self.source = source
        self.state = state
        self.now = now
        self.progress = progress
        self.finding = finding
        self.alarms = alarms
        self.sendAlarms = sendAlarms
    }

    public func run(request: String) async throws -> ScanReport {
        let started = now()
        let caller = try await source.callerIdentity()
        let run = try await state.beginRun(caller: caller, configurationSHA256: plan.configurationSHA256, request: request, at: started)
        do {
            return try await scan(run: run, caller: caller, started: started)
        } catch {
            // Cancelled from outside (SIGINT, SIGTERM): the chains in flight were abandoned and recorded nothing.
            let interrupted = Task.isCancelled
            try? await state.finishRun(run, status: interrupted ? .interrupted : .failed, totals: nil,
                                       errors: [interrupted ? "interrupted before the scan finished" : String(describing: error)], at: now())
            throw error
        }
    }

    private func scan(run: Int64, caller: String, started: Date) async throws -> ScanReport {
        var errors = [String]()
        let (accounts, allSkipped, listed) = try await resolveAccounts(errors: &errors)
        // A shard plans, validates and records only the accounts it owns, and discovers those
        // and the accounts that may own an organization trail (which has chains in all).
        let owned = accounts.filter(plan.owns), skipped = allSkipped.filter(plan.owns)
        progress("\(owned.count) accounts to scan\(plan.shard.map { " in shard \($0)" } ?? "")")
        let scope = DiscoveryScope(scanned: accounts, owns: plan.owns, management: try await managementAccount(), listed: listed)
        if let shard = plan.shard, plan.discoverTrails, source.discovery != nil {
            progress(scope.summary(shard: shard, owned: owned.count, of: accounts.count))
        }

        let discovered = try await discover(scope.accounts)
        var reports = Dictionary(uniqueKeysWithValues: owned.map { ($0, ScanReport.AccountReport(accountID: $0)) })
        for (account, discovery) in discovered {
            reports[account]?.errors += discovery.errors
            reports[account]?.postureFindings += discovery.posture
        }
        var chains = [DigestChain: ScanChain]()
        let planner = ChainPlanner(plan: plan, discovery: source.discovery)
        let trails = DiscoveredTrail.unique(discovered.values.flatMap(\.trails))
        // An account's coverage is judged only when every trail that may cover it is known.
        let coverageJudged = { (account: String) in
            source.readsPosture && plan.discoverTrails && scope.knowsEveryTrail(covering: account, discovered: discovered)
        }
        for account in owned where coverageJudged(account) {
            let regions = (discovered[account]?.enabledRegions ?? []).filter {
                (plan.regions?.contains($0) ?? true) && (plan.onlyRegions.isEmpty || plan.onlyRegions.contains($0))
            }
            reports[account]?.postureFindings += RegionCoverage.findings(account: account, regions: regions, trails: trails)
        }
        for trail in trails {
            do {
                for scanChain in try await planner.chains(of: trail, accounts: owned) where chains[scanChain.chain] == nil {
                    chains[scanChain.chain] = scanChain
                }
            } catch {
                guard plan.owns(trail.arn.accountID) else { continue }
                reports[trail.arn.accountID, default: .init(accountID: trail.arn.accountID)].errors.append("\(trail.arn.text): \(error)")
            }
        }
        for account in owned {
            let report = reports[account] ?? .init(accountID: account)
            let complete = source.readsPosture && plan.discoverTrails && (discovered[account]?.errors.isEmpty ?? false)
            try await state.record(AccountResult(accountID: account, postureFindings: report.postureFindings, errors: report.errors,
                                                 postureComplete: complete, coverageComplete: coverageJudged(account)), run: run, at: now())
            report.postureFindings.forEach { finding(ScanFindingEvent(posture: $0, accountID: account)) }
        }
        let ordered = ScanChain.sharingFolders(chains.values.sorted {
            ($0.chain.accountID, $0.trailARN, $0.chain.sourceRegion) < ($1.chain.accountID, $1.trailARN, $1.chain.sourceRegion)
        })
        progress("\(ordered.count) chains to validate")
        for result in try await validate(ordered, run: run) {
            reports[result.chain.accountID, default: .init(accountID: result.chain.accountID)].chains.append(result)
        }
        var report = ScanReport(runID: run, caller: caller, startedAt: CloudTrailTime.display(started), finishedAt: CloudTrailTime.display(now()),
                                accounts: reports.values.sorted { $0.accountID < $1.accountID }, skippedAccounts: skipped, errors: errors,
                                totals: .init())
        report.total()
        report.configurationSHA256 = plan.configurationSHA256
        let scanned = Set(owned)
        report.openFindings = try await state.findings(chain: nil).filter { $0.status == .open && scanned.contains($0.accountID) }.count
        if let alarms {
            let figures = AlarmDispatcher.ScanFigures(run: run, caller: caller, finishedAt: now(), accounts: report.accounts.map(\.alarmFigures),
                                                      scanErrors: errors.count)
            report.alarms = try await alarms.dispatch(figures, send: sendAlarms, at: now)
            for outcome in report.alarms where outcome.status == .failed {
                progress("alarm target \(outcome.target) failed after \(outcome.attempts) attempts; its \(outcome.findings) findings stay pending")
            }
        }
        try await state.finishRun(run, status: report.hasErrors ? .incomplete : .complete, totals: report.totals, errors: errors, at: now())
        return report
    }

    private func resolveAccounts(errors: inout [String]) async throws -> (scan: [String], skipped: [String], listed: Set<String>) {
        var accounts = Set(plan.includeAccounts)
        var skipped = [String](), listed = Set<String>()
        if plan.discoverAccounts, let discovery = source.discovery {
            for account in try await discovery.accounts(as: plan.organizationRole) {
                listed.insert(account.id)
                if account.status == "ACTIVE" { accounts.insert(account.id) } else { skipped.append(account.id) }
            }
        } else if plan.discoverAccounts {
            errors.append("organization discovery needs AWS: this archive scan covers the configured accounts only")
        }
        accounts.subtract(plan.excludeAccounts)
        if !plan.onlyAccounts.isEmpty { accounts.formIntersection(plan.onlyAccounts) }
        for account in plan.onlyAccounts.subtracting(accounts) where !plan.excludeAccounts.contains(account) {
            errors.append("--account \(account) is not among the configured or discovered accounts")
        }
        return (accounts.sorted(), skipped.filter { plan.onlyAccounts.isEmpty || plan.onlyAccounts.contains($0) }.sorted(), listed)
    }

    /// The organization's management account, which owns every organization trail (DescribeOrganization,
    /// asked as ListAccounts was); or why it is not known, when the scan discovers trails.
    private func managementAccount() async throws -> Result<String, ScanError> {
        guard plan.discoverTrails, let discovery = source.discovery else { return .failure(ScanError("no trail discovery")) }
        guard plan.discoverAccounts else { return .failure(ScanError("no organization discovery")) }
        let caller = plan.organizationRole.map { "as \($0.roleARN)" } ?? "with the scanner's own credentials"
        do {
            let management = try await discovery.organization(as: plan.organizationRole).managementAccountID
            return management.isEmpty ? .failure(ScanError("Organizations DescribeOrganization \(caller) named no management account")) : .success(management)
        } catch let error as CancellationError {
            throw error
        } catch {
            return .failure(ScanError("Organizations DescribeOrganization \(caller): \(error)"))
        }
    }

    /// Enters each account (a few at a time) and lists its trails and their posture; adds the configured trails.
    private func discover(_ accounts: [String]) async throws -> [String: AccountDiscovery] {
        var result = [String: AccountDiscovery]()
        if plan.discoverTrails, let discovery = source.discovery {
            let regions = plan.regions ?? plan.discoveryRegions
            try await forEachConcurrently(accounts, limit: plan.accountsInParallel, operation: { account in
                await discovery.trails(of: account, as: plan.role(account), regions: regions)
            }, inOrder: { index, discovery in
                result[accounts[index]] = discovery
                progress("account \(accounts[index]): \(discovery.trails.count) trails\(discovery.errors.isEmpty ? "" : ", \(discovery.errors.count) errors")")
            })
        }
        for trail in plan.explicitTrails {
            result[trail.arn.accountID, default: AccountDiscovery()].trails.append(DiscoveredTrail(planned: trail))
        }
        return result
    }

    /// Validates the chains, `accountsInParallel` at a time spread fairly over the accounts, over
    /// the scan's request budget, reporting progress as chains finish and results in order.
    private func validate(_ chains: [ScanChain], run: Int64) async throws -> [ChainResult] {
        let gate = FairRequestGate(capacity: plan.requestsInFlight, perAccount: plan.requestsPerAccount)
        let step = ChainStep(state: state, since: plan.since, until: plan.until, firstScanLookback: plan.firstScanLookback,
                             concurrency: gate.perAccount, now: now)
        let source = self.source
        var results = [ChainResult]()
        let started = now()
        var objects = 0, findings = 0, chainsDone = 0
        let accounts = Set(chains.map(\.chain.accountID)).count
        try await forEachFairly(chains, account: \.chain.accountID, limit: plan.accountsInParallel, operation: { scanChain in
            let chain = scanChain.chain
            let store = LimitedObjectStore(inner: await source.objectStore(bucket: chain.bucket, role: scanChain.bucketRole, region: chain.sourceRegion),
                                           gate: gate, account: chain.accountID)
            return try await step.run(scanChain, store: store, keys: await source.publicKeys(region: chain.sourceRegion), run: run)
        }, finished: { result, accountsDone in
            let counts = result.tally
            objects += counts.validDigests + counts.invalidDigests + counts.validBackfillDigests + counts.invalidBackfillDigests
                + counts.validLogs + counts.invalidLogs
            findings += result.findings.count
            chainsDone += 1
            let rate = Double(objects) / max(now().timeIntervalSince(started), 0.001)
            progress("accounts \(accountsDone)/\(accounts), chains \(chainsDone)/\(chains.count), \(objects) objects (\(Int(rate))/s), \(findings) findings")
        }, inOrder: { _, result in
            results.append(result)
            result.findings.forEach { finding(ScanFindingEvent($0, of: result)) }
        })
        return results
    }
}
