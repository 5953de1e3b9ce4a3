import Foundation
import Testing
import VerifiableLog

/// Locations of shared test data and small helpers used across the suites.
enum TestSupport {
    /// The repository root: this file is `<root>/Tests/VerifiableLogTests/TestSupport.swift`.
    /// Symlinks are resolved first so the path is right when the folder is linked into a scratch
    /// package.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `shared/testdata/rfc9162`, the sibling of the repository root.
    static var rfc9162Directory: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/testdata/rfc9162")
    }

    /// The JSON files under `rfc9162/<kind>/*/`, sorted; fails the test when the folder is missing.
    static func vectorFiles(_ kind: String) throws -> [URL] {
        let directory = rfc9162Directory.appendingPathComponent(kind)
        var isDirectory: ObjCBool = false
        try #require(
            FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue,
            "the RFC 9162 test vectors are missing: \(directory.path)"
        )
        var files: [URL] = []
        for group in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let groupURL = directory.appendingPathComponent(group)
            for name in try FileManager.default.contentsOfDirectory(atPath: groupURL.path) where name.hasSuffix(".json") {
                files.append(groupURL.appendingPathComponent(name))
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Decodes standard base64 the way the vectors' Go generator encoded it.
    static func base64(_ text: String) throws -> [UInt8] {
        try #require(Data(base64Encoded: text).map { Array($0) }, "not base64: \(text)")
    }

    static func hash(_ hex: String) -> TreeHash {
        guard let hash = TreeHash(hex: hex) else { fatalError("bad hex in test: \(hex)") }
        return hash
    }

    static func entry(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

/// The RFC 9162 definitions written out literally (recursion over arrays), as an independent
/// reference for the store-backed tree.
enum ReferenceTree {
    static func split(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    /// MTH(D[n]).
    static func root(_ leaves: ArraySlice<TreeHash>) -> TreeHash {
        switch leaves.count {
        case 0: return TreeHasher.emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            return TreeHasher.nodeHash(left: root(leaves.prefix(k)), right: root(leaves.dropFirst(k)))
        }
    }

    /// PATH(m, D[n]).
    static func path(_ m: Int, _ leaves: ArraySlice<TreeHash>) -> [TreeHash] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        if m < k {
            return path(m, leaves.prefix(k)) + [root(leaves.dropFirst(k))]
        }
        return path(m - k, leaves.dropFirst(k)) + [root(leaves.prefix(k))]
    }

    /// PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
    static func proof(_ m: Int, _ leaves: ArraySlice<TreeHash>) -> [TreeHash] {
        subproof(m, leaves, true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<TreeHash>, _ b: Bool) -> [TreeHash] {
        if m == leaves.count {
            return b ? [] : [root(leaves)]
        }
        let k = split(leaves.count)
        if m <= k {
            return subproof(m, leaves.prefix(k), b) + [root(leaves.dropFirst(k))]
        }
        return subproof(m - k, leaves.dropFirst(k), false) + [root(leaves.prefix(k))]
    }
}

extension TreeHash {
    /// The hash with one bit inverted: bit 0 is the most significant bit of the first byte.
    func flippingBit(_ bit: Int) -> TreeHash {
        var bytes = self.bytes
        bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
        return TreeHash(bytes: bytes)!
    }
}
