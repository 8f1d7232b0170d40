import Foundation
import Testing
import TrailWardenTestSupport
@testable import TrailWardenCLI

/// The completion scripts and the man page, read by the programs that use them.
@Suite struct CompletionAndManTests {
    static func installed(_ program: String) -> Bool {
        ((try? Processes.run("sh", ["-c", "command -v \(program)"]))?.code ?? 1) == 0
    }

    func script(_ shell: String) async -> String {
        let run = await Run(["completion", shell])
        #expect(run.code == 0)
        #expect(run.standardError.isEmpty)
        return run.standardOutput
    }

    /// What bash's completion function offers for `words` (the last one being completed).
    func bashCompletes(_ script: String, _ words: [String], in folder: URL? = nil) throws -> [String] {
        let quoted = words.map { ShellWords.bashQuoted($0) }.joined(separator: " ")
        let program = (folder.map { "cd \(ShellWords.bashQuoted($0.path)) && " } ?? "")
            + "source /dev/stdin <<'TRAILWARDEN_COMPLETION'\n\(script)TRAILWARDEN_COMPLETION\n"
            + "COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _trailwarden; printf '%s\\n' \"${COMPREPLY[@]}\""
        let result = try Processes.run("bash", ["-c", program])
        #expect(result.code == 0, "\(result.standardError)")
        return result.standardOutput.split(separator: "\n").map(String.init)
    }

    @Test func bashReadsTheScriptAndCompletesCommandsOptionsAndValues() async throws {
        let bash = await script("bash")
        let syntax = try Processes.run("bash", ["-n", "-c", bash])
        #expect(syntax.code == 0, "\(syntax.standardError)")

        #expect(try bashCompletes(bash, ["trailwarden", "val"]) == ["validate"])
        #expect(try bashCompletes(bash, ["trailwarden", "validate", "--trail-a"]) == ["--trail-arn"])
        #expect(try bashCompletes(bash, ["trailwarden", "validate", "--format", ""]) == ["text", "json"])
        #expect(try bashCompletes(bash, ["trailwarden", "alarm", ""]) == ["test"])
        #expect(try bashCompletes(bash, ["trailwarden", "alarm", "test", "--co"]) == ["--config"])
        #expect(try bashCompletes(bash, ["trailwarden", "completion", "z"]) == ["zsh"])
        #expect(try bashCompletes(bash, ["trailwarden", "help", "al"]) == ["alarm"])
        #expect(try bashCompletes(bash, ["trailwarden", "help", "alarm", "t"]) == ["test"])
        #expect(try bashCompletes(bash, ["trailwarden", "validate", "--", "--tr"]).isEmpty)
        #expect(try bashCompletes(bash, ["trailwarden", "validate", "--trail-arn", "--v"]).isEmpty)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-completion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{}".utf8).write(to: folder.appendingPathComponent("accounts.json"))
        #expect(try bashCompletes(bash, ["trailwarden", "scan", "--config", "acc"], in: folder) == ["accounts.json"])
    }

    @Test func bashOffersExactlyEachCommandsOptions() async throws {
        let bash = await script("bash")
        for command in TrailWarden.table.commands {
            let offered = try bashCompletes(bash, ["trailwarden"] + command.words + ["--"])
            let expected = command.options.map { "--" + $0.name } + ["--help"]
            #expect(Set(offered) == Set(expected), "\(command.name)")
        }
    }

    @Test(.enabled(if: installed("zsh"))) func zshReadsTheScript() async throws {
        let result = try Processes.run("zsh", ["-n", "-c", await script("zsh")])
        #expect(result.code == 0, "\(result.standardError)")
    }

    @Test(.enabled(if: installed("fish"))) func fishReadsTheScriptAndCompletes() async throws {
        let fish = await script("fish")
        let syntax = try Processes.run("fish", ["--no-execute", "-c", fish])
        #expect(syntax.code == 0, "\(syntax.standardError)")
        let completions = try Processes.run("fish", ["--no-config", "-c", fish + "\ncomplete -C 'trailwarden validate --trail-a'"])
        #expect(completions.standardOutput.hasPrefix("--trail-arn\t"), "\(completions.standardOutput) \(completions.standardError)")
        let subcommands = try Processes.run("fish", ["--no-config", "-c", fish + "\ncomplete -C 'trailwarden alarm '"])
        #expect(subcommands.standardOutput.hasPrefix("test\t"), "\(subcommands.standardOutput) \(subcommands.standardError)")
    }

    @Test func theManPageIsValidRoffWithEveryOption() async throws {
        let run = await Run(["man"])
        #expect(run.code == 0)
        #expect(run.standardOutput.hasPrefix(".TH TRAILWARDEN 1 "))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-man-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("trailwarden.1")
        try Data(run.standardOutput.utf8).write(to: page)
        guard Self.installed("groff") else { return }
        let rendered = try Processes.run("groff", ["-man", "-Tutf8", "-ww", "-P", "-cbu", page.path], environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"])
        #expect(rendered.code == 0)
        #expect(rendered.standardError.isEmpty, "\(rendered.standardError)")
        let text = rendered.standardOutput.replacingOccurrences(of: "\u{2010}", with: "-").replacingOccurrences(of: "\u{2212}", with: "-")
        for command in TrailWarden.table.commands {
            #expect(text.contains(command.name), "\(command.name)")
            for option in command.options { #expect(text.contains("--" + option.name), "\(command.name) --\(option.name)") }
        }
    }
}
