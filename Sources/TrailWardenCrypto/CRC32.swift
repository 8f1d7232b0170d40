/// A streaming CRC-32 over either polynomial S3 uses for object checksums:
/// the zlib/Ethernet one (`x-amz-checksum-crc32`) and Castagnoli's
/// (`x-amz-checksum-crc32c`). A value type: its state is one integer.
public struct CRC32: Sendable {
    public enum Polynomial: Sendable {
        /// ISO-HDLC, as zlib and gzip compute it.
        case ieee
        /// Castagnoli (iSCSI).
        case castagnoli

        fileprivate var table: [UInt32] {
            switch self {
            case .ieee: return CRC32.ieeeTable
            case .castagnoli: return CRC32.castagnoliTable
            }
        }
    }

    private let table: [UInt32]
    private var state: UInt32 = 0xFFFF_FFFF

    public init(_ polynomial: Polynomial) { table = polynomial.table }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        state = crc
    }

    /// The checksum, as S3 sends it: four bytes, most significant first.
    public var bigEndianBytes: [UInt8] {
        let value = state ^ 0xFFFF_FFFF
        return [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static let ieeeTable = makeTable(reversedPolynomial: 0xEDB8_8320)
    private static let castagnoliTable = makeTable(reversedPolynomial: 0x82F6_3B78)

    private static func makeTable(reversedPolynomial: UInt32) -> [UInt32] {
        (0..<256).map { index in
            var value = UInt32(index)
            for _ in 0..<8 {
                value = value & 1 == 1 ? (value >> 1) ^ reversedPolynomial : value >> 1
            }
            return value
        }
    }
}
