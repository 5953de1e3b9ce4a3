import SeededRandom
import Foundation

/// The generated customers file and the identifiers sampled from it for the resolve load.
struct DataSet {
    let customers: Int
    let seed: UInt64
    let directory: URL

    var ndjsonFile: URL { directory.appendingPathComponent("customers.ndjson") }
    var rejectsFile: URL { directory.appendingPathComponent("customers.rejects.ndjson") }
    /// Records which customers the NDJSON file holds, so that a rerun with the same flags reuses it.
    private var manifestFile: URL { directory.appendingPathComponent("customers.manifest") }
    private var manifest: String { "customers=\(customers) seed=\(seed) format=2\n" }

    /// Writes the NDJSON file unless an identical one is already there.
    /// - Returns: Whether the file was written (false: reused).
    func writeCustomers() throws -> Bool {
        if let existing = try? String(contentsOf: manifestFile, encoding: .utf8), existing == manifest,
           FileManager.default.fileExists(atPath: ndjsonFile.path) {
            return false
        }
        try? FileManager.default.removeItem(at: manifestFile)
        let writer = try BufferedFileWriter(url: ndjsonFile)
        for index in 0..<customers {
            try writer.write(SyntheticCustomer(index: index, seed: seed).ndjsonLine)
        }
        try writer.close()
        try manifest.write(to: manifestFile, atomically: true, encoding: .utf8)
        return true
    }

    /// Draws `count` identifiers of random customers, rotating over kinds and the forms a channel
    /// might send them in (national and international phone numbers, spaced card numbers, …).
    func sample(count: Int) -> [QuerySample] {
        var random = SeededGenerator(seed: seed ^ 0x5A4D_504C_4553)  // a different stream from the customers'
        return (0..<count).map { position in
            let customer = SyntheticCustomer(index: Int.random(in: 0..<customers, using: &random), seed: seed)
            switch position % 9 {
            case 0: return QuerySample(kind: "email", value: customer.email)
            case 1: return QuerySample(kind: "email", value: customer.email.lowercased())
            case 2: return QuerySample(kind: "email", value: customer.email.uppercased())
            case 3: return QuerySample(kind: "phone", value: customer.phoneInternational)
            case 4: return QuerySample(kind: "phone", value: "+358 " + QuerySample.grouped(customer.phoneNational, [2, 3]))
            case 5: return QuerySample(kind: "phone", value: "0" + QuerySample.grouped(customer.phoneNational, [2]))
            case 6: return QuerySample(kind: "phone", value: "0" + customer.phoneNational)
            case 7: return QuerySample(kind: "loyalty_card", namespace: "plussa", value: customer.card)
            default: return QuerySample(kind: "loyalty_card", namespace: "Plussa", value: QuerySample.grouped(customer.card, [4, 4, 4]))
            }
        }
    }

    /// Writes the sample twice: readable (`samples.tsv`) and as request paths for the wrk script.
    func writeSample(_ sample: [QuerySample]) throws -> (table: URL, paths: URL) {
        let table = directory.appendingPathComponent("samples.tsv")
        let paths = directory.appendingPathComponent("resolve-paths.txt")
        let rows = sample.map { "\($0.kind)\t\($0.namespace ?? "")\t\($0.value)\n" }.joined()
        try ("kind\tnamespace\tvalue\n" + rows).write(to: table, atomically: true, encoding: .utf8)
        try sample.map { $0.path + "\n" }.joined().write(to: paths, atomically: true, encoding: .utf8)
        return (table, paths)
    }
}

/// An identifier to resolve, in the form it is sent (not necessarily normalized).
struct QuerySample {
    let kind: String
    var namespace: String? = nil
    let value: String

    /// `/v1/resolve?kind=…[&namespace=…]&value=…`, percent-encoded.
    var path: String {
        var path = "/v1/resolve?kind=" + Self.percentEncoded(kind)
        if let namespace { path += "&namespace=" + Self.percentEncoded(namespace) }
        return path + "&value=" + Self.percentEncoded(value)
    }

    /// `digits` with a space after each group of the given lengths: `grouped("401234567", [2, 3])`
    /// is `40 123 4567`.
    static func grouped(_ digits: String, _ groups: [Int]) -> String {
        var rest = Substring(digits)
        var parts: [Substring] = []
        for length in groups {
            parts.append(rest.prefix(length))
            rest = rest.dropFirst(length)
        }
        return (parts + [rest]).joined(separator: " ")
    }

    private static func percentEncoded(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }
}
