#if canImport(Glibc)
import CKaonSystem
#endif
import KaonCLI

#if canImport(Glibc)
// Baskets are decompressed into buffers of a few hundred kB to a few MB, allocated and freed
// thousands of times per file. By default glibc serves such sizes with fresh mmap'ed pages
// and returns them on free, so every basket pays page faults and page clearing (over half
// the run time in a profile). Keeping freed memory in the heap makes buffers reusable.
mallopt(M_MMAP_THRESHOLD, 512 << 20)
mallopt(M_TRIM_THRESHOLD, 1 << 30)
#endif

KaonCommand.main()
