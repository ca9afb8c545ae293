package sign

import "testing"

// TestKeyIDsInFull: a key ID is 16 hex digits as minisign prints it; a
// leading zero is not dropped (BD1BFCF93E644E9 was one digit short).
func TestKeyIDsInFull(t *testing.T) {
	for id, want := range map[uint64]string{
		0x0BD1BFCF93E644E9: "0BD1BFCF93E644E9",
		0x896429623E055416: "896429623E055416",
		0xF:                "000000000000000F",
	} {
		if got := formatID(id); got != want {
			t.Errorf("formatID(%#x) = %s, want %s", id, got, want)
		}
	}
}
