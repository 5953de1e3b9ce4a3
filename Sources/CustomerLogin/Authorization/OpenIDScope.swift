/// The OpenID Connect scopes Solmu serves to customer-facing channels.
public enum OpenIDScope {
    public static let openid = "openid"
    public static let profile = "profile"
    public static let email = "email"
    public static let phone = "phone"
    /// Asks for a long-lived refresh token (OpenID Connect Core §11).
    public static let offlineAccess = "offline_access"

    public static let all: Set<String> = [openid, profile, email, phone, offlineAccess]
}
