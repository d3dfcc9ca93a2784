import Testing
@testable import EventContracts
@Test func eventContractsModuleBuilds() { _ = EventContractsModule.self }
