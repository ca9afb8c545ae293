//go:build !unix

package regfile

// openNonblock: other systems have no FIFOs that open(2) waits on.
const openNonblock = 0
