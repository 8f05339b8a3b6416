/// Why a `#` followed by digits is not a story reference.
enum ReferenceFlaw: Error {
    /// The digits are followed by something other than a separator, `]` or the group's end (`#9a`, `#9.`).
    case trailingText
    /// The number is zero (`#0`, `#000`).
    case zero
    /// More than 19 digits, or a value beyond the largest signed 64-bit integer.
    case tooLarge
}
