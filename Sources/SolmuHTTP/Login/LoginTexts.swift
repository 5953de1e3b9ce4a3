/// The words of the login pages in one language.
///
/// The stored properties are read by the templates by name (`{{t.sendCode}}`); texts with a value in
/// them are methods, called by ``LoginPages`` while it builds a page.
struct LoginTexts: Sendable {
    /// The `lang` attribute of the page.
    let lang: String
    let language: Language

    enum Language: Sendable {
        case english
        case finnish
    }

    // Identifier page
    let logInHeading: String
    let identifierIntro: String
    let identifierLabel: String
    let sendCode: String
    let usePassword: String

    // Code page
    let codeHeading: String
    let codeLabel: String
    let logIn: String
    let noCodeHeading: String
    let noCodeHelp: String
    let sendNewCode: String
    let useOtherIdentifier: String

    // Password page
    let passwordHeading: String
    let passwordLabel: String
    let forgotPassword: String
    let useCode: String

    // Set-password page
    let setPasswordHeading: String
    let setPasswordIntro: String
    let newPasswordLabel: String
    let confirmPasswordLabel: String
    let savePassword: String
    let skip: String

    // Error and logged-out pages
    let errorHeading: String
    let errorHelp: String
    let loggedOutHeading: String
    let loggedOutText: String
    let logoutConfirmHeading: String
    let logoutConfirmText: String
    let logoutButton: String

    /// The texts for a locale: Finnish for `fi` (also `fi-FI`, `FI`), English for anything else.
    static func forLocale(_ locale: String) -> LoginTexts {
        let language = locale.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first
        return language == "fi" ? .finnish : .english
    }

    static let english = LoginTexts(
        lang: "en",
        language: .english,
        logInHeading: "Log in",
        identifierIntro: "Enter your e-mail address or phone number. We will send you a one-time code.",
        identifierLabel: "E-mail address or phone number",
        sendCode: "Send code",
        usePassword: "Log in with a password instead",
        codeHeading: "Enter the code",
        codeLabel: "6-digit code",
        logIn: "Log in",
        noCodeHeading: "Didn't get a code?",
        noCodeHelp: "The message can take a minute to arrive. Check your spam folder too, or ask for a new code.",
        sendNewCode: "Send a new code",
        useOtherIdentifier: "Use a different e-mail address or phone number",
        passwordHeading: "Log in with a password",
        passwordLabel: "Password",
        forgotPassword: "Forgot your password? Log in with a one-time code, and you can then set a new password.",
        useCode: "Log in with a one-time code",
        setPasswordHeading: "Set a password",
        setPasswordIntro: "You are logged in. If you like, set a password to use next time. This is optional.",
        newPasswordLabel: "New password",
        confirmPasswordLabel: "Repeat the new password",
        savePassword: "Save password",
        skip: "Skip",
        errorHeading: "Login is not possible",
        errorHelp: "If the problem continues, please contact customer service.",
        loggedOutHeading: "You have logged out",
        loggedOutText: "You can now close this window.",
        logoutConfirmHeading: "Log out?",
        logoutConfirmText: "Do you want to log out? You will be logged out of every service where you used this login.",
        logoutButton: "Log out"
    )

    static let finnish = LoginTexts(
        lang: "fi",
        language: .finnish,
        logInHeading: "Kirjaudu sisään",
        identifierIntro: "Syötä sähköpostiosoitteesi tai puhelinnumerosi. Lähetämme sinulle kertakäyttöisen koodin.",
        identifierLabel: "Sähköpostiosoite tai puhelinnumero",
        sendCode: "Lähetä koodi",
        usePassword: "Kirjaudu mieluummin salasanalla",
        codeHeading: "Syötä koodi",
        codeLabel: "6-numeroinen koodi",
        logIn: "Kirjaudu sisään",
        noCodeHeading: "Etkö saanut koodia?",
        noCodeHelp: "Viestin saapuminen voi kestää hetken. Tarkista myös roskapostikansio tai pyydä uusi koodi.",
        sendNewCode: "Lähetä uusi koodi",
        useOtherIdentifier: "Käytä toista sähköpostiosoitetta tai puhelinnumeroa",
        passwordHeading: "Kirjaudu salasanalla",
        passwordLabel: "Salasana",
        forgotPassword: "Unohditko salasanasi? Kirjaudu kertakäyttöisellä koodilla, niin voit sen jälkeen asettaa uuden salasanan.",
        useCode: "Kirjaudu kertakäyttöisellä koodilla",
        setPasswordHeading: "Aseta salasana",
        setPasswordIntro: "Olet kirjautunut sisään. Voit halutessasi asettaa salasanan seuraavaa kirjautumista varten. Tämä on vapaaehtoista.",
        newPasswordLabel: "Uusi salasana",
        confirmPasswordLabel: "Toista uusi salasana",
        savePassword: "Tallenna salasana",
        skip: "Ohita",
        errorHeading: "Kirjautuminen ei onnistu",
        errorHelp: "Jos ongelma toistuu, ota yhteyttä asiakaspalveluun.",
        loggedOutHeading: "Olet kirjautunut ulos",
        loggedOutText: "Voit nyt sulkea tämän ikkunan.",
        logoutConfirmHeading: "Kirjaudutaanko ulos?",
        logoutConfirmText: "Haluatko kirjautua ulos? Sinut kirjataan ulos kaikista palveluista, joissa käytit tätä kirjautumista.",
        logoutButton: "Kirjaudu ulos"
    )
}

extension LoginTexts {
    /// "Log in to Web shop" / "Kirjaudu palveluun Web shop".
    func logInTo(_ clientName: String) -> String {
        switch language {
        case .english: "Log in to \(clientName)"
        case .finnish: "Kirjaudu palveluun \(clientName)"
        }
    }

    /// The line above the code field: where the code went, if the page does not already say so.
    func codeIntro(destination: String?) -> String {
        switch (language, destination) {
        case (.english, let destination?): "Enter the 6-digit code we sent to \(destination)."
        case (.english, nil): "Enter the 6-digit code from the message we sent you."
        case (.finnish, let destination?): "Syötä 6-numeroinen koodi, jonka lähetimme \(finnishDestination(destination))."
        case (.finnish, nil): "Syötä 6-numeroinen koodi, jonka lähetimme sinulle."
        }
    }

    /// The text of a message. `destination` is the masked address or number a code went to, where known.
    func text(for message: LoginMessage, destination: String? = nil) -> String {
        switch (language, message) {
        case (.english, .invalidIdentifier):
            "Enter an e-mail address or a phone number."
        case (.finnish, .invalidIdentifier):
            "Syötä sähköpostiosoite tai puhelinnumero."

        case (_, .wrongCode(let remaining)) where remaining <= 0:
            text(for: .tooManyAttempts)
        case (.english, .wrongCode(let remaining)):
            "The code is wrong. Attempts left: \(remaining)"
        case (.finnish, .wrongCode(let remaining)):
            "Koodi on väärä. Yrityksiä jäljellä: \(remaining)"

        case (.english, .codeExpired):
            "The code has expired. Ask for a new code."
        case (.finnish, .codeExpired):
            "Koodi on vanhentunut. Pyydä uusi koodi."

        case (.english, .tooManyAttempts):
            "Too many wrong attempts. Ask for a new code."
        case (.finnish, .tooManyAttempts):
            "Liian monta väärää yritystä. Pyydä uusi koodi."

        case (.english, .rateLimited(let seconds)):
            "Too many attempts. \(tryAgain(after: seconds))."
        case (.finnish, .rateLimited(let seconds)):
            "Liian monta yritystä. \(tryAgain(after: seconds))."

        case (.english, .wrongPassword):
            "Wrong e-mail address, phone number or password."
        case (.finnish, .wrongPassword):
            "Väärä sähköpostiosoite, puhelinnumero tai salasana."

        case (.english, .locked(let seconds)):
            "Too many wrong passwords. \(tryAgain(after: seconds)), or log in with a one-time code."
        case (.finnish, .locked(let seconds)):
            "Liian monta väärää salasanaa. \(tryAgain(after: seconds)) tai kirjaudu kertakäyttöisellä koodilla."

        case (.english, .passwordTooShort(let minimum)):
            "The password must be at least \(minimum) \(minimum == 1 ? "character" : "characters") long."
        case (.finnish, .passwordTooShort(let minimum)):
            "Salasanan on oltava vähintään \(minimum) merkkiä pitkä."

        case (.english, .passwordsDiffer):
            "The passwords do not match."
        case (.finnish, .passwordsDiffer):
            "Salasanat eivät täsmää."

        case (.english, .loginExpired):
            "The login took too long. Go back to the service you came from and start again."
        case (.finnish, .loginExpired):
            "Kirjautuminen kesti liian kauan. Palaa palveluun, josta tulit, ja aloita alusta."

        case (.english, .invalidForm):
            "The page has expired. Go back to the service you came from and start again."
        case (.finnish, .invalidForm):
            "Sivu on vanhentunut. Palaa palveluun, josta tulit, ja aloita alusta."

        case (.english, .unknownClient):
            "The login link is not valid: the service is unknown."
        case (.finnish, .unknownClient):
            "Kirjautumislinkki ei ole kelvollinen: palvelua ei tunnisteta."

        case (.english, .invalidRedirectURI):
            "The login link is not valid: its return address is not registered."
        case (.finnish, .invalidRedirectURI):
            "Kirjautumislinkki ei ole kelvollinen: sen paluuosoitetta ei ole rekisteröity."

        case (.english, .codeSent):
            if let destination { "We sent a code to \(destination)." } else { "We sent you a code." }
        case (.finnish, .codeSent):
            if let destination {
                "Lähetimme koodin \(finnishDestination(destination))."
            } else {
                "Lähetimme sinulle koodin."
            }

        case (.english, .serviceUnavailable):
            "The service is temporarily unavailable. Please try again in a moment."
        case (.finnish, .serviceUnavailable):
            "Palvelu ei ole juuri nyt käytettävissä. Yritä hetken kuluttua uudelleen."
        }
    }

    /// Finnish needs the right noun: "osoitteeseen t***@example.com", "numeroon +358 40 *** **12".
    private func finnishDestination(_ destination: String) -> String {
        destination.contains("@") ? "osoitteeseen \(destination)" : "numeroon \(destination)"
    }

    /// "Try again in 5 minutes" / "Yritä uudelleen 5 minuutin kuluttua", rounded up to a unit people use.
    private func tryAgain(after seconds: Int) -> String {
        guard seconds > 0 else {
            return language == .english ? "Try again in a moment" : "Yritä hetken kuluttua uudelleen"
        }
        let (amount, unit): (Int, Unit) =
            if seconds < 60 { (seconds, .second) }
            else if seconds < 2 * 3600 { ((seconds + 59) / 60, .minute) }
            else { ((seconds + 3599) / 3600, .hour) }
        switch language {
        case .english:
            let noun = switch unit {
            case .second: amount == 1 ? "second" : "seconds"
            case .minute: amount == 1 ? "minute" : "minutes"
            case .hour: amount == 1 ? "hour" : "hours"
            }
            return "Try again in \(amount) \(noun)"
        case .finnish:
            // With "kuluttua" the noun is genitive singular whatever the number.
            let noun = switch unit {
            case .second: "sekunnin"
            case .minute: "minuutin"
            case .hour: "tunnin"
            }
            return "Yritä uudelleen \(amount) \(noun) kuluttua"
        }
    }

    private enum Unit { case second, minute, hour }
}
