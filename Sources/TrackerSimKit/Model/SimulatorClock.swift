import Foundation

/// The time stamps the simulator writes: whole seconds, as Tracker shows them, so that a state
/// file read back compares equal to the state that wrote it.
enum SimulatorClock {
    static func now() -> Date {
        Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    }
}
