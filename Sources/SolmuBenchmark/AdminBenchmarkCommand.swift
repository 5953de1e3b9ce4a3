import SeededRandom
import ArgumentParser
import Foundation

/// `solmu-benchmark admin`: the admin side at scale. A duplicate scan over a large customer base
/// with planted duplicates, and merges and unmerges of customers with many links.
struct AdminBenchmarkCommand: Benchmark {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Measure the admin side: a duplicate scan over many customers, and merge/unmerge latency.",
        discussion: """
            Generates customers with profiles (names, birth dates, postal codes) and three unique
            identifiers each; one in --duplicate-every is the same person as the customer before it
            (same birth date, same or misspelled name, usually the same postal code, other
            identifiers). Imports them with `solmu import`, starts `solmu serve`, times
            `solmu admin duplicates` end to end (reading the database included) and counts how
            many planted pairs it found, then merges and unmerges two customers with --links links
            each, timing every request. Build first: swift build -c release --product solmu
            """
    )

    @Option(help: "Customers to generate and import.")
    var customers = 1_000_000

    @Option(help: "One customer in this many is a planted duplicate of the one before it.")
    var duplicateEvery = 100

    @Option(help: "Links of each of the two customers merged and unmerged.")
    var links = 100

    @Option(help: "Merge-and-unmerge rounds to time.")
    var rounds = 50

    @Option(help: "Where the data, database, keys and logs go (never commit it).")
    var workDir = ".build/benchmark-admin"

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 7

    @OptionGroup var paths: BenchmarkPaths

    func validate() throws {
        guard (2...SyntheticCustomer.maximumCount).contains(customers) else {
            throw ValidationError("--customers must be from 2 to \(SyntheticCustomer.maximumCount)")
        }
        guard duplicateEvery >= 2 else { throw ValidationError("--duplicate-every must be at least 2") }
        guard (1...1_000).contains(links) else { throw ValidationError("--links must be from 1 to 1000") }
        guard (1...10_000).contains(rounds) else { throw ValidationError("--rounds must be from 1 to 10000") }
    }

    func measure() throws {
        let solmu = try paths.locateSolmu()
        let work = try BenchmarkDirectory(workDir, policies: paths.policies)
        let storage = work.storage
        let clock = ContinuousClock()
        let file = work.url.appendingPathComponent("customers.ndjson")
        progress("generating \(customers) customers with profiles, one in \(duplicateEvery) a planted duplicate")
        let planted = try writeCustomers(to: file)
        progress("importing")
        let imported = try work.importCustomers(file, solmu: solmu)
        progress(imported.summary + " [\(oneDecimal(imported.seconds)) s]")

        let port = try LoopbackHTTP.freePort()
        let server = try ServerProcess(solmu: solmu, port: port, storage: storage, log: work.url.appendingPathComponent("server.log"))
        defer { _ = server.stop() }
        try server.waitUntilReady()
        let environment = ["SOLMU_SERVER": "http://127.0.0.1:\(port)", "SOLMU_CLIENT_ID": "admin-cli",
                           "SOLMU_CLIENT_SECRET": "admin-cli-dev-secret", "SOLMU_OPERATOR": "benchmark"]

        progress("solmu admin duplicates over \(customers + 2) customers")
        var scan: (status: Int32, output: String) = (0, "")
        let scanTime = try clock.measure {
            scan = try Subprocess.run(solmu, ["admin", "duplicates", "--json", "--limit", "100000"], environment: environment, separateErrors: true)
        }
        guard scan.status == 0, let result = try? JSONSerialization.jsonObject(with: Data(scan.output.utf8)) as? [String: Any],
              let pairs = result["pairs"] as? [[String: Any]]
        else { throw BenchmarkError("solmu admin duplicates failed (\(scan.status)):\n\(scan.output.prefix(2_000))") }
        let ids = try customerIDs(port: port, environment: environment, planted: planted)
        let found = Set(pairs.map { Set([$0["first"] as? String ?? "", $0["second"] as? String ?? ""]) })
        let plantedFound = ids.pairs.filter { found.contains($0) }.count
        progress("scan: \(oneDecimal(scanTime.seconds)) s, \(pairs.count) pairs, \(plantedFound) of \(ids.pairs.count) sampled planted pairs found")

        progress("merging and unmerging two customers of \(links) links, \(rounds) rounds")
        let token = try LoopbackHTTP.token(port: port, client: "admin-cli", secret: "admin-cli-dev-secret", scope: "admin")
        var merges: [Double] = []
        var unmerges: [Double] = []
        for round in 0..<rounds {
            var response = LoopbackHTTP.Response(status: 0, body: "")
            let merge = try clock.measure {
                response = try LoopbackHTTP.request(port: port, method: "POST", path: "/admin/v1/merges", headers: json(token), body: """
                    {"survivor":"\(ids.wideSurvivor)","duplicate":"\(ids.wideDuplicate)","operator":"benchmark","reason":"round \(round)"}
                    """)
            }
            guard response.status == 201, let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
                  let mergeID = object["id"] as? String
            else { throw BenchmarkError("merge answered \(response.status): \(response.body.prefix(500))") }
            let unmerge = try clock.measure {
                response = try LoopbackHTTP.request(port: port, method: "POST", path: "/admin/v1/merges/\(mergeID)/undo", headers: json(token),
                                                    body: #"{"operator":"benchmark","reason":"undo"}"#)
            }
            guard response.status == 200, response.body.contains("\"restored\"") else {
                throw BenchmarkError("unmerge answered \(response.status): \(response.body.prefix(500))")
            }
            merges.append(merge.milliseconds)
            unmerges.append(unmerge.milliseconds)
        }
        let report = """
            ## Admin benchmark

            | | |
            |---|---|
            | machine | \(MachineDescription.current(solmu: solmu, loadBefore: MachineDescription.loadAverage()).summary) |
            | customers | \(customers) generated + 2 with \(links) links; one in \(duplicateEvery) a planted duplicate |
            | import | \(oneDecimal(imported.seconds)) s |
            | `solmu admin duplicates` (end to end: token, scan incl. reading every customer from SQLite, JSON of \(pairs.count) pairs) | **\(oneDecimal(scanTime.seconds)) s** |
            | planted pairs found (sample of \(ids.pairs.count), default threshold) | \(plantedFound) |
            | merge of a customer with \(links) links (\(rounds) rounds, client-side, HTTP included) | p50 \(Self.percentile(merges, 0.5)) ms, p99 \(Self.percentile(merges, 0.99)) ms, max \(String(format: "%.1f", merges.max() ?? 0)) ms |
            | unmerge of it | p50 \(Self.percentile(unmerges, 0.5)) ms, p99 \(Self.percentile(unmerges, 0.99)) ms, max \(String(format: "%.1f", unmerges.max() ?? 0)) ms |
            | server peak RSS | \(server.peakResidentBytes().map { "\($0 / 1_048_576) MiB" } ?? "unknown") |
            """
        try paths.publish(report)
    }

    /// The planted pairs by their e-mail addresses (to look up ids later) and the two wide customers.
    private func writeCustomers(to file: URL) throws -> [(String, String)] {
        let writer = try BufferedFileWriter(url: file)
        var planted: [(String, String)] = []
        var previous: (customer: SyntheticCustomer, person: SyntheticPerson)?
        for index in 0..<customers {
            let customer = SyntheticCustomer(index: index, seed: seed)
            var person = SyntheticPerson(index: index, seed: seed)
            if index % duplicateEvery == 1, let (before, original) = previous {
                person = original.variant(index: index, seed: seed)
                planted.append((before.email.lowercased(), customer.email.lowercased()))
            }
            try writer.write(person.ndjsonLine(customer))
            previous = (customer, person)
        }
        // Two customers with many links each: an e-mail address and receipts.
        for (name, store) in [("wide.survivor", "bench-a"), ("wide.duplicate", "bench-b")] {
            let receipts = (1..<links).map { #"{"kind":"receipt","namespace":"\#(store)","value":"1-\#($0)"}"# }
            try writer.write(#"{"identifiers":[{"kind":"email","value":"\#(name)@example.com"},"# + receipts.joined(separator: ",") + "]}\n")
        }
        try writer.close()
        return planted
    }

    /// Ids of the wide customers and of a sample of planted pairs (looked up through the admin CLI).
    private func customerIDs(port: Int, environment: [String: String], planted: [(String, String)]) throws
        -> (wideSurvivor: String, wideDuplicate: String, pairs: [Set<String>])
    {
        let solmu = try paths.locateSolmu()
        func id(_ email: String) throws -> String {
            let shown = try Subprocess.run(solmu, ["admin", "customer", "show", "--identifier", "email:\(email)", "--json"],
                                           environment: environment, separateErrors: true)
            guard let object = try? JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any], let id = object["id"] as? String else {
                throw BenchmarkError("no customer for a generated e-mail address: \(shown.output.prefix(300))")
            }
            return id
        }
        let stride = max(1, planted.count / 200)
        let sample = try Swift.stride(from: 0, to: planted.count, by: stride).map { index in
            Set([try id(planted[index].0), try id(planted[index].1)])
        }
        return (try id("wide.survivor@example.com"), try id("wide.duplicate@example.com"), sample)
    }

    private func json(_ token: String) -> [(String, String)] {
        [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "-" }
        return String(format: "%.1f", sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)])
    }

}

/// The profile of a generated person: name, birth date, postal code, drawn from pools large
/// enough that unrelated people rarely share all of them.
struct SyntheticPerson {
    var givenName: String
    var familyName: String
    var birthdate: String
    var postalCode: String

    init(index: Int, seed: UInt64) {
        var random = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1))
        givenName = Self.givenNames.randomElement(using: &random)!
        familyName = Self.familyStems.randomElement(using: &random)! + Self.familyEndings.randomElement(using: &random)!
        let year = Int.random(in: 1940...2006, using: &random)
        let month = Int.random(in: 1...12, using: &random)
        let day = Int.random(in: 1...28, using: &random)
        birthdate = String(format: "%04d-%02d-%02d", year, month, day)
        postalCode = String(format: "%05d", Int.random(in: 0..<1_000, using: &random) * 100 + 10)
    }

    private init(givenName: String, familyName: String, birthdate: String, postalCode: String) {
        self.givenName = givenName
        self.familyName = familyName
        self.birthdate = birthdate
        self.postalCode = postalCode
    }

    /// The same person as entered in another channel: same birth date, the name sometimes
    /// misspelled (two letters swapped), the postal code usually the same.
    func variant(index: Int, seed: UInt64) -> SyntheticPerson {
        var random = SeededGenerator(seed: seed ^ UInt64(index) &* 31)
        var given = Array(givenName)
        if Int.random(in: 0..<3, using: &random) == 0, given.count > 3 {
            given.swapAt(2, 3)
        }
        let moved = Int.random(in: 0..<5, using: &random) == 0
        return SyntheticPerson(givenName: String(given), familyName: familyName, birthdate: birthdate,
                               postalCode: moved ? String(format: "%05d", Int.random(in: 0..<1_000, using: &random) * 100 + 10) : postalCode)
    }

    /// The NDJSON line with `customer`'s identifiers and this profile (ASCII only: no escaping).
    func ndjsonLine(_ customer: SyntheticCustomer) -> String {
        #"{"identifiers":[{"kind":"email","value":"\#(customer.email)"},{"kind":"phone","value":"\#(customer.phoneInternational)"},"#
            + #"{"kind":"loyalty_card","namespace":"plussa","value":"\#(customer.card)"}],"#
            + #""profile":{"given_name":"\#(givenName)","family_name":"\#(familyName)","birthdate":"\#(birthdate)","postal_code":"\#(postalCode)"}}"#
            + "\n"
    }

    private static let givenNames = [
        "Aino", "Eino", "Helmi", "Onni", "Aada", "Leo", "Sofia", "Elias", "Olivia", "Vaino", "Emma", "Oliver", "Lilja", "Eetu",
        "Isla", "Niilo", "Ellen", "Toivo", "Pihla", "Lauri", "Maria", "Juhani", "Anna", "Johannes", "Kaarina", "Mikael", "Elina",
        "Matti", "Liisa", "Timo", "Sari", "Jari", "Tiina", "Mika", "Paivi", "Kari", "Minna", "Petri", "Satu", "Antti", "Hanna",
        "Ville", "Riikka", "Janne", "Laura", "Tuomas", "Heidi", "Sami", "Johanna", "Teemu", "Jenni", "Marko", "Katja", "Jukka",
        "Outi", "Pekka", "Marja", "Heikki", "Leena", "Erik", "Astrid", "Nils", "Ingrid", "Lars", "Karin", "Sven", "Birgitta",
    ]
    private static let familyStems = [
        "Korho", "Virta", "Maki", "Niemi", "Hamala", "Lai", "Heikki", "Koski", "Jarvi", "Lehto", "Saari", "Salmi", "Heino",
        "Kallio", "Rinta", "Laakso", "Mattila", "Lind", "Berg", "Holm", "Strom", "Kivi", "Tuomi", "Mustone", "Laht", "Aalto",
        "Hiltu", "Pelto", "Haapa", "Kos", "Ranta", "Suo", "Vaara", "Harju", "Mets", "Kangas", "Joki", "Lampi", "Nurmi", "Ojala",
    ]
    private static let familyEndings = ["nen", "la", "lainen", "maa", "aho", "vaara", "ström", "berg", "qvist", "ala", "inen", "sto"]
}
