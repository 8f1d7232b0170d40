extension AlarmDeliveryError {
    /// Runs `body`; an error it throws that is not already an `AlarmDeliveryError`
    /// becomes one naming `target`, so every failure line says which alarm failed.
    static func naming<Result>(_ target: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as AlarmDeliveryError {
            throw error
        } catch {
            throw AlarmDeliveryError(target: target, reason: "\(error)")
        }
    }
}
