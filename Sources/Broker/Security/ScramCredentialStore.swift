public import LogStorage
import Synchronization

/// Every user's SCRAM credentials, durable in `<data>/internal/scram-credentials` (replaced
/// atomically on each change, so a crash leaves the old or the new file, never a mix).
///
/// File format (text): `version 1`, then one line per credential:
/// `credential <user, percent-encoded> <mechanism name> <iterations> <salt hex> <stored key hex>
/// <server key hex>`. A file that does not parse fails `open` (the broker does not start
/// rather than run with users missing).
///
/// Thread-safety: a lock guards the map; changes are written under it (they are rare).
public final class ScramCredentialStore: Sendable {
    static let fileName = "scram-credentials"

    private let store: LogStore?
    private let credentials: Mutex<[String: [ScramMechanismName: StoredScramCredential]]>

    /// Loads the store of `store`'s data directory (empty when there is no file yet); nil
    /// `store` keeps credentials in memory only (tests).
    public init(store: LogStore?) throws {
        self.store = store
        var loaded: [String: [ScramMechanismName: StoredScramCredential]] = [:]
        if let store, let bytes = try store.readInternalFile(Self.fileName) {
            guard let parsed = Self.parse(bytes) else {
                throw LogStorageError.corrupt(path: "\(store.dataDirectory)/internal/\(Self.fileName)", position: 0,
                                              reason: "unreadable SCRAM credentials")
            }
            loaded = parsed
        }
        credentials = Mutex(loaded)
    }

    /// The credential of `user` for `mechanism`, or nil.
    public func credential(user: String, mechanism: ScramMechanismName) -> StoredScramCredential? {
        credentials.withLock { $0[user]?[mechanism] }
    }

    /// Every user with credentials and their mechanisms (with iterations), sorted by user.
    public var users: [(user: String, mechanisms: [(ScramMechanismName, Int32)])] {
        credentials.withLock { all in
            all.keys.sorted().map { user in
                (user, (all[user] ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key, $0.value.iterations) })
            }
        }
    }

    /// Applies deletions and upsertions together and persists the result; on a write failure
    /// nothing changes and the error is thrown.
    public func apply(deletions: [(user: String, mechanism: ScramMechanismName)],
                      upsertions: [(user: String, mechanism: ScramMechanismName, credential: StoredScramCredential)]) throws {
        try credentials.withLock { all in
            var next = all
            for (user, mechanism) in deletions {
                next[user]?[mechanism] = nil
                if next[user]?.isEmpty == true { next[user] = nil }
            }
            for (user, mechanism, credential) in upsertions { next[user, default: [:]][mechanism] = credential }
            if let store { try store.writeInternalFile(Self.fileName, Self.serialize(next)) }
            all = next
        }
    }

    static func serialize(_ all: [String: [ScramMechanismName: StoredScramCredential]]) -> [UInt8] {
        var text = "version 1\n"
        for user in all.keys.sorted() {
            for (mechanism, credential) in (all[user] ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                text += "credential \(DynamicConfigs.escape(user)) \(mechanism) \(credential.iterations) "
                    + "\(Hex.encode(credential.salt)) \(Hex.encode(credential.storedKey)) \(Hex.encode(credential.serverKey))\n"
            }
        }
        return Array(text.utf8)
    }

    static func parse(_ bytes: [UInt8]) -> [String: [ScramMechanismName: StoredScramCredential]]? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var lines = text.split(separator: "\n").makeIterator()
        guard lines.next() == "version 1" else { return nil }
        var all: [String: [ScramMechanismName: StoredScramCredential]] = [:]
        while let line = lines.next() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 7, fields[0] == "credential", let user = DynamicConfigs.unescape(fields[1]), !user.isEmpty,
                  let mechanism = ScramMechanismName(saslName: fields[2]), let iterations = Int32(fields[3]),
                  let salt = Hex.decode(fields[4]), let storedKey = Hex.decode(fields[5]), let serverKey = Hex.decode(fields[6])
            else { return nil }
            all[user, default: [:]][mechanism] = StoredScramCredential(iterations: iterations, salt: salt, storedKey: storedKey, serverKey: serverKey)
        }
        return all
    }
}
