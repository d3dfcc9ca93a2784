// Every file of this module imports the C library as
//     #if canImport(Glibc) / internal import Glibc / #elseif canImport(Darwin) / internal import Darwin
// so that a port changes this module, not its callers. This file stops any other system at
// the first compile with a sentence instead of a page of missing symbols. Linux (Glibc) is
// what is tested; Darwin is where a port would start (see README, Platforms).
#if !canImport(Glibc) && !canImport(Darwin)
#error("SystemIO calls the C library through Glibc (Linux) or Darwin (macOS) only; see README, Platforms")
#endif
