import Foundation
import TrailWardenCore

/// Public keys from `--public-keys` files (or `-`, standard input).
enum KeyFiles {
    static func load(_ paths: [String]) throws -> StaticPublicKeySource {
        try InputFile.checkStandardInputUsedOnce(paths.map { (option: "public-keys", path: $0) })
        var keys = [PublicKey]()
        for path in paths {
            keys += try PublicKeyList.decode(try InputFile.read(path, option: "public-keys"), file: InputFile.displayName(path))
        }
        return StaticPublicKeySource(keys: keys)
    }
}
