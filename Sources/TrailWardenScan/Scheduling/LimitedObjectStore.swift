import TrailWardenStorage
import TrailWardenVocabulary

/// An object store whose every call holds a place of its account in the scan's request
/// budget, so that the budget, not the number of chains, decides what is in flight.
struct LimitedObjectStore: ObjectStore {
    let inner: any ObjectStore
    let gate: FairRequestGate
    let account: String

    func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
        let inner = self.inner, gate = self.gate, account = self.account
        return AsyncThrowingStream { continuation in
            let task = Task {
                await gate.acquire(account)
                do {
                    for try await key in inner.listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter) { continuation.yield(key) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
                await gate.release(account)
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func read<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        try await holdingPlace { try await inner.read(location, into: &consumer) }
    }

    func reread<Consumer: BodyConsumer>(_ location: ObjectLocation, into consumer: inout Consumer) async throws -> UserMetadata {
        try await holdingPlace { try await inner.reread(location, into: &consumer) }
    }

    private func holdingPlace<T>(_ body: () async throws -> T) async throws -> T {
        await gate.acquire(account)
        do {
            let value = try await body()
            await gate.release(account)
            return value
        } catch {
            await gate.release(account)
            throw error
        }
    }
}
