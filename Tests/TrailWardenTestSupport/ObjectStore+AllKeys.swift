import TrailWardenStorage

extension ObjectStore {
    /// Every key of a listing, collected, for tests that compare whole
    /// listings. A listing cut by cancellation throws rather than looking complete.
    public func allKeys(bucket: String, prefix: String, startAfter: String? = nil) async throws -> [String] {
        var keys = [String]()
        for try await key in listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter) {
            keys.append(key)
        }
        try Task.checkCancellation()
        return keys
    }
}
