import BrokerConsole
import Testing

@Suite struct HTMLTests {
    @Test func escapesMarkup() {
        #expect(HTML.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
    }
}
