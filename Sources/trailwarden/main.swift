import Foundation
import TrailWardenCLI

let command = Task {
    let output = StandardOutput()
    return output.finish(await TrailWarden.main(Array(CommandLine.arguments.dropFirst()), output: output))
}
let interrupts = Interrupts.install { command.cancel() }
exit(interrupts.exitStatus(await command.value))
