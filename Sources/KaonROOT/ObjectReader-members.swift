import KaonIO

// Reading an object member by member from its StreamerInfo.
extension ObjectReader {
    mutating func readMembers(of info: StreamerInfo, into object: ROOTObject) throws {
        for element in info.elements {
            do {
                try readMember(element, into: object)
            } catch let error as KaonError {
                throw error.inObject("\(info.className)::\(element.name)")
            }
        }
    }

    mutating func readMember(_ element: StreamerElement, into object: ROOTObject) throws {
        let type = element.type
        // Base classes are TStreamerBase elements; ROOT gives TObject and TNamed bases the
        // type codes 66 and 67 rather than 0.
        if element.kind == "TStreamerBase" {
            if element.name == "TObject" {
                try readTObject(into: object)
            } else {
                merge(try readObject(className: element.name), into: object)
            }
            return
        }
        switch type {
        case StreamerType.base:
            if element.name == "TObject" {
                try readTObject(into: object)
            } else {
                merge(try readObject(className: element.name), into: object)
            }
        case 1...19:
            object.set(element.name, try readBasic(type: type, element: element))
        case 21...39:
            object.set(element.name, try readBasicArray(type: type - StreamerType.offsetFixedArray, count: element.arrayLength, element: element))
        case 41...59:
            let count = object.int(element.countName) ?? 0
            guard count >= 0 else { throw KaonError(.malformed, "negative array count \(count) in \(element.countName)") }
            let present = try cursor.readU8()
            if present == 0 {
                object.set(element.name, .list([]))
            } else {
                object.set(element.name, try readBasicArray(type: type - StreamerType.offsetPointer, count: count, element: element))
            }
        case StreamerType.object, StreamerType.any, StreamerType.tNamed:
            if element.arrayLength > 1 {
                var items: [ROOTValue] = []
                for _ in 0..<element.arrayLength { items.append(.object(try readObject(className: element.typeName))) }
                object.set(element.name, .list(items))
            } else {
                object.set(element.name, .object(try readObject(className: type == StreamerType.tNamed ? "TNamed" : element.typeName)))
            }
        case StreamerType.objectPointer, StreamerType.objectPointerNoNull, StreamerType.anyPointer, StreamerType.anyPointerNoNull:
            object.set(element.name, try readObjectAny())
        case StreamerType.tString:
            object.set(element.name, .string(try cursor.readTString()))
        case StreamerType.tObject:
            let inner = ROOTObject(className: "TObject")
            try readTObject(into: inner)
            object.set(element.name, .object(inner))
        case StreamerType.stl:
            object.set(element.name, try readSTLMember(element))
        case StreamerType.stlString:
            object.set(element.name, .string(try readStdString()))
        default:
            // Custom streamers and other opaque members: skip them when they carry a byte count.
            let start = cursor.position
            let first = try cursor.readU32()
            guard first & Self.byteCountMask != 0 else {
                throw KaonError(.unsupported, "member \(element.name) of type \(element.typeName) (streamer type \(type)) cannot be read")
            }
            cursor.position = start
            let header = try readHeader()
            try finish(header)
            object.set(element.name, .null)
        }
    }

    /// A std::string, with or without a version header in front.
    mutating func readStdString() throws -> String {
        let start = cursor.position
        if cursor.remaining >= 6, try cursor.readU32() & Self.byteCountMask != 0 {
            cursor.position = start
            let header = try readHeader()
            let value = try cursor.readTString()
            try finish(header)
            return value
        }
        cursor.position = start
        return try cursor.readTString()
    }

    mutating func readBasic(type: Int, element: StreamerElement?) throws -> ROOTValue {
        switch type {
        case StreamerType.double32:
            return .real(try PackedFloat(title: element?.title ?? "", isFloat16: false).read(&cursor))
        case StreamerType.float16:
            return .real(try PackedFloat(title: element?.title ?? "", isFloat16: true).read(&cursor))
        default:
            guard let primitive = PrimitiveType(streamerType: type) else {
                throw KaonError(.unsupported, "unsupported basic streamer type \(type)")
            }
            return try readScalar(primitive)
        }
    }

    mutating func readScalar(_ type: PrimitiveType) throws -> ROOTValue {
        switch type {
        case .bool: .bool(try cursor.readBool())
        case .int8: .integer(Int64(try cursor.readI8()))
        case .uint8: .unsigned(UInt64(try cursor.readU8()))
        case .int16: .integer(Int64(try cursor.readI16()))
        case .uint16: .unsigned(UInt64(try cursor.readU16()))
        case .int32: .integer(Int64(try cursor.readI32()))
        case .uint32: .unsigned(UInt64(try cursor.readU32()))
        case .int64: .integer(try cursor.readI64())
        case .uint64: .unsigned(try cursor.readU64())
        case .float32: .real(Double(try cursor.readF32()))
        case .float64: .real(try cursor.readF64())
        }
    }

    mutating func readBasicArray(type: Int, count: Int, element: StreamerElement?) throws -> ROOTValue {
        if type == StreamerType.double32 || type == StreamerType.float16 {
            let packed = PackedFloat(title: element?.title ?? "", isFloat16: type == StreamerType.float16)
            guard count >= 0, count <= cursor.remaining / packed.storedSize else {
                throw KaonError(.truncated, "array of \(count) values runs past the buffer")
            }
            var values: [Double] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try packed.read(&cursor)) }
            return .reals(values)
        }
        guard let primitive = PrimitiveType(streamerType: type) else {
            throw KaonError(.unsupported, "unsupported array element streamer type \(type)")
        }
        return try readArray(primitive, count: count)
    }

    /// Reads `count` values of a fixed-width type into an integer or real array.
    mutating func readArray(_ type: PrimitiveType, count: Int) throws -> ROOTValue {
        guard count >= 0, count <= cursor.remaining / type.size else {
            throw KaonError(.truncated, "array of \(count) \(type.rawValue) values runs past the buffer")
        }
        if type.isFloatingPoint {
            var values: [Double] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readScalar(type).doubleValue!) }
            return .reals(values)
        }
        var values: [Int64] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            switch try readScalar(type) {
            case .integer(let v): values.append(v)
            case .unsigned(let v): values.append(Int64(bitPattern: v))
            case .bool(let v): values.append(v ? 1 : 0)
            default: break
            }
        }
        return .integers(values)
    }

    /// An STL container member streamed object-wise (`vector<T>`, `vector<vector<T>>`,
    /// `vector<string>`); other containers are skipped by their byte count.
    mutating func readSTLMember(_ element: StreamerElement) throws -> ROOTValue {
        let header = try readHeader()
        defer { _ = try? finish(header) }
        guard header.version & 0x4000 == 0 else { return .null }  // member-wise: not interpreted
        guard case .vector(let inner) = CppType(parsing: element.typeName) else { return .null }
        return (try? readVectorBody(inner)) ?? .null
    }

    mutating func readVectorBody(_ inner: CppType) throws -> ROOTValue {
        let count = try cursor.readCount(what: "vector length")
        switch inner {
        case .primitive(let primitive):
            return try readArray(primitive, count: count)
        case .double32:
            return try readBasicArray(type: StreamerType.double32, count: count, element: nil)
        case .float16:
            return try readBasicArray(type: StreamerType.float16, count: count, element: nil)
        case .string, .tString:
            var values: [ROOTValue] = []
            for _ in 0..<count { values.append(.string(try cursor.readTString())) }
            return .list(values)
        case .vector(let element):
            var values: [ROOTValue] = []
            for _ in 0..<count { values.append(try readVectorBody(element)) }
            return .list(values)
        case .object(let name):
            var values: [ROOTValue] = []
            for _ in 0..<count { values.append(.object(try readObject(className: name))) }
            return .list(values)
        case .map:
            throw KaonError(.unsupported, "map members of objects are not supported")
        }
    }
}
