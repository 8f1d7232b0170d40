internal import CCurl
import Foundation

/// One request's trip through an easy handle of a `CurlMultiLoop`: sets the
/// options, receives curl's header, body and progress callbacks, and turns the
/// outcome into an `HTTPResponse` or an error.
///
/// `@unchecked Sendable`: created by the caller, then used by exactly one loop
/// thread while the caller is suspended (the loop's lock and the continuation
/// order the hand-overs). The one field other threads touch, `cancelled`, is
/// guarded by `cancellationLock`.
final class Transfer: @unchecked Sendable {
    /// The most of a non-2xx body (an error document) that is kept.
    static let errorBodyLimit = 1 << 20

    private let request: HTTPRequest
    private let target: RequestTarget
    private let configuration: CurlHTTPClient.Configuration
    private let begin: ([(name: String, value: String)]) throws -> Void
    private let consume: (UnsafeRawBufferPointer) throws -> Void

    private let cancellationLock = NSLock()
    private var cancelled = false

    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var headComplete = false
    private var bodyBegun = false
    /// curl met more bytes than the Content-Length promised (it delivers only those and closes the connection).
    private var excessBody = false
    private var errorBody: [UInt8] = []
    private var errorBodyTruncated = false
    private var consumerError: (any Error)?
    private var lastActivity = ContinuousClock.now
    private var lastProgress: (received: curl_off_t, sent: curl_off_t) = (0, 0)
    private var idleExpired = false
    private var abortedByCancellation = false
    /// curl reads it until the transfer ends; freed with the transfer.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The handle it runs on, from `prepare`.
    private var easy: CurlEasyHandle?

    init(request: HTTPRequest, target: RequestTarget, configuration: CurlHTTPClient.Configuration,
         begin: @escaping ([(name: String, value: String)]) throws -> Void,
         consume: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.request = request
        self.target = target
        self.configuration = configuration
        self.begin = begin
        self.consume = consume
    }

    deinit {
        curl_slist_free_all(headerList)
    }

    var isCancelled: Bool {
        cancellationLock.withLock { cancelled }
    }

    /// Makes the transfer stop: its loop, woken, aborts it (or its progress callback does).
    func cancel() {
        cancellationLock.withLock { cancelled = true }
    }

    /// Sets `easy` up for the request (after a reset); the loop then adds it to its multi handle.
    func prepare(on easy: CurlEasyHandle) throws {
        try easy.reset()
        self.easy = easy
        headerList = headerLines().reduce(nil) { curl_slist_append($0, $1) }
        try configure(easy, headerList: headerList)
        if sendsBody {
            // Copied by curl: the handle outlives this call; set the size first.
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, size: request.body.count)
            try (request.body.isEmpty ? [0] : request.body).withUnsafeBytes { try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: $0.baseAddress) }
        }
        lastActivity = .now
    }

    /// True when the loop must abort the transfer: cancelled, or nothing moved for the idle timeout
    /// (the progress callback asks the same, but curl calls it only while the transfer has events).
    var mustAbort: Bool {
        !shouldContinue(received: lastProgress.received, sent: lastProgress.sent)
    }

    private var sendsBody: Bool {
        !request.body.isEmpty || request.method == "PUT" || request.method == "POST"
    }

    /// Sets every option but the body.
    private func configure(_ easy: CurlEasyHandle, headerList: UnsafeMutablePointer<curl_slist>?) throws {
        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_PATH_AS_IS, 1)
        try easy.set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundlePath = configuration.caBundlePath {
            try easy.set(CURLOPT_CAINFO, caBundlePath)
        }
        if let proxy = configuration.httpProxy, target.scheme == "http" {
            try easy.set(CURLOPT_PROXY, proxy)
        }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        if let totalTimeout = configuration.totalTimeout {
            try easy.set(CURLOPT_TIMEOUT_MS, totalTimeout.curlMilliseconds)
        }
        try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        // No CURLOPT_BUFFERSIZE: curl 7.88 refuses it on a handle whose last transfer failed before
        // freeing its buffer (a failed name lookup), which broke every later request on that handle.
        if request.freshConnection {
            try easy.set(CURLOPT_FRESH_CONNECT, 1)
            try easy.set(CURLOPT_FORBID_REUSE, 1)
        }
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent)

        switch request.method {
        case "HEAD":
            try easy.set(CURLOPT_NOBODY, 1)
        case _ where sendsBody:
            try easy.set(CURLOPT_POST, 1)
            if request.method != "POST" {
                try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
            }
        default:
            try easy.set(CURLOPT_HTTPGET, 1)
            if request.method != "GET" {
                try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
            }
        }

        try easy.set(CURLOPT_HTTPHEADER, pointer: headerList)

        let userData = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_HEADERFUNCTION, writeCallback: { buffer, size, count, userData in
            let length = size * count
            Transfer.from(userData).receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        })
        try easy.set(CURLOPT_HEADERDATA, pointer: userData)
        try easy.set(CURLOPT_WRITEFUNCTION, writeCallback: { buffer, size, count, userData in
            let length = size * count
            return Transfer.from(userData).receiveBody(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
        })
        try easy.set(CURLOPT_WRITEDATA, pointer: userData)
        try easy.set(CURLOPT_NOPROGRESS, 0)
        try easy.set(progressCallback: { userData, _, received, _, sent in
            Transfer.from(userData).shouldContinue(received: received, sent: sent) ? 0 : 1
        })
        try easy.set(CURLOPT_XFERINFODATA, pointer: userData)
        // curl reports a body longer than its Content-Length only as an informational line.
        try easy.set(CURLOPT_VERBOSE, 1)
        try easy.set(debugCallback: { _, type, text, size, userData in
            if type == CURLINFO_TEXT, let text {
                Transfer.from(userData).receiveInformation(UnsafeRawBufferPointer(start: text, count: size))
            }
            return 0
        })
        try easy.set(CURLOPT_DEBUGDATA, pointer: userData)
    }

    /// Over-length bodies: curl met the excess itself, or it waits on the connection just returned to the
    /// cache (checked here, before another transfer of the loop can reuse the connection).
    private func receiveInformation(_ text: UnsafeRawBufferPointer) {
        if text.starts(with: "Excess found".utf8) {
            excessBody = true
        } else if target.scheme == "http", text.starts(with: "Connection #".utf8), Self.endsWithLeftIntact(text),
                  let easy, easy.discardConnectionWithPendingBytes() {
            excessBody = true
        }
    }

    /// curl's "Connection #N to host H left intact" line, compared on the bytes.
    private static func endsWithLeftIntact(_ text: UnsafeRawBufferPointer) -> Bool {
        var end = text.count
        while end > 0, text[end - 1] == UInt8(ascii: "\n") || text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return text[..<end].reversed().starts(with: "left intact".utf8.reversed())
    }

    /// The caller's headers, plus empty `Name:` lines that stop curl adding
    /// `Accept`, `Expect: 100-continue` and a form `Content-Type` of its own.
    private func headerLines() -> [String] {
        let suppressed = ["Accept", "Expect", "Content-Type"].filter { name in !request.headers.contains { $0.name.equalsIgnoringCase(name) } }
        // curl sends "Name;" as a header with an empty value ("Name:" would remove it).
        return request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
            + suppressed.map { "\($0):" }
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> Transfer {
        Unmanaged<Transfer>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// A status line starts a new head (after a `1xx` one); lines after the
    /// final head (trailers) are ignored. Field lines are split on their bytes:
    /// only the name and the value become strings.
    private func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        lastActivity = .now
        guard !headComplete else { return }
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\r") || bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        let line = bytes[..<end]
        if line.starts(with: "HTTP/".utf8) {
            status = String(decoding: line, as: UTF8.self).split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            headers = []
        } else if line.isEmpty {
            headComplete = status >= 200
        } else if !headers.isEmpty, let folded = foldedHeaderText(line) {
            headers[headers.count - 1].value += " " + folded.trimmingSpacesAndTabs()
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            headers.append((name: trimmedHeaderText(line[..<colon]), value: trimmedHeaderText(line[(colon + 1)...])))
        }
    }

    /// Streams a 2xx body to the consumer and keeps the start of any other;
    /// false aborts the transfer.
    private func receiveBody(_ piece: UnsafeRawBufferPointer) -> Bool {
        lastActivity = .now
        if (200..<300).contains(status) {
            do {
                try beginBodyOnce()
                try consume(piece)
                return true
            } catch {
                consumerError = error
                return false
            }
        }
        let room = Self.errorBodyLimit - errorBody.count
        errorBody.append(contentsOf: piece.prefix(room))
        errorBodyTruncated = piece.count > room
        return !errorBodyTruncated
    }

    /// Hands the final head to the consumer before its first piece (or at the end, for an empty body).
    private func beginBodyOnce() throws {
        guard !bodyBegun else { return }
        bodyBegun = true
        try begin(headers)
    }

    /// False aborts the transfer: cancelled, or nothing moved for the idle timeout.
    private func shouldContinue(received: curl_off_t, sent: curl_off_t) -> Bool {
        if isCancelled {
            abortedByCancellation = true
            return false
        }
        let now = ContinuousClock.now
        if (received, sent) != lastProgress {
            lastProgress = (received, sent)
            lastActivity = now
        } else if now - lastActivity >= configuration.idleTimeout {
            idleExpired = true
            return false
        }
        return true
    }

    /// What the finished (or aborted, `CURLE_ABORTED_BY_CALLBACK`) transfer comes to.
    func outcome(of code: CURLcode, on easy: CurlEasyHandle) throws -> HTTPResponse {
        let response = HTTPResponse(status: status, headers: headers, body: errorBody)
        switch code {
        case CURLE_OK where excessBody:
            throw HTTPError(.connectionReset, "\(request.method) \(target) sent a body longer than its Content-Length")
        case CURLE_OK:
            if response.isSuccess && request.method != "HEAD" {
                try beginBodyOnce()
            }
            return response
        case CURLE_WRITE_ERROR where consumerError != nil:
            throw consumerError!
        case CURLE_WRITE_ERROR where errorBodyTruncated:
            return response
        case CURLE_ABORTED_BY_CALLBACK where abortedByCancellation:
            throw CancellationError()
        case CURLE_ABORTED_BY_CALLBACK where idleExpired:
            throw HTTPError(.timedOut, "\(request.method) \(target) timed out: nothing received for \(configuration.idleTimeout)")
        default:
            throw HTTPError(curlCode: code, detail: easy.errorDetail(for: code), method: request.method, target: target, url: request.url)
        }
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (curl reads 0 as "use the default").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
