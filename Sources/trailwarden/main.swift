import Foundation
import TrailWardenCLI

let output = StandardOutput()
let command = Task { await TrailWarden.main(Array(CommandLine.arguments.dropFirst()), output: output) }
let interrupts = Interrupts.install { command.cancel() }
exit(interrupts.exitStatus(output.finish(await command.value)))
