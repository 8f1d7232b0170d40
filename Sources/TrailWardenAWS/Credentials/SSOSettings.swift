/// An SSO profile's settings, resolved as the CLI resolves them: a profile
/// is an SSO profile when it has `sso_account_id` or `sso_role_name`; with
/// `sso_session` the named section supplies `sso_start_url` and `sso_region`
/// (and a value set in both places must agree); all four are required.
struct SSOSettings: Sendable {
    var profile: String
    /// The sso-session's name; nil for a legacy profile.
    var sessionName: String?
    var startURL: String
    var region: String
    var accountID: String
    var roleName: String

    /// nil when the profile is not an SSO profile.
    init?(profile: String, settings: SharedConfig.Profile, sessions: [String: SharedConfig.Profile]) throws {
        guard settings["sso_account_id"] != nil || settings["sso_role_name"] != nil else { return nil }
        var resolved = settings
        var required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        if let sessionName = settings["sso_session"] {
            guard let session = sessions[sessionName] else {
                throw Self.invalid("the sso-session \"\(sessionName)\" of profile \(profile) does not exist")
            }
            for (key, value) in session {
                if let own = settings[key], own != value {
                    throw Self.invalid("\(key) of profile \(profile) (\(own)) differs from that of sso-session \(sessionName) (\(value))")
                }
                resolved[key] = value
            }
            required.append("sso_session")
        }
        let missing = required.filter { resolved.nonEmpty($0) == nil }
        guard missing.isEmpty else {
            throw Self.invalid("the profile \"\(profile)\" is configured to use SSO but is missing required configuration: \(missing.joined(separator: ", "))")
        }
        self.profile = profile
        sessionName = resolved["sso_session"]
        startURL = resolved["sso_start_url"] ?? ""
        region = resolved["sso_region"] ?? ""
        accountID = resolved["sso_account_id"] ?? ""
        roleName = resolved["sso_role_name"] ?? ""
    }

    private static func invalid(_ message: String) -> CredentialError {
        CredentialError(.invalidConfiguration, provider: "sso", message)
    }
}
