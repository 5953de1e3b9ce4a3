/// A name as the comparison sees it: the full folded form and its tokens.
struct NameTokens {
    let full: Int32
    private let start: Int
    let count: Int
    private let pool: UnsafeBufferPointer<Int32>

    @inline(__always)
    init(full: Int32, start: Int32, count: UInt8, pool: UnsafeBufferPointer<Int32>) {
        self.full = full
        self.start = Int(start)
        self.count = full < 0 ? 0 : Int(count)
        self.pool = pool
    }

    /// Token `index`; a single-token name is its full form.
    @inline(__always)
    subscript(index: Int) -> Int32 { count == 1 ? full : pool[start + index] }
}
