import Testing
import EventContracts
import NotificationService

@Suite struct NotificationTextTests {
    let order = [
        OrderItem(drink: "latte", size: .medium, quantity: 2),
        OrderItem(drink: "espresso", size: .small, quantity: 1),
    ]

    @Test func receivedListsTheDrinks() {
        #expect(NotificationText.render(kind: .received, name: "Ana", items: order, reason: nil)
            == "Hi Ana, we received your order: 2 lattes, 1 espresso.")
    }

    @Test func readyMentionsTheDrinks() {
        let one = [OrderItem(drink: "latte", size: .large, quantity: 1)]
        #expect(NotificationText.render(kind: .ready, name: "Ana", items: one, reason: nil) == "Ana, your latte is ready!")
        #expect(NotificationText.render(kind: .ready, name: "Ana", items: order, reason: nil)
            == "Ana, your 2 lattes and 1 espresso are ready!")
        let three = order + [OrderItem(drink: "tea", size: .medium, quantity: 1)]
        #expect(NotificationText.render(kind: .ready, name: "Ana", items: three, reason: nil)
            == "Ana, your 2 lattes, 1 espresso and 1 tea are ready!")
    }

    @Test func cancelledAndFailed() {
        #expect(NotificationText.render(kind: .cancelled, name: "Ana", items: order, reason: nil)
            == "Ana, your order of 2 lattes, 1 espresso was cancelled.")
        let affogato = [OrderItem(drink: "affogato", size: .medium, quantity: 1)]
        #expect(NotificationText.render(kind: .failed, name: "Ana", items: affogato, reason: "no ice cream.")
            == "Sorry Ana, we could not make your order of 1 affogato: no ice cream.")
        #expect(NotificationText.render(kind: .failed, name: "Ana", items: affogato, reason: "  ")
            == "Sorry Ana, we could not make your order of 1 affogato.")
    }

    @Test func sameDrinkInTwoSizesIsSummedAndPluralsAreEnglish() {
        let items = [
            OrderItem(drink: "latte", size: .small, quantity: 1),
            OrderItem(drink: "flat white", size: .medium, quantity: 3),
            OrderItem(drink: "latte", size: .large, quantity: 2),
            OrderItem(drink: "hibiscus", size: .large, quantity: 2),
        ]
        #expect(NotificationText.summary(of: items) == "3 lattes, 3 flat whites, 2 hibiscuses")
    }

    @Test func blankNameAndNoItemsStillReadWell() {
        #expect(NotificationText.render(kind: .received, name: " ", items: order, reason: nil)
            == "Hi, we received your order: 2 lattes, 1 espresso.")
        #expect(NotificationText.render(kind: .ready, name: "", items: [], reason: nil) == "Your order is ready!")
        #expect(NotificationText.render(kind: .cancelled, name: "", items: [], reason: nil) == "Your order was cancelled.")
        #expect(NotificationText.render(kind: .received, name: "Bo", items: [], reason: nil) == "Hi Bo, we received your order.")
        #expect(NotificationText.render(kind: .failed, name: "", items: [], reason: "closed")
            == "Sorry, we could not make your order: closed.")
    }
}
