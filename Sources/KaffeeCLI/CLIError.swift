public import KafkaClient

/// A command's failure, carrying the exit code it maps to.
public enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case client(KafkaClientError)
    case failed(String)
    case notFound(String)
    /// The command printed its usage (for `--help`, or when the action is missing) and exits
    /// with this code; nothing more is printed.
    case usageShown(ExitCode)

    public var exitCode: ExitCode {
        switch self {
        case .usage: .usage
        case .failed: .failure
        case .notFound: .notFound
        case .usageShown(let code): code
        case .client(let error):
            switch error {
            case .notReachable, .timedOut: .unreachable
            case .unknownTopic, .unknownPartition: .notFound
            case .broker(let code, _) where code == .groupIdNotFound || code == .unknownTopicOrPartition || code == .resourceNotFound: .notFound
            default: .failure
            }
        }
    }

    public var description: String {
        switch self {
        case .usage(let message): message
        case .client(let error): "\(error)"
        case .failed(let message): message
        case .notFound(let message): message
        case .usageShown: ""
        }
    }
}
