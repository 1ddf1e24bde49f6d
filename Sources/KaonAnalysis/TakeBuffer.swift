import Foundation
import KaonIO
import KaonNano

/// The values a `take` result collects in one work item, encoded to JSON when the item ends.
class AnyTakeBuffer {
    func append(_ event: Event) {}
    /// The values as a JSON array (UTF-8), or nil when there are none.
    func encoded() throws -> [UInt8]? { nil }
}

final class TakeBuffer<Value: Encodable>: AnyTakeBuffer {
    private let extract: @Sendable (Event) -> Value
    private var values: [Value] = []

    init(_ extract: @escaping @Sendable (Event) -> Value) { self.extract = extract }

    override func append(_ event: Event) { values.append(extract(event)) }

    override func encoded() throws -> [UInt8]? {
        guard !values.isEmpty else { return nil }
        do {
            return Array(try JSONEncoder().encode(values))
        } catch {
            throw KaonError(.usage, "take: cannot encode \(Value.self) values as JSON: \(error)")
        }
    }
}

extension TakeTally {
    /// The values of every chunk, decoded as `Value`, in order.
    func decoded<Value: Decodable>(as _: Value.Type, name: String) throws -> [Value] {
        var all: [Value] = []
        for chunk in chunks {
            do {
                all += try JSONDecoder().decode([Value].self, from: Data(chunk))
            } catch {
                throw KaonError(.usage, "take '\(name)': the stored values are not \(Value.self): \(error)")
            }
        }
        return all
    }
}
