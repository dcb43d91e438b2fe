#if canImport(Glibc)
import Glibc
#endif

/// The process's environment variables, read from `environ` (Foundation's `ProcessInfo` would
/// pull Foundation into the binary).
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let variable = String(cString: pointer)
            if let equals = variable.firstIndex(of: "=") {
                variables[String(variable[..<equals])] = String(variable[variable.index(after: equals)...])
            }
            entry += 1
        }
        return variables
    }
}
