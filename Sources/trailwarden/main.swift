import Foundation
import TrailWardenCLI

exit(await TrailWarden.main(Array(CommandLine.arguments.dropFirst()), output: StandardOutput()))
