/// Folds names into reusable buffers, so that folding a million names allocates almost nothing.
struct NameFolder {
    /// The folded tokens, back to back.
    private(set) var bytes: [UInt8] = []
    /// Where each token ends in `bytes`.
    private var ends: [Int] = []

    init() {
        bytes.reserveCapacity(64)
        ends.reserveCapacity(NameFolding.maximumTokens)
    }

    var tokenCount: Int { ends.count }

    /// Token `index`.
    func token(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// All tokens joined.
    var joined: ArraySlice<UInt8> { bytes[0..<(ends.last ?? 0)] }

    /// Folds `name`, replacing what was there.
    mutating func fold(_ name: String) {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let utf8 = name.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in utf8 { foldASCII(byte) }
        } else {
            for scalar in name.unicodeScalars {
                if scalar.isASCII { foldASCII(UInt8(scalar.value)) } else { foldOther(scalar) }
            }
        }
        endToken()
    }

    @inline(__always)
    private mutating func foldASCII(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): append(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): append(byte | 0x20)
        case UInt8(ascii: "'"), UInt8(ascii: "`"): break
        default: endToken()
        }
    }

    private mutating func foldOther(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        switch value {
        case 0x2019, 0x02BC, 0x00B4:
            return // typographic apostrophes and the acute accent used as one
        case 0xC0..<0x250:
            let folded = NameFolding.latinTable[Int(value - 0xC0)]
            if !folded.isEmpty {
                for byte in folded { append(byte) }
                return
            }
        default:
            break
        }
        let properties = scalar.properties
        if properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark {
            return // a combining accent of decomposed input
        }
        if properties.isAlphabetic {
            for byte in properties.lowercaseMapping.utf8 { append(byte) }
        } else {
            endToken()
        }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        guard ends.count < NameFolding.maximumTokens else { return }
        bytes.append(byte)
    }

    private mutating func endToken() {
        let start = ends.last ?? 0
        if bytes.count > start && ends.count < NameFolding.maximumTokens { ends.append(bytes.count) }
    }
}
