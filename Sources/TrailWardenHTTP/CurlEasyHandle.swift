internal import CCurl
import Foundation

/// A curl easy handle, reused for transfer after transfer (its buffers stay
/// allocated); the connections live in its loop's multi handle.
///
/// Not thread-safe: a handle belongs to one `CurlMultiLoop` and its thread.
final class CurlEasyHandle {
    /// The `CURL *`, for the loop's multi handle.
    let handle: UnsafeMutableRawPointer
    private let share: CurlShare
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init(share: CurlShare) {
        precondition(CurlGlobal.initialised, "curl_global_init failed")
        guard let handle = curl_easy_init() else {
            fatalError("curl_easy_init failed: out of memory")
        }
        self.handle = handle
        self.share = share
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Forgets the previous transfer's options and sets those every transfer shares.
    func reset() throws {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        try set(CURLOPT_SHARE, pointer: share.handle)
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        try set(CURLOPT_NOSIGNAL, 1)
    }

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(trailwarden_easy_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, size: Int) throws {
        try check(trailwarden_easy_setopt_off_t(handle, option, curl_off_t(size)), option)
    }

    /// Strings are copied by curl (except `CURLOPT_POSTFIELDS`, which is set with `pointer:`).
    func set(_ option: CURLoption, _ value: String) throws {
        try check(value.withCString { trailwarden_easy_setopt_pointer(handle, option, $0) }, option)
    }

    /// The pointer must stay valid until the next `reset`.
    func set(_ option: CURLoption, pointer: UnsafeRawPointer?) throws {
        try check(trailwarden_easy_setopt_pointer(handle, option, pointer), option)
    }

    func set(_ option: CURLoption, writeCallback: curl_write_callback) throws {
        try check(trailwarden_easy_setopt_write_callback(handle, option, writeCallback), option)
    }

    func set(progressCallback: curl_xferinfo_callback) throws {
        try check(trailwarden_easy_setopt_xferinfo_callback(handle, progressCallback), CURLOPT_XFERINFOFUNCTION)
    }

    func set(debugCallback: curl_debug_callback) throws {
        try check(trailwarden_easy_setopt_debug_callback(handle, debugCallback), CURLOPT_DEBUGFUNCTION)
    }

    /// As a transfer on plain HTTP returns its connection to the cache: whether
    /// bytes the response did not account for wait on it (a body longer than its
    /// Content-Length, which curl 7.88 leaves there for the next request to
    /// misread). If so the connection is shut down, so that curl never reuses it.
    /// (Under TLS the raw bytes may be protocol records, so it cannot tell.)
    func discardConnectionWithPendingBytes() -> Bool {
        let socket = trailwarden_easy_active_socket(handle)
        guard socket != CURL_SOCKET_BAD else { return false }
        var byte: UInt8 = 0
        guard recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0 else { return false }
        shutdown(socket, Int32(SHUT_RDWR))
        return true
    }

    /// curl's explanation of the last failure: the error buffer, else the code's generic text.
    func errorDetail(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            throw HTTPError(.other, "curl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
