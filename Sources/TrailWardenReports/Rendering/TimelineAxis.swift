import Foundation

/// The time axis under a timeline: a minor tick every UTC day (every hour for
/// periods up to two days) and a labelled tick at the first step that leaves
/// at most 14 day labels or 8 hour labels, so a 1-day and a 90-day period both read.
///
/// Labelled steps are whole hours or days counted from the Unix epoch, so they
/// fall on UTC midnight; weekly and fortnightly steps fall on Mondays.
struct TimelineAxis {
    struct Tick: Equatable {
        var date: Date
        /// 0…1 across the period.
        var fraction: Double
        /// Text for a labelled tick, nil for a minor one.
        var label: String?
    }

    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400
    static let labelSteps: [TimeInterval] = [1, 2, 3, 6, 12].map { $0 * hour } + [1, 2, 3, 7, 14, 28].map { $0 * day }
    /// Day labels ("11-04") fit 14 to a printed bar; hour labels ("11-04 06:00") are twice as long.
    static let maximumLabels = 14
    static let maximumHourLabels = 8
    /// 1970-01-01 was a Thursday; Monday 1970-01-05 is the anchor for weekly steps.
    static let mondayOffset: TimeInterval = 4 * day

    static func ticks(for period: ComplianceReport.Period) -> [Tick] {
        let total = period.duration
        guard total > 0 else { return [] }
        let minorStep = total <= 2 * day ? hour : day
        let labelStep = labelSteps.first { total / $0 <= Double($0 < day ? maximumHourLabels : maximumLabels) } ?? labelSteps[labelSteps.count - 1]
        let anchor = labelStep >= 7 * day ? mondayOffset : 0
        var ticks = [Tick]()
        if total / minorStep <= 400 {
            ticks = dates(from: period, step: minorStep, anchor: 0).map { Tick(date: $0, fraction: $0.timeIntervalSince(period.from) / total, label: nil) }
        }
        for date in dates(from: period, step: labelStep, anchor: anchor) {
            let tick = Tick(date: date, fraction: date.timeIntervalSince(period.from) / total, label: label(date, step: labelStep))
            if let index = ticks.firstIndex(where: { $0.date == date }) { ticks[index] = tick } else { ticks.append(tick) }
        }
        return ticks.sorted { $0.date < $1.date }
    }

    /// Every multiple of `step` past `anchor` (seconds since the epoch) within the period.
    private static func dates(from period: ComplianceReport.Period, step: TimeInterval, anchor: TimeInterval) -> [Date] {
        let start = period.from.timeIntervalSince1970 - anchor
        var next = (start / step).rounded(.up) * step + anchor
        var dates = [Date]()
        while next <= period.to.timeIntervalSince1970 {
            dates.append(Date(timeIntervalSince1970: next))
            next += step
        }
        return dates
    }

    /// "11-04" for day steps, "11-04 06:00" for hour steps (UTC).
    private static func label(_ date: Date, step: TimeInterval) -> String {
        let time = ReportText.time(date)
        let monthDay = String(time.dropFirst(5).prefix(5))
        return step < day ? monthDay + " " + String(time.dropFirst(11).prefix(5)) : monthDay
    }
}
