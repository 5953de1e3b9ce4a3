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
/// let pairs = finder.find(records, refusedLinks: try await store.duplicateCandidates())
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
    /// Blocks the calling thread while it works (a second or two per hundred thousand records on
    /// one core; see `docs/duplicates.md`), using ``workers`` threads for scoring.
    ///
    /// - Parameters:
    ///   - records: The customers to compare. Ids should be distinct; a pair of records with the
    ///     same id is never reported.
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
        let index = BlockIndex(table: &table, maxBlockSize: configuration.maxBlockSize)
        progress?(DetectionProgress(phase: .blocking, done: recordCount, total: recordCount))

        let refused = Self.refusedPairs(refusedLinks, records: records)
        var found = scoreBlocks(index: index, table: table, records: records, refused: refused, minimum: minimum, limit: limit, progress: progress)

        // Refused pairs that share no compared block are scored on their own.
        for (pair, candidates) in refused where index.smallestCommonKey(pair.a, pair.b) == nil {
            let outcome = scorer.outcome(pair.a, pair.b, in: table, refused: candidates)
            let score = scorer.score(outcome)
            if score >= minimum { found.append(Found(a: UInt32(pair.a), b: UInt32(pair.b), score: score, outcome: outcome)) }
        }

        var result = found.map { found in
            let a = records[Int(found.a)].id, b = records[Int(found.b)].id
            return ScoredPair(first: min(a, b), second: max(a, b), score: found.score, reasons: scorer.reasons(found.outcome))
        }
        result.sort(by: Self.ranking)
        if let limit, result.count > limit { result.removeSubrange(limit...) }
        return result
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
        let outcome = scorer.outcome(0, 1, in: table, refused: relevant, useOversharing: false)
        return ScoredPair(first: first, second: second, score: scorer.score(outcome), reasons: scorer.reasons(outcome))
    }

    // MARK: - Internals

    /// The result order: score descending, then ids ascending.
    static func ranking(_ x: ScoredPair, _ y: ScoredPair) -> Bool {
        if x.score != y.score { return x.score > y.score }
        if x.first != y.first { return x.first < y.first }
        return x.second < y.second
    }

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
    static func refusedPairs(_ links: [DuplicateCandidate], records: [CustomerRecord]) -> [PairKey: [DuplicateCandidate]] {
        guard !links.isEmpty else { return [:] }
        var wanted = Set<CustomerID>()
        for link in links where link.first != link.second {
            wanted.insert(link.first)
            wanted.insert(link.second)
        }
        var position: [CustomerID: Int] = [:]
        for (index, record) in records.enumerated() where wanted.contains(record.id) && position[record.id] == nil {
            position[record.id] = index
        }
        var pairs: [PairKey: [DuplicateCandidate]] = [:]
        for link in links {
            guard link.first != link.second, let x = position[link.first], let y = position[link.second] else { continue }
            pairs[PairKey(a: min(x, y), b: max(x, y)), default: []].append(link)
        }
        return pairs
    }

    /// Scores every pair within compared blocks on ``workers`` threads.
    private func scoreBlocks(
        index: BlockIndex, table: FeatureTable, records: [CustomerRecord], refused: [PairKey: [DuplicateCandidate]],
        minimum: Double, limit: Int?, progress: (@Sendable (DetectionProgress) -> Void)?
    ) -> [Found] {
        // Chunks of blocks with roughly equal numbers of pairs, taken by the workers in turn.
        let blocks = index.blocks
        var chunkEnds: [Int] = []
        let pairsPerChunk = max(10_000, index.blockPairs / (workers * 64))
        var pairs = 0
        for (position, block) in blocks.enumerated() {
            pairs += block.count * (block.count - 1) / 2
            if pairs >= pairsPerChunk {
                chunkEnds.append(position + 1)
                pairs = 0
            }
        }
        if chunkEnds.last != blocks.count { chunkEnds.append(blocks.count) }
        let ends = chunkEnds

        let totalPairs = index.blockPairs
        progress?(DetectionProgress(phase: .scoring, done: 0, total: totalPairs))
        let nextChunk = Atomic<Int>(0)
        let donePairs = Atomic<Int>(0)
        let results = Mutex<[Int: [Found]]>([:])
        let scorer = self.scorer
        let sameIDs = Self.hasRepeatedIDs(records) ? records.map(\.id) : nil

        DispatchQueue.concurrentPerform(iterations: min(workers, max(1, ends.count))) { _ in
            while true {
                let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
                guard chunk < ends.count else { return }
                let first = chunk == 0 ? 0 : ends[chunk - 1]
                var found: [Found] = []
                var chunkPairs = 0
                for position in first..<ends[chunk] {
                    let block = blocks[position]
                    let key = index.keys[block.start]
                    chunkPairs += block.count * (block.count - 1) / 2
                    for x in block.start..<(block.start + block.count - 1) {
                        let a = Int(index.members[x])
                        for y in (x + 1)..<(block.start + block.count) {
                            let b = Int(index.members[y])
                            guard index.smallestCommonKey(a, b) == key else { continue }
                            if let sameIDs, sameIDs[a] == sameIDs[b] { continue }
                            let candidates = refused.isEmpty ? [] : refused[PairKey(a: a, b: b)] ?? []
                            let outcome = scorer.outcome(a, b, in: table, refused: candidates)
                            let score = scorer.score(outcome)
                            if score >= minimum { found.append(Found(a: UInt32(a), b: UInt32(b), score: score, outcome: outcome)) }
                        }
                    }
                }
                if let limit { Self.keepBest(&found, limit: limit) }
                results.withLock { $0[chunk] = found }
                let done = donePairs.add(chunkPairs, ordering: .relaxed).newValue
                progress?(DetectionProgress(phase: .scoring, done: done, total: totalPairs))
            }
        }
        let byChunk = results.withLock { $0 }
        var found: [Found] = []
        for chunk in byChunk.keys.sorted() { found.append(contentsOf: byChunk[chunk]!) }
        if let limit { Self.keepBest(&found, limit: limit) }
        return found
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

    private static func hasRepeatedIDs(_ records: [CustomerRecord]) -> Bool {
        var seen = Set<CustomerID>(minimumCapacity: records.count)
        for record in records where !seen.insert(record.id).inserted { return true }
        return false
    }
}
