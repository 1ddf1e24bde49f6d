// Test data and fuzz mutations are documented by a SplitMix64 seed; the generator itself
// lives in KaonIO (toy data and toy fits use it too), re-exported here for the test targets.
@_exported import struct KaonIO.SplitMix64
