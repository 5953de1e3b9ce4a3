/// The parts of a ``BlockIndex`` the scoring loop reads, as raw buffers.
struct BlockView: @unchecked Sendable {
    let keys: UnsafeBufferPointer<UInt64>
    let members: UnsafeBufferPointer<UInt32>
    let blockStart: UnsafeBufferPointer<Int>
    let blockCount: UnsafeBufferPointer<Int>
    let comparedKeys: UnsafeBufferPointer<UInt64>

    init(_ index: BlockIndex, in storage: PinnedColumns) {
        keys = storage.pin(index.keys)
        members = storage.pin(index.members)
        blockStart = storage.pin(index.blocks.map(\.start))
        blockCount = storage.pin(index.blocks.map(\.count))
        comparedKeys = storage.pin(index.comparedKeys)
    }

    @inline(__always) func smallestCommonKey(_ a: RecordFeature, _ b: RecordFeature) -> UInt64? {
        BlockIndex.smallestCommonKey(a, b, keys: comparedKeys)
    }
}
