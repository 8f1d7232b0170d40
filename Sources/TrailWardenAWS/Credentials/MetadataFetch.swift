import TrailWardenHTTP

/// Requests to link-local credential endpoints (EC2 instance metadata, the
/// ECS/EKS agent), which must fail fast: off EC2 the metadata address simply
/// does not answer, and a credential chain must not hang on it.
///
/// Each attempt is bounded by `timeout`; transport failures, timeouts and 5xx
/// answers are retried up to `attempts` times in all. The timeout works by
/// cancelling the request's task, so it relies on `HTTPClient.send`
/// honouring cancellation.
struct MetadataFetch: Sendable {
    let http: any HTTPClient
    let timeout: Duration
    let attempts: Int

    /// The first answer that is not a server error, or the last failure.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var failure: any Error = MetadataTimeout(timeout: timeout)
        for attempt in 1...max(1, attempts) {
            do {
                let response = try await withTimeout { [http] in try await http.send(request, limit: 64 << 10) }
                if response.status < 500 || attempt == attempts { return response }
            } catch let error as HTTPError where error.isTransient {
                failure = error
            } catch let error as MetadataTimeout {
                failure = error
            }
        }
        throw failure
    }

    private func withTimeout(_ operation: @escaping @Sendable () async throws -> HTTPResponse) async throws -> HTTPResponse {
        try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            group.addTask(operation: operation)
            group.addTask { [timeout] in
                try await Task.sleep(for: timeout)
                throw MetadataTimeout(timeout: timeout)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw MetadataTimeout(timeout: timeout) }
            return first
        }
    }
}

/// A metadata endpoint did not answer in time.
struct MetadataTimeout: Error, CustomStringConvertible {
    let timeout: Duration
    var description: String { "no answer within \(timeout)" }
}
