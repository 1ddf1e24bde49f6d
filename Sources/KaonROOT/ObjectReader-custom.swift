import KaonIO

// Classes whose ROOT streamers are hand-written (not described by a StreamerInfo), or that
// must be read before any StreamerInfo is known.
extension ObjectReader {
    mutating func readCustom(className: String) throws -> ROOTObject? {
        switch className {
        case "TObject":
            let object = ROOTObject(className: "TObject", version: 1)
            try readTObject(into: object)
            return object
        case "TNamed":
            return try readNamed()
        case "TList", "THashList":
            return try readList(className: className)
        case "TObjArray", "TRefArray":
            return try readObjArray(className: className)
        case "TArrayC", "TArrayS", "TArrayI", "TArrayL", "TArrayL64", "TArrayF", "TArrayD":
            return try readTArray(className: className)
        case "TObjString":
            let header = try readHeader()
            let object = ROOTObject(className: className, version: header.version)
            try readTObject(into: object)
            object.set("fString", .string(try cursor.readTString()))
            try finish(header)
            return object
        case "TStreamerInfo":
            return try readStreamerInfo()
        case "TString":
            let object = ROOTObject(className: className)
            object.set("fString", .string(try cursor.readTString()))
            return object
        case "TBasket":
            return try readEmbeddedBasket()
        default:
            if className.hasPrefix("TStreamer") { return try readStreamerElement(className: className) }
            return nil
        }
    }

    /// TObject: version (possibly behind a byte count), fUniqueID, fBits, and a process id
    /// when the object is referenced.
    mutating func readTObject(into object: ROOTObject) throws {
        let version = try cursor.readI16()
        if UInt16(bitPattern: version) & 0x4000 != 0 {
            _ = try cursor.readI16()
            _ = try cursor.readI16()
        }
        let uniqueID = try cursor.readU32()
        let bits = try cursor.readU32()
        object.set("fUniqueID", .unsigned(UInt64(uniqueID)))
        object.set("fBits", .unsigned(UInt64(bits)))
        if bits & (1 << 4) != 0 { _ = try cursor.readU16() }
        if !object.bases.contains("TObject") && object.className != "TObject" { object.bases.append("TObject") }
    }

    mutating func readNamed() throws -> ROOTObject {
        let header = try readHeader()
        let object = ROOTObject(className: "TNamed", version: header.version)
        try readTObject(into: object)
        object.set("fName", .string(try cursor.readTString()))
        object.set("fTitle", .string(try cursor.readTString()))
        try finish(header)
        return object
    }

    mutating func readList(className: String) throws -> ROOTObject {
        let header = try readHeader()
        let object = ROOTObject(className: className, version: header.version)
        if header.version > 3 {
            try readTObject(into: object)
            object.set("fName", .string(try cursor.readTString()))
        }
        let count = try cursor.readCount(limit: cursor.remaining / 4, what: "list length")
        var items: [ROOTValue] = []
        var options: [ROOTValue] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            items.append(try readObjectAny())
            let length = Int(try cursor.readU8())
            options.append(.string(String(decoding: try cursor.readBytes(length), as: UTF8.self)))
        }
        object.set("items", .list(items))
        object.set("options", .list(options))
        try finish(header)
        return object
    }

    mutating func readObjArray(className: String) throws -> ROOTObject {
        let header = try readHeader()
        let object = ROOTObject(className: className, version: header.version)
        if header.version > 2 { try readTObject(into: object) }
        if header.version > 1 { object.set("fName", .string(try cursor.readTString())) }
        let count = try cursor.readCount(limit: cursor.remaining / 4, what: "array length")
        object.set("fLowerBound", .integer(Int64(try cursor.readI32())))
        var items: [ROOTValue] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try readObjectAny()) }
        object.set("items", .list(items))
        try finish(header)
        return object
    }

    /// TArray*: a count and the values, with no version header.
    mutating func readTArray(className: String) throws -> ROOTObject {
        let object = ROOTObject(className: className)
        let type: PrimitiveType = switch className {
        case "TArrayC": .int8
        case "TArrayS": .int16
        case "TArrayI": .int32
        case "TArrayL", "TArrayL64": .int64
        case "TArrayF": .float32
        default: .float64
        }
        let count = try cursor.readCount(limit: cursor.remaining / type.size, what: "\(className) length")
        object.set("fArray", try readArray(type, count: count))
        return object
    }

    mutating func readStreamerInfo() throws -> ROOTObject {
        let header = try readHeader()
        let object = ROOTObject(className: "TStreamerInfo", version: header.version)
        let named = try readNamed()
        merge(named, into: object)
        object.set("fCheckSum", .unsigned(UInt64(try cursor.readU32())))
        object.set("fClassVersion", .integer(Int64(try cursor.readI32())))
        let elements = try readObjectAny()
        object.set("fElements", .list(elements.listValue ?? []))
        try finish(header)
        return object
    }

    /// TStreamerElement and its subclasses; each subclass wraps its parent in its own header.
    mutating func readStreamerElement(className: String) throws -> ROOTObject {
        let header = try readHeader()
        let object: ROOTObject
        switch className {
        case "TStreamerElement":
            object = ROOTObject(className: className, version: header.version)
            try readStreamerElementFields(into: object, version: header.version)
        case "TStreamerSTLstring":
            object = try readStreamerElement(className: "TStreamerSTL")
        default:
            object = try readStreamerElement(className: "TStreamerElement")
        }
        let result = ROOTObject(className: className, version: header.version)
        merge(object, into: result)
        switch className {
        case "TStreamerBase":
            if header.version >= 2 { result.set("fBaseVersion", .integer(Int64(try cursor.readI32()))) }
        case "TStreamerBasicPointer", "TStreamerLoop":
            result.set("fCountVersion", .integer(Int64(try cursor.readI32())))
            result.set("fCountName", .string(try cursor.readTString()))
            result.set("fCountClass", .string(try cursor.readTString()))
        case "TStreamerSTL":
            result.set("fSTLtype", .integer(Int64(try cursor.readI32())))
            result.set("fCtype", .integer(Int64(try cursor.readI32())))
        default:
            break
        }
        try finish(header)
        return result
    }

    mutating func readStreamerElementFields(into object: ROOTObject, version: Int) throws {
        merge(try readNamed(), into: object)
        var type = Int(try cursor.readI32())
        object.set("fSize", .integer(Int64(try cursor.readI32())))
        object.set("fArrayLength", .integer(Int64(try cursor.readI32())))
        object.set("fArrayDim", .integer(Int64(try cursor.readI32())))
        if version == 1 {
            let n = try cursor.readCount(limit: cursor.remaining / 4, what: "fMaxIndex length")
            object.set("fMaxIndex", try readArray(.int32, count: n))
        } else {
            object.set("fMaxIndex", try readArray(.int32, count: 5))
        }
        let typeName = try cursor.readTString()
        if type == StreamerType.uchar && (typeName == "Bool_t" || typeName == "bool") { type = StreamerType.bool }
        object.set("fType", .integer(Int64(type)))
        object.set("fTypeName", .string(typeName))
    }

    /// A TBasket stored inside its TBranch (written by a process that did not close the file).
    mutating func readEmbeddedBasket() throws -> ROOTObject {
        let object = ROOTObject(className: "TBasket")
        let start = cursor.position
        var keyCursor = cursor
        let key = try Key(from: &keyCursor)
        cursor = keyCursor
        object.set("fNbytes", .integer(Int64(key.totalBytes)))
        object.set("fObjlen", .integer(Int64(key.objectLength)))
        object.set("fKeylen", .integer(Int64(key.keyLength)))
        let version = Int(try cursor.readI16())
        object.version = version
        object.set("fBufferSize", .integer(Int64(try cursor.readI32())))
        var nevBufSize = Int(try cursor.readI32())
        if nevBufSize < 0 {
            nevBufSize = -nevBufSize
            _ = try cursor.readU8()  // I/O feature bits
        }
        let nevBuf = Int(try cursor.readI32())
        let last = Int(try cursor.readI32())
        var flag = Int(try cursor.readI8())
        object.set("fNevBufSize", .integer(Int64(nevBufSize)))
        object.set("fNevBuf", .integer(Int64(nevBuf)))
        object.set("fLast", .integer(Int64(last)))
        if flag >= 80 { flag -= 80 }
        if flag != 0 && flag % 10 != 2 && nevBuf > 0 {
            let n = try cursor.readCount(limit: cursor.remaining / 4, what: "basket entry offsets")
            object.set("fEntryOffset", try readArray(.int32, count: n))
            if flag > 20 && flag < 40 {
                let m = try cursor.readCount(limit: cursor.remaining / 4, what: "basket displacements")
                _ = try readArray(.int32, count: m)
            }
        }
        if flag == 1 || flag > 10 {
            guard last >= 0 else { throw KaonError(.malformed, "embedded basket with negative length \(last) at offset \(start)") }
            let data = version > 1 ? try cursor.readBytes(last) : try cursor.readBytes(try cursor.readCount(what: "basket length"))
            object.set("data", .integers(data.map { Int64($0) }))
        }
        return object
    }

    func merge(_ base: ROOTObject, into object: ROOTObject) {
        for name in base.memberOrder { object.set(name, base.members[name]!) }
        for baseName in [base.className] + base.bases where !object.bases.contains(baseName) && baseName != object.className {
            object.bases.append(baseName)
        }
    }
}
