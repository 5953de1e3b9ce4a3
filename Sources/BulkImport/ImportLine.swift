import Foundation
import Identifiers
import IdentityGraph

/// One line of an import file: the same shape as the body of `POST /v1/customers`.
///
/// ```json
/// {"identifiers": [{"kind": "email", "value": "anna@example.com", "assurance": "verified"}], "profile": {"given_name": "Anna"}}
/// ```
struct ImportLine: Decodable, Equatable {
    struct Item: Decodable, Equatable {
        var kind: String
        var namespace: String?
        var value: String
        var assurance: Assurance?
    }

    var identifiers: [Item]
    var profile: Profile?
}
