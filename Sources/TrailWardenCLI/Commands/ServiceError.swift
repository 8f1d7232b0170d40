/// A failure to complete that is not the user's input (an answer that cannot be used,
/// a file that cannot be written): exit 3, like any failure to complete.
struct ServiceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
