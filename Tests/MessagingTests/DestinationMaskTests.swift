import Messaging
import Testing

@Suite struct DestinationMaskTests {
    @Test(arguments: [
        ("anna@example.com", "a***@example.com"),
        ("@example.com", "***@example.com"),
        ("+358401234567", "+358******567"),
        ("+35840123567", "+358*****567"),
        ("12345", "*****"),
        ("https://shop.example/logout?sid=1", "https://shop.example"),
    ])
    func masks(destination: String, masked: String) {
        #expect(DestinationMask.mask(destination) == masked)
    }
}
