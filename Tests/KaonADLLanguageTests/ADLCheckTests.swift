import KaonADLLanguage
import Testing

/// Compiles `text` (parse, name resolution, type check, booking — no data).
func check(_ text: String) throws(ADLError) -> ADLProgram {
    try ADLProgram(source: ADLSource(name: "t.adl", text: text))
}

/// The error compiling `text` gives, or nil if it compiles.
func checkError(_ text: String) -> ADLError? {
    do {
        _ = try check(text)
        return nil
    } catch {
        return error
    }
}

@Suite("ADL name resolution and type checking")
struct ADLCheckTests {
    @Test("tutorials check, except those calling CutLang's external functions, which are named")
    func tutorials() throws {
        let external = ["ex05_functions.adl": "fMT2", "ex06_bins.adl": "fMT2", "ex10_tableweight.adl": "applyHM",
                        "ex11_printsave.adl": "fMT2", "ex12_counts.adl": "fMT2"]
        for name in tutorialNames() {
            let source = try tutorialSource(name)
            do throws(ADLError) {
                let program = try ADLProgram(source: source)
                #expect(external[name] == nil, "\(name) should have failed")
                #expect(!program.regions.isEmpty)
            } catch {
                let function = try #require(external[name], "\(name): \(error)")
                #expect(error.message.hasPrefix("\(function) is one of CutLang's external functions"), "\(name): \(error)")
            }
        }
    }

    @Test("mutated tutorials never trap in name resolution and type checking either")
    func mutationsCheck() throws {
        var compiled = 0, failed = 0
        for (_, variant) in try tutorialMutations() {
            do {
                _ = try ADLProgram(source: variant)
                compiled += 1
            } catch {
                failed += 1
                #expect(error.location.line >= 1 && error.location.offset <= variant.scalars.count)
            }
        }
        #expect(compiled > 0 && failed > 0)
    }

    @Test("unknown names and attributes are located errors")
    func unknownNames() throws {
        let name = try #require(checkError("region r\n  select size(Muonz) >= 2\n"))
        #expect(name.location.line == 2 && name.location.column == 15)
        #expect(name.message.hasPrefix("unknown name 'Muonz'"))

        let attribute = try #require(checkError("object good : Muo\n  select {Muo}tightness > 0\n"))
        #expect(attribute.location.line == 2 && attribute.location.column == 10)
        #expect(attribute.message.hasPrefix("unknown attribute 'tightness' of Muon"))

        let region = try #require(checkError("region a\n  select ALL\nregion b\n  c\n"))
        #expect(region.location.line == 4 && region.message.contains("neither a histoList nor a region"))

        let type = try #require(checkError("region r\n  select pT(Jet) > 30\n"))
        #expect(type.message.contains("anyof(…)/allof(…)"))

        let recursive = try #require(checkError("define a = b + 1\ndefine b = a * 2\nregion r\n  select a > 0\n"))
        #expect(recursive.message.contains("uses itself"))
    }

    @Test("what resolves: NanoAOD names, fields of the view, MET, index spellings")
    func resolves() throws {
        let program = try check("""
            object tight : Muon
              select {Muon}tightId == 1 and pT(Muon) > 20
            define mll = m(tight[0] tight_1)
            region r
              select size(tight) >= 2 and MET > 0
              weight w 0.5
              histo h, "m", 10, 0, 100, mll
              histo h2, "all jet eta vs pt", 4, -2, 2, 5, 0, 50, eta(JET[0]), pt(Jet[0])
              bin mll 60 120
            """)
        #expect(program.regions == ["r"])
        #expect(program.histograms == ["r/h", "r/h2"])
    }
}
