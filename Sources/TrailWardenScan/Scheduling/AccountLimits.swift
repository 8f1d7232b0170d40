import TrailWardenStorage
import TrailWardenVocabulary

/// One request budget per account (`limits.requestsPerAccount`), shared by
/// all of that account's chains, so that an account with many trails and
/// regions cannot take the whole organization's budget.
actor AccountLimits {
    private let perAccount: Int
    private var semaphores: [String: AsyncSemaphore] = [:]

    init(perAccount: Int) { self.perAccount = perAccount }

    func semaphore(for account: String) -> AsyncSemaphore {
        if let known = semaphores[account] { return known }
        let semaphore = AsyncSemaphore(limit: perAccount)
        semaphores[account] = semaphore
        return semaphore
    }
}

/// An object store whose every call holds a place in an account's budget.
struct LimitedObjectStore: ObjectStore {
    let inner: any ObjectStore
    let semaphore: AsyncSemaphore

    func listKeys(bucket: String, prefix: String, startAfter: String?) -> AsyncThrowingStream<String, any Error> {
        let inner = self.inner, semaphore = self.semaphore
        return AsyncThrowingStream { continuation in
            let task = Task {
                await semaphore.acquire()
                do {
                    for try await key in inner.listKeys(bucket: bucket, prefix: prefix, startAfter: startAfter) { continuation.yield(key) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
                await semaphore.release()
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
        await semaphore.acquire()
        do {
            let value = try await body()
            await semaphore.release()
            return value
        } catch {
            await semaphore.release()
            throw error
        }
    }
}
