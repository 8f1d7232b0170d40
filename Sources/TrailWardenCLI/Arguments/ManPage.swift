import TrailWardenVocabulary

/// `trailwarden man`: the manual page, in roff, made from the command table and
/// the help text, so it can never disagree with `--help`.
enum ManPage {
    static func roff(_ table: CommandTable) -> String {
        var lines = [
            ".TH TRAILWARDEN 1 \"\" \"trailwarden \(TrailWardenVersion.current)\" \"User Commands\"",
            // No hyphenation: option and variable names must stay whole.
            ".nh",
            ".SH NAME",
            "trailwarden \\- \(escape(HelpText.tagline))",
            ".SH SYNOPSIS",
            ".B trailwarden",
            ".I COMMAND",
            "[\\fIOPTIONS\\fR]",
            ".br",
            ".B trailwarden help",
            ".I COMMAND",
            ".SH DESCRIPTION",
            escape("Validates CloudTrail digest chains (validate, a drop-in for aws cloudtrail validate-logs) and scans whole "
                   + "organizations (scan) with a state history, reports and alarms. Options are long (--name VALUE or --name=VALUE); "
                   + "-- ends the options. A FILE argument may be - for standard input."),
            ".SH COMMANDS",
        ]
        for command in table.commands {
            lines += [".SS \"\(escape(HelpText.synopsis(command)))\"", escape(command.summary)]
            if let positional = command.positional {
                lines += [".TP", ".I \(escape(positional.name))", escape(positional.help)]
            }
            for option in command.options {
                lines += [".TP", "\\fB\\-\\-\(escape(option.name))\\fR" + (option.arity == .flag ? "" : " \\fI\(escape(option.valueName))\\fR"),
                          escape(option.help)]
            }
        }
        lines += [".SH EXIT STATUS", ".TP", "0", "Everything checked is intact.", ".TP", "1", "Something was found invalid, missing or unreferenced.",
                  ".TP", "2", "The command line, a configuration or an input file is wrong.",
                  ".TP", "3", "The check could not be completed (a store, key source or AWS call failed); nothing unchecked counts as valid.",
                  ".SH ENVIRONMENT", ".TP", ".B NO_COLOR", "When set, progress lines use no escape codes.",
                  ".TP", ".B TERM", "dumb: progress lines use no escape codes.",
                  ".SH SEE ALSO", ".BR aws (1)"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text as roff reads it: backslashes and hyphens escaped, characters beyond ASCII as
    /// `\[uXXXX]` (troff reads its input as Latin-1), and no line starting with a control character.
    static func escape(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\\": return "\\e"
            case "-": return "\\-"
            case _ where scalar.isASCII: return String(scalar)
            default: return "\\[u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + "]"
            }
        }.joined()
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
