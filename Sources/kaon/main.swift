#if canImport(Glibc)
import CKaonSystem
#endif
import KaonCLI

#if canImport(Glibc)
kaon_tune_malloc()
#endif

KaonCommand.main()
