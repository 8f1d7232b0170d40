import Foundation

/// The AWS CLI's shared files: `~/.aws/credentials` and `~/.aws/config`
/// (or the files `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` name).
///
/// TrailWarden reads the same files as the CLI so that a profile that works
/// with `aws` works here unchanged. Sections in the credentials file are
/// profile names; in the config file they are `[default]` and
/// `[profile NAME]`, `[sso-session NAME]` and `[services NAME]`; other
/// sections are ignored. Option names are case-insensitive, as Python's
/// configparser reads them.
struct SharedConfig: Sendable {
    typealias Profile = [String: String]

    /// Profiles of the credentials file.
    var credentialsFile: [String: Profile]
    /// Profiles of the config file, by bare name.
    var configFile: [String: Profile]
    /// `[sso-session NAME]` sections, by name.
    var ssoSessions: [String: Profile] = [:]
    /// `[services NAME]` sections, by name; values are nested `name = value` lines.
    var services: [String: Profile] = [:]

    /// Reads both files; a missing file is an empty one.
    static func load(_ context: CredentialContext, provider: String) throws -> SharedConfig {
        let credentialsPath = context.expandingTilde(context.variable("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
        let configPath = context.expandingTilde(context.variable("AWS_CONFIG_FILE") ?? "~/.aws/config")
        var shared = SharedConfig(credentialsFile: try parseFile(credentialsPath, provider: provider), configFile: [:])
        for (section, values) in try parseFile(configPath, provider: provider) {
            if section == "default" {
                shared.configFile["default", default: [:]].merge(values) { _, new in new }
            } else if let name = sectionName(section, kind: "profile") {
                shared.configFile[name, default: [:]].merge(values) { _, new in new }
            } else if let name = sectionName(section, kind: "sso-session") {
                shared.ssoSessions[name, default: [:]].merge(values) { _, new in new }
            } else if let name = sectionName(section, kind: "services") {
                shared.services[name, default: [:]].merge(values) { _, new in new }
            }
        }
        return shared
    }

    /// `NAME` of a `[KIND NAME]` section.
    private static func sectionName(_ section: String, kind: String) -> String? {
        guard section.hasPrefix(kind), section.dropFirst(kind.count).first?.isWhitespace == true else { return nil }
        return String(section.dropFirst(kind.count)).trimmingWhitespace()
    }

    /// The `name = value` lines of a nested setting, such as `s3 =` followed by
    /// indented `endpoint_url = …` in a services section.
    static func nested(_ value: String) -> Profile {
        var settings = Profile()
        for line in value.split(whereSeparator: \.isNewline) {
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = String(line[..<separator]).trimmingWhitespace().lowercased()
            settings[key] = String(line[line.index(after: separator)...]).trimmingWhitespace()
        }
        return settings
    }

    /// The profile as the CLI sees it: config-file settings overlaid by
    /// credentials-file ones; nil when neither file has it.
    func profile(_ name: String) -> Profile? {
        switch (configFile[name], credentialsFile[name]) {
        case (nil, nil): return nil
        case (let config, let credentials): return (config ?? [:]).merging(credentials ?? [:]) { _, new in new }
        }
    }

    /// The files and the profile a provider reads: `requested`, else the one
    /// `AWS_PROFILE` names, else `default`. A profile that was asked for and
    /// is missing is a configuration error; a missing `default` just means
    /// this provider is not set up.
    static func activeProfile(_ requested: String?, context: CredentialContext,
                              provider: String) throws -> (config: SharedConfig, name: String, profile: Profile) {
        let config = try load(context, provider: provider)
        let (name, explicit) = requested.map { ($0, true) } ?? context.profile
        guard let profile = config.profile(name) else {
            throw CredentialError(explicit ? .invalidConfiguration : .notConfigured, provider: provider,
                                  "the config profile (\(name)) could not be found")
        }
        return (config, name, profile)
    }

    /// The active profile's settings for a provider that also works without
    /// one: empty when the profile is an unnamed, missing `default`.
    static func activeSettings(_ requested: String?, context: CredentialContext, provider: String) throws -> Profile {
        do {
            return try activeProfile(requested, context: context, provider: provider).profile
        } catch let error as CredentialError where error.kind == .notConfigured {
            return [:]
        }
    }

    private static func parseFile(_ path: String, provider: String) throws -> [String: Profile] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        // FileHandle rather than FileManager.contents, which cannot read device files such as /dev/null.
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else {
            throw CredentialError(.invalidConfiguration, provider: provider, "cannot read \(path)")
        }
        try? handle.close()
        return try parse(String(decoding: data, as: UTF8.self), path: path, provider: provider)
    }

    /// INI as configparser reads it: `[section]`, `name = value` (or `:`),
    /// whole-line `#` and `;` comments, and indented continuation lines, which
    /// are appended to the previous value. Malformed lines are an error; the
    /// message gives the line number only, as the line may hold a secret.
    static func parse(_ text: String, path: String, provider: String) throws -> [String: Profile] {
        var sections = [String: Profile]()
        var section: String?
        var lastKey: String?
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = String(line).trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if line.first?.isWhitespace == true, let section, let lastKey {
                sections[section]?[lastKey]?.append("\n" + trimmed)
                continue
            }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                let name = String(trimmed.dropFirst().dropLast()).trimmingWhitespace()
                section = name
                lastKey = nil
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section, let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw CredentialError(.invalidConfiguration, provider: provider, "\(path) line \(index + 1) is not a section or a setting")
            }
            let key = String(trimmed[..<separator]).trimmingWhitespace().lowercased()
            sections[section]?[key] = String(trimmed[trimmed.index(after: separator)...]).trimmingWhitespace()
            lastKey = key
        }
        return sections
    }
}

extension SharedConfig.Profile {
    /// Both halves of an access key in this profile; nil when it has no access key ID.
    func accessKey(provider: String, profile: String) throws -> AWSCredentials? {
        guard let accessKeyID = nonEmpty("aws_access_key_id") else { return nil }
        guard let secret = nonEmpty("aws_secret_access_key") else {
            throw CredentialError(.invalidConfiguration, provider: provider,
                                  "profile \(profile) has aws_access_key_id but no aws_secret_access_key")
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret,
                              sessionToken: nonEmpty("aws_session_token") ?? nonEmpty("aws_security_token"))
    }
}
