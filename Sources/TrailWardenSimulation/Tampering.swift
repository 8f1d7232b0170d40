import Foundation
import TrailWardenCore
import TrailWardenCrypto
import TrailWardenGzip
import TrailWardenStorage
import TrailWardenVocabulary

/// Where one tamper is applied: a chain and the hour of the digest it targets.
struct TamperPlacement {
    var kind: TamperKind
    var chainIndex: Int
    var hour: Int
}

/// Places tampers so that they never interfere: away from the chain's ends,
/// its logging gap and its backfill hour, each with hours to spare around it,
/// and on log-bearing hours where a log file is needed.
struct TamperPlanner {
    let spec: WorldSpec
    let gapStart: Int

    /// Hours a tamper may target; each one uses its hour, the hour before and four after.
    func slots() -> [Int] {
        guard spec.hours >= 12 else { return [] }
        return (6...max(6, spec.hours - 6)).filter { !((gapStart - 5)...(gapStart + 4)).contains($0) && $0 <= spec.hours - 6 }
    }

    func place(on builds: [WorldBuilder.ChainBuild]) throws -> [TamperPlacement] {
        let tamperable = builds.indices.filter { builds[$0].tamperable }
        var used = [Int: Set<Int>]()
        var placements = [TamperPlacement]()
        let slots = slots()
        for (position, kind) in spec.tampers.enumerated() {
            var placed = false
            for step in 0..<tamperable.count where !placed {
                let chainIndex = tamperable[(position + Int(spec.seed % 7) + step) % tamperable.count]
                let rotation = slots.isEmpty ? 0 : Int(spec.seed % UInt64(slots.count))
                for offset in 0..<slots.count {
                    let hour = slots[(offset + rotation) % slots.count]
                    let neighbourhood = Set((hour - 1)...(hour + 4))
                    guard used[chainIndex, default: []].isDisjoint(with: neighbourhood) else { continue }
                    if kind.needsLogFile, WorldBuilder.isEmptyHour(chainIndex: chainIndex, hour: hour, seed: spec.seed) { continue }
                    used[chainIndex, default: []].formUnion(neighbourhood)
                    placements.append(TamperPlacement(kind: kind, chainIndex: chainIndex, hour: hour))
                    placed = true
                    break
                }
            }
            guard placed else {
                throw WorldSpecError(description: "the world is too small for \(spec.tampers.count) tampers: add --hours or --accounts")
            }
        }
        return placements
    }
}

extension TamperKind {
    var needsLogFile: Bool { [.logModify, .logDelete, .logCorrupt, .logAppendMember].contains(self) }
}

/// Applies one tamper to a built world and records the findings it must cause.
struct Tamperer {
    let keys: SigningKeys

    func apply(_ placement: TamperPlacement, to build: inout WorldBuilder.ChainBuild, objects: inout [ObjectLocation: World.Object]) {
        let kind = placement.kind
        let digest = build.digests[placement.hour]!
        func expect(_ findingKind: FindingKind, _ object: ObjectLocation, reference: Bool = true, unreferenced: Bool = false, count: Int? = nil) {
            build.findings.append(ExpectedFinding(kind: findingKind, object: object.description, tamper: kind,
                                                  reportedByReference: reference, needsCheckUnreferenced: unreferenced, count: count))
        }
        switch kind {
        case .logModify:
            let log = digest.logs[0]
            var json = try! Gzip.inflate(objects[log]!.body)
            json.insert(contentsOf: Array(" ".utf8), at: json.count - 1)
            objects[log]!.body = Gzip.compress(json)
            expect(.logHashMismatch, log)
        case .logDelete:
            objects[digest.logs[0]] = nil
            expect(.logNotFound, digest.logs[0])
        case .logCorrupt:
            objects[digest.logs[0]]!.body = Array("this is not a gzip file\n".utf8)
            expect(.logInvalidFormat, digest.logs[0])
        case .logAppendMember:
            objects[digest.logs[0]]!.body += Gzip.compress(Array("{\"Records\":[]}".utf8))
            expect(.logDataAfterGzipMember, digest.logs[0], reference: false)
        case .logInject:
            let chain = build.chain
            let delivery = digest.endTime.addingTimeInterval(-1800)
            let key = chain.logFolder + CloudTrailTime.dayPath(delivery) + "/"
                + "\(chain.accountID)_CloudTrail_\(chain.sourceRegion)_\(CloudTrailTime.logKeyStamp(delivery))_InjectedByAttackr.json.gz"
            let location = ObjectLocation(bucket: chain.bucket, key: key)
            objects[location] = World.Object(body: Gzip.compress(Array("{\"Records\":[]}".utf8)), metadata: [:])
            expect(.logUnreferenced, location, reference: false, unreferenced: true)
        case .digestModify:
            var json = try! Gzip.inflate(objects[digest.location]!.body)
            json.insert(contentsOf: Array(",\"tampered\":true".utf8), at: json.count - 1)
            objects[digest.location]!.body = Gzip.compress(json)
            expect(DigestProblem.signatureVerificationFailed.kind, digest.location)
        case .digestDelete:
            objects[digest.location] = nil
            expect(DigestProblem.notFound.kind, digest.location)
        case .digestCorrupt:
            objects[digest.location]!.body = Array("this is not a digest file\n".utf8)
            expect(DigestProblem.invalidFormat.kind, digest.location)
        case .digestsDeleteRun:
            let run = (placement.hour...(placement.hour + 2)).map { build.digests[$0]!.location }
            for location in run { objects[location] = nil }
            expect(DigestProblem.notFound.kind, run[2])
            expect(.digestsMissing, ObjectLocation(bucket: build.chain.bucket, key: build.chain.digestFolder), reference: false, count: 2)
        case .digestMove:
            let moved = ObjectLocation(bucket: digest.location.bucket,
                                       key: build.chain.digestKey(endingAt: digest.endTime.addingTimeInterval(-600)))
            objects[moved] = objects.removeValue(forKey: digest.location)
            expect(DigestProblem.notFound.kind, digest.location)
            expect(DigestProblem.moved.kind, moved)
        case .digestCopy:
            objects[digest.location] = objects[build.digests[placement.hour - 1]!.location]
            expect(DigestProblem.moved.kind, digest.location)
        case .digestUnknownKey:
            var document = digest.document
            document.fingerprint = keys.fingerprint(of: keys.unknown)
            objects[digest.location] = Signing.sign(document, with: keys.unknown).object
            expect(DigestProblem.publicKeyNotFound(region: "", fingerprint: "").kind, digest.location)
        case .digestUnsigned:
            objects[digest.location]!.metadata = [:]
            expect(DigestProblem.signatureVerificationFailed.kind, digest.location)
        case .linkBreak:
            break
        }
    }
}
