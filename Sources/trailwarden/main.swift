import Foundation
import TrailWardenCLI

// Before anything starts the Swift runtime's dispatch threads, which abort without descriptors.
if let problem = DescriptorLimit.raise() {
    FileHandle.standardError.write(Data("trailwarden: error: \(problem)\n".utf8))
    exit(3)
}
let command = Task {
    let output = StandardOutput()
    return output.finish(await TrailWarden.main(Array(CommandLine.arguments.dropFirst()), output: output))
}
let interrupts = Interrupts.install { command.cancel() }
exit(interrupts.exitStatus(await command.value))
