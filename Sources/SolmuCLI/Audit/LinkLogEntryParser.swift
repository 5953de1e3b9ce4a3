import Foundation
import Identifiers
import IdentityGraph
import JSONScanning

/// Reads one link-log entry from its JSON object (a line of an export, an element of
/// `GET /log/entries`) without `JSONDecoder`, which costs more than everything else `verify` does
/// for a million entries.
///
/// It accepts only what it fully understands: one flat object whose members are strings or (for
/// `sequence`) an integer, every value checked by the same initializers the `Decodable` path
/// uses. On anything else it returns `nil` and the caller falls back to `JSONDecoder`, which then
/// decides; so this is a fast path, never a second opinion.
enum LinkLogEntryParser {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LinkLogEntry? {
        var reader = JSONByteReader(bytes)
        var members: [String: String] = [:]
        var sequence: Int64?
        reader.skipSpace()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipSpace()
        if !reader.take(UInt8(ascii: "}")) {
            while true {
                reader.skipSpace()
                guard let key = reader.string() else { return nil }
                reader.skipSpace()
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipSpace()
                if key == "sequence" {
                    guard sequence == nil, let number = reader.integer() else { return nil }
                    sequence = number
                } else {
                    guard let value = reader.string(), members.updateValue(value, forKey: key) == nil else { return nil }
                }
                reader.skipSpace()
                if reader.take(UInt8(ascii: ",")) { continue }
                guard reader.take(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        reader.skipSpace()
        guard reader.atEnd, let sequence else { return nil }
        return entry(sequence: sequence, members)
    }

    private static let knownMembers: Set<String> = [
        "time", "actor", "action", "customer_id", "kind", "namespace", "value_hash", "assurance", "reason", "operator",
        "related_customer_id", "merge_id",
    ]

    private static func entry(sequence: Int64, _ members: [String: String]) -> LinkLogEntry? {
        // Unknown members are left to JSONDecoder (which ignores them) so both paths agree.
        guard members.keys.allSatisfy(knownMembers.contains),
              let timeText = members["time"], let time = RFC3339Time.parse(timeText),
              let actor = members["actor"],
              let action = members["action"].flatMap(LinkLogAction.init(rawValue:)),
              let customer = members["customer_id"].flatMap(CustomerID.init(rawValue:))
        else { return nil }
        var record = LinkLogRecord(time: time, actor: actor, action: action, customerID: customer)
        if let kind = members["kind"] {
            guard let known = IdentifierKind(rawValue: kind) else { return nil }
            record.identifierKind = known
        }
        if let assurance = members["assurance"] {
            guard let known = Assurance(rawValue: assurance) else { return nil }
            record.assurance = known
        }
        if let related = members["related_customer_id"] {
            guard let id = CustomerID(rawValue: related) else { return nil }
            record.relatedCustomerID = id
        }
        if let merge = members["merge_id"] {
            guard let id = MergeID(rawValue: merge) else { return nil }
            record.mergeID = id
        }
        record.namespace = members["namespace"]
        record.valueHash = members["value_hash"]
        record.reason = members["reason"]
        record.operatorName = members["operator"]
        return LinkLogEntry(sequence: sequence, record: record)
    }
}
