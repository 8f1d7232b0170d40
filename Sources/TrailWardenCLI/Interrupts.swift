import Dispatch
import Foundation

/// SIGINT and SIGTERM (what a terminal, ECS, Kubernetes and AWS Batch send
/// before SIGKILL) become cancellation of the running command: a scan stops
/// starting chains, records nothing for the chains it abandons, marks its run
/// interrupted, and the process exits 128 + the signal's number (130, 143).
/// A second signal ends the process at once.
public final class Interrupts: @unchecked Sendable {
    // Signals arrive on a Dispatch queue; the lock guards `received`.
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [any DispatchSourceSignal] = []

    /// Starts handling SIGINT and SIGTERM; `interrupt` runs once, on the first.
    public static func install(interrupt: @escaping @Sendable () -> Void) -> Interrupts {
        let interrupts = Interrupts()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { interrupts.handle(signalNumber, interrupt: interrupt) }
            source.resume()
            interrupts.sources.append(source)
        }
        return interrupts
    }

    private func handle(_ signalNumber: Int32, interrupt: @Sendable () -> Void) {
        lock.lock()
        let first = received == nil
        if first { received = signalNumber }
        lock.unlock()
        guard first else {
            // Asked twice: stop now, without waiting for chains in flight.
            _exit(128 + signalNumber)
        }
        let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
        FileHandle.standardError.write(Data("trailwarden: \(name) received: stopping; a second signal exits at once\n".utf8))
        interrupt()
    }

    /// The process's exit status: 128 + the signal's number once one arrived
    /// (the run was cut short whatever the command returned), else `code`.
    public func exitStatus(_ code: Int32) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        return received.map { 128 + $0 } ?? code
    }
}
