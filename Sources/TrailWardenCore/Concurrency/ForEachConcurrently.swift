/// Runs `operation` over `items` with at most `limit` in flight, and hands the
/// results to `handle` strictly in input order, on the calling task.
///
/// This is how the engine fetches and hashes in parallel while its output stays
/// independent of timing. Results that finish early wait in a reorder buffer;
/// no more than `limit * 4` items are started ahead of the oldest unhandled
/// one, so the buffer stays bounded even when one item is slow.
public func forEachConcurrently<Item: Sendable, Output: Sendable>(
    _ items: [Item],
    limit: Int,
    operation: @escaping @Sendable (Item) async throws -> Output,
    inOrder handle: (Int, Output) throws -> Void
) async throws {
    let limit = max(1, limit)
    let window = limit * 4
    try await withThrowingTaskGroup(of: (Int, Output).self) { group in
        var nextToStart = 0
        var nextToHandle = 0
        var inFlight = 0
        var finished: [Int: Output] = [:]
        while nextToHandle < items.count {
            while nextToStart < items.count, inFlight < limit, nextToStart - nextToHandle < window {
                let index = nextToStart
                let item = items[index]
                group.addTask { (index, try await operation(item)) }
                nextToStart += 1
                inFlight += 1
            }
            guard let (index, output) = try await group.next() else { break }
            inFlight -= 1
            finished[index] = output
            while let ready = finished.removeValue(forKey: nextToHandle) {
                try handle(nextToHandle, ready)
                nextToHandle += 1
            }
        }
    }
}
