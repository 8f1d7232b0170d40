import Foundation
import TrailWardenCLI

let command = Task { await TrailWarden.main(Array(CommandLine.arguments.dropFirst()), output: StandardOutput()) }
let interrupts = Interrupts.install { command.cancel() }
exit(interrupts.exitStatus(await command.value))
