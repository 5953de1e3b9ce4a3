/// The shape of a receipt reference: a terminal (till) number and a receipt number.
public struct ReceiptFormat: Sendable, Equatable {
    /// How many digits the terminal number may have, e.g. `1...4`.
    public var terminalDigits: ClosedRange<Int>
    /// How many digits the receipt number may have, e.g. `1...12`.
    public var numberDigits: ClosedRange<Int>
    /// The characters that may separate terminal and number, e.g. `-/ :`.
    public var separators: String

    /// Creates a receipt format.
    /// - Parameters:
    ///   - terminalDigits: Allowed digit counts of the terminal number.
    ///   - numberDigits: Allowed digit counts of the receipt number.
    ///   - separators: The characters that may separate the two.
    public init(terminalDigits: ClosedRange<Int> = 1...4, numberDigits: ClosedRange<Int> = 1...12, separators: String = "-/ :") {
        self.terminalDigits = terminalDigits
        self.numberDigits = numberDigits
        self.separators = separators
    }
}
