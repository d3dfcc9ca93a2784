import Testing
@testable import ServiceKit
@Test func serviceKitModuleBuilds() { _ = ServiceKitModule.self }
