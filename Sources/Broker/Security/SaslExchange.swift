import Security
import Synchronization

/// Adapts a PLAIN or SCRAM exchange of the Security module to `SaslServerMechanism`.
final class SaslExchange<Exchange: SaslServerExchange>: SaslServerMechanism {
    private let exchange: Mutex<Exchange>
    let mechanismName: String

    init(mechanismName: String, _ exchange: Exchange) {
        self.mechanismName = mechanismName
        self.exchange = Mutex(exchange)
    }

    func evaluate(_ token: [UInt8]) -> SaslStep {
        exchange.withLock { exchange -> SaslStep in
            do throws(SaslError) {
                let answer = try exchange.evaluate(token)
                if let user = exchange.authenticatedUser { return .success(user: user, token: answer) }
                return .challenge(answer)
            } catch {
                // Kafka's message for a refused login, whatever the cause underneath; the cause
                // (never a password) goes to the broker log through the reason.
                return .failure(message: error == .authenticationFailed
                                ? "Authentication failed during authentication due to invalid credentials with SASL mechanism \(mechanismName)"
                                : "\(mechanismName) authentication failed: \(error)")
            }
        }
    }
}

/// The part of `PlainServer` and `ScramServer` the adapter uses.
protocol SaslServerExchange: Sendable {
    var authenticatedUser: String? { get }
    mutating func evaluate(_ message: [UInt8]) throws(SaslError) -> [UInt8]
}

extension PlainServer: SaslServerExchange {}
extension ScramServer: SaslServerExchange {}
