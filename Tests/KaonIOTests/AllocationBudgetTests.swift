import Testing
import KaonIO

@Suite("AllocationBudget")
struct AllocationBudgetTests {
    @Test("a file gets max(2 × its size, 64 MiB), never more than half of the memory limit")
    func rule() throws {
        let cap = AllocationBudget.anyFile.limit
        #expect(cap == AllocationBudget.maxMemory / 2)
        // An explicit KAON_MAX_MEMORY replaces the per-file rule (see the peer test).
        guard AllocationBudget.explicitMaxMemory == nil else {
            #expect(AllocationBudget(fileSize: 1000).limit == cap)
            return
        }
        #expect(AllocationBudget(fileSize: 1000).limit == min(AllocationBudget.floor, cap))
        #expect(AllocationBudget(fileSize: 100 << 20).limit == min(200 << 20, cap))
        #expect(AllocationBudget(fileSize: Int.max).limit == cap)
    }

    @Test("sizes inside the budget pass and return their bytes; beyond, negative or overflowing ones fail")
    func checks() throws {
        let budget = AllocationBudget(fileSize: 1000)
        #expect(try budget.check(1000, of: 8, "values") == 8000)
        #expect(try budget.check(budget.limit, "bytes") == budget.limit)
        let over = expectKaonError(.malformed) { try budget.check(budget.limit + 1, "basket payload") }
        #expect(over?.message.hasPrefix("basket payload: ") == true)
        #expect(over?.message.contains("is over the allocation budget") == true)
        expectKaonError(.malformed) { try budget.check(-1, "entries") }
        expectKaonError(.malformed) { try budget.check(1 << 40, of: 1 << 40, "entries") }
        expectKaonError(.malformed) { try budget.check(1 << 40, of: 4, "a basket claiming 2^40 entries") }
    }

    @Test("a compressed payload claiming more than the file's budget fails before anything is allocated")
    func decompression() throws {
        // 300 stored blocks each declaring 16 MiB - 1 uncompressed: 4.9 GB from 3 kB of input.
        let perBlock = (1 << 24) - 1
        let block: [UInt8] = [0x5A, 0x53, 0x01, 1, 0, 0] + [UInt8(perBlock & 0xFF), UInt8(perBlock >> 8 & 0xFF), UInt8(perBlock >> 16)] + [0]
        let payload = Array([[UInt8]](repeating: block, count: 300).joined())
        let error = expectKaonError(.malformed) {
            try Decompressor.decompress(payload, uncompressedSize: 300 * perBlock, budget: AllocationBudget(fileSize: payload.count))
        }
        #expect(error?.message.contains("compressed payload") == true)
    }

    @Test("sizes are read as bytes or with binary K, M, G, T suffixes")
    func sizes() {
        #expect(AllocationBudget.parseSize("1048576") == 1 << 20)
        #expect(AllocationBudget.parseSize("512M") == 512 << 20)
        #expect(AllocationBudget.parseSize("2G") == 2 << 30)
        #expect(AllocationBudget.parseSize("2GiB") == 2 << 30)
        #expect(AllocationBudget.parseSize("1.5k") == 1536)
        #expect(AllocationBudget.parseSize("lots") == nil)
        #expect(AllocationBudget.parseSize("-1G") == nil)
        #expect(AllocationBudget.parseSize("") == nil)
    }
}
