import Testing
import EventContracts
@testable import BaristaService

@Suite struct SettingsTests {
    @Test func defaultsWhenNothingIsSet() throws {
        let settings = try BaristaSettings.fromEnvironment { _ in nil }
        #expect(settings == BaristaSettings())
        #expect(settings.cannotMake == ["affogato"])
        #expect(settings.menu == .standard)
    }

    @Test func readsCannotMakeAndIgnoresTheWorkersVariables() throws {
        let env = ["BARISTA_CANNOT_MAKE": "mocha, flat white", "BARISTA_COUNT": "oops", "BARISTA_SPEED_FACTOR": "fast"]
        let settings = try BaristaSettings.fromEnvironment { env[$0] }
        #expect(settings.cannotMake == ["mocha", "flat white"])
    }

    @Test func emptyCannotMakeMeansEverythingCanBeMade() throws {
        let settings = try BaristaSettings.fromEnvironment { $0 == "BARISTA_CANNOT_MAKE" ? "" : nil }
        #expect(settings.cannotMake.isEmpty)
    }

    @Test func aDrinkNotOnTheMenuNamesTheVariable() {
        let error = #expect(throws: BaristaSettingsError.self) {
            _ = try BaristaSettings.fromEnvironment { $0 == "BARISTA_CANNOT_MAKE" ? "affogato,babyccino" : nil }
        }
        #expect(error?.variable == "BARISTA_CANNOT_MAKE")
        #expect(error?.description.contains("BARISTA_CANNOT_MAKE") == true)
    }
}
