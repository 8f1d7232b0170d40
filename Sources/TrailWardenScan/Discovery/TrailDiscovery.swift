import TrailWardenAWS
import TrailWardenCore
import TrailWardenState
import TrailWardenVocabulary

/// What AWS says about accounts and trails: ListAccounts and DescribeOrganization, DescribeTrails and ListTrails
/// with each owned trail's posture (GetTrailStatus), the enabled regions (ListRegions,
/// else DescribeRegions), the locator of a trail, and the
/// digest regions of a bucket. Kept in one place, so that discovery changes only this type.
public struct TrailDiscovery: Sendable {
    let access: AccountAccess
    /// The region of calls that name none (Organizations, bucket listings).
    let region: String

    /// ListAccounts, entering the organization's management (or delegated administrator) account as `role`.
    func accounts(as role: RoleTarget?) async throws -> [OrganizationAccount] {
        do {
            return try await OrganizationsClient(transport: await access.transport(role), partitionRegion: region).listAccounts()
        } catch let error as CancellationError {
            throw error
        } catch {
            throw OrganizationListingError(caller: role.map { "as \($0.roleARN)" } ?? "with the scanner's own credentials", underlying: error)
        }
    }

    /// The organization (DescribeOrganization, as `role`): its management account owns every organization trail.
    func organization(as role: RoleTarget?) async throws -> OrganizationDescription {
        try await OrganizationsClient(transport: await access.transport(role), partitionRegion: region).describeOrganization()
    }

    /// The trails `account` sees in `regions` (DescribeTrails, shadow trails included), and
    /// every other trail it owns, wherever it is homed (ListTrails, then GetTrail in the
    /// trail's home region), with the posture of those it owns.
    func trails(of account: String, as role: RoleTarget, regions: [String]) async -> AccountDiscovery {
        var discovery = AccountDiscovery()
        let transport = await access.transport(role)
        do {
            _ = try await transport.credentials.credentials()
        } catch {
            discovery.errors.append("cannot enter account \(account) as \(role.roleARN): \(error)")
            return discovery
        }
        var seen = Set<String>()
        for region in regions {
            do {
                for trail in try await CloudTrailClient(transport: transport, region: region).describeTrails(includeShadowTrails: true)
                where seen.insert(trail.trailARN).inserted {
                    await add(trail, account: account, transport: transport, to: &discovery)
                }
            } catch {
                discovery.errors.append("DescribeTrails in \(account) \(region): \(error)")
            }
        }
        do {
            for summary in try await CloudTrailClient(transport: transport, region: region).listTrails() where seen.insert(summary.trailARN).inserted {
                do {
                    let trail = try await CloudTrailClient(transport: transport, region: summary.homeRegion).getTrail(summary.trailARN)
                    await add(trail, account: account, transport: transport, to: &discovery)
                } catch {
                    discovery.errors.append("GetTrail \(summary.trailARN) in \(summary.homeRegion): \(error)")
                }
            }
        } catch {
            discovery.errors.append("ListTrails in \(account) \(region): \(error)")
        }
        do {
            discovery.enabledRegions = try await enabledRegions(transport: transport)
                .filter { RegionCoverage.partition(of: $0) == RegionCoverage.partition(of: region) }
        } catch {
            discovery.errors.append("enabled regions of \(account): \(error)")
        }
        return discovery
    }

    /// The account's enabled regions from the Account API's ListRegions, or, when it is
    /// refused (a role without `account:ListRegions`, an SCP, an endpoint that lacks it),
    /// from EC2 DescribeRegions, which says the same; an error only when both fail.
    private func enabledRegions(transport: AWSTransport) async throws -> [String] {
        do {
            return try await AccountClient(transport: transport, partitionRegion: region).enabledRegions()
        } catch let listRegions {
            do {
                return try await EC2Client(transport: transport, region: region).enabledRegions()
            } catch {
                throw EnabledRegionsError(listRegions: "\(listRegions)", describeRegions: "\(error)", region: region)
            }
        }
    }

    /// A trail sighted in `account`: its posture when the account owns it (a shadow trail is
    /// reported and checked where it lives, by its own account), and its chains' source.
    private func add(_ trail: TrailDescription, account: String, transport: AWSTransport, to discovery: inout AccountDiscovery) async {
        guard let arn = TrailARN(trail.trailARN) else { return }
        var delivery: TrailDelivery?
        if arn.accountID == account {
            do {
                let status = try await CloudTrailClient(transport: transport, region: arn.region).getTrailStatus(arn.text)
                discovery.posture += Self.posture(trail, status: status, arn: arn)
                delivery = TrailDelivery(digestsDue: status.isLogging && trail.logFileValidationEnabled,
                                         latestDigestDeliveryTime: status.latestDigestDeliveryTime,
                                         latestDigestDeliveryError: status.latestDigestDeliveryError)
            } catch {
                discovery.errors.append("GetTrailStatus \(arn.text): \(error)")
            }
        }
        discovery.trails.append(DiscoveredTrail(arn: arn, bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix, organizationID: nil,
                                                isOrganizationTrail: trail.isOrganizationTrail, isMultiRegion: trail.isMultiRegionTrail,
                                                regions: nil, discoveredIn: account, validationEnabled: trail.logFileValidationEnabled,
                                                delivery: delivery))
    }

    /// Validation disabled or logging stopped: nothing can prove those logs intact.
    private static func posture(_ trail: TrailDescription, status: TrailStatus, arn: TrailARN) -> [RecordedFinding] {
        var findings = [RecordedFinding]()
        if !trail.logFileValidationEnabled {
            findings.append(.init(kind: .trailValidationDisabled, object: arn.text, message: "Trail\t\(arn.text)\tINVALID: log file validation is disabled"))
        }
        if !status.isLogging {
            findings.append(.init(kind: .trailLoggingStopped, object: arn.text, message: "Trail\t\(arn.text)\tINVALID: logging is stopped"))
        }
        return findings
    }

    /// A locator asking as `role` in the trail's home region.
    func locator(for arn: TrailARN, as role: RoleTarget) async -> TrailLocator {
        TrailLocator(transport: await access.transport(role), region: arn.region, partitionRegion: region)
    }

    /// Every region with a digest folder for the chain's account, by listing with a delimiter.
    func digestRegions(_ chain: DigestChain, as role: RoleTarget?) async throws -> [String] {
        let client = S3Client(transport: await access.transport(role), region: region)
        let folder = chain.accountRoot + "CloudTrail-Digest/"
        var regions = [String]()
        var token: String?
        repeat {
            let page = try await client.listObjectsV2(bucket: chain.bucket, prefix: folder, continuationToken: token, delimiter: "/")
            regions += page.commonPrefixes.map { String($0.dropFirst(folder.count).dropLast()) }
            token = page.nextContinuationToken
        } while token != nil
        return regions
    }
}
