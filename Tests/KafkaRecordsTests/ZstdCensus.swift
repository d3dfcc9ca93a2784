/// Lists the zstd format features a (valid) stream uses, by walking frame, block, literals and
/// sequences headers only — independent of the decoder, so the golden vectors can be shown to
/// exercise every feature the decoder claims. Test-only: assumes well-formed input.
enum ZstdCensus {
    static func features(_ data: [UInt8]) -> Set<String> {
        var features: Set<String> = []
        var i = 0
        func le(_ at: Int, _ count: Int) -> Int {
            (0..<count).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) }
        }
        while i + 4 <= data.count {
            let magic = le(i, 4)
            if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
                features.insert("skippable")
                i += 8 + le(i + 4, 4)
                continue
            }
            let descriptor = Int(data[i + 4])
            i += 5
            let single = descriptor & 0x20 != 0
            let contentSizeBytes = [single ? 1 : 0, 2, 4, 8][descriptor >> 6]
            features.insert("fcs\(contentSizeBytes)")
            if single {
                features.insert("single-segment")
            } else {
                features.insert("window-descriptor")
                if data[i] & 7 != 0 { features.insert("window-mantissa") }
                i += 1
            }
            if descriptor & 3 != 0 { features.insert("dictionary-id-field") }
            i += [0, 1, 2, 4][descriptor & 3] + contentSizeBytes
            let checksum = descriptor & 4 != 0
            if checksum { features.insert("checksum") }
            while true {
                let header = le(i, 3)
                i += 3
                let size = header >> 3
                switch header >> 1 & 3 {
                case 0:
                    features.insert("raw-block")
                    i += size
                case 1:
                    features.insert("rle-block")
                    i += 1
                default:
                    features.insert("compressed-block")
                    features.formUnion(blockFeatures(Array(data[i..<(i + size)])))
                    i += size
                }
                if header & 1 != 0 { break }
            }
            if checksum { i += 4 }
        }
        return features
    }

    static func blockFeatures(_ block: [UInt8]) -> Set<String> {
        var features: Set<String> = []
        let type = Int(block[0]) & 3
        let format = Int(block[0]) >> 2 & 3
        features.insert(["lit-raw", "lit-rle", "lit-huffman", "lit-treeless"][type])
        var position: Int
        if type < 2 {
            let headerSize = format == 1 ? 2 : format == 3 ? 3 : 1
            var size = Int(block[0]) >> 3
            if headerSize == 2 { size = Int(block[0]) >> 4 | Int(block[1]) << 4 }
            if headerSize == 3 { size = Int(block[0]) >> 4 | Int(block[1]) << 4 | Int(block[2]) << 12 }
            position = headerSize + (type == 0 ? size : 1)
        } else {
            let headerSize = [3, 3, 4, 5][format]
            let bits = [10, 10, 14, 18][format]
            let header = (0..<headerSize).reduce(0) { $0 | Int(block[$1]) << (8 * $1) }
            features.insert(format == 0 ? "1-stream" : "4-streams")
            if type == 2 { features.insert(block[headerSize] < 128 ? "weights-fse" : "weights-direct") }
            position = headerSize + (header >> (4 + bits) & ((1 << bits) - 1))
        }
        let count = Int(block[position])
        if count == 0 {
            features.insert("no-sequences")
            return features
        }
        position += count < 128 ? 1 : count < 255 ? 2 : 3
        let modes = Int(block[position])
        let names = ["predefined", "rle", "fse", "repeat"]
        features.insert("LL-" + names[modes >> 6])
        features.insert("OF-" + names[modes >> 4 & 3])
        features.insert("ML-" + names[modes >> 2 & 3])
        return features
    }
}
