import Foundation

/// Times are stored as INTEGER milliseconds since the Unix epoch (UTC): they sort and
/// compare in SQL, and need no parsing. Sub-millisecond precision is rounded away.
extension Date {
    var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}
