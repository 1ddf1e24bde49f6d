// ADL (CutLang dialect) analysis descriptions: the lexer, the parser, and the compilation
// that resolves names and types against NanoAOD and books the analysis graph (no data read).
import KaonADLLanguage
import KaonFuzzSupport

runFuzzer(makeSeeds: { seeds in
    for path in try SharedData.files(in: "adl-lang/cutlang/tutorials", suffix: ".adl") {
        try seeds.write(path, try SharedData.bytes(path))
    }
}) { bytes in
    _ = try ADLProgram(source: ADLSource(name: "input.adl", text: String(decoding: bytes, as: UTF8.self)))
}
