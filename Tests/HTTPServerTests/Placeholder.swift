import Testing
@testable import HTTPServer
@Test func httpServerModuleBuilds() { _ = HTTPServerModule.self }
