import KaonColumns
import Testing

// Expected values below were worked out by hand and agree with awkward 2.x for the same
// operation (the peer test compares real data against awkward itself).

@Suite struct JaggedArrayConstructionTests {
    @Test func offsetsAndValues() {
        let a = JaggedArray(offsets: [0, 2, 2, 3], values: [Float(1), 2, 3])
        #expect(a.count == 3)
        #expect(a.counts == [2, 0, 1])
        #expect(a.lists == [[1, 2], [], [3]])
        #expect(a.flattened == [1, 2, 3])
        #expect(JaggedArray(counts: [2, 0, 1], values: [Float(1), 2, 3]) == a)
        #expect(JaggedArray([[Float(1), 2], [], [3]]) == a)
    }

    @Test func fromNativeBytes() {
        let values: [Int32] = [7, -1, 300]
        let bytes = values.withUnsafeBytes { Array($0) }
        let a = JaggedArray<Int32>(offsets: [0, 1, 3], nativeBytes: bytes)
        #expect(a.lists == [[7], [-1, 300]])
        #expect(ColumnArray<Int32>(nativeBytes: bytes).values == values)
    }

    @Test func emptyArray() {
        let a = JaggedArray<Double>(offsets: [0], values: [])
        #expect(a.count == 0)
        #expect(a.sum().isEmpty)
        #expect(a.argcombinations(2).count == 0)
    }
}

@Suite struct ElementwiseTests {
    let a = JaggedArray([[1.0, 2.0], [], [3.0]])

    @Test func arithmetic() {
        #expect((a + a).lists == [[2, 4], [], [6]])
        #expect((a * 2).lists == [[2, 4], [], [6]])
        #expect((10 - a).lists == [[9, 8], [], [7]])
        #expect((a / 2).lists == [[0.5, 1], [], [1.5]])
        #expect((a + [10, 20, 30]).lists == [[11, 12], [], [33]])
        #expect((-a).lists == [[-1, -2], [], [-3]])
        #expect(a.broadcast([7, 8, 9]).lists == [[7, 7], [], [9]])
    }

    @Test func comparisonsAndMasks() {
        let mask = a .> 1.5
        #expect(mask.lists == [[false, true], [], [true]])
        #expect(a[mask].lists == [[2], [], [3]])
        #expect((.!mask).lists == [[true, false], [], [false]])
        #expect(((a .> 0) .& (a .< 3)).lists == [[true, true], [], [false]])
        #expect(((a .< 1.5) .| (a .== 3)).lists == [[true, false], [], [true]])
        #expect((a .> [0.5, 0, 5]).lists == [[true, true], [], [false]])
    }

    @Test func math() {
        let x = JaggedArray([[Float(-4), 9], []])
        #expect(abs(x).lists == [[4, 9], []])
        #expect(sqrt(abs(x)).lists == [[2, 3], []])
        #expect(exp(JaggedArray([[0.0]])).lists == [[1]])
        #expect(log(JaggedArray([[1.0]])).lists == [[0]])
        #expect(hypot(JaggedArray([[3.0]]), JaggedArray([[4.0]])).lists == [[5]])
        #expect(atan2(JaggedArray([[1.0]]), JaggedArray([[1.0]])).values[0] == Double.pi / 4)
        #expect(cos(JaggedArray([[0.0]])).lists == [[1]])
    }
}

@Suite struct SelectionTests {
    @Test func takeCrossReference() {
        let jetPt = JaggedArray([[50.0, 30.0], [20.0], []])
        let idx = JaggedArray<Int32>([[1, -1], [0, 5], []])
        let taken = jetPt.take(idx)
        #expect(taken.lists == [[30.0, nil], [20.0, nil], []])
        #expect(taken.filled(with: -1).lists == [[30, -1], [20, -1], []])
        #expect(taken.droppingNone().lists == [[30], [20], []])
    }

    @Test func firstsLastsLocalIndex() {
        let a = JaggedArray([[3, 4, 5], []])
        #expect(a.firsts() == [3, nil])
        #expect(a.lasts() == [5, nil])
        #expect(a.localIndex().lists == [[0, 1, 2], []])
        #expect(a.take([2, 0]) == [5, nil])
        #expect(a.prefix(2).lists == [[3, 4], []])
    }

    @Test func concatenateAndEvents() {
        let mu = JaggedArray([[1], [2], []])
        let el = JaggedArray([[9], [], [8, 7]])
        #expect(mu.concatenated(with: el).lists == [[1, 9], [2], [8, 7]])
        #expect(mu.selecting(events: [true, false, true]).lists == [[1], []])
    }
}

@Suite struct ReductionTests {
    let a = JaggedArray([[3.0, 1.0, 2.0, 1.0], [], [5.0]])

    @Test func sumsAndMeans() {
        #expect(a.sum() == [7, 0, 5])
        #expect(a.product() == [6, 1, 5])
        let m = a.mean()
        #expect(m[0] == 1.75 && m[1].isNaN && m[2] == 5)
        #expect(JaggedArray<Int32>([[1, 2], []]).sum() == [3, 0])
    }

    @Test func minMaxArgWithEmpty() {
        #expect(a.min() == [1, nil, 5])
        #expect(a.max() == [3, nil, 5])
        #expect(a.argmin() == [1, nil, 0])   // first of the tied minima
        #expect(a.argmax() == [0, nil, 0])
        #expect(JaggedArray([[2, 7, 7], []]).argmax() == [1, nil])
    }

    @Test func nanHandlingLikeAwkward() {
        let n = Double.nan
        let b = JaggedArray([[1.0, n, 0.0, n], [n], [n, n, 3.0]])
        #expect(b.min() == [0.0, .infinity, 3.0])
        #expect(b.max() == [1.0, -.infinity, 3.0])
        #expect(b.argmin() == [2, 0, 0])
        #expect(b.argmax() == [0, 0, 0])
        #expect(b.argsort().lists == [[1, 3, 2, 0], [0], [0, 1, 2]])
        #expect(b.argsort(ascending: false).lists == [[1, 3, 0, 2], [0], [0, 1, 2]])
    }

    @Test func booleans() {
        let mask = JaggedArray([[true, false], [], [true]])
        #expect(mask.any() == [true, false, true])
        #expect(mask.all() == [false, true, true])
        #expect(mask.countTrue() == [1, 0, 1])
    }
}

@Suite struct SortingTests {
    @Test func stableBothDirections() {
        let b = JaggedArray([[3, 1, 2, 1, 3], [], [5]])
        #expect(b.argsort().lists == [[1, 3, 2, 0, 4], [], [0]])
        #expect(b.argsort(ascending: false).lists == [[0, 4, 2, 1, 3], [], [0]])
        #expect(b.sorted(ascending: false).lists == [[3, 3, 2, 1, 1], [], [5]])
    }

    @Test func longListsUseMergeSort() {
        // 1000 values with many ties: compare with a reference stable sort.
        let values = (0..<1000).map { ($0 * 7919) % 37 }
        let a = JaggedArray([values, Array(values.prefix(40))])
        let reference = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        #expect(a.argsort().lists[0] == reference)
        let descending = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        #expect(a.argsort(ascending: false).lists[0] == descending)
    }
}

@Suite struct CombinationTests {
    @Test func pairsAndTriplesInLexicographicOrder() {
        let a = JaggedArray([[10, 11, 12, 13], [20], [], [30, 31, 32]])
        let pairs = a.argcombinations(2)
        #expect(pairs.localIndices(slot: 0).lists == [[0, 0, 0, 1, 1, 2], [], [], [0, 0, 1]])
        #expect(pairs.localIndices(slot: 1).lists == [[1, 2, 3, 2, 3, 3], [], [], [1, 2, 2]])
        let triples = a.combinations(3)
        #expect(triples[0].lists == [[10, 10, 10, 11], [], [], [30]])
        #expect(triples[1].lists == [[11, 11, 12, 12], [], [], [31]])
        #expect(triples[2].lists == [[12, 13, 13, 13], [], [], [32]])
    }

    @Test func cartesianIsFirstMajor() {
        let mu = JaggedArray([[1, 2], [3], []])
        let jet = JaggedArray([[7, 8, 9], [], [4]])
        let t = JaggedTuples.cartesian(mu, jet)
        #expect(t.values(slot: 0, of: mu).lists == [[1, 1, 1, 2, 2, 2], [], []])
        #expect(t.values(slot: 1, of: jet).lists == [[7, 8, 9, 7, 8, 9], [], []])
    }

    @Test func maskAndSelect() {
        let q = JaggedArray<Int32>([[1, -1, 1]])
        let pairs = q.argcombinations(2)
        let os = pairs[pairs.values(slot: 0, of: q) .!= pairs.values(slot: 1, of: q)]
        #expect(os.localIndices(slot: 0).lists == [[0, 1]])
        #expect(os.localIndices(slot: 1).lists == [[1, 2]])
        #expect(os.select([1]) == [[1], [2]])
    }
}
