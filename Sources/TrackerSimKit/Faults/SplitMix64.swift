/// A small seeded pseudo-random generator (the SplitMix64 scheme: a Weyl sequence run through a
/// 64-bit mixing function). The same seed always gives the same numbers, on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var counter: UInt64

    public init(seed: UInt64) {
        counter = seed
    }

    public mutating func next() -> UInt64 {
        counter &+= 0x9E37_79B9_7F4A_7C15
        var mixed = counter
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in [0, 1) built from the top 53 bits of the next value.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
