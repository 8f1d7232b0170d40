/// Which accounts a scan enters to discover trails, and when an account's coverage can be judged.
///
/// Why: the trails that give an account chains, or cover its regions, are its own and the
/// organization trails. AWS keeps every organization trail in the organization's management
/// account, even one a delegated administrator created. So a shard needs its own accounts and
/// the management account (and any scanned account outside the organization, which may
/// manage another), not the other shards' accounts: those are entered by their own shard.
/// Where the management account is not known, any account might own an organization
/// trail, and every account is discovered, as by an unsharded scan.
struct DiscoveryScope: Sendable {
    /// The scanned accounts to discover, in order.
    let accounts: [String]
    /// The scanned accounts that may own an organization trail; nil when that is not known.
    let trailOwners: Set<String>?
    /// Why `trailOwners` is not known; nil when it is.
    let unknownOwners: String?

    /// - Parameters:
    ///   - scanned: every account of the scan, in order.
    ///   - owns: whether the scan (or this shard) records the account.
    ///   - management: the organization's management account, or why it is not known.
    ///   - listed: every account ListAccounts listed, whatever its status.
    init(scanned: [String], owns: (String) -> Bool, management: Result<String, ScanError>, listed: Set<String>) {
        switch management {
        case .success(let management):
            let owners = Set(scanned.filter { $0 == management || !listed.contains($0) })
            trailOwners = owners
            unknownOwners = nil
            accounts = scanned.filter { owns($0) || owners.contains($0) }
        case .failure(let reason):
            accounts = scanned
            trailOwners = nil
            unknownOwners = reason.description
        }
    }

    /// Whether the trails that may cover `account` are all known: the account itself and every
    /// possible owner of an organization trail (every account, when those are not known) were
    /// discovered without an error.
    func knowsEveryTrail(covering account: String, discovered: [String: AccountDiscovery]) -> Bool {
        ([account] + (trailOwners.map { Array($0) } ?? accounts)).allSatisfy { discovered[$0]?.errors.isEmpty ?? false }
    }

    /// The progress line of a shard: which accounts it enters besides its own, and why.
    func summary(shard: ShardAssignment, owned: Int, of scanned: Int) -> String {
        guard let trailOwners else {
            return "shard \(shard) discovers every account (\(scanned)): the owner of the organization trails is not known (\(unknownOwners ?? ""))"
        }
        let others = accounts.filter { trailOwners.contains($0) && !shard.owns($0) }
        return "shard \(shard) discovers \(accounts.count) of \(scanned) accounts: its \(owned)"
            + (others.isEmpty ? "" : " and \(others.joined(separator: ", ")), which may own organization trails")
    }
}
