/// Reads a digest file's JSON straight into a `DigestFile`, without building
/// a tree of Foundation objects first: `JSONSerialization` took about 11 bytes
/// per byte of a forged digest, this reader keeps only the fields it returns
/// (at most about twice the input) and skips everything else in place.
///
/// It checks the whole text as RFC 8259 JSON (so "not JSON" and "JSON of the
/// wrong shape" stay apart, as the reference tells them apart), takes fields in
/// any order, lets a repeated key replace the earlier one (as Python's
/// `json.loads` does), ignores unknown fields, and is strict on the types of
/// the fields it needs. Nesting in unknown fields is skipped without
/// recursion (see `JSONScanner`).
struct DigestJSONReader {
    /// What one wanted field held, until the end of its object decides.
    private enum Slot {
        case absent, null, text(String), mistyped
    }

    private var scanner: JSONScanner
    /// The previous log entry's bucket, reused so that equal buckets share storage.
    private var lastBucket = ""

    /// Parses `json`: nil when it is not JSON, else the file or the first field that is wrong.
    static func read(_ json: [UInt8]) -> Result<DigestFile, DigestFile.FormatError>? {
        json.withUnsafeBufferPointer { buffer in
            var reader = DigestJSONReader(bytes: buffer)
            return try? reader.document()
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { scanner = JSONScanner(bytes: bytes) }

    private mutating func document() throws(JSONScanner.NotJSON) -> Result<DigestFile, DigestFile.FormatError> {
        scanner.skipWhitespace()
        let result: Result<DigestFile, DigestFile.FormatError>
        if scanner.peek() == UInt8(ascii: "{") {
            result = try digestObject()
        } else {
            try scanner.skipValue()
            result = .failure(DigestFile.FormatError(field: "(document)"))
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw JSONScanner.NotJSON() }
        return result
    }

    private static let stringFields = [
        "digestPublicKeyFingerprint", "digestS3Bucket", "digestS3Object", "previousDigestSignature", "digestEndTime",
        "digestStartTime", "previousDigestS3Bucket", "previousDigestS3Object", "previousDigestHashValue",
    ]

    private mutating func digestObject() throws(JSONScanner.NotJSON) -> Result<DigestFile, DigestFile.FormatError> {
        var slots = [String: Slot]()
        var logs: Result<[LogFileReference], DigestFile.FormatError> = .failure(DigestFile.FormatError(field: "logFiles"))
        try members { reader, key throws(JSONScanner.NotJSON) in
            if key == "logFiles" {
                logs = try reader.logFileList()
            } else if DigestJSONReader.stringFields.contains(key) {
                slots[key] = try reader.slot()
            } else {
                try reader.scanner.skipValue()
            }
        }
        // The reference's required keys first, then what log validation needs.
        func required(_ name: String) -> Result<String, DigestFile.FormatError> {
            if case .text(let text) = slots[name] ?? .absent { return .success(text) }
            return .failure(DigestFile.FormatError(field: name))
        }
        func optional(_ name: String, mustBePresent: Bool = false) -> Result<String?, DigestFile.FormatError> {
            switch slots[name] ?? .absent {
            case .text(let text): return .success(text)
            case .null: return .success(nil)
            case .absent where !mustBePresent: return .success(nil)
            case .absent, .mistyped: return .failure(DigestFile.FormatError(field: name))
            }
        }
        return Result { () throws(DigestFile.FormatError) in
            DigestFile(publicKeyFingerprint: try required("digestPublicKeyFingerprint").get(),
                       digestS3Bucket: try required("digestS3Bucket").get(), digestS3Object: try required("digestS3Object").get(),
                       previousDigestSignature: try optional("previousDigestSignature", mustBePresent: true).get(),
                       digestEndTime: try required("digestEndTime").get(), digestStartTime: try required("digestStartTime").get(),
                       previousDigestS3Bucket: try optional("previousDigestS3Bucket").get(),
                       previousDigestS3Object: try optional("previousDigestS3Object").get(),
                       previousDigestHashValue: try optional("previousDigestHashValue").get(), logFiles: try logs.get())
        }
    }

    private mutating func logFileList() throws(JSONScanner.NotJSON) -> Result<[LogFileReference], DigestFile.FormatError> {
        scanner.skipWhitespace()
        guard scanner.peek() == UInt8(ascii: "[") else {
            try scanner.skipValue()
            return .failure(DigestFile.FormatError(field: "logFiles"))
        }
        scanner.index += 1
        var references = [LogFileReference]()
        var firstProblem: DigestFile.FormatError?
        scanner.skipWhitespace()
        if scanner.peek() == UInt8(ascii: "]") { scanner.index += 1; return .success(references) }
        var position = 0
        while true {
            scanner.skipWhitespace()
            switch try logFileEntry(position) {
            case .success(let reference) where firstProblem == nil: references.append(reference)
            case .success: break
            case .failure(let problem):
                if firstProblem == nil { firstProblem = problem }
                references = []
            }
            position += 1
            scanner.skipWhitespace()
            guard let byte = scanner.next() else { throw JSONScanner.NotJSON() }
            if byte == UInt8(ascii: "]") { break }
            guard byte == UInt8(ascii: ",") else { throw JSONScanner.NotJSON() }
        }
        if let firstProblem { return .failure(firstProblem) }
        return .success(references)
    }

    private mutating func logFileEntry(_ position: Int) throws(JSONScanner.NotJSON) -> Result<LogFileReference, DigestFile.FormatError> {
        guard scanner.peek() == UInt8(ascii: "{") else {
            try scanner.skipValue()
            return .failure(DigestFile.FormatError(field: "logFiles[\(position)]"))
        }
        var bucket = Slot.absent, key = Slot.absent, hash = Slot.absent
        try members { reader, name throws(JSONScanner.NotJSON) in
            switch name {
            case "s3Bucket": bucket = try reader.slot()
            case "s3Object": key = try reader.slot()
            case "hashValue": hash = try reader.slot()
            default: try reader.scanner.skipValue()
            }
        }
        guard case .text(var bucketName) = bucket else { return .failure(DigestFile.FormatError(field: "logFiles[\(position)].s3Bucket")) }
        guard case .text(let keyName) = key else { return .failure(DigestFile.FormatError(field: "logFiles[\(position)].s3Object")) }
        guard case .text(let hashValue) = hash else { return .failure(DigestFile.FormatError(field: "logFiles[\(position)].hashValue")) }
        if bucketName == lastBucket { bucketName = lastBucket } else { lastBucket = bucketName }
        return .success(LogFileReference(bucket: bucketName, key: keyName, hashValue: hashValue))
    }

    /// Calls `member` with each key of the object at the cursor; `member` must consume the value.
    private mutating func members(_ member: (inout DigestJSONReader, String) throws(JSONScanner.NotJSON) -> Void) throws(JSONScanner.NotJSON) {
        scanner.index += 1
        scanner.skipWhitespace()
        if scanner.peek() == UInt8(ascii: "}") { scanner.index += 1; return }
        while true {
            scanner.skipWhitespace()
            let key = try scanner.string(keep: true) ?? ""
            try scanner.colon()
            try member(&self, key)
            scanner.skipWhitespace()
            guard let byte = scanner.next() else { throw JSONScanner.NotJSON() }
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw JSONScanner.NotJSON() }
        }
    }

    /// A wanted field's value: a string, null, or anything else (skipped).
    private mutating func slot() throws(JSONScanner.NotJSON) -> Slot {
        scanner.skipWhitespace()
        switch scanner.peek() {
        case UInt8(ascii: "\""): return .text(try scanner.string(keep: true) ?? "")
        case UInt8(ascii: "n"): try scanner.literal("null"); return .null
        default: try scanner.skipValue(); return .mistyped
        }
    }
}
