import TimeService

#if canImport(Glibc)
import Glibc
#endif

exit(SimpleTimeService.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current()))
