//go:build !unix

package atomicfile

// openNonblock: other systems have no FIFOs that open(2) waits on.
const openNonblock = 0
