import Foundation
import TrailWardenCLI

let output = StandardOutput()
exit(output.finish(await TrailWarden.main(Array(CommandLine.arguments.dropFirst()), output: output)))
