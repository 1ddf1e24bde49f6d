import KaonColumns

/// The value of an expression over a block of events.
///
/// Everything is computed in double precision: branch values of any numeric type are
/// converted on load, booleans are 0 and 1.
public enum ExpressionValue {
    /// The same number for every event (a literal, or arithmetic on literals).
    case constant(Double)
    /// One number per event; `valid` is false where it is none (`Jet_pt[2]` with two jets).
    case events([Double], valid: [Bool]?)
    /// A list of numbers per event (one value per object).
    case lists(JaggedArray<Double>)

    /// The per-event numbers of a block of `count` events, broadcasting a constant.
    func perEvent(count: Int) -> (values: [Double], valid: [Bool]?)? {
        switch self {
        case .constant(let c): return (Array(repeating: c, count: count), nil)
        case .events(let values, let valid): return (values, valid)
        case .lists: return nil
        }
    }
}
