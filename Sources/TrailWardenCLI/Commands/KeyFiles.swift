import Foundation
import TrailWardenCore

/// Public keys from `--public-keys` files.
enum KeyFiles {
    static func load(_ paths: [String]) throws -> StaticPublicKeySource {
        var keys = [PublicKey]()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError("\(path): cannot read the public keys file")
            }
            keys += try PublicKeyList.decode(data, file: path)
        }
        return StaticPublicKeySource(keys: keys)
    }
}
