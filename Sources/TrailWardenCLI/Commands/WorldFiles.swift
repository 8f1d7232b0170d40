import Foundation
import TrailWardenSimulation
import TrailWardenStorage

/// A simulated world as `simulate` and `demo` make it: built from its spec, and
/// written as a local archive with its public keys and manifest.
enum WorldFiles {
    /// The world; a spec that cannot be built is a usage error.
    static func build(_ spec: WorldSpec) throws -> World {
        do {
            return try WorldBuilder(spec: spec).build()
        } catch let error as WorldSpecError {
            throw UsageError(error.description)
        }
    }

    /// Writes the objects, the public keys and the manifest under `root`.
    static func write(_ world: World, to root: URL) async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try await world.write(to: LocalDirectoryStore(root: root))
        try OutputFile.write(world.publicKeysJSON, to: root.appendingPathComponent(WorldManifest.publicKeysFileName).path)
        try OutputFile.write(try world.manifest.encoded(), to: root.appendingPathComponent(WorldManifest.fileName).path)
    }
}
