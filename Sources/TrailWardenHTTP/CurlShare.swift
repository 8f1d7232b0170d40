internal import CCurl
import Foundation

/// libcurl's process-wide state, initialised once before the first handle.
enum CurlGlobal {
    /// Evaluated once, thread-safely, by Swift's lazy static initialisation.
    static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// A curl share handle holding the DNS cache and TLS sessions that every
/// loop's easy handles use, so that a loop connecting to a host another
/// loop already reached skips the lookup and resumes the TLS session.
///
/// Connections themselves are not shared: libcurl does not support sharing
/// its connection cache between concurrent threads, so each loop's multi
/// handle keeps its own (see `TransferPool` for how reuse is maximised).
///
/// `@unchecked Sendable`: the `CURLSH` is only touched by libcurl, which calls
/// the lock callbacks below around every access, one `NSLock` per kind of data;
/// `deinit` runs after the last easy handle using it is cleaned up, because
/// each `CurlEasyHandle` holds a strong reference to its share.
final class CurlShare: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let locks: [NSLock]

    init() {
        precondition(CurlGlobal.initialised, "curl_global_init failed")
        guard let handle = curl_share_init() else {
            fatalError("curl_share_init failed: out of memory")
        }
        self.handle = handle
        locks = (0..<Int(CURL_LOCK_DATA_LAST.rawValue)).map { _ in NSLock() }
        let userData = Unmanaged.passUnretained(self).toOpaque()
        let results = [
            trailwarden_share_setopt_pointer(handle, CURLSHOPT_USERDATA, userData),
            trailwarden_share_setopt_lock_callback(handle) { _, data, _, userData in
                CurlShare.from(userData).locks[Int(data.rawValue)].lock()
            },
            trailwarden_share_setopt_unlock_callback(handle) { _, data, userData in
                CurlShare.from(userData).locks[Int(data.rawValue)].unlock()
            },
            trailwarden_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue)),
            trailwarden_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue)),
        ]
        precondition(results.allSatisfy { $0 == CURLSHE_OK }, "curl_share_setopt failed")
    }

    deinit {
        curl_share_cleanup(handle)
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> CurlShare {
        Unmanaged<CurlShare>.fromOpaque(userData!).takeUnretainedValue()
    }
}
