import Testing
import VerifiableLog

/// Tiles in memory, as a table of them would hold them: drained writes land here.
final class TileTable: TileSource {
    var tiles: [String: [UInt8]] = [:]
    var reads = 0

    func tile(level: Int, index: UInt64) throws -> [UInt8]? {
        reads += 1
        return tiles["\(level)/\(index)"]
    }

    /// Stores what `writer` drains; a tile may only grow, as the SQLite trigger demands.
    func store(_ writer: inout TileWriter) throws {
        try writer.drain { level, index, hashes in
            let key = "\(level)/\(index)"
            if let old = tiles[key] {
                try #require(hashes.count > old.count && Array(hashes.prefix(old.count)) == old, "tile \(key) rewritten")
            }
            tiles[key] = hashes
        }
    }
}

/// The tiled store against the plain one: the same roots and proofs for every size, whatever the
/// transactions the appends came in.
struct TileTests {
    static let leaves: [TreeHash] = (0..<600).map { TreeHasher.leafHash(of: Array("tiled entry \($0)".utf8)) }

    /// Appends `leaves` in transactions of the given sizes, reopening the writer from the table
    /// after each, as a store does after another process appended.
    static func tiledTable(_ leaves: ArraySlice<TreeHash>, transactions: [Int]) throws -> TileTable {
        let table = TileTable()
        var size = 0
        var sizes = transactions.makeIterator()
        while size < leaves.count {
            let count = min(sizes.next() ?? 1, leaves.count - size)
            var tree = try MerkleTree(store: TileWriter(size: UInt64(size), source: table), size: UInt64(size))
            try tree.append(contentsOf: leaves[leaves.startIndex + size ..< leaves.startIndex + size + count])
            try tree.withStore { try table.store(&$0) }
            size += count
        }
        return table
    }

    @Test(arguments: [[1], [5, 11, 16], [300], [16, 1, 256, 2, 17]])
    func rootsAndProofsAgreeWithTheNodeStoreAtEverySize(transactions: [Int]) throws {
        let count = 300
        let table = try Self.tiledTable(Self.leaves.prefix(count), transactions: transactions)
        var plain = MerkleTree()
        try plain.append(contentsOf: Self.leaves.prefix(count))
        let tiled = try MerkleTree(store: TileReader(table), size: UInt64(count))
        #expect(tiled.root == plain.root)
        for size in [1, 2, 15, 16, 17, 31, 32, 33, 255, 256, 257, 299, 300] {
            #expect(try tiled.root(size: UInt64(size)) == plain.root(size: UInt64(size)), "size \(size)")
            for index in Set([0, size / 2, size - 1, min(size - 1, 16), min(size - 1, 255)]) {
                #expect(try tiled.inclusionProof(index: UInt64(index), size: UInt64(size)) == plain.inclusionProof(index: UInt64(index), size: UInt64(size)))
            }
            for from in Set([1, size / 3 + 1, size]) where from <= size {
                #expect(try tiled.consistencyProof(from: UInt64(from), to: UInt64(size)) == plain.consistencyProof(from: UInt64(from), to: UInt64(size)))
            }
            #expect(try tiled.leafHash(at: UInt64(size - 1)) == Self.leaves[size - 1])
        }
    }

    @Test func aTileHoldsSixteenHashesOfEveryFourthLevel() throws {
        // 600 leaves: 37 full leaf tiles and one of 8; 37 nodes of level 4 (two full tiles and one
        // of 5); 2 nodes of level 8.
        let table = try Self.tiledTable(Self.leaves[...], transactions: [600])
        #expect(Set(table.tiles.keys) == Set((0...37).map { "0/\($0)" } + ["4/0", "4/1", "4/2", "8/0"]))
        #expect(table.tiles["0/0"]! == Self.leaves.prefix(16).flatMap(\.bytes))
        #expect(table.tiles["0/37"]!.count == 8 * 32)
        #expect(table.tiles["4/1"]!.count == 16 * 32)
        #expect(table.tiles["4/2"]!.count == 5 * 32)
        #expect(table.tiles["8/0"]!.count == 2 * 32)
        #expect(Tiles.lastTiles(size: 600).map { "\($0.level)/\($0.index)/\($0.count)" } == ["0/37/8", "4/2/5", "8/0/2"])
        #expect(Tiles.lastTiles(size: 256).map { "\($0.level)/\($0.index)/\($0.count)" } == ["0/15/16", "4/0/16", "8/0/1"])
        #expect(Tiles.lastTiles(size: 0).isEmpty)
    }

    @Test func aProofReadsAFewTiles() throws {
        let table = try Self.tiledTable(Self.leaves[...], transactions: [600])
        table.reads = 0
        let tree = try MerkleTree(store: TileReader(table), size: 600)
        _ = try tree.inclusionProof(index: 123, size: 600)
        // The compact range (3 tiles) and the proof's path: one tile per stored level at most,
        // each read once.
        #expect(table.reads <= 6)
    }

    @Test func aWriterRefusesAStoreThatDoesNotMatchTheSize() throws {
        let table = try Self.tiledTable(Self.leaves.prefix(40), transactions: [40])
        #expect(throws: MerkleTreeError.self) { try TileWriter(size: 41, source: table) }
        #expect(throws: MerkleTreeError.self) { try TileWriter(size: 39, source: table) }
        #expect(throws: MerkleTreeError.self) { try TileWriter(size: 40, source: TileTable()) }
        _ = try TileWriter(size: 40, source: table)
    }

    @Test func aWriterRefusesNodesOutOfOrder() throws {
        var writer = try TileWriter(size: 0, source: TileTable())
        try writer.put(level: 0, index: 0, hash: Self.leaves[0])
        #expect(throws: MerkleTreeError.self) { try writer.put(level: 0, index: 2, hash: Self.leaves[2]) }
        #expect(throws: MerkleTreeError.self) { try writer.put(level: 0, index: 16, hash: Self.leaves[16]) }
        #expect(throws: MerkleTreeError.self) { try writer.put(level: 4, index: 1, hash: Self.leaves[1]) }
        // Levels between the stored ones are not kept.
        try writer.put(level: 1, index: 0, hash: Self.leaves[5])
        var drained: [String] = []
        writer.drain { level, index, hashes in drained.append("\(level)/\(index)/\(hashes.count)") }
        #expect(drained == ["0/0/32"])
        #expect(!writer.hasChanges)
    }
}
