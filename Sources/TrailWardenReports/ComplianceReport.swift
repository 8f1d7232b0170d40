import Foundation
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary

/// The evidence for one period, read back from the state history: what was
/// covered by verified digests and what was not, every finding with its
/// history, account errors, and the runs that produced it all.
///
/// One model, several renderings (JSON, CSV, HTML, Markdown), so every format
/// says the same thing. Read a chain at a time by `ComplianceReportSource`; documented in
/// docs/reports.md. Times are UTC.
public struct ComplianceReport: Sendable, Codable, Equatable {
    public var schemaVersion = 1
    /// The TrailWarden version that built the report (each run records its own in `runs`).
    public var trailwardenVersion = TrailWardenVersion.current
    public var generatedAt: Date
    /// The log time the report covers: coverage is clipped to it, and the
    /// counts are those of validations whose range overlaps it.
    public var period: Period
    /// The accounts asked for; empty means every account in the state.
    public var accountFilter: [String]
    public var summary: Summary
    public var accounts: [Account]
    public var runs: [Run]

    public init(generatedAt: Date, period: Period, accountFilter: [String], summary: Summary, accounts: [Account], runs: [Run]) {
        self.generatedAt = generatedAt
        self.period = period
        self.accountFilter = accountFilter
        self.summary = summary
        self.accounts = accounts
        self.runs = runs
    }

    public struct Period: Sendable, Codable, Equatable {
        public var from: Date
        public var to: Date

        public init(from: Date, to: Date) {
            self.from = from
            self.to = to
        }

        public var duration: TimeInterval { max(0, to.timeIntervalSince(from)) }
    }

    /// Organization-wide figures: the counts `scan` gives a run (`RunTotals`) and what only a
    /// period has, written as one flat object. Accounts, chains and findings are distinct
    /// objects; digests and log files are validations summed over the runs, because the state
    /// keeps per-run counts, not every object (`validationRuns` says how many runs).
    @dynamicMemberLookup
    public struct Summary: Sendable, Codable, Equatable {
        public var totals = RunTotals()
        public var figures = PeriodFigures()

        public init() {}

        public struct PeriodFigures: Sendable, Codable, Equatable {
            /// The most runs whose validations of one chain the digest and log file counts add
            /// up: above 1, an object validated by two runs may count twice; shards of one scan,
            /// which validate different chains, do not raise it.
            public var validationRuns = 0
            public var openFindings = 0
            public var resolvedFindings = 0
            /// Findings per category ("invalid-log": 3, …); categories with none are left out.
            public var findingsByCategory: [String: Int] = [:]
            /// Seconds of the period, summed over chains, covered by verified digests.
            public var verifiedSeconds: Double = 0
            /// Seconds of the period, summed over chains: the denominator of coverage.
            public var chainSeconds: Double = 0
        }

        public subscript<Value>(dynamicMember path: WritableKeyPath<RunTotals, Value>) -> Value {
            get { totals[keyPath: path] }
            set { totals[keyPath: path] = newValue }
        }

        public subscript<Value>(dynamicMember path: WritableKeyPath<PeriodFigures, Value>) -> Value {
            get { figures[keyPath: path] }
            set { figures[keyPath: path] = newValue }
        }

        /// The share of chain time covered by verified digests, 0…1 (1 when there are no chains).
        public var coverage: Double { figures.chainSeconds > 0 ? figures.verifiedSeconds / figures.chainSeconds : 1 }

        public init(from decoder: any Decoder) throws {
            totals = try RunTotals(from: decoder)
            figures = try PeriodFigures(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            try totals.encode(to: encoder)
            try figures.encode(to: encoder)
        }
    }

    public struct Account: Sendable, Codable, Equatable {
        public var accountID: String
        public var chains: [Chain]
        /// Findings about a trail rather than a chain: validation disabled, logging stopped.
        public var postureFindings: [Finding]
        /// Why the account, or part of it, could not be scanned, per run.
        public var errors: [RunError]

        public init(accountID: String, chains: [Chain] = [], postureFindings: [Finding] = [], errors: [RunError] = []) {
            self.accountID = accountID
            self.chains = chains
            self.postureFindings = postureFindings
            self.errors = errors
        }
    }

    public struct Chain: Sendable, Codable, Equatable {
        public var trailARN: String
        public var chain: DigestChain
        /// Summed over the validations (chain results) whose range overlaps the period.
        public var counts: ValidationTally
        /// When a run last recorded this chain, if ever.
        public var lastScanned: Date?
        /// The period cut into consecutive spans, oldest first, with no holes:
        /// the timeline drawn per chain.
        public var timeline: [Span]
        public var findings: [Finding]
        /// Chain errors (e.g. an unreadable bucket), per run.
        public var errors: [RunError]

        public init(trailARN: String, chain: DigestChain, counts: ValidationTally, lastScanned: Date?, timeline: [Span],
                    findings: [Finding], errors: [RunError]) {
            self.trailARN = trailARN
            self.chain = chain
            self.counts = counts
            self.lastScanned = lastScanned
            self.timeline = timeline
            self.findings = findings
            self.errors = errors
        }

        /// Seconds of the timeline covered by verified digests.
        public var verifiedSeconds: Double {
            timeline.filter { $0.state == .verified }.map(\.duration).reduce(0, +)
        }
    }

    /// What is known of one stretch of a chain's time.
    public enum SpanState: String, Sendable, Codable, Equatable, CaseIterable {
        /// Covered by digests whose signature, chain links and log hashes all checked.
        case verified
        /// Covered by a digest that failed validation (or whose log files did).
        case invalid
        /// Digests that should exist are missing.
        case missing
        /// Validated, but no digest covers it: CloudTrail restarted the chain, as it
        /// does when logging or log file validation was off.
        case noDigests = "no-digests"
        /// No run has validated this stretch.
        case notScanned = "not-scanned"
    }

    public struct Span: Sendable, Codable, Equatable {
        public var start: Date
        public var end: Date
        public var state: SpanState

        public init(start: Date, end: Date, state: SpanState) {
            self.start = start
            self.end = end
            self.state = state
        }

        public var duration: TimeInterval { max(0, end.timeIntervalSince(start)) }
    }

    /// A finding as the report shows it: `StoredFinding` without the state's row ids and
    /// chain (the report groups findings under their chain), with its family, and with
    /// the field names the JSON and CSV formats document.
    public struct Finding: Sendable, Codable, Equatable {
        public var kind: FindingKind
        public var category: FindingCategory
        /// The S3 URL, trail ARN or folder the finding concerns.
        public var object: String
        /// The newest reference-style line ("Log file\ts3://…\tINVALID: hash value doesn't match").
        public var message: String
        public var firstSeen: Date
        public var firstSeenRun: Int64
        public var lastSeen: Date
        public var lastSeenRun: Int64
        public var status: FindingStatus
        public var resolvedAt: Date?

        public init(kind: FindingKind, object: String, message: String, firstSeen: Date, firstSeenRun: Int64, lastSeen: Date,
                    lastSeenRun: Int64, status: FindingStatus, resolvedAt: Date?) {
            self.kind = kind
            category = kind.category
            self.object = object
            self.message = message
            self.firstSeen = firstSeen
            self.firstSeenRun = firstSeenRun
            self.lastSeen = lastSeen
            self.lastSeenRun = lastSeenRun
            self.status = status
            self.resolvedAt = resolvedAt
        }
    }

    public struct RunError: Sendable, Codable, Equatable {
        public var run: Int64
        public var message: String

        public init(run: Int64, message: String) {
            self.run = run
            self.message = message
        }
    }

    public struct Run: Sendable, Codable, Equatable {
        public var id: Int64
        public var startedAt: Date
        public var finishedAt: Date?
        /// The identity that ran it (the ARN GetCallerIdentity returned, or "archive PATH").
        public var caller: String
        /// SHA-256 of the configuration file's bytes the run read; nil if unknown (an older state).
        public var configurationSHA256: String?
        /// The TrailWarden version that ran it; nil if unknown (an older state).
        public var trailwardenVersion: String?
        public var status: RunStatus
        /// What was asked, as recorded (JSON text).
        public var request: String
        /// Scan-wide errors (not tied to an account).
        public var errors: [String]
        /// What each alarm target did after the run, as the state recorded it.
        public var alarms: [AlarmOutcomeRecord]

        public init(id: Int64, startedAt: Date, finishedAt: Date?, caller: String, configurationSHA256: String? = nil,
                    trailwardenVersion: String? = nil, status: RunStatus, request: String, errors: [String], alarms: [AlarmOutcomeRecord]) {
            self.id = id
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.caller = caller
            self.configurationSHA256 = configurationSHA256
            self.trailwardenVersion = trailwardenVersion
            self.status = status
            self.request = request
            self.errors = errors
            self.alarms = alarms
        }
    }
}
