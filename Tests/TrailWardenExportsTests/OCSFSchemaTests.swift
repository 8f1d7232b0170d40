import Foundation
import Testing
import TrailWardenExports
import TrailWardenVocabulary

/// Every OCSF export conforms to the Detection Finding class of OCSF 1.1.0, as
/// kept in Tests/Support/ocsf: required attributes present, every attribute
/// defined and of its type, enumerated values allowed.
@Suite struct OCSFSchemaTests {
    private static let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Support/ocsf/detection_finding-1.1.0.json").standardized

    private struct Schema {
        let classAttributes: [String: Any]
        let objects: [String: [String: Any]]
        let classUID: Int

        init() throws {
            let root = try SampleFindings.object(String(decoding: try Data(contentsOf: OCSFSchemaTests.schemaURL), as: UTF8.self))
            let definition = try #require(root["class"] as? [String: Any])
            classAttributes = try #require(definition["attributes"] as? [String: Any])
            objects = try #require(root["objects"] as? [String: [String: Any]])
            classUID = try #require(definition["uid"] as? Int)
        }

        /// Every way `value` at `path` breaks `attributes`.
        func problems(_ value: [String: Any], attributes: [String: Any], path: String) -> [String] {
            var problems = [String]()
            for (name, rule) in attributes {
                let rule = rule as? [String: Any] ?? [:]
                if rule["requirement"] as? String == "required" && value[name] == nil { problems.append("\(path)\(name) is missing") }
            }
            for (name, member) in value {
                guard let rule = attributes[name] as? [String: Any], let type = rule["type"] as? String else {
                    problems.append("\(path)\(name) is not an attribute of the class")
                    continue
                }
                let elements: [Any]
                if rule["is_array"] as? Bool == true {
                    guard let array = member as? [Any] else {
                        problems.append("\(path)\(name) is not an array")
                        continue
                    }
                    elements = array
                } else {
                    elements = [member]
                }
                for element in elements {
                    problems += self.problems(of: element, type: type, path: path + name)
                    if let allowed = rule["enum"] as? [Int], let number = element as? Int, !allowed.contains(number) {
                        problems.append("\(path)\(name) is \(number), not one of \(allowed)")
                    }
                }
            }
            return problems
        }

        private func problems(of value: Any, type: String, path: String) -> [String] {
            switch type {
            case "integer_t", "long_t", "timestamp_t":
                // Printed, a JSON boolean is "true" or "false" and a fraction has a point: neither is an integer.
                guard !(value is String), let number = Int64("\(value)") else { return ["\(path) is not an integer"] }
                return type == "timestamp_t" && number < 1_000_000_000_000 ? ["\(path) is not in milliseconds"] : []
            case "string_t":
                return value is String ? [] : ["\(path) is not a string"]
            case "boolean_t":
                return !(value is String) && ["true", "false"].contains("\(value)") ? [] : ["\(path) is not a boolean"]
            case "object_t":
                // OCSF's open object (`unmapped`): any JSON object, no attributes prescribed.
                return value is [String: Any] ? [] : ["\(path) is not an object"]
            default:
                guard let attributes = objects[type] else { return ["\(path) has the unknown type \(type)"] }
                guard let object = value as? [String: Any] else { return ["\(path) is not an object"] }
                return problems(object, attributes: attributes, path: path + ".")
            }
        }
    }

    @Test func everyKindOpenAndResolvedConformsToTheClass() throws {
        let schema = try Schema()
        for finding in SampleFindings.all {
            let event = try SampleFindings.object(try OCSFDetectionFinding(finding).json())
            let problems = schema.problems(event, attributes: schema.classAttributes, path: "")
            #expect(problems.isEmpty, "\(finding.kind) \(finding.status): \(problems)")
            #expect(event["class_uid"] as? Int == schema.classUID)
        }
    }

    @Test func theCheckerCatchesAMissingOrMistypedAttribute() throws {
        let schema = try Schema()
        var event = try SampleFindings.object(try OCSFDetectionFinding(SampleFindings.finding(.logHashMismatch)).json())
        event["severity_id"] = nil
        event["time"] = "yesterday"
        event["colour"] = "red"
        var info = try #require(event["finding_info"] as? [String: Any])
        info["uid"] = nil
        event["finding_info"] = info
        let problems = Set(schema.problems(event, attributes: schema.classAttributes, path: ""))
        #expect(problems == ["severity_id is missing", "time is not an integer", "colour is not an attribute of the class",
                             "finding_info.uid is missing"])
    }

    @Test func theEventCarriesTheStableIdSeverityStatusAndProduct() throws {
        let open = SampleFindings.finding(.digestSignatureInvalid)
        let event = try SampleFindings.object(try OCSFDetectionFinding(open).json())
        let info = try #require(event["finding_info"] as? [String: Any])
        #expect(info["uid"] as? String == open.identity.uid)
        #expect(info["title"] as? String == "CloudTrail digest signature invalid")
        #expect(event["severity_id"] as? Int == 5 && event["status_id"] as? Int == 1 && event["activity_id"] as? Int == 1)
        #expect(event["type_uid"] as? Int == 200401)
        #expect(event["time"] as? Int == 1_767_243_600_000)
        let product = try #require((event["metadata"] as? [String: Any])?["product"] as? [String: Any])
        #expect(product["version"] as? String == TrailWardenVersion.current && product["name"] as? String == "TrailWarden")
        let resources = try #require(event["resources"] as? [[String: Any]]).compactMap { $0["uid"] as? String }
        #expect(resources == ["arn:aws:s3:::log-archive/AWSLogs/o-abc/111111111111/CloudTrail/us-east-1/2026/01/01/file.json.gz",
                              SampleFindings.trail, "111111111111"])

        let resolved = try SampleFindings.object(try OCSFDetectionFinding(SampleFindings.finding(.digestSignatureInvalid, status: .resolved)).json())
        #expect(resolved["status_id"] as? Int == 4 && resolved["status"] as? String == "Resolved" && resolved["activity_id"] as? Int == 3)
        #expect((resolved["finding_info"] as? [String: Any])?["uid"] as? String == open.identity.uid)
    }
}
