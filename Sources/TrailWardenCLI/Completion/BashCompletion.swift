/// `trailwarden completion bash`: a completion function generated from the
/// command table, so it offers exactly what the parser accepts.
enum BashCompletion {
    static func script(_ table: CommandTable) -> String {
        var text = """
        # bash completion for trailwarden \(ShellWords.versionLine)
        # Load with: source <(trailwarden completion bash)
        _trailwarden() {
            local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
            local command=${COMP_WORDS[1]} depth=2 i
            case $command in

        """
        for group in table.groups {
            text += "        \(group)) command=\"\(group) ${COMP_WORDS[depth]}\"; depth=$((depth + 1)) ;;\n"
        }
        text += """
            esac
            if (( COMP_CWORD == 1 )); then
                COMPREPLY=($(compgen -W \(ShellWords.bashQuoted(table.firstWords.joined(separator: " "))) -- "$cur"))
                return 0
            fi
            if [[ ${COMP_WORDS[1]} == help ]]; then
                case $COMP_CWORD in
                    2) COMPREPLY=($(compgen -W \(ShellWords.bashQuoted(table.firstWords.dropLast().joined(separator: " "))) -- "$cur")) ;;

        """
        text += helpGroupCases(table, word: 3, indent: "            ")
        text += """
                esac
                return 0
            fi

        """
        for group in table.groups {
            let members = table.members(of: group).map { $0.words[1] }.joined(separator: " ")
            text += """
                if [[ ${COMP_WORDS[1]} == \(group) ]] && (( COMP_CWORD == 2 )); then
                    COMPREPLY=($(compgen -W \(ShellWords.bashQuoted(members)) -- "$cur"))
                    return 0
                fi

            """
        }
        text += """
            # After `--` nothing is an option.
            for (( i = depth; i < COMP_CWORD; i++ )); do [[ ${COMP_WORDS[i]} == -- ]] && return 0; done
            case "$command:$prev" in

        """
        for command in table.commands {
            for option in command.options where option.arity != .flag {
                text += "        \(ShellWords.bashQuoted("\(command.name):--\(option.name)"))) \(valueReply(option.valueCompletion)); return 0 ;;\n"
            }
        }
        text += """
            esac
            case $command in

        """
        for command in table.commands {
            var words = command.options.map { "--" + $0.name } + ["--help"]
            if let positional = command.positional { words += positional.choices }
            text += "        \(ShellWords.bashQuoted(command.name))) COMPREPLY=($(compgen -W \(ShellWords.bashQuoted(words.joined(separator: " "))) -- \"$cur\")) ;;\n"
        }
        return text + """
            esac
            return 0
        }
        complete -o default -F _trailwarden trailwarden

        """
    }

    private static func helpGroupCases(_ table: CommandTable, word: Int, indent: String) -> String {
        table.groups.map { group in
            let members = table.members(of: group).map { $0.words[1] }.joined(separator: " ")
            return "\(indent)\(word)) [[ ${COMP_WORDS[2]} == \(group) ]] && COMPREPLY=($(compgen -W \(ShellWords.bashQuoted(members)) -- \"$cur\")) ;;\n"
        }.joined()
    }

    private static func valueReply(_ completion: OptionSpec.ValueCompletion) -> String {
        switch completion {
        case .files: return "COMPREPLY=($(compgen -f -- \"$cur\"))"
        case .words(let words): return "COMPREPLY=($(compgen -W \(ShellWords.bashQuoted(words.joined(separator: " "))) -- \"$cur\"))"
        case .none: return "COMPREPLY=()"
        }
    }
}
