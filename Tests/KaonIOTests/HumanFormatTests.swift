import Testing
import KaonIO

/// The numbers people read: expected texts are written out by hand (and agree with C's
/// %.Ng where that applies), never taken from an earlier run.
struct HumanFormatTests {
    @Test func durationsHaveThreeDigitsAndAUnit() {
        #expect(HumanFormat.duration(seconds: 0.9073400840000001) == "907 ms")
        #expect(HumanFormat.duration(seconds: 0.022778191000000003) == "22.8 ms")
        #expect(HumanFormat.duration(seconds: 1.5) == "1.50 s")
        #expect(HumanFormat.duration(seconds: 12.34) == "12.3 s")
        #expect(HumanFormat.duration(seconds: 150) == "2.50 min")
        #expect(HumanFormat.duration(seconds: 5400) == "1.50 h")
        #expect(HumanFormat.duration(seconds: 1.234e-5) == "12.3 µs")
        #expect(HumanFormat.duration(seconds: 4.2e-8) == "42.0 ns")
        #expect(HumanFormat.duration(seconds: 2e-12) == "0.00200 ns")
        #expect(HumanFormat.duration(seconds: 400_000) == "111 h")
    }

    @Test func durationsRoundingUpMoveToTheNextUnit() {
        #expect(HumanFormat.duration(seconds: 0.9997) == "1.00 s")
        #expect(HumanFormat.duration(seconds: 0.0009996) == "1.00 ms")
        #expect(HumanFormat.duration(seconds: 59.97) == "1.00 min")
        #expect(HumanFormat.duration(seconds: 3599.9) == "1.00 h")
        #expect(HumanFormat.duration(seconds: 0.9994) == "999 ms")
    }

    @Test func durationEdgeCases() {
        #expect(HumanFormat.duration(seconds: 0) == "0 s")
        #expect(HumanFormat.duration(seconds: -0.25) == "-250 ms")
        #expect(HumanFormat.duration(seconds: .nan) == "nan s")
        #expect(HumanFormat.duration(seconds: .infinity) == "inf s")
    }

    @Test func ratesUseMultipliers() {
        #expect(HumanFormat.rate(1_234_567, unit: "events") == "1.23M events/s")
        #expect(HumanFormat.rate(999_700, unit: "events") == "1.00M events/s")
        #expect(HumanFormat.rate(512, unit: "baskets") == "512 baskets/s")
        #expect(HumanFormat.rate(2.5e9, unit: "entries") == "2.50G entries/s")
        #expect(HumanFormat.rate(0.5, unit: "entries") == "0.500 entries/s")
        #expect(HumanFormat.rate(0, unit: "entries") == "0 entries/s")
    }

    @Test func sizesAreDecimal() {
        #expect(HumanFormat.bytes(0) == "0 B")
        #expect(HumanFormat.bytes(512) == "512 B")
        #expect(HumanFormat.bytes(999) == "999 B")
        #expect(HumanFormat.bytes(1000) == "1.00 kB")
        #expect(HumanFormat.bytes(1023) == "1.02 kB")
        #expect(HumanFormat.bytes(45_600_000) == "45.6 MB")
        #expect(HumanFormat.bytes(999_999_999) == "1.00 GB")
        #expect(HumanFormat.bytes(3_210_000_000_000) == "3.21 TB")
        #expect(HumanFormat.byteRate(123.4e6) == "123 MB/s")
    }

    @Test func measurementsRoundTheUncertaintyToTwoDigits() {
        #expect(HumanFormat.measurement(1.23456, uncertainty: 0.0567) == "1.235 ± 0.057")
        #expect(HumanFormat.measurement(12345, uncertainty: 678) == "12350 ± 680")
        #expect(HumanFormat.measurement(0.5, uncertainty: 0.0996) == "0.50 ± 0.10")
        #expect(HumanFormat.measurement(-3.14159, uncertainty: 0.2) == "-3.14 ± 0.20")
        #expect(HumanFormat.measurement(0.0012, uncertainty: 0.53) == "0.00 ± 0.53")
        #expect(HumanFormat.measurement(7, uncertainty: 2.6457513110645907) == "7.0 ± 2.6")
        #expect(HumanFormat.measurement(1.2e-12, uncertainty: 3.4e-13) == "(1.20 ± 0.34)e-12")
        #expect(HumanFormat.measurement(69_300_000, uncertainty: 4_980_000) == "(6.93 ± 0.50)e+07")
        #expect(HumanFormat.measurement(123_456, uncertainty: 2345) == "123500 ± 2300")
        #expect(HumanFormat.measurement(2.5, uncertainty: 0) == "2.5 ± 0")
        #expect(HumanFormat.measurement(2.5, uncertainty: .nan) == "2.5 ± nan")
    }

    @Test func plainNumbersHaveNoBinaryNoise() {
        #expect(HumanFormat.number(0.1 + 0.2, digits: 6) == "0.3")
        #expect(HumanFormat.number(0.022778191000000003, digits: 3) == "0.0228")
        #expect(HumanFormat.number(1234567.8, digits: 6) == "1234570")
        #expect(HumanFormat.number(1.0, digits: 6) == "1")
        #expect(HumanFormat.number(-2.5, digits: 6) == "-2.5")
        #expect(HumanFormat.number(9.999996, digits: 6) == "10")
        #expect(HumanFormat.number(9.5367431640625e-07, digits: 6) == "9.53674e-07")
        #expect(HumanFormat.number(6.02214076e23, digits: 4) == "6.022e+23")
        #expect(HumanFormat.number(1e-300, digits: 3) == "1e-300")
        #expect(HumanFormat.number(5e-324, digits: 3) == "4.94e-324")
        #expect(HumanFormat.number(0, digits: 6) == "0")
        #expect(HumanFormat.number(-0.0, digits: 6) == "0")
        #expect(HumanFormat.number(.nan, digits: 6) == "nan")
        #expect(HumanFormat.number(-.infinity, digits: 6) == "-inf")
    }

    @Test func fixedPointAndPercentages() {
        #expect(HumanFormat.fixed(2.0 / 3.0, decimals: 3) == "0.667")
        #expect(HumanFormat.fixed(12, decimals: 2) == "12.00")
        #expect(HumanFormat.fixed(-0.0004, decimals: 3) == "0.000")
        #expect(HumanFormat.fixed(-1.25, decimals: 1) == "-1.3")
        #expect(HumanFormat.fixed(0.05, decimals: 0) == "0")
        #expect(HumanFormat.percent(0.875) == "87.5 %")
        #expect(HumanFormat.percent(0.99951, decimals: 2) == "99.95 %")
        #expect(HumanFormat.percent(1, decimals: 2) == "100.00 %")
        #expect(HumanFormat.percent(1.0 / 3000, decimals: 2) == "0.03 %")
        #expect(HumanFormat.percent(.nan) == "–")
    }

    @Test func countsTakeTheSingularForOneOnly() {
        #expect(HumanFormat.count(1, "cluster") == "1 cluster")
        #expect(HumanFormat.count(0, "block") == "0 blocks")
        #expect(HumanFormat.count(3, "thread") == "3 threads")
        #expect(HumanFormat.count(1, "branch", plural: "branches") == "1 branch")
        #expect(HumanFormat.count(86, "branch", plural: "branches") == "86 branches")
    }
}
