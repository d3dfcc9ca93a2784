import Testing
import EventContracts
@testable import BaristaService

@Suite struct SettingsTests {
    @Test func defaultsWhenNothingIsSet() throws {
        let settings = try BaristaSettings.fromEnvironment { _ in nil }
        #expect(settings == BaristaSettings())
        #expect(settings.baristaCount == 3)
        #expect(settings.speedFactor == 1.0)
        #expect(settings.cannotMake == ["affogato"])
        #expect(settings.failRate == 0)
        #expect(settings.maxTicketsPerStep == 500)
    }

    @Test func readsEveryVariable() throws {
        let env = [
            "BARISTA_COUNT": " 8 ", "BARISTA_SPEED_FACTOR": "0.25",
            "BARISTA_CANNOT_MAKE": "mocha, flat white", "BARISTA_FAIL_RATE": "0.1",
        ]
        let settings = try BaristaSettings.fromEnvironment { env[$0] }
        #expect(settings.baristaCount == 8)
        #expect(settings.speedFactor == 0.25)
        #expect(settings.cannotMake == ["mocha", "flat white"])
        #expect(settings.failRate == 0.1)
        #expect(settings.brewMillis(of: "espresso", size: .medium) == 250)
        #expect(!settings.hasInstantDrinks)
        #expect(BaristaSettings(speedFactor: 0).hasInstantDrinks)
    }

    @Test func emptyCannotMakeMeansEverythingCanBeMade() throws {
        let settings = try BaristaSettings.fromEnvironment { $0 == "BARISTA_CANNOT_MAKE" ? "" : nil }
        #expect(settings.cannotMake.isEmpty)
    }

    @Test func malformedValuesNameTheVariable() {
        let cases: [(String, String)] = [
            ("BARISTA_COUNT", "0"), ("BARISTA_COUNT", "65"), ("BARISTA_COUNT", "three"),
            ("BARISTA_SPEED_FACTOR", "-1"), ("BARISTA_SPEED_FACTOR", "fast"), ("BARISTA_SPEED_FACTOR", "inf"),
            ("BARISTA_CANNOT_MAKE", "affogato,babyccino"),
            ("BARISTA_FAIL_RATE", "1.5"), ("BARISTA_FAIL_RATE", "nan"),
        ]
        for (variable, value) in cases {
            let error = #expect(throws: BaristaSettingsError.self) {
                _ = try BaristaSettings.fromEnvironment { $0 == variable ? value : nil }
            }
            #expect(error?.variable == variable)
            #expect(error?.description.contains(variable) == true)
        }
    }

    @Test func initClampsOutOfRangeValues() {
        let settings = BaristaSettings(baristaCount: 0, speedFactor: -2, failRate: 3, maxTicketsPerStep: 0)
        #expect(settings.baristaCount == 1)
        #expect(settings.speedFactor == 0)
        #expect(settings.failRate == 1)
        #expect(settings.maxTicketsPerStep == 1)
        #expect(BaristaSettings(baristaCount: 1_000).baristaCount == 64)
        #expect(BaristaSettings(speedFactor: 1e300).brewMillis(of: "tea", size: .large) == Int64.max / 2)
    }
}
