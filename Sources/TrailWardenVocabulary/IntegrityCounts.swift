/// The organization-wide figures both the scan's totals and the compliance
/// report's summary give, counted one way so that they always line up
/// (the engine adds a chain's tally to them: `addChain`).
public protocol IntegrityCounts {
    var chains: Int { get set }
    var validDigests: Int { get set }
    var invalidDigests: Int { get set }
    var validLogs: Int { get set }
    var invalidLogs: Int { get set }
    var errors: Int { get set }
}
