/// Another trail of the chain's account delivering into the same digest and log folders
/// (several trails may share one bucket and prefix), named as its digest keys name it.
/// A run that validates several trails of one folder says so in each request, so that a
/// log file none of them lists is reported once, not once per trail.
public struct SharedFolderTrail: Sendable, Hashable {
    public var trailName: String
    public var homeRegion: String

    public init(trailName: String, homeRegion: String) {
        self.trailName = trailName
        self.homeRegion = homeRegion
    }

    /// Sorts as the trails' ARNs do (one partition and account): a stray log file of the
    /// folder is reported on the chain of the first trail whose digests prove its hour.
    var order: String { homeRegion + ":trail/" + trailName }

    /// How the unreferenced-log search groups digest keys by trail.
    var searchKey: String { trailName + "\u{0}" + homeRegion }
}
