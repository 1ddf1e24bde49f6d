import Testing
@testable import KaonHist

@Suite struct StorageTests {
    @Test func weightedSum() {
        var s = WeightedSum()
        WeightStorage.fill(&s, weight: 2, sample: 0)
        WeightStorage.fill(&s, sample: 0)
        #expect(s == WeightedSum(value: 3, variance: 5))
        WeightStorage.scale(&s, by: 2)
        #expect(s == WeightedSum(value: 6, variance: 20))
    }

    @Test func meanWelfordAndVariance() {
        var m = Mean()
        #expect(MeanStorage.variance(m).isNaN)
        #expect(m.variance == 0 && m.variance.sign == .minus)   // 0 / -1, as boost-histogram
        for x in [1.0, 2, 4] { MeanStorage.fill(&m, sample: x) }
        #expect(m.count == 3)
        #expect(abs(m.value - 7.0 / 3) < 1e-15)
        #expect(abs(m.variance - 7.0 / 3) < 1e-14)
        var one = Mean()
        MeanStorage.fill(&one, sample: 5)
        #expect(one.variance.isNaN)
    }

    @Test func meanMergeMatchesPooled() {
        var a = Mean(), b = Mean(), all = Mean()
        for x in [1.0, 2] { MeanStorage.fill(&a, sample: x); MeanStorage.fill(&all, sample: x) }
        for x in [10.0, 20] { MeanStorage.fill(&b, sample: x); MeanStorage.fill(&all, sample: x) }
        MeanStorage.add(&a, b)
        #expect(a.count == 4 && a.value == 8.25 && a.sumOfDeltasSquared == 232.75)   // boost-histogram's numbers
        #expect(abs(a.sumOfDeltasSquared - all.sumOfDeltasSquared) < 1e-12)
        MeanStorage.scale(&a, by: 2)
        #expect(a.value == 16.5 && a.sumOfDeltasSquared == 931)
    }

    @Test func weightedMean() {
        var m = WeightedMean()
        WeightedMeanStorage.fill(&m, weight: 2, sample: 1)
        WeightedMeanStorage.fill(&m, weight: 1, sample: 4)
        #expect(m.sumOfWeights == 3 && m.sumOfWeightsSquared == 5 && m.value == 2)
        #expect(m.sumOfWeightedDeltasSquared == 6)
        #expect(m.variance == 6 / (3 - 5.0 / 3))
        #expect(abs(WeightedMeanStorage.count(m) - 9.0 / 5) < 1e-15)
        var single = WeightedMean()
        WeightedMeanStorage.fill(&single, weight: 1, sample: 1)
        #expect(single.variance.isNaN)
    }

    @Test func int64() {
        var c: Int64 = 0
        Int64Storage.fill(&c, sample: 0)
        Int64Storage.fill(&c, weight: 2, sample: 0)
        #expect(c == 3)
    }
}
