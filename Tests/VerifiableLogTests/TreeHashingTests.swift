import Testing
import VerifiableLog

/// RFC 6962 / RFC 9162 known answers: the empty root and the Certificate Transparency reference
/// tree of eight leaves (transparency-dev/merkle `testonly`, certificate-transparency-go).
struct TreeHashingTests {
    static let leaves = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(TestSupport.entry)

    /// Root hashes for sizes 0 through 8.
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(TestSupport.hash)

    /// Every perfect subtree's hash, by level, for the eight leaves.
    static let nodes: [[TreeHash]] = [
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ],
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
        [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
    ].map { $0.map(TestSupport.hash) }

    static func referenceTree() throws -> MerkleTree<InMemoryTreeNodeStore> {
        var tree = MerkleTree()
        for leaf in leaves {
            try tree.append(entry: leaf)
        }
        return tree
    }

    @Test func theEmptyTreeRootIsSHA256OfNothing() throws {
        #expect(TreeHasher.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TreeHasher.rootHash(leafHashes: []) == TreeHasher.emptyRoot)
        let tree = MerkleTree()
        #expect(tree.root == TreeHasher.emptyRoot)
        #expect(try tree.root(size: 0) == TreeHasher.emptyRoot)
    }

    @Test func leafAndNodeHashesUseTheDomainPrefixes() {
        // SHA-256(0x00) and SHA-256(0x01 || leaf("") || leaf(0x00)).
        #expect(TreeHasher.leafHash(of: []) == Self.roots[1])
        #expect(TreeHasher.nodeHash(left: Self.nodes[0][0], right: Self.nodes[0][1]) == Self.roots[2])
        #expect(TreeHasher.nodeHash(left: Self.nodes[0][1], right: Self.nodes[0][0]) != Self.roots[2])
        // A lazy sequence takes the non-contiguous path and must hash the same bytes.
        let entry = Self.leaves[7]
        #expect(TreeHasher.leafHash(of: entry.lazy.map { $0 }) == TreeHasher.leafHash(of: entry))
    }

    @Test func theReferenceTreeHasTheKnownRootsAtEverySize() throws {
        let tree = try Self.referenceTree()
        for size in 0...8 {
            #expect(try tree.root(size: UInt64(size)) == Self.roots[size], "size \(size)")
            let leafHashes = Self.leaves.prefix(size).map { TreeHasher.leafHash(of: $0) }
            #expect(TreeHasher.rootHash(leafHashes: leafHashes) == Self.roots[size], "recomputed, size \(size)")
        }
    }

    @Test func appendReturnsTheIndexAndTheRootFollows() throws {
        var tree = MerkleTree()
        for (index, leaf) in Self.leaves.enumerated() {
            let leafIndex = try tree.append(entry: leaf)
            #expect(leafIndex == UInt64(index))
            #expect(tree.root == Self.roots[index + 1])
            #expect(tree.size == UInt64(index + 1))
        }
    }

    @Test func theStoreHoldsEveryPerfectSubtree() throws {
        let tree = try Self.referenceTree()
        for (level, hashes) in Self.nodes.enumerated() {
            for (index, hash) in hashes.enumerated() {
                #expect(tree.store.get(level: level, index: UInt64(index)) == hash, "node \(index) at level \(level)")
            }
        }
        #expect(tree.store.nodeCount == 15)
    }

    @Test func proofsMatchTheReferenceProofs() throws {
        let tree = try Self.referenceTree()
        let inclusion: [(UInt64, UInt64, [String])] = [
            (0, 1, []),
            (0, 8, [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]),
            (5, 8, [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
            (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
            (1, 5, [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]),
        ]
        for (index, size, expected) in inclusion {
            let proof = try tree.inclusionProof(index: index, size: size)
            #expect(proof == expected.map(TestSupport.hash), "inclusion of \(index) in \(size)")
            try MerkleProof.verifyInclusion(
                leafHash: TreeHasher.leafHash(of: Self.leaves[Int(index)]), index: index, size: size,
                proof: proof, root: Self.roots[Int(size)]
            )
        }
        let consistency: [(UInt64, UInt64, [String])] = [
            (1, 1, []),
            (1, 8, [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]),
            (6, 8, [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
            (2, 5, [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]),
            (6, 7, [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]),
        ]
        for (from, to, expected) in consistency {
            let proof = try tree.consistencyProof(from: from, to: to)
            #expect(proof == expected.map(TestSupport.hash), "consistency \(from) → \(to)")
            try MerkleProof.verifyConsistency(
                from: from, to: to, proof: proof, oldRoot: Self.roots[Int(from)], newRoot: Self.roots[Int(to)]
            )
        }
    }

    @Test func treeMathGivesTheSplitAndTheProofLengths() {
        #expect(TreeMath.largestPowerOfTwo(lessThan: 2) == 1)
        #expect(TreeMath.largestPowerOfTwo(lessThan: 3) == 2)
        #expect(TreeMath.largestPowerOfTwo(lessThan: 4) == 2)
        #expect(TreeMath.largestPowerOfTwo(lessThan: 5) == 4)
        #expect(TreeMath.largestPowerOfTwo(lessThan: 1 << 40) == 1 << 39)
        #expect(TreeMath.largestPowerOfTwo(lessThan: UInt64.max) == 1 << 63)
        #expect(TreeMath.perfectSubtrees(size: 0).isEmpty)
        #expect(TreeMath.perfectSubtrees(size: 13).map { [$0.level, Int($0.index)] } == [[3, 0], [2, 2], [0, 12]])
        #expect(TreeMath.inclusionProofLength(index: 0, size: 1) == 0)
        #expect(TreeMath.inclusionProofLength(index: 5, size: 8) == 3)
        #expect(TreeMath.inclusionProofLength(index: 4, size: 5) == 1)
        #expect(TreeMath.consistencyProofLength(from: 6, to: 8) == 3)
        #expect(TreeMath.consistencyProofLength(from: 4, to: 8) == 1)
        #expect(TreeMath.consistencyProofLength(from: 2, to: 5) == 2)
    }

    @Test func treeHashesEncodeAndDecodeStrictly() throws {
        let hash = Self.roots[8]
        #expect(hash.description == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        #expect(hash.base64 == "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=")
        #expect(TreeHash(base64: hash.base64) == hash)
        #expect(TreeHash(hex: hash.hex.uppercased()) == hash)
        #expect(TreeHash(bytes: hash.bytes) == hash)
        #expect(TreeHash(bytes: hash.bytes.dropLast()) == nil)
        #expect(TreeHash(bytes: hash.bytes + [0]) == nil)
        #expect(TreeHash(hex: String(hash.hex.dropLast())) == nil)
        #expect(TreeHash(hex: String(hash.hex.dropLast()) + "g") == nil)
        for bad in [
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg",  // padding missing
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=",  // unused bits set: not canonical
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy==",  // 31 bytes
            " XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=",  // base64url alphabet
            "",
        ] {
            #expect(TreeHash(base64: bad) == nil, "\(bad)")
        }
        for bit in 0..<256 {
            let flipped = hash.flippingBit(bit)
            #expect(flipped != hash)
            #expect(flipped.flippingBit(bit) == hash)
        }
        #expect(hash.flippingBit(0).bytes[0] == hash.bytes[0] ^ 0x80)
    }
}
