/// A category node's keys (string inputs: their codes) and child nodes, sorted by key.
///
/// Categories hold a handful of keys, so a scan (or, for many keys, a binary search) over a
/// sorted array beats hashing every event's key into a dictionary.
struct CategoryTable: Sendable {
    private(set) var keys: [Int64] = []
    private(set) var nodes: [Int] = []

    /// Adds a key unless it is present already (the first of repeated keys wins, as in correctionlib).
    mutating func insert(_ key: Int64, node: Int) {
        let position = lowerBound(key)
        guard position == keys.count || keys[position] != key else { return }
        keys.insert(key, at: position)
        nodes.insert(node, at: position)
    }

    func lowerBound(_ key: Int64) -> Int {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The node of `key`, or -1.
    @inline(__always)
    func node(for key: Int64) -> Int {
        if keys.count <= 16 {
            for i in keys.indices where keys[i] == key { return nodes[i] }
            return -1
        }
        let position = lowerBound(key)
        return position < keys.count && keys[position] == key ? nodes[position] : -1
    }
}
