/// A ``FeatureTable`` as raw buffers, for the scoring loop. Trivially copyable: no reference
/// counting per access. Valid while the ``PinnedColumns`` it came from lives.
struct FeatureView: @unchecked Sendable {
    let records: UnsafeBufferPointer<RecordFeature>
    let tokens: UnsafeBufferPointer<Int32>
    let identifiers: UnsafeBufferPointer<IdentifierFeature>
    let names: NameView

    init(_ table: FeatureTable, in storage: PinnedColumns) {
        records = storage.pin(table.records)
        tokens = storage.pin(table.tokens)
        identifiers = storage.pin(table.identifiers)
        names = NameView(table.names, in: storage)
    }
}
