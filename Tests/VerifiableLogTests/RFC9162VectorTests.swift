import Foundation
import Testing
import VerifiableLog

/// The transparency-dev/merkle known-answer vectors in `shared/testdata/rfc9162`: every case with
/// `wantErr` must be rejected, every other must verify.
struct RFC9162VectorTests {
    struct InclusionVector: Decodable {
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    struct ConsistencyVector: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    @Test func theVectorsArePresent() throws {
        // Counts as shipped; a vanished folder or file must fail, not pass by testing nothing.
        #expect(try TestSupport.vectorFiles("inclusion").count == 49)
        #expect(try TestSupport.vectorFiles("consistency").count == 57)
    }

    @Test func inclusionVectors() throws {
        var accepted = 0
        var rejected = 0
        for file in try TestSupport.vectorFiles("inclusion") {
            let vector = try JSONDecoder().decode(InclusionVector.self, from: Data(contentsOf: file))
            let name = "\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent) (\(vector.desc))"
            let leafHash = try TestSupport.base64(vector.leafHash)
            let root = try TestSupport.base64(vector.root)
            let proof = try (vector.proof ?? []).map(TestSupport.base64)
            do {
                try MerkleProof.verifyInclusion(leafHash: leafHash, index: vector.leafIdx, size: vector.treeSize, proof: proof, root: root)
                #expect(!vector.wantErr, "accepted \(name)")
                accepted += 1
            } catch {
                #expect(vector.wantErr, "rejected \(name): \(error)")
                rejected += 1
            }
        }
        #expect(accepted == 3)
        #expect(rejected == 46)
    }

    @Test func consistencyVectors() throws {
        var accepted = 0
        var rejected = 0
        for file in try TestSupport.vectorFiles("consistency") {
            let vector = try JSONDecoder().decode(ConsistencyVector.self, from: Data(contentsOf: file))
            let name = "\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent) (\(vector.desc))"
            let root1 = try TestSupport.base64(vector.root1)
            let root2 = try TestSupport.base64(vector.root2)
            let proof = try (vector.proof ?? []).map(TestSupport.base64)
            do {
                try MerkleProof.verifyConsistency(from: vector.size1, to: vector.size2, proof: proof, oldRoot: root1, newRoot: root2)
                #expect(!vector.wantErr, "accepted \(name)")
                accepted += 1
            } catch {
                #expect(vector.wantErr, "rejected \(name): \(error)")
                rejected += 1
            }
        }
        #expect(accepted == 4)
        #expect(rejected == 53)
    }
}
