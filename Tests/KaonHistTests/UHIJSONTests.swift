import KaonIO
import Testing
@testable import KaonHist

@Suite struct UHIJSONTests {
    @Test func jsonRoundTrip() throws {
        let text = #"{"a": [1, -2.5e-3, NaN, Infinity, -Infinity], "s": "q\"\\\u00e9\n", "t": true, "n": null}"#
        let v = try JSONValue.parse(text)
        #expect(v["a"]?[0] == .integer(1))
        #expect(v["a"]?[2]?.number?.isNaN == true)
        #expect(v["s"]?.string == "q\"\\é\n")
        #expect(try JSONValue.parse(v.text) == v)
        #expect(JSONValue.number(0.1).text == "0.1")
        #expect(throws: KaonError.self) { try JSONValue.parse("[1, 2") }
    }

    @Test func everyAxisAndStorageRoundTrips() throws {
        let axes: [AnyAxis] = [
            RegularAxis(bins: 3, lower: -1, upper: 2, underflow: false, metadata: .init(name: "x", label: "X")).erased,
            VariableAxis(edges: [0, 0.5, 2], growth: true).erased,
            IntegerAxis(lower: -1, upper: 2).erased,
            IntCategoryAxis(categories: [7, 3]).erased,
            StrCategoryAxis(categories: ["e", "μ"], growth: true).erased,
            BooleanAxis().erased,
        ]
        var h = Histogram<WeightedMeanStorage>(axes: axes, metadata: .init(name: "h", label: "a histogram"))
        try h.fill(0.5, 0.1, 0, 7, "μ", true, weight: 2, sample: 3)
        try h.fill(0.5, 0.1, 0, 7, "μ", true, weight: 1, sample: 5)
        let back = try Histogram<WeightedMeanStorage>(uhi: JSONValue.parse(h.uhiJSON.text))
        #expect(back.axes == h.axes && back.metadata == h.metadata)
        #expect(back.values(flow: true).elementsEqual(h.values(flow: true)) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(abs(back.sum(flow: true).sumOfWeightedDeltasSquared - h.sum(flow: true).sumOfWeightedDeltasSquared) < 1e-12)

        var m = Histogram<MeanStorage>(RegularAxis(bins: 2, lower: 0, upper: 2))
        try m.fill(column: [0.5, 1.5, 1.5], samples: [1, 2, 4])
        let mj = m.uhiJSON
        #expect(mj["storage"]?["variances"]?[1]?.number?.isNaN == true)   // one entry: NaN, as boost-histogram
        #expect(try Histogram<MeanStorage>(uhi: mj) == m)
        for storage in ["int", "double", "weighted"] {
            var json = Histogram<Int64Storage>(IntegerAxis(lower: 0, upper: 2)).uhiJSON
            if case .object(var members) = json {
                members[3] = ("storage", .object([("type", .string(storage))]))
                json = .object(members)
            }
            switch try UHIJSON.decode(json) {
            case .int(let x): #expect(storage == "int" && x.bins.count == 4)
            case .double: #expect(storage == "double")
            case .weighted: #expect(storage == "weighted")
            default: Issue.record("wrong storage")
            }
        }
    }

    @Test func layoutIsRowMajorWithFlow() throws {
        var h = Histogram<Int64Storage>(RegularAxis(bins: 2, lower: 0, upper: 2), BooleanAxis())
        try h.fill(1.5, true)
        let values = h.uhiJSON["storage"]?["values"]
        #expect(values?.array?.count == 4)                   // underflow, 2 bins, overflow
        #expect(values?[2]?[1] == .integer(1))
        #expect(h.uhiJSON["axes"]?[1]?["type"]?.string == "boolean")
    }

    @Test func rejectsBadInput() throws {
        #expect(throws: KaonError.self) { try Histogram<DoubleStorage>(uhi: JSONValue.parse(#"{"axes": []}"#)) }
        let h = Histogram<DoubleStorage>(RegularAxis(bins: 2, lower: 0, upper: 2))
        #expect(throws: KaonError.self) { try Histogram<WeightStorage>(uhi: h.uhiJSON) }
        let named = UHIJSON.file([("a", h.uhiJSON), ("b", h.uhiJSON)])
        #expect(try UHIJSON.histograms(in: named).map(\.0) == ["a", "b"])
    }
}
