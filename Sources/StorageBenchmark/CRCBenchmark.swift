import KafkaRecords
import SystemIO

/// `kaffee-storage-bench crc`: CRC-32C throughput of the hardware path (SSE4.2, when the CPU
/// has it) and the portable slicing-by-8 path, on buffers the size of a small record, a typical
/// 16 KiB batch and a 1 MiB batch. Pure CPU work in one thread, so the figures are CPU-time
/// rates (MB = 10^6 bytes per CPU second): other load on the machine changes the wall time, not
/// them. Each figure is the median of `--rounds` runs over `--mib` MiB.
enum CRCBenchmark {
    struct Options {
        var mebibytes = 256
        var rounds = 5
    }

    static let usage = """
    usage: kaffee-storage-bench crc [--mib N] [--rounds N]
      --mib N     MiB checksummed per measurement (default 256)
      --rounds N  runs of each measurement; the median is reported (default 5)
    """

    static func main(_ arguments: [String]) -> Int32 {
        guard let options = parse(arguments) else {
            print(usage)
            return arguments.contains("--help") ? 0 : 2
        }
        run(options)
        return 0
    }

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst(), let n = Int(value), n > 0 else { return nil }
            switch flag {
            case "--mib": options.mebibytes = n
            case "--rounds": options.rounds = n
            default: return nil
            }
        }
        return options
    }

    static func run(_ options: Options) {
        // Random-looking bytes, so neither path meets a pattern a branch predictor could learn.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let pool = (0..<(1 << 20)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        print("kaffee-storage-bench crc: \(options.mebibytes) MiB per run, \(options.rounds) rounds, median, MB/s of CPU time; "
              + "hardware \(CRC32C.hardwareAvailable ? "available" : "not available"), default path \(CRC32C.implementation.rawValue)")
        print("buffer".padding(to: 12) + "hardware MB/s".padding(to: 16) + "software MB/s".padding(to: 16) + "ratio")
        var sink: UInt32 = 0
        for size in [1_024, 16 * 1_024, 1 << 20] {
            let total = options.mebibytes << 20
            let repeats = max(1, total / size)
            let bytes = Double(repeats * size)
            var hardwareRates: [Double] = []
            var softwareRates: [Double] = []
            pool.withUnsafeBytes { raw in
                let buffer = UnsafeRawBufferPointer(rebasing: raw[0..<size])
                for _ in 0..<options.rounds {
                    if CRC32C.hardwareAvailable {
                        hardwareRates.append(bytes / cpuSeconds {
                            for _ in 0..<repeats { sink = sink &* 31 &+ (CRC32C.hardwareChecksum(buffer) ?? 0) }
                        } / 1e6)
                    }
                    softwareRates.append(bytes / cpuSeconds {
                        for _ in 0..<repeats { sink = sink &* 31 &+ CRC32C.softwareChecksum(buffer) }
                    } / 1e6)
                }
            }
            let software = median(softwareRates)
            let hardwareText = hardwareRates.isEmpty ? "-" : String(Int(median(hardwareRates)))
            let ratio = hardwareRates.isEmpty ? "-" : String((median(hardwareRates) / software * 10).rounded() / 10) + "×"
            let label = size >= 1 << 20 ? "\(size >> 20) MiB" : "\(size >> 10) KiB"
            print(label.padding(to: 12) + hardwareText.padding(to: 16) + String(Int(software)).padding(to: 16) + ratio)
        }
        // Printed so the optimiser cannot drop the checksums as unused.
        print("(checksum fold \(String(sink, radix: 16)))")
    }

    /// CPU seconds `body` took.
    static func cpuSeconds(_ body: () -> Void) -> Double {
        let start = ProcessControl.cpuTimeNanos()
        body()
        return Double(ProcessControl.cpuTimeNanos() - start) / 1e9
    }
}
