/// Decides, request by request, whether to inject a failure (`--fail-rate`) and which kind.
///
/// Each decision draws one number from the generator (fail or not); a failing request draws a
/// second one (before or after the effect, half each). Nothing is drawn when the rate is 0.
struct FaultInjector: Sendable {
    /// Probability (0…1) that a request fails.
    let failRate: Double
    private var generator: SplitMix64

    init(failRate: Double, generator: SplitMix64) {
        self.failRate = failRate
        self.generator = generator
    }

    mutating func draw() -> InjectedFault? {
        guard failRate > 0 else { return nil }
        guard generator.nextUnitInterval() < failRate else { return nil }
        return generator.next() >> 63 == 0 ? .beforeEffect : .afterEffect
    }
}
