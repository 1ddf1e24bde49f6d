// Test data and fuzz mutations are documented by a SplitMix64 seed; the generator itself
// lives in KaonPhysics (toy data uses it too), re-exported here for the test targets.
@_exported import struct KaonPhysics.SplitMix64
