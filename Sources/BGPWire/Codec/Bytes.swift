// Big-endian reads and writes on byte buffers. Reads take absolute indices that the caller has bounds-checked.

extension ArraySlice where Element == UInt8 {
    @inline(__always) func u16(at i: Int) -> UInt16 { UInt16(self[i]) << 8 | UInt16(self[i + 1]) }
    @inline(__always) func u32(at i: Int) -> UInt32 {
        UInt32(self[i]) << 24 | UInt32(self[i + 1]) << 16 | UInt32(self[i + 2]) << 8 | UInt32(self[i + 3])
    }
    @inline(__always) func u64(at i: Int) -> UInt64 { UInt64(u32(at: i)) << 32 | UInt64(u32(at: i + 4)) }
}

extension Array where Element == UInt8 {
    @inline(__always) mutating func appendU16(_ v: UInt16) { append(UInt8(v >> 8)); append(UInt8(v & 0xff)) }
    @inline(__always) mutating func appendU32(_ v: UInt32) {
        append(UInt8(v >> 24)); append(UInt8(v >> 16 & 0xff)); append(UInt8(v >> 8 & 0xff)); append(UInt8(v & 0xff))
    }
    @inline(__always) mutating func appendU64(_ v: UInt64) { appendU32(UInt32(v >> 32)); appendU32(UInt32(v & 0xffff_ffff)) }
    /// Overwrites two bytes at `i` (a length field written before its value was known).
    @inline(__always) mutating func setU16(_ v: UInt16, at i: Int) { self[i] = UInt8(v >> 8); self[i + 1] = UInt8(v & 0xff) }
    mutating func append(_ address: IPAddress) {
        switch address {
        case .v4(let a): appendU32(a.value)
        case .v6(let a): appendU64(a.high); appendU64(a.low)
        }
    }
}
