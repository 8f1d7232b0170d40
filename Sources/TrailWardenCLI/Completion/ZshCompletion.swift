/// `trailwarden completion zsh`: a `#compdef` function generated from the command table.
enum ZshCompletion {
    static func script(_ table: CommandTable) -> String {
        let topLevel = table.commands.filter { $0.group == nil }.map { ($0.name, $0.summary) }
            + table.groups.map { ($0, "The \($0) commands.") } + [("help", "Show the help of a command.")]
        var text = """
        #compdef trailwarden
        # zsh completion for trailwarden \(ShellWords.versionLine)
        # Install: trailwarden completion zsh > "${fpath[1]}/_trailwarden" (then restart zsh)

        _trailwarden() {
            local -a commands subcommands
            if (( CURRENT == 2 )); then
                commands=(\(describePairs(topLevel)))
                _describe -t commands 'trailwarden command' commands
                return
            fi
            local command=${words[2]}
            words=(${words[2,-1]}); (( CURRENT-- ))
            case $command in

        """
        for group in table.groups {
            let members = table.members(of: group)
            text += """
                    \(group))
                        if (( CURRENT == 2 )); then
                            subcommands=(\(describePairs(members.map { ($0.words[1], $0.summary) })))
                            _describe -t commands 'trailwarden \(group) subcommand' subcommands
                            return
                        fi
                        command="\(group) ${words[2]}"
                        words=(${words[2,-1]}); (( CURRENT-- )) ;;

            """
        }
        text += """
                help)
                    compadd -- \(table.firstWords.dropLast().joined(separator: " ")); return ;;
            esac
            case $command in

        """
        for command in table.commands {
            var specs = command.options.map(spec) + ["'(- *)--help[Show this command'\\''s help.]'"]
            if let positional = command.positional {
                specs.append(ShellWords.bashQuoted("1:\(positional.name):(\(positional.choices.joined(separator: " ")))"))
            }
            text += "        \(ShellWords.bashQuoted(command.name))) _arguments -s \\\n            " + specs.joined(separator: " \\\n            ") + " ;;\n"
        }
        return text + """
            esac
        }

        _trailwarden "$@"

        """
    }

    /// One `_arguments` spec: `*` for a repeatable option, then `--name[help]:VALUE:action`.
    private static func spec(_ option: OptionSpec) -> String {
        let repeatable = option.arity == .repeating ? "*" : ""
        var spec = "\(repeatable)--\(option.name)[\(ShellWords.zshDescription(option.help))]"
        if option.arity != .flag {
            switch option.valueCompletion {
            case .files: spec += ":\(option.valueName):_files"
            case .words(let words): spec += ":\(option.valueName):(\(words.joined(separator: " ")))"
            case .none: spec += ":\(option.valueName): "
            }
        }
        return ShellWords.bashQuoted(spec)
    }

    private static func describePairs(_ pairs: [(String, String)]) -> String {
        pairs.map { ShellWords.bashQuoted("\($0.0):\(ShellWords.zshDescription($0.1))") }.joined(separator: " ")
    }
}
