/// A failure explained to the person running the benchmark; printed without a stack trace.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
