/// The objects of one pack in the order the pack file stores them: the offsets its index lists
/// (sorted there by object id), sorted by offset. A pack's own `.rev` file says the same, but git
/// 2.39 does not write one by default, so it is computed: a radix sort of 4-byte offsets, about a
/// millisecond per 200,000 objects.
///
/// `PackReadAhead` uses it to find the objects stored after (or before) a commit without reading the
/// commit first: in a pack that git wrote for a clone or a repack the commits come first, newest
/// first, so a walk from the tips mostly goes to the next commit in the file; in a pack that
/// `git fast-import` wrote, to the previous one.
///
/// The offsets live in pages of their own (`MappedArray`), 4 bytes an object, freed with the order.
final class PackObjectOrder {
    /// Every object's offset, ascending.
    private let offsets: MappedArray<UInt32>

    /// The order of `pack`'s objects; nil for a pack of 4 GiB or more (its offsets do not fit in
    /// 4 bytes), an index that points outside itself, or no memory to sort in.
    init?(_ pack: PackDirectory.Pack) {
        let count = pack.objectCount
        guard let keys = MappedArray<UInt32>(count: count), let scratch = MappedArray<UInt32>(count: count) else { return nil }
        let buffer = keys.buffer
        for position in 0..<count {
            let offset = PackDirectory.offset(in: pack, at: position)
            guard offset >= 0, offset <= Int(UInt32.max) else { return nil }
            buffer[position] = UInt32(offset)
        }
        guard Self.sort(buffer, scratch: scratch.buffer) else { return nil }
        offsets = keys
    }

    var count: Int { offsets.count }

    /// The offset of the object at `position`.
    func offset(at position: Int) -> Int { Int(offsets[position]) }

    /// The position of the object that starts at `offset`; nil when no object starts there.
    func position(of offset: Int) -> Int? {
        guard offset >= 0, offset <= Int(UInt32.max) else { return nil }
        let key = UInt32(offset)
        let sorted = offsets.buffer
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == key ? low : nil
    }

    /// Least significant digit first, 16 bits a pass; two passes leave the result in `keys`. False
    /// when there is no memory for the counts.
    private static func sort(_ keys: UnsafeMutableBufferPointer<UInt32>, scratch: UnsafeMutableBufferPointer<UInt32>) -> Bool {
        // In pages of its own as well: a 512 KiB block freed through `malloc` would raise its mapping
        // threshold, and keep later blocks of that size resident after they are freed.
        guard let countArray = MappedArray<Int>(count: 1 << 16) else { return false }
        let counts = countArray.buffer
        var source = keys, target = scratch
        for shift in [UInt32(0), 16] {
            for index in counts.indices { counts[index] = 0 }
            for key in source { counts[Int((key >> shift) & 0xffff)] += 1 }
            var start = 0
            for index in counts.indices {
                let next = start + counts[index]
                counts[index] = start
                start = next
            }
            for key in source {
                let digit = Int((key >> shift) & 0xffff)
                target[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&source, &target)
        }
        return true
    }
}
