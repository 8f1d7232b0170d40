import Foundation
import Testing
@testable import TrailWardenCLI
import TrailWardenVocabulary

/// `--version`, `help COMMAND`, command groups, "did you mean" and `--`.
@Suite struct CommandLineConventionTests {
    @Test func versionPrintsTheDeclaredVersion() async {
        for arguments in [["--version"], ["version"]] {
            let run = await Run(arguments)
            #expect(run.code == 0)
            #expect(run.standardOutput == "trailwarden \(TrailWardenVersion.current)\n")
            #expect(run.standardError.isEmpty)
        }
    }

    @Test func helpNamesACommandOrAGroup() async {
        let helpValidate = await Run(["help", "validate"])
        let dashHelp = await Run(["validate", "--help"])
        #expect(helpValidate.code == 0)
        #expect(helpValidate.standardOutput == dashHelp.standardOutput)
        #expect(helpValidate.standardOutput.hasPrefix("Usage: trailwarden validate [OPTIONS]\n"))

        let helpAlarmTest = await Run(["help", "alarm", "test"])
        #expect(helpAlarmTest.code == 0)
        #expect(helpAlarmTest.standardOutput.contains("--config FILE"))

        for arguments in [["alarm", "--help"], ["help", "alarm"], ["alarm", "-h"]] {
            let run = await Run(arguments)
            #expect(run.code == 0, "\(arguments)")
            #expect(run.standardOutput.hasPrefix("Usage: trailwarden alarm SUBCOMMAND [OPTIONS]\n\nSubcommands:\n  test"), "\(arguments)")
        }
        // A bare group, like a bare `trailwarden`: the same list, exit 2 (nothing was run).
        let bare = await Run(["alarm"])
        #expect(bare.code == 2)
        #expect(bare.standardOutput == (await Run(["alarm", "--help"])).standardOutput)

        let overview = await Run(["help"])
        #expect(overview.code == 0)
        for name in ["validate", "scan", "report", "alarm test", "version", "completion", "man", "help"] {
            #expect(overview.standardOutput.contains("\n  \(name) "), "\(name)")
        }
    }

    @Test func mistypedCommandsAndOptionsSuggestTheNearest() async {
        let commands = "commands: validate, scan, report, alarm test, simulate, demo, version, completion, man"
        let command = await Run(["valdate"])
        #expect(command.code == 2)
        #expect(command.standardError == "trailwarden: error: unknown command \"valdate\" (did you mean \"validate\"?); \(commands)\n")
        let subcommand = await Run(["alarm", "tset"])
        #expect(subcommand.standardError == "trailwarden: error: unknown command \"alarm tset\" (did you mean \"alarm test\"?); \(commands)\n")
        let help = await Run(["help", "sacn"])
        #expect(help.code == 2)
        #expect(help.standardError.contains("(did you mean \"scan\"?)"))
        let far = await Run(["frobnicate"])
        #expect(far.standardError == "trailwarden: error: unknown command \"frobnicate\"; \(commands)\n")

        let option = await Run(["validate", "--trail-ar", "x"])
        #expect(option.code == 2)
        #expect(option.standardError == "trailwarden validate: error: unknown option --trail-ar; did you mean --trail-arn?\n")
        let farOption = await Run(["validate", "--zzzzzzzz"])
        #expect(farOption.standardError == "trailwarden validate: error: unknown option --zzzzzzzz\n")
        let single = await Run(["validate", "-t"])
        #expect(single.standardError == "trailwarden validate: error: unexpected argument \"-t\" (options are long: --name)\n")
    }

    @Test func doubleDashEndsTheOptions() throws {
        let options: [OptionSpec] = [.single("name", "N", "A name."), .flag("help", "Help.")]
        let shell = PositionalSpec(name: "SHELL", help: "A shell.")
        let parsed = try ArgumentParser.parse(["--name", "x", "--", "--help"], options: options, positional: shell)
        #expect(parsed.value("name") == "x")
        #expect(!parsed.has("help"))
        #expect(parsed.positionals == ["--help"])
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--", "--name", "x"], options: options) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--name"], options: options) }
        let dash = try ArgumentParser.parse(["-"], options: options, positional: shell)
        #expect(dash.positionals == ["-"])
    }

    @Test func helpAfterDoubleDashIsNotHelp() async {
        let run = await Run(["validate", "--", "--help"])
        #expect(run.code == 2)
        #expect(run.standardError == "trailwarden validate: error: unexpected argument \"--help\"\n")
    }

    @Test func aPositionalArgumentIsCheckedAgainstItsChoices() async {
        let missing = await Run(["completion"])
        #expect(missing.code == 2)
        #expect(missing.standardError == "trailwarden completion: error: missing SHELL\n")
        let wrong = await Run(["completion", "tcsh"])
        #expect(wrong.standardError == "trailwarden completion: error: SHELL must be bash, zsh or fish, not \"tcsh\"\n")
        let twice = await Run(["completion", "bash", "zsh"])
        #expect(twice.standardError == "trailwarden completion: error: unexpected argument \"zsh\"\n")
    }
}
