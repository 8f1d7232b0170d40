/// Where AWS services answer, by region.
///
/// Only what TrailWarden calls is covered: standard regional endpoints, with
/// the DNS suffix of the region's partition (China regions live under
/// `amazonaws.com.cn`), or an explicit endpoint such as a local emulator.
public enum AWSEndpoints {
    /// `amazonaws.com.cn` for `cn-*` regions, `amazonaws.com` otherwise.
    public static func dnsSuffix(forRegion region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }

    /// `https://{service}.{region}.{suffix}`, or `override` without trailing slashes.
    public static func url(service: String, region: String, override: String? = nil) -> String {
        if let override, !override.isEmpty { return baseURL(override) }
        return "https://\(service).\(region).\(dnsSuffix(forRegion: region))"
    }

    /// The URL of `service` with the user's configured endpoints applied.
    public static func url(service: String, region: String, configured: ConfiguredEndpoints) -> String {
        url(service: service, region: region, override: configured.override(for: service))
    }

    /// `url` without trailing slashes, ready for a path to be appended.
    static func baseURL(_ url: String) -> String {
        var trimmed = Substring(url)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
