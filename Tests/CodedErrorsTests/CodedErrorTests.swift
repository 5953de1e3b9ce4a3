import CodedErrors
import Testing

struct SampleError: CodedError {
    enum Code: String, Sendable, Hashable { case first, second }
    let code: Code
    let reason: String
}

struct CodedErrorTests {
    @Test func errorsAreEqualByCodeAndDescribeThemselves() {
        #expect(SampleError(code: .first, reason: "one way") == SampleError(code: .first, reason: "another way"))
        #expect(SampleError(code: .first, reason: "x") != SampleError(code: .second, reason: "x"))
        #expect(Set([SampleError(code: .first, reason: "a"), SampleError(code: .first, reason: "b")]).count == 1)
        #expect(SampleError(code: .second, reason: "what went wrong").description == "SampleError.second: what went wrong")
    }
}
