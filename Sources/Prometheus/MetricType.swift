/// A metric family's type, as written on its `# TYPE` line.
public enum MetricType: String, Sendable {
    case counter, gauge, histogram, untyped
}
