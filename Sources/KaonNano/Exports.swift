// The object view hands out Lorentz vectors (`muon.p4`) and jagged columns; importing
// KaonNano alone should be enough to add them up, so their modules are re-exported.
@_exported import KaonColumns
@_exported import KaonPhysics
