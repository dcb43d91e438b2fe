import CSystemShims

/// How many CPUs this process can use: its CPU affinity, capped by a cgroup CPU quota. A
/// Fargate task of 0.5 vCPU may see two CPUs in its affinity mask but only gets half of one;
/// more event loops than that only add contention.
public enum CPUBudget {
    public static func available() -> Int {
        let affinity = Int(sts_available_cpu_count())
        guard let quota = cgroupQuota() else { return affinity }
        return max(1, min(affinity, quota))
    }

    /// CPUs allowed by the cgroup (v2 `cpu.max`, or v1 `cpu.cfs_quota_us`/`cpu.cfs_period_us`),
    /// rounded up; nil when unlimited or unknown.
    static func cgroupQuota() -> Int? {
        if let text = FileReader.read("/sys/fs/cgroup/cpu.max", limit: 64) {
            return quota(fromCPUMax: text)
        }
        if let quotaText = FileReader.read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", limit: 32),
            let periodText = FileReader.read("/sys/fs/cgroup/cpu/cpu.cfs_period_us", limit: 32),
            let quota = Int(quotaText.trimmingASCIIWhitespace), let period = Int(periodText.trimmingASCIIWhitespace),
            quota > 0, period > 0
        {
            return (quota + period - 1) / period
        }
        return nil
    }

    /// Parses cgroup v2 `cpu.max`: `"<quota> <period>"` or `"max <period>"`.
    static func quota(fromCPUMax text: String) -> Int? {
        let fields = text.trimmingASCIIWhitespace.split(separator: " ")
        guard fields.count == 2, let quota = Int(fields[0]), let period = Int(fields[1]), quota > 0, period > 0 else {
            return nil
        }
        return (quota + period - 1) / period
    }
}
