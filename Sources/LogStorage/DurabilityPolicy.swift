/// When appended bytes are forced to stable storage (`fdatasync`).
///
/// What each policy can lose (a process crash alone never loses acknowledged data under any
/// policy: written bytes are in the kernel's page cache and survive the process):
/// - `always`: nothing that was acknowledged. Every append returns only after its bytes are
///   synced; concurrent appends share one sync (group commit). Consumers only see synced data
///   (the high watermark is the synced end), so a power cut can never take back a record
///   someone has read.
/// - `interval(ms)`: on power loss or kernel crash, up to the last `ms` milliseconds of
///   acknowledged appends (plus the duration of one sync) per partition. Consumers may have
///   read records that are then lost, and those offsets are then reused by later appends.
/// - `never`: on power loss or kernel crash, whatever the kernel had not yet written back
///   (on Linux typically up to ~30 s of appends, `vm.dirty_expire_centisecs`), with the same
///   consumer caveat. Segments are still synced when they roll and at clean shutdown.
public enum DurabilityPolicy: Sendable, Equatable, CustomStringConvertible {
    case always
    case interval(milliseconds: Int64)
    case never

    /// The default: sync dirty partitions every 100 ms.
    public static let `default` = DurabilityPolicy.interval(milliseconds: defaultIntervalMillis)
    /// The default interval for `interval`.
    public static let defaultIntervalMillis: Int64 = 100

    /// `always`, `never`, `interval` (default interval) or `interval:MS`.
    public init?(parsing text: String) {
        switch text {
        case "always": self = .always
        case "never": self = .never
        case "interval": self = .default
        default:
            guard text.hasPrefix("interval:"), let ms = Int64(text.dropFirst("interval:".count)), ms > 0 else { return nil }
            self = .interval(milliseconds: ms)
        }
    }

    public var description: String {
        switch self {
        case .always: "always"
        case .never: "never"
        case .interval(let ms): "interval:\(ms)"
        }
    }
}
