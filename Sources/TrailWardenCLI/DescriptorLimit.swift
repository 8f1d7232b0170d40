import Foundation

/// The process's open-file limit, checked and raised before anything starts.
///
/// Every request in flight holds a socket and every HTTP event loop an epoll set
/// and an eventfd; libdispatch, which the Swift runtime starts on first use, aborts
/// the process when it cannot create its own. So the soft limit is raised to the
/// hard one (as far as `target`), and a hard limit too low to run is one error line
/// up front instead of a crash later.
public enum DescriptorLimit {
    /// Below this many descriptors a run cannot start its loops and connections.
    public static let minimum: rlim_t = 64
    /// The soft limit aimed for: room for thousands of connections, far below what kernels allow.
    public static let target: rlim_t = 1 << 16

    /// Raises the soft limit; the error line (without the program's prefix) when even the hard limit is below `minimum`.
    public static func raise() -> String? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let wanted = min(limit.rlim_max, target)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        guard limit.rlim_cur < minimum else { return nil }
        return "the open-file limit is \(limit.rlim_cur) descriptors (ulimit -n); trailwarden needs at least \(minimum)"
    }
}
