import Foundation
public import Identifiers
public import IdentityGraph

/// Loads an NDJSON file of customers (one per line) through the same normalization and graph
/// rules as the API. Refused lines go to a rejects file with their line number and reason, and
/// never stop the import.
///
/// Throughput comes from a pipeline: while the store writes one batch in a transaction, the next
/// batch is parsed, normalized, checked against the rules and its link-log cryptography done on
/// the other cores.
public struct BulkImporter: Sendable {
    public var store: any IdentityStore
    public var normalizer: IdentifierNormalizer
    /// Recorded as the actor of every link-log entry.
    public var actor: String
    public var batchSize: Int
    public var defaultAssurance: Assurance

    public init(store: any IdentityStore, normalizer: IdentifierNormalizer, actor: String = "import", batchSize: Int = 50_000, defaultAssurance: Assurance = .asserted) {
        self.store = store
        self.normalizer = normalizer
        self.actor = actor
        self.batchSize = batchSize
        self.defaultAssurance = defaultAssurance
    }

    /// Imports `input`, writing refused lines to `rejects`, as one bulk load of the store
    /// (``IdentityStore/bulkLoad(_:)``: a first load into an empty graph may go faster).
    /// - Parameter progress: called after each batch with the report so far.
    public func run(
        input: String, rejects: String, progress: @Sendable (ImportReport) -> Void = { _ in }
    ) async throws -> ImportReport {
        guard let reader = LineReader(path: input) else { throw ImportError.cannotRead(input) }
        guard FileManager.default.createFile(atPath: rejects, contents: nil), let rejectsHandle = FileHandle(forWritingAtPath: rejects) else {
            throw ImportError.cannotWrite(rejects)
        }
        defer { try? rejectsHandle.close() }
        let started = ContinuousClock.now
        var report = ImportReport()
        try await store.bulkLoad {
            try await importBatches(from: reader, rejects: rejectsHandle, report: &report, started: started, progress: progress)
        }
        report.seconds = Self.seconds(since: started)
        return report
    }

    /// The pipeline: the store writes one batch while the next is read and prepared.
    private func importBatches(
        from reader: LineReader, rejects: FileHandle, report: inout ImportReport, started: ContinuousClock.Instant,
        progress: @Sendable (ImportReport) -> Void
    ) async throws {
        var lineNumber = 0
        func nextBatch() -> [(Int, Substring)] {
            var batch: [(Int, Substring)] = []
            batch.reserveCapacity(batchSize)
            while batch.count < batchSize, let line = reader.nextLine() {
                lineNumber += 1
                if !line.allSatisfy(\.isWhitespace) { batch.append((lineNumber, line)) }
            }
            return batch
        }

        var pending = nextBatch()
        var prepared = try await prepareBatch(pending)
        while !pending.isEmpty {
            let forStore = prepared.forStore
            async let stored = store.importCustomers(forStore)
            // Parse, check and encrypt the next batch while this one is written.
            let following = nextBatch()
            async let nextPrepared = prepareBatch(following)
            let results = try await stored
            var rejectText = ""
            var resultIndex = 0
            for line in prepared.lines {
                report.lines += 1
                if let customer = line.customer {
                    switch results[resultIndex] {
                    case .success:
                        report.customersCreated += 1
                        report.identifiersLinked += customer.identifiers.count
                    case let .failure(error):
                        report.rejected += 1
                        rejectText += Self.rejectLine(line.number, reason: error.description)
                    }
                    resultIndex += 1
                } else {
                    report.rejected += 1
                    rejectText += Self.rejectLine(line.number, reason: line.rejection ?? "refused")
                }
            }
            if !rejectText.isEmpty { rejects.write(Data(rejectText.utf8)) }
            report.seconds = Self.seconds(since: started)
            progress(report)
            pending = following
            prepared = try await nextPrepared
        }
    }

    /// A parsed, normalized line, or why it was refused.
    struct PreparedLine: Sendable {
        var number: Int
        var customer: NewCustomer?
        var rejection: String?
    }

    /// A batch as parsed, and its customers as the store prepared them (``PreparedImport``).
    struct PreparedBatch: Sendable {
        var lines: [PreparedLine]
        var forStore: PreparedImport
    }

    /// Everything of a batch that needs no database: parsing and normalizing the lines, then the
    /// store's preparation (rules, profiles, the link-log cryptography), on all cores but one.
    func prepareBatch(_ batch: [(Int, Substring)]) async throws -> PreparedBatch {
        let lines = await prepare(batch)
        let context = ChangeContext(actor: actor, reason: "bulk import")
        return PreparedBatch(lines: lines, forStore: try await store.prepareImport(lines.compactMap(\.customer), context: context))
    }

    /// Parses and normalizes a batch on all cores but one.
    func prepare(_ batch: [(Int, Substring)]) async -> [PreparedLine] {
        guard !batch.isEmpty else { return [] }
        // One core stays with the store's single writer, which works on the previous batch meanwhile.
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount - 1, 8))
        let chunk = (batch.count + workers - 1) / workers
        let lines = batch.map { ($0.0, String($0.1)) }
        return await withTaskGroup(of: (Int, [PreparedLine]).self) { group in
            for start in stride(from: 0, to: lines.count, by: chunk) {
                let slice = Array(lines[start..<min(start + chunk, lines.count)])
                group.addTask {
                    // One decoder and one buffer of random bytes (the customer ids) per worker.
                    let decoder = JSONDecoder()
                    var random = BufferedRandom()
                    return (start, slice.map { prepareLine(number: $0.0, text: $0.1, decoder: decoder, random: &random) })
                }
            }
            var parts: [(Int, [PreparedLine])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    func prepareLine(number: Int, text: String, decoder: JSONDecoder, random: inout BufferedRandom) -> PreparedLine {
        let line: ImportLine
        do {
            // The usual shape without JSONDecoder; anything else (and every refusal) through it.
            line = try ImportLineParser.parse(text) ?? decoder.decode(ImportLine.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            return PreparedLine(number: number, rejection: Self.describe(error))
        } catch {
            return PreparedLine(number: number, rejection: "the line is not valid JSON")
        }
        guard !line.identifiers.isEmpty else {
            return PreparedLine(number: number, rejection: "a customer needs at least one identifier")
        }
        var items: [NewCustomer.Item] = []
        items.reserveCapacity(line.identifiers.count)
        for (index, item) in line.identifiers.enumerated() {
            do {
                let identifier = try normalizer.normalize(RawIdentifier(kind: item.kind, namespace: item.namespace, value: item.value))
                items.append(.init(identifier: identifier, assurance: item.assurance ?? defaultAssurance))
            } catch {
                return PreparedLine(number: number, rejection: "identifiers[\(index)]: \(error.description)")
            }
        }
        let profile: Profile
        do {
            profile = try (line.profile ?? Profile()).normalized()
        } catch {
            return PreparedLine(number: number, rejection: error.description)
        }
        return PreparedLine(number: number, customer: NewCustomer(id: .random(using: &random), identifiers: items, profile: profile))
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case let .keyNotFound(key, context): return "missing \(path(context.codingPath + [key]))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context): return "wrong type at \(path(context.codingPath))"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "the line is not valid JSON" : "invalid value at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "the line could not be decoded"
        }
    }

    private static func rejectLine(_ number: Int, reason: String) -> String {
        let encoded = (try? JSONEncoder().encode(["line": "\(number)", "reason": reason])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return encoded + "\n"
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Why an import could not run at all.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    case cannotRead(String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case let .cannotRead(path): "cannot read the import file \(path)"
        case let .cannotWrite(path): "cannot write the rejects file \(path)"
        }
    }
}
