/// Where a merge stands.
public enum MergeState: String, Sendable, Codable, CaseIterable {
    /// In effect: the duplicate resolves to the survivor.
    case active
    /// Undone by an unmerge; kept for history.
    case undone
    /// One of its customers was erased, and with them the snapshot that an unmerge would need.
    case erased
}
