import TrailWardenVocabulary

/// One message of a notice cut to fit a size limit.
struct AlarmTextPart: Sendable {
    var subject: String
    var body: String
    /// The findings this part lists, so that its attributes describe it alone.
    var findings: [AlarmFinding]
}

extension AlarmText {
    /// The notice as messages whose bodies are at most `maximumBodyBytes` UTF-8
    /// bytes: one when it fits, else parts cut between items, each with the
    /// head and footer, marked "(part i/n)". Every finding is in exactly one
    /// part. A single item longer than the limit gets a part of its own, which
    /// the sink's service then refuses rather than TrailWarden dropping it.
    func parts(maximumBodyBytes: Int) -> [AlarmTextPart] {
        let whole = body
        guard whole.utf8.count > maximumBodyBytes else {
            return [AlarmTextPart(subject: subject, body: whole, findings: notice.findings)]
        }
        // No more parts than items, so this head is at least as long as any part's.
        let longestHead = head(part: AlarmPart(number: items.count, count: items.count, findingsInPart: notice.findings.count))
        let budget = maximumBodyBytes - longestHead.utf8.count - footer.utf8.count
        var ranges = [Range<Int>]()
        var start = items.startIndex
        var used = 0
        for index in items.indices {
            let cost = piece(items[index], after: index == start ? nil : items[index - 1]).utf8.count
            if index > start && used + cost > budget {
                ranges.append(start..<index)
                start = index
                used = piece(items[index], after: nil).utf8.count
            } else {
                used += cost
            }
        }
        ranges.append(start..<items.endIndex)
        return ranges.enumerated().map { offset, range in
            let findings = items[range].compactMap(\.finding)
            let part = AlarmPart(number: offset + 1, count: ranges.count, findingsInPart: findings.count)
            return AlarmTextPart(subject: subject(part: part), body: body(items[range], part: part), findings: findings)
        }
    }
}
