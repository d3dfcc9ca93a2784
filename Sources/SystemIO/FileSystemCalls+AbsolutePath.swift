#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension FileSystemCalls {
    /// `path` made absolute against the current working directory (`getcwd`), lexically: `.`
    /// components and repeated slashes are dropped, `..` and symbolic links are kept as they
    /// are (like the JDK's `Path.toAbsolutePath`, which Kafka uses to name log directories).
    /// An absolute `path` is only tidied. When the working directory cannot be read (it was
    /// removed), the tidied relative path is returned.
    public static func absolutePath(_ path: String) -> String {
        var base = ""
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let found = buffer.withUnsafeMutableBufferPointer { pointer -> Bool in
                guard let start = pointer.baseAddress else { return false }
                return Glibc.getcwd(start, pointer.count) != nil
            }
            if found {
                base = buffer.withUnsafeBufferPointer { pointer in pointer.baseAddress.map { String(cString: $0) } ?? "" }
            }
        }
        let components = (base + "/" + path).split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        let joined = components.joined(separator: "/")
        return base.isEmpty && !path.hasPrefix("/") ? (joined.isEmpty ? "." : joined) : "/" + joined
    }
}
