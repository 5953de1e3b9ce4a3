/// What the scoring loop needs of one record, in one 48-byte value so that comparing with a
/// random other record touches one or two cache lines, not one per field.
struct RecordFeature: BitwiseCopyable, Sendable {
    /// Hash of the postal code without spaces and dashes, or 0.
    var postalCode: UInt64 = 0
    /// Folded full given name (tokens joined) as a ``NameTable`` index, or -1.
    var givenFull: Int32 = -1
    var familyFull: Int32 = -1
    /// Where the name's tokens start in ``FeatureTable/tokens`` when there are several; a
    /// single-token name is its full form.
    var givenTokenStart: Int32 = 0
    var familyTokenStart: Int32 = 0
    /// `yyyymmdd`, or 0 when missing or not a date.
    var birthdate: Int32 = 0
    /// The record's identifiers in ``FeatureTable/identifiers``.
    var identifierStart: Int32 = 0
    var identifierCount: Int32 = 0
    /// The record's keys in compared blocks, ascending, in ``BlockIndex/comparedKeys``.
    var comparedStart: Int32 = 0
    var comparedCount: Int32 = 0
    var givenTokenCount: UInt8 = 0
    var familyTokenCount: UInt8 = 0
    /// Whether a refused link names this record.
    var hasRefusedLink = false
    /// Whether an earlier record has the same customer id; such a record is not compared.
    var isRepeat = false
}
