import Dispatch
public import IdentityGraph
import Synchronization

/// Finds pairs of customers who may be one person, with explainable scores.
///
/// Three kinds of evidence count: links refused because their identifier belonged to the other
/// customer (``DuplicateCandidate``), identifiers equal after looser matching (e-mail
/// sub-addressing and provider dot rules, phone numbers under another calling code), and profile
/// similarity (names with typos, nicknames, swapped names and diacritics; birth date; postal code).
/// Agreement adds weight, disagreement subtracts it; see ``MatchWeights``.
///
/// Only records that share a blocking key are compared, so a run over a million customers
/// compares tens of millions of pairs, not half a trillion. It is pure computation: no I/O.
///
/// ```swift
/// let finder = DuplicateFinder()
/// let pairs = finder.find(records, refusedLinks: try await store.duplicateCandidates(limit: .max))
/// for pair in pairs { print(pair.first, pair.second, pair.score, pair.reasons.map(\.code)) }
/// ```
public struct DuplicateFinder: Sendable {
    /// The matching rules.
    public let configuration: MatchConfiguration
    /// How many threads score pairs in ``find(_:refusedLinks:minimumScore:limit:progress:)``.
    public let workers: Int

    private let nicknames: NicknameIndex
    private let identifierKeys: LooseIdentifierKeys
    private let scorer: PairScorer

    /// Creates a finder.
    /// - Parameters:
    ///   - configuration: The matching rules; ``MatchConfiguration/default`` unless tuned.
    ///   - workers: Threads for scoring, at least 1; defaults to 2. The result does not depend on it.
    public init(configuration: MatchConfiguration = .default, workers: Int = 2) {
        self.configuration = configuration
        self.workers = max(1, workers)
        self.nicknames = NicknameIndex(configuration.nicknameGroups)
        self.identifierKeys = LooseIdentifierKeys(configuration: configuration)
        self.scorer = PairScorer(configuration: configuration)
    }

    /// Finds the pairs among `records` that reach the minimum score.
    ///
    /// Blocks the calling thread while it works, using ``workers`` threads for scoring: about six
    /// seconds for a million customers on two cores (see `docs/duplicates.md`).
    ///
    /// - Parameters:
    ///   - records: The customers to compare. Ids should be distinct; a record whose id an
    ///     earlier record has is ignored.
    ///   - refusedLinks: Conflicts recorded when a link was refused. A conflict whose customers are
    ///     not both in `records` (one was merged away, say) is skipped.
    ///   - minimumScore: Report pairs scoring at least this; defaults to the configuration's
    ///     threshold.
    ///   - limit: Report at most this many pairs, the highest scoring.
    ///   - progress: Called now and then with the phase and how far it is, possibly from several
    ///     threads.
    /// - Returns: The pairs, highest score first, then by first and second id.
    public func find(
        _ records: [CustomerRecord],
        refusedLinks: [DuplicateCandidate] = [],
        minimumScore: Double? = nil,
        limit: Int? = nil,
        progress: (@Sendable (DetectionProgress) -> Void)? = nil
    ) -> [ScoredPair] {
        let minimum = minimumScore ?? configuration.threshold
        if let limit, limit <= 0 { return [] }
        let recordCount = records.count
        progress?(DetectionProgress(phase: .blocking, done: 0, total: recordCount))
        var table = FeatureTable(records: records, nicknames: nicknames, keys: identifierKeys) { done in
            progress?(DetectionProgress(phase: .blocking, done: done, total: recordCount))
        }
        // From here on records are numbered in locality order; `order` maps back.
        let order = table.reorderForLocality()
        var position = [Int](repeating: 0, count: recordCount)
        for (new, old) in order.enumerated() { position[Int(old)] = new }
        let index = BlockIndex(table: &table, maxBlockSize: configuration.maxBlockSize)
        progress?(DetectionProgress(phase: .blocking, done: recordCount, total: recordCount))

        let ids = IDIndex(records)
        for (record, _) in ids.repeated { table.records[position[record]].isRepeat = true }
        let refused = Self.refusedPairs(refusedLinks, ids: ids, position: position)
        for pair in refused.keys {
            table.records[pair.a].hasRefusedLink = true
            table.records[pair.b].hasRefusedLink = true
        }
        let storage = PinnedColumns()
        let view = FeatureView(table, in: storage)
        let blocks = BlockView(index, in: storage)
        let context = ScoringContext(view: view, blocks: blocks, refused: refused, minimum: minimum, limit: limit)
        var found = withExtendedLifetime(storage) {
            scoreBlocks(context, blockCount: index.blocks.count, blockPairs: index.blockPairs, progress: progress)
        }

        // Refused pairs that share no compared block are scored on their own.
        var cache = NameComparisonCache()
        for (pair, candidates) in refused.sorted(by: { ($0.key.a, $0.key.b) < ($1.key.a, $1.key.b) })
        where index.smallestCommonKey(table.records[pair.a], table.records[pair.b]) == nil {
            let outcome = withExtendedLifetime(storage) { scorer.outcome(pair.a, pair.b, in: view, cache: &cache, refused: candidates) }
            let score = scorer.score(outcome)
            if score >= minimum { found.append(Found(a: UInt32(pair.a), b: UInt32(pair.b), score: score, outcome: outcome)) }
        }

        return ranked(found, records: records, order: order, limit: limit)
    }

    /// The found pairs as results, best first, at most `limit`.
    ///
    /// Ranks on the score and a prefix of each id first: sorting the results themselves would copy
    /// strings in every comparison.
    private func ranked(_ found: [Found], records: [CustomerRecord], order: [UInt32], limit: Int?) -> [ScoredPair] {
        func ids(_ found: Found) -> (CustomerID, CustomerID) {
            let a = records[Int(order[Int(found.a)])].id, b = records[Int(order[Int(found.b)])].id
            return a < b ? (a, b) : (b, a)
        }
        var keys = found.indices.map { index in
            let (first, second) = ids(found[index])
            return RankKey(score: found[index].score, first: Self.prefix(first), second: Self.prefix(second), index: index)
        }
        keys.sort { x, y in
            if x.score != y.score { return x.score > y.score }
            if x.first != y.first { return x.first < y.first }
            if x.second != y.second { return x.second < y.second }
            let (xFirst, xSecond) = ids(found[x.index]), (yFirst, ySecond) = ids(found[y.index])
            return xFirst != yFirst ? xFirst < yFirst : xSecond < ySecond
        }
        if let limit, keys.count > limit { keys.removeSubrange(limit...) }
        return keys.map { key in
            let (first, second) = ids(found[key.index])
            return ScoredPair(first: first, second: second, score: key.score, reasons: scorer.reasons(found[key.index].outcome))
        }
    }

    private struct RankKey {
        var score: Double
        var first: UInt64
        var second: UInt64
        var index: Int
    }

    /// The first eight bytes of an id after `cus_`, big-endian, so that integer order is id order
    /// as far as those bytes go.
    private static func prefix(_ id: CustomerID) -> UInt64 {
        var value: UInt64 = 0
        var taken = 0
        for byte in id.rawValue.utf8.dropFirst(4) {
            value = value << 8 | UInt64(byte)
            taken += 1
            if taken == 8 { break }
        }
        return value << (8 * UInt64(8 - taken))
    }

    /// Scores one pair, whatever its score. Identifiers shared by many customers are not
    /// discounted here, since one pair does not show how widely they are shared.
    /// - Parameters:
    ///   - a: One customer.
    ///   - b: The other.
    ///   - refusedLinks: Conflicts recorded between them; others are ignored.
    /// - Returns: The pair with its score and reasons, ids in ascending order.
    public func score(_ a: CustomerRecord, _ b: CustomerRecord, refusedLinks: [DuplicateCandidate] = []) -> ScoredPair {
        let table = FeatureTable(records: [a, b], nicknames: nicknames, keys: identifierKeys)
        let first = min(a.id, b.id), second = max(a.id, b.id)
        let relevant = refusedLinks.filter { min($0.first, $0.second) == first && max($0.first, $0.second) == second && first != second }
        let storage = PinnedColumns()
        let view = FeatureView(table, in: storage)
        var cache = NameComparisonCache()
        let outcome = withExtendedLifetime(storage) { scorer.outcome(0, 1, in: view, cache: &cache, refused: relevant, useOversharing: false) }
        return ScoredPair(first: first, second: second, score: scorer.score(outcome), reasons: scorer.reasons(outcome))
    }

    // MARK: - Internals

    struct PairKey: Hashable, Sendable {
        var a: Int
        var b: Int
    }

    struct Found: Sendable {
        var a: UInt32
        var b: UInt32
        var score: Double
        var outcome: PairScorer.PairOutcome
    }

    /// Refused links by pair of record indexes (lower first); links naming a customer not in
    /// `records`, or one customer twice, are dropped.
    static func refusedPairs(_ links: [DuplicateCandidate], ids: IDIndex, position: [Int]) -> [PairKey: [DuplicateCandidate]] {
        var pairs: [PairKey: [DuplicateCandidate]] = [:]
        for link in links {
            guard link.first != link.second, let first = ids.firstRecord(of: link.first), let second = ids.firstRecord(of: link.second) else { continue }
            let x = position[first], y = position[second]
            pairs[PairKey(a: min(x, y), b: max(x, y)), default: []].append(link)
        }
        return pairs
    }

    /// What the scoring threads read.
    struct ScoringContext: @unchecked Sendable {
        let view: FeatureView
        let blocks: BlockView
        let refused: [PairKey: [DuplicateCandidate]]
        let minimum: Double
        let limit: Int?
    }

    /// Scores every pair within compared blocks on ``workers`` threads.
    private func scoreBlocks(_ context: ScoringContext, blockCount: Int, blockPairs: Int, progress: (@Sendable (DetectionProgress) -> Void)?) -> [Found] {
        // Chunks of blocks with roughly equal numbers of pairs, taken by the workers in turn.
        var chunkEnds: [Int] = []
        let pairsPerChunk = max(10_000, blockPairs / (workers * 64))
        var pairs = 0
        for position in 0..<blockCount {
            let count = context.blocks.blockCount[position]
            pairs += count * (count - 1) / 2
            if pairs >= pairsPerChunk {
                chunkEnds.append(position + 1)
                pairs = 0
            }
        }
        if chunkEnds.last != blockCount { chunkEnds.append(blockCount) }
        let ends = chunkEnds

        progress?(DetectionProgress(phase: .scoring, done: 0, total: blockPairs))
        let nextChunk = Atomic<Int>(0)
        let donePairs = Atomic<Int>(0)
        let results = Mutex<[Int: [Found]]>([:])
        let scorer = self.scorer

        DispatchQueue.concurrentPerform(iterations: min(workers, max(1, ends.count))) { _ in
            while true {
                let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
                guard chunk < ends.count else { return }
                let first = chunk == 0 ? 0 : ends[chunk - 1]
                var found: [Found] = []
                let chunkPairs = Self.scoreChunk(first..<ends[chunk], context: context, scorer: scorer, into: &found)
                if let limit = context.limit { Self.keepBest(&found, limit: limit) }
                results.withLock { $0[chunk] = found }
                let done = donePairs.add(chunkPairs, ordering: .relaxed).newValue
                progress?(DetectionProgress(phase: .scoring, done: done, total: blockPairs))
            }
        }
        let byChunk = results.withLock { $0 }
        var found: [Found] = []
        for chunk in byChunk.keys.sorted() { found.append(contentsOf: byChunk[chunk]!) }
        if let limit = context.limit { Self.keepBest(&found, limit: limit) }
        return found
    }

    /// Scores the pairs of some blocks; returns how many pairs the blocks hold.
    private static func scoreChunk(_ range: Range<Int>, context: ScoringContext, scorer: PairScorer, into found: inout [Found]) -> Int {
        let blocks = context.blocks
        let view = context.view
        var cache = NameComparisonCache()
        var pairs = 0
        for position in range {
            let start = blocks.blockStart[position], count = blocks.blockCount[position]
            let key = blocks.keys[start]
            pairs += count * (count - 1) / 2
            for x in start..<(start + count - 1) {
                let a = Int(blocks.members[x])
                let ra = view.records[a]
                if ra.isRepeat { continue }
                for y in (x + 1)..<(start + count) {
                    let b = Int(blocks.members[y])
                    let rb = view.records[b]
                    guard !rb.isRepeat, blocks.smallestCommonKey(ra, rb) == key else { continue }
                    let candidates = ra.hasRefusedLink && rb.hasRefusedLink ? context.refused[PairKey(a: a, b: b)] ?? [] : []
                    let outcome = scorer.outcome(a, b, in: view, cache: &cache, refused: candidates)
                    let score = scorer.score(outcome)
                    if score >= context.minimum { found.append(Found(a: UInt32(a), b: UInt32(b), score: score, outcome: outcome)) }
                }
            }
        }
        return pairs
    }

    /// Drops pairs that cannot be among the `limit` best: keeps every pair scoring at least the
    /// `limit`-th best score, so ties are decided later by id.
    static func keepBest(_ found: inout [Found], limit: Int) {
        guard found.count > limit else { return }
        var scores = found.map(\.score)
        scores.sort(by: >)
        let cut = scores[limit - 1]
        found.removeAll { $0.score < cut }
    }
}
