// Sorting within lists. Stable (equal elements keep their order, in both directions, as
// awkward's `stable=True` and its default). Lists are short in HEP (a handful of jets), so
// each list is insertion-sorted in place in the output buffer; long lists switch to a merge
// sort whose scratch buffer is allocated once for the whole array, not per list.

extension JaggedArray {
    /// Local indices that put each list in the order `areInIncreasingOrder` defines,
    /// stably. The building block of `argsort(ascending:)`.
    ///
    /// ```swift
    /// JaggedArray([[3, 1, 2]]).argsort(by: <)   // [[1, 2, 0]]
    /// ```
    @inlinable
    public func argsort(by areInIncreasingOrder: (Element, Element) -> Bool) -> JaggedArray<Int> {
        let n = values.count
        let lists = count
        var longest = 0
        for l in 0..<lists { longest = Swift.max(longest, offsets[l + 1] - offsets[l]) }
        var scratch = [Int](repeating: 0, count: longest > 32 ? longest : 0)
        let out = [Int](unsafeUninitializedCapacity: n) { idx, initialized in
            values.withUnsafeBufferPointer { v in
                offsets.withUnsafeBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { tmp in
                        for l in 0..<lists {
                            let start = o[l], length = o[l + 1] - start
                            // Work on global positions (fast comparisons), convert to local at the end.
                            for i in 0..<length { idx[start + i] = start + i }
                            let list = UnsafeMutableBufferPointer(rebasing: idx[start..<(start + length)])
                            if length <= 32 {
                                insertionSort(list, values: v, by: areInIncreasingOrder)
                            } else {
                                mergeSort(list, scratch: tmp, values: v, by: areInIncreasingOrder)
                            }
                            for i in 0..<length { list[i] -= start }
                        }
                    }
                }
            }
            initialized = n
        }
        return JaggedArray<Int>(uncheckedOffsets: offsets, values: out)
    }

    /// Reorders the elements of each list by local indices (e.g. from an argsort); the
    /// result has the structure of `order`.
    ///
    /// ```swift
    /// let order = pt.argsort(ascending: false)
    /// let etaByPt = eta.reordered(by: order)
    /// ```
    @inlinable
    public func reordered(by order: JaggedArray<Int>) -> JaggedArray<Element> {
        precondition(order.count == count, "reordered(by:): \(order.count) lists vs \(count)")
        let n = order.values.count
        let lists = count
        let out = [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
            values.withUnsafeBufferPointer { v in
                offsets.withUnsafeBufferPointer { o in
                    order.values.withUnsafeBufferPointer { k in
                        order.offsets.withUnsafeBufferPointer { ko in
                            for l in 0..<lists {
                                let start = o[l]
                                for j in ko[l]..<ko[l + 1] { (buffer.baseAddress! + j).initialize(to: v[start + k[j]]) }
                            }
                        }
                    }
                }
            }
            initialized = n
        }
        return JaggedArray(uncheckedOffsets: order.offsets, values: out)
    }
}

@inlinable
func insertionSort<E>(_ list: UnsafeMutableBufferPointer<Int>, values v: UnsafeBufferPointer<E>, by less: (E, E) -> Bool) {
    guard list.count > 1 else { return }
    for i in 1..<list.count {
        let key = list[i]
        var j = i - 1
        // Strict "less" keeps equal keys in place: stable.
        while j >= 0 && less(v[key], v[list[j]]) {
            list[j + 1] = list[j]
            j -= 1
        }
        list[j + 1] = key
    }
}

@inlinable
func mergeSort<E>(_ list: UnsafeMutableBufferPointer<Int>, scratch: UnsafeMutableBufferPointer<Int>, values v: UnsafeBufferPointer<E>, by less: (E, E) -> Bool) {
    let n = list.count
    // Bottom-up: sorted runs of 16 by insertion sort, then pairwise merges.
    let run = 16
    var s = 0
    while s < n {
        insertionSort(UnsafeMutableBufferPointer(rebasing: list[s..<Swift.min(s + run, n)]), values: v, by: less)
        s += run
    }
    var width = run
    while width < n {
        var lo = 0
        while lo < n - width {
            let mid = lo + width, hi = Swift.min(lo + 2 * width, n)
            var a = lo, b = mid, k = lo
            while a < mid && b < hi {
                // Take from the right run only when strictly smaller: stable.
                if less(v[list[b]], v[list[a]]) { scratch[k] = list[b]; b += 1 } else { scratch[k] = list[a]; a += 1 }
                k += 1
            }
            while a < mid { scratch[k] = list[a]; a += 1; k += 1 }
            while b < hi { scratch[k] = list[b]; b += 1; k += 1 }
            for i in lo..<hi { list[i] = scratch[i] }
            lo += 2 * width
        }
        width *= 2
    }
}

extension JaggedArray where Element: Comparable {
    /// Local indices that sort each list, stably (`ak.argsort(a, axis=1, ascending=...)`).
    ///
    /// ```swift
    /// JaggedArray([[3, 1, 3, 2]]).argsort(ascending: false)   // [[0, 2, 3, 1]]
    /// ```
    @inlinable
    public func argsort(ascending: Bool = true) -> JaggedArray<Int> {
        ascending ? argsort(by: <) : argsort(by: >)
    }

    /// Each list sorted, stably (`ak.sort(a, axis=1, ascending=...)`).
    ///
    /// ```swift
    /// JaggedArray([[3, 1, 2], []]).sorted()   // [[1, 2, 3], []]
    /// ```
    @inlinable
    public func sorted(ascending: Bool = true) -> JaggedArray<Element> {
        reordered(by: argsort(ascending: ascending))
    }
}

extension JaggedArray where Element: FloatingPoint {
    /// Local indices that sort each list, stably; NaNs come first in both directions, as in
    /// awkward 2 (so that results agree element for element even on bad data).
    ///
    /// ```swift
    /// JaggedArray([[30.0, 50.0, 40.0]]).argsort(ascending: false)   // [[1, 2, 0]]
    /// ```
    @inlinable
    public func argsort(ascending: Bool = true) -> JaggedArray<Int> {
        ascending
            ? argsort(by: { ($0.isNaN && !$1.isNaN) || $0 < $1 })
            : argsort(by: { ($0.isNaN && !$1.isNaN) || $0 > $1 })
    }

    /// Each list sorted, stably, NaNs first (see `argsort(ascending:)`).
    ///
    /// ```swift
    /// JaggedArray([[30.0, 50.0]]).sorted(ascending: false)   // [[50.0, 30.0]]
    /// ```
    @inlinable
    public func sorted(ascending: Bool = true) -> JaggedArray<Element> {
        reordered(by: argsort(ascending: ascending))
    }
}
