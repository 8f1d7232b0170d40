import Foundation
import Testing
@testable import TrailWardenScan

/// `--state` templates: what they name for each shard, the names they find back (only those
/// rendering produces), a prefix as the template `{shard}.sqlite`, and the templates refused.
struct StateTemplateTests {
    func shard(_ index: Int, _ count: Int) throws -> ShardAssignment { try ShardAssignment(index: index, count: count) }

    @Test func aTemplateNamesEachShardsStateAndFindsItBack() throws {
        let template = try StateTemplate(parsing: "nightly/{count}/tw-{index}.sqlite")
        #expect(template.isTemplate && template.namesCount && template.spansFolders && template.fixedPrefix == "nightly/")
        for (index, count) in [(0, 1), (2, 3), (9, 10), (10, 12)] {
            let name = try template.name(for: shard(index, count))
            #expect(name == "nightly/\(count)/tw-\(index).sqlite")
            #expect(template.match(name) == StateTemplate.Named(shard: try shard(index, count), isUnsharded: false))
        }
        let named = try StateTemplate(parsing: "s-{shard}.sqlite")
        #expect(try named.name(for: shard(1, 4)) == "s-shard-1-of-4.sqlite" && named.match("s-shard-1-of-4.sqlite")?.shard == (try shard(1, 4)))
        #expect(try named.name(for: nil) == "s-state.sqlite" && named.match("s-state.sqlite")?.isUnsharded == true)
        // A placeholder followed by text that its value may contain: every split is tried.
        let dashed = try StateTemplate(parsing: "{shard}-{index}.sqlite")
        #expect(dashed.match("shard-1-of-2-1.sqlite")?.shard == (try shard(1, 2)))
        #expect(dashed.match("shard-1-of-2-0.sqlite") == nil)
    }

    @Test func onlyNamesThatRenderingProducesMatch() throws {
        let template = try StateTemplate(parsing: "nightly/shard-{index}-of-{count}.sqlite")
        for name in ["nightly/shard-01-of-2.sqlite", "nightly/shard-2-of-2.sqlite", "nightly/shard-a-of-2.sqlite", "nightly/shard--of-2.sqlite",
                     "nightly/shard-0-of-2.sqlite.lease", "nightly/x/shard-0-of-2.sqlite", "other/shard-0-of-2.sqlite", "nightly/shard-0-of-2"] {
            #expect(template.match(name) == nil, "\(name)")
        }
        let repeated = try StateTemplate(parsing: "{count}/{index}-of-{count}.sqlite")
        #expect(repeated.match("3/1-of-3.sqlite")?.shard == (try shard(1, 3)))
        #expect(repeated.match("3/1-of-4.sqlite") == nil)
        // Without {count} the count is unknown: the states of every count have the same names.
        let countless = try StateTemplate(parsing: "/var/lib/tw/shard-{index}.sqlite")
        #expect(!countless.namesCount && countless.match("/var/lib/tw/shard-3.sqlite") == StateTemplate.Named(shard: nil, isUnsharded: false))
        #expect(try StateTemplate(parsing: "fixed.sqlite").match("fixed.sqlite") == nil)
    }

    @Test func aPrefixIsTheTemplateOfShardStatesUnderIt() throws {
        let prefix = StateTemplate.prefix("nightly/")
        #expect(prefix.description == "nightly/{shard}.sqlite" && !prefix.spansFolders && prefix.fixedPrefix == "nightly/")
        #expect(try prefix.name(for: shard(2, 8)) == "nightly/shard-2-of-8.sqlite" && (try prefix.name(for: nil)) == "nightly/state.sqlite")
        #expect(try StatePlace(parsing: "s3://bucket/nightly/").template == prefix)
        #expect(try StatePlace(parsing: "s3://bucket").template == .prefix(""))
        #expect(try StatePlace(parsing: "s3://bucket/n/{count}/").name(for: shard(1, 3)) == "s3://bucket/n/3/shard-1-of-3.sqlite")
        #expect(try StatePlace(parsing: "s3://bucket/nightly/{shard}.sqlite").name(for: shard(0, 2)) == "s3://bucket/nightly/shard-0-of-2.sqlite")
        #expect(try RemoteStateLocation(parsing: "s3://bucket/n/{index}-{count}.sqlite", shard: shard(1, 2)).key == "n/1-2.sqlite")
        #expect(try RemoteStateLocation(parsing: "s3://bucket/n/{index}-{count}.sqlite", shard: shard(1, 2)).lease.key == "n/1-2.sqlite.lease")
    }

    @Test func badTemplatesAreRefusedWithWhatIsWrong() throws {
        func refusal(_ text: String, shard: ShardAssignment? = nil) -> String {
            do {
                _ = try StatePlace(parsing: text).name(for: shard)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(refusal("s3://b/{idx}.sqlite") == "unknown placeholder {idx} (known: {index}, {count}, {shard})")
        #expect(refusal("s3://b/{index.sqlite") == "a \"{\" without its \"}\"")
        #expect(refusal("s3://b/{index{count}}.sqlite") == "a \"{\" without its \"}\"")
        #expect(refusal("s3://b/index}.sqlite") == "a \"}\" without its \"{\"")
        #expect(refusal("s3://b/{index}{count}.sqlite").hasPrefix("placeholders must be separated by text"))
        #expect(refusal("s3://b/x-{count}.sqlite", shard: try shard(0, 2)).hasPrefix("a template for a sharded scan needs {index} or {shard}"))
        #expect(refusal("/tmp/x-{index}.sqlite").hasPrefix("{index} and {count} need a sharded scan (--shard)"))
        #expect(refusal("/tmp/{count}/x-{index}.sqlite", shard: try shard(0, 2)).hasPrefix("a local template's placeholders go in the file's name"))
        #expect(refusal("s3:///{shard}.sqlite") == "s3:///{shard}.sqlite names no bucket")
        #expect(refusal("/tmp/x-{index}.sqlite", shard: try shard(0, 2)) == "accepted")
    }

    @Test func aLocalTemplateFindsTheStatesInItsFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["tw-0-of-2.sqlite", "tw-1-of-2.sqlite", "tw-1-of-3.sqlite", "tw-1-of-3.sqlite-wal", "tw-x-of-3.sqlite", "other.sqlite"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        let place = try StatePlace(parsing: folder.path + "/tw-{index}-of-{count}.sqlite")
        let found = try await place.states { throw StateTemplateError("no S3 for a local template") }
        #expect(found.map(\.name) == ["tw-0-of-2.sqlite", "tw-1-of-2.sqlite", "tw-1-of-3.sqlite"].map { folder.path + "/" + $0 })
        #expect(try await StatePlace(parsing: folder.path + "/none/tw-{shard}.sqlite").states { throw StateTemplateError("no S3") }.isEmpty)
        #expect(found.map(\.named.shard) == [try shard(0, 2), try shard(1, 2), try shard(1, 3)] && found.allSatisfy { $0.written != nil && $0.location == nil })
    }
}
