/// Credentials printed by an external command, the profile setting
/// `credential_process`: how password managers and SSO helpers hand
/// credentials to AWS tools without writing them to disk.
///
/// The command line is split like a POSIX shell would split it (quotes and
/// backslashes) but run without a shell, as the CLI does. The command must
/// print `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …,
/// "SessionToken": …, "Expiration": …}`; credentials with an `Expiration`
/// are temporary and are fetched again when a refreshing wrapper asks.
public struct ProcessCredentialProvider: CredentialProvider {
    public let command: String
    /// The command's environment.
    public let environment: [String: String]
    public var name: String { "custom-process" }

    public init(command: String, environment: [String: String]) {
        self.command = command
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        let arguments = try Self.split(command, provider: name)
        guard let program = arguments.first else {
            throw CredentialError(.invalidConfiguration, provider: name, "credential_process is empty")
        }
        let output: ProcessOutput
        do {
            output = try await ProcessRunner.run(arguments, environment: environment)
        } catch {
            throw CredentialError(.retrievalFailed, provider: name, "could not start credential_process \(program): \(error)")
        }
        guard output.status == 0 else {
            let standardError = String(decoding: output.standardError.prefix(1024), as: UTF8.self).trimmingWhitespace()
            throw CredentialError(.retrievalFailed, provider: name,
                                  "credential_process \(program) exited with status \(output.status)"
                                  + (standardError.isEmpty ? "" : ": \(standardError)"))
        }
        let source = "credential_process \(program)"
        let document = try CredentialDocument.decode(output.standardOutput, provider: name, source: source)
        guard document.version == 1 else {
            throw CredentialError(.retrievalFailed, provider: name, "\(source) printed Version \(document.version.map(String.init) ?? "(none)"), not 1")
        }
        return try document.credentials(provider: name, source: source, requireExpiration: false)
    }

    /// POSIX shell word splitting without expansions: white space separates
    /// words, single quotes keep everything, double quotes keep everything
    /// but backslash escapes of `\ " $ ` and newline, a bare backslash escapes
    /// the next character.
    static func split(_ command: String, provider: String) throws -> [String] {
        var words = [String]()
        var word = ""
        var inWord = false
        var iterator = command.makeIterator()
        while let char = iterator.next() {
            switch char {
            case " ", "\t", "\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                while true {
                    guard let next = iterator.next() else { throw unterminated(provider) }
                    if next == "'" { break }
                    word.append(next)
                }
            case "\"":
                inWord = true
                while true {
                    guard let next = iterator.next() else { throw unterminated(provider) }
                    if next == "\"" { break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { throw unterminated(provider) }
                        if !"\\\"$`\n".contains(escaped) { word.append("\\") }
                        word.append(escaped)
                    } else {
                        word.append(next)
                    }
                }
            case "\\":
                inWord = true
                if let escaped = iterator.next(), escaped != "\n" { word.append(escaped) }
            default:
                inWord = true
                word.append(char)
            }
        }
        if inWord { words.append(word) }
        return words
    }

    private static func unterminated(_ provider: String) -> CredentialError {
        CredentialError(.invalidConfiguration, provider: provider, "credential_process has an unterminated quote")
    }
}
