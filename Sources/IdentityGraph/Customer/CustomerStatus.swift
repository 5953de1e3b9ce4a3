public import Foundation

/// Whether a customer id still stands for a live customer.
public enum CustomerStatus: Sendable, Equatable {
    /// A live customer with links and profile.
    case active
    /// Merged into another customer; the id resolves to `into`, always a live customer or an
    /// erased one (chains are collapsed when they form).
    case merged(into: CustomerID, merge: MergeID)
    /// Erased on request: a tombstone without links or profile.
    case erased(at: Date)
}
