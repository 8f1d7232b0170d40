import TrailWardenCore

/// Figures the renderers derive from the model, computed in one place so every
/// format derives them the same way.
extension ComplianceReport.Chain {
    /// Seconds of the timeline: the period as this chain sees it.
    var periodSeconds: Double {
        timeline.map(\.duration).reduce(0, +)
    }

    /// The share of the timeline covered by verified digests, 0…1 (1 for an empty timeline, like `Summary.coverage`).
    var coverage: Double {
        periodSeconds > 0 ? verifiedSeconds / periodSeconds : 1
    }

    /// The spans not covered by verified digests, oldest first.
    var unverifiedSpans: [ComplianceReport.Span] {
        timeline.filter { $0.state != .verified }
    }

    var openFindings: Int {
        findings.filter(\.isOpen).count
    }
}

extension ComplianceReport.Finding {
    var isOpen: Bool { status == .open }
}

extension ValidationTally {
    /// Valid digests, backfill ones included, as `scan` counts them.
    var allValidDigests: Int { validDigests + validBackfillDigests }
    /// Invalid digests, backfill ones included, as `scan` counts them.
    var allInvalidDigests: Int { invalidDigests + invalidBackfillDigests }
}
