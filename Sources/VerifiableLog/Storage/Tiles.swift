/// A Merkle tree's hashes stored as tiles, after C2SP tlog-tiles.
///
/// Only every ``height``-th level is stored: levels 0 (the leaves), 4, 8, …. Tile `index` of
/// stored level `level` holds that level's nodes `index << height ..< (index + 1) << height`,
/// concatenated (up to ``width`` hashes, 512 bytes). The last tile of a level is partial and only
/// ever grows: a hash, once in a tile, never changes. Any other node is the root of a perfect
/// subtree of at most `width / 2` hashes of one tile, computed when read.
///
/// A node per leaf (about two rows per leaf as ``TreeNodeStore`` describes) becomes a sixteenth
/// of a row per leaf: a bulk import writes 30 times fewer rows for its tree, and a proof reads a
/// handful of tiles and hashes a few dozen nodes.
public enum Tiles {
    /// Levels per tile: a tile spans this many levels of the tree.
    public static let height = 4
    /// Hashes per full tile.
    public static let width = 1 << height

    /// Whether the nodes of `level` are stored (in tiles) rather than computed.
    public static func isStored(level: Int) -> Bool {
        level % height == 0
    }

    /// The last tile of each stored level for a tree of `size` leaves, and how many hashes it
    /// holds (1 to ``width``), lowest level first. A writer continues these tiles; every other
    /// tile of the tree is full.
    public static func lastTiles(size: UInt64) -> [(level: Int, index: UInt64, count: Int)] {
        var tiles: [(level: Int, index: UInt64, count: Int)] = []
        var level = 0
        while level < 64, size >> level > 0 {
            let nodes = size >> level
            let count = Int(nodes & UInt64(width - 1))
            if count > 0 {
                tiles.append((level, nodes >> height, count))
            } else {
                tiles.append((level, (nodes >> height) - 1, width))
            }
            level += height
        }
        return tiles
    }

    /// The hash of the node `above` levels over stored hashes `offset ..< offset + 2^above` of
    /// `tile` (concatenated hashes); `nil` when the tile does not hold them all.
    static func subtreeHash(_ tile: [UInt8], offset: Int, above: Int) -> TreeHash? {
        let count = 1 << above
        guard offset >= 0, (offset + count) * TreeHash.byteCount <= tile.count else { return nil }
        var hashes = tile.withUnsafeBytes { raw in
            (offset..<(offset + count)).map { position in
                TreeHash(rawBytes: UnsafeRawBufferPointer(rebasing: raw[(position * TreeHash.byteCount)..<((position + 1) * TreeHash.byteCount)]))!
            }
        }
        while hashes.count > 1 {
            hashes = stride(from: 0, to: hashes.count, by: 2).map { TreeHasher.nodeHash(left: hashes[$0], right: hashes[$0 + 1]) }
        }
        return hashes[0]
    }
}

/// Where tiles are read from: a table, a file system, memory.
public protocol TileSource {
    /// The hashes of tile `index` of stored level `level` (a multiple of ``Tiles/height``),
    /// concatenated; `nil` when there is no such tile.
    func tile(level: Int, index: UInt64) throws -> [UInt8]?
}

/// Reads a tree's nodes from tiles: a stored node is read from its tile, any other one computed
/// from the tile below it. Each tile is read once per reader, so make one per computation (a root,
/// a proof), over one consistent snapshot of the tiles.
public final class TileReader<Source: TileSource>: TreeNodeStore {
    private let source: Source
    private var tiles: [TileKey: [UInt8]] = [:]

    private struct TileKey: Hashable {
        var level: Int
        var index: UInt64
    }

    public init(_ source: Source) {
        self.source = source
    }

    public func get(level: Int, index: UInt64) throws -> TreeHash? {
        guard level >= 0, level < 64 else { return nil }
        let above = level % Tiles.height
        let stored = level - above
        let first = index << above
        guard first >> above == index else { return nil }
        let key = TileKey(level: stored, index: first >> Tiles.height)
        let tile: [UInt8]
        if let cached = tiles[key] {
            tile = cached
        } else {
            guard let read = try source.tile(level: key.level, index: key.index) else { return nil }
            tiles[key] = read
            tile = read
        }
        return Tiles.subtreeHash(tile, offset: Int(first & UInt64(Tiles.width - 1)), above: above)
    }

    /// A reader writes nothing.
    public func put(level: Int, index: UInt64, hash: TreeHash) throws {
        throw MerkleTreeError(.storeRejectedNode, reason: "a tile reader is read-only")
    }
}

/// The appending side: keeps the last tile of each stored level, adds the hashes ``MerkleTree``
/// writes at stored levels (the others are computed when read) and hands out the tiles that
/// changed (``drain(_:)``), for the caller to store in the transaction that appended.
public struct TileWriter: TreeNodeStore, Sendable {
    private struct OpenTile: Sendable {
        var index: UInt64
        var hashes: [UInt8]
        var changed: Bool
    }

    /// The last tile of each stored level, keyed by level.
    private var open: [Int: OpenTile] = [:]
    /// Tiles filled and left since the last drain.
    private var finished: [(level: Int, index: UInt64, hashes: [UInt8])] = []

    /// A writer continuing a tree of `size` leaves whose tiles `source` holds.
    /// - Throws: ``MerkleTreeError`` `missingNode` when a last tile is missing or does not hold
    ///   exactly the hashes a tree of `size` has; whatever the source throws.
    public init(size: UInt64, source: some TileSource) throws {
        for last in Tiles.lastTiles(size: size) {
            guard let hashes = try source.tile(level: last.level, index: last.index),
                  hashes.count == last.count * TreeHash.byteCount
            else {
                throw MerkleTreeError(.missingNode, reason: "tile \(last.index) of level \(last.level) does not hold the \(last.count) hashes of a tree of \(size) leaves")
            }
            open[last.level] = OpenTile(index: last.index, hashes: hashes, changed: false)
        }
    }

    /// The nodes of the last tiles: what ``MerkleTree/init(store:size:)`` reads (the compact
    /// range of the size lies in them).
    public func get(level: Int, index: UInt64) throws -> TreeHash? {
        let above = level % Tiles.height
        let first = index << above
        guard let tile = open[level - above], tile.index == first >> Tiles.height else { return nil }
        return Tiles.subtreeHash(tile.hashes, offset: Int(first & UInt64(Tiles.width - 1)), above: above)
    }

    /// Adds a node at a stored level to its tile; ignores the others.
    /// - Throws: ``MerkleTreeError`` `storeRejectedNode` when the node does not follow the last
    ///   one of its level.
    public mutating func put(level: Int, index: UInt64, hash: TreeHash) throws {
        guard Tiles.isStored(level: level) else { return }
        let tileIndex = index >> Tiles.height
        let offset = Int(index & UInt64(Tiles.width - 1))
        if var tile = open[level], tile.index == tileIndex {
            guard tile.hashes.count == offset * TreeHash.byteCount else {
                throw MerkleTreeError(.storeRejectedNode, reason: "node \(index) of level \(level) does not follow its tile's \(tile.hashes.count / TreeHash.byteCount) hashes")
            }
            open[level] = nil // keep the array uniquely referenced while it grows
            tile.hashes.append(contentsOf: hash.bytes)
            tile.changed = true
            open[level] = tile
            return
        }
        let previous = open[level]
        guard offset == 0, previous.map({ $0.index + 1 == tileIndex && $0.hashes.count == Tiles.width * TreeHash.byteCount }) ?? (tileIndex == 0) else {
            throw MerkleTreeError(.storeRejectedNode, reason: "node \(index) of level \(level) does not follow the stored nodes of its level")
        }
        if let previous, previous.changed { finished.append((level, previous.index, previous.hashes)) }
        var hashes: [UInt8] = []
        hashes.reserveCapacity(Tiles.width * TreeHash.byteCount)
        hashes.append(contentsOf: hash.bytes)
        open[level] = OpenTile(index: tileIndex, hashes: hashes, changed: true)
    }

    /// Whether tiles changed since the last drain.
    public var hasChanges: Bool {
        !finished.isEmpty || open.values.contains(where: \.changed)
    }

    /// Hands each tile that changed since the last drain to `body` (full ones first, then the
    /// last tiles, lowest level first), with all its hashes, and forgets that they changed.
    public mutating func drain(_ body: (_ level: Int, _ index: UInt64, _ hashes: [UInt8]) throws -> Void) rethrows {
        for tile in finished { try body(tile.level, tile.index, tile.hashes) }
        finished.removeAll(keepingCapacity: true)
        for level in open.keys.sorted() where open[level]!.changed {
            try body(level, open[level]!.index, open[level]!.hashes)
            open[level]!.changed = false
        }
    }
}
