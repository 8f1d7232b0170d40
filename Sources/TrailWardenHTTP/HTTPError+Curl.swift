internal import CCurl

extension HTTPError {
    /// Classifies a failed curl transfer. curl's detail is kept only when it
    /// cannot carry a secret: it is dropped if it quotes anything from the
    /// URL's query or user information.
    init(curlCode code: CURLcode, detail: String, method: String, target: RequestTarget, url: String) {
        var (kind, summary, transient) = Self.classify(code)
        if code == CURLE_COULDNT_RESOLVE_HOST || (code == CURLE_OPERATION_TIMEDOUT && detail.hasPrefix("Resolving timed out")) {
            (kind, summary, transient) = (.connectFailed, "could not resolve host \(target.hostName)", true)
        }
        let safeDetail = Self.mayQuote(detail, from: url) ? detail : String(cString: curl_easy_strerror(code))
        self.init(kind, "\(method) \(target) \(summary): \(safeDetail) (curl error \(code.rawValue))", isTransient: transient)
    }

    private static func classify(_ code: CURLcode) -> (Kind, String, Bool) {
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return (.invalidURL, "has an invalid URL", false)
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return (.connectFailed, "could not connect", true)
        case CURLE_OPERATION_TIMEDOUT:
            return (.timedOut, "timed out", true)
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return (.connectionReset, "lost its connection", true)
        case CURLE_SSL_CONNECT_ERROR:
            return (.tls, "failed the TLS handshake", true)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            return (.tls, "failed TLS verification", false)
        default:
            return (.other, "failed", false)
        }
    }

    private static func mayQuote(_ detail: String, from url: String) -> Bool {
        !detail.contains("?") && !detail.contains("@") && !(url.firstIndex(of: "?").map { detail.contains(url[$0...].dropFirst()) } ?? false)
    }
}
