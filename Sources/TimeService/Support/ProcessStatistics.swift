#if canImport(Glibc)
import Glibc
#endif

/// Resource usage of this process, for the `process_*` metrics. Read from the kernel (/proc,
/// getrusage), which exists in every container, `scratch` images included.
struct ProcessStatistics {
    var cpuMicroseconds: Int64
    var residentBytes: Int?
    var openDescriptors: Int?
    var maxDescriptors: Int

    static func read() -> ProcessStatistics {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let cpu =
            (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000
            + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return ProcessStatistics(
            cpuMicroseconds: cpu,
            residentBytes: residentBytes(),
            openDescriptors: openDescriptorCount(),
            maxDescriptors: Int(clamping: limit.rlim_cur))
    }

    /// The second field of /proc/self/statm, in pages.
    static func residentBytes() -> Int? {
        guard let text = FileReader.read("/proc/self/statm", limit: 256) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func openDescriptorCount() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0[0] == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return count - 1  // the descriptor opendir itself holds
    }
}
