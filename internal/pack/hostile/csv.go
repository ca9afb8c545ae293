package hostile

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
)

// csvCase is a spreadsheet for kiosk pack build (which is given -o too).
func csvCase(name string, exit int, want, avoid string, data func() []byte) Case {
	c := Case{Name: name, Command: Build, Args: []string{"--from", "$D/" + name + ".csv"}, Exit: exit, Want: want, Avoid: avoid}
	c.write = file(name+".csv", data)
	return c
}

// sheet is a header and rows, one per line.
func sheet(header string, rows ...string) []byte {
	return []byte(header + "\n" + strings.Join(rows, "\n") + "\n")
}

// csvRows is n valid rows of the kiosk's columns name,status,country.
func csvRows(n int) []string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = fmt.Sprintf("Person %d,in_custody,BY", i)
	}
	return rows
}

// wide is a header of n columns: name, status, country and unknown ones.
func wide(n int) string {
	cols := []string{"name", "status", "country"}
	for i := 3; i < n; i++ {
		cols = append(cols, fmt.Sprintf("x%d", i))
	}
	return strings.Join(cols, ",")
}

// longRow is a row of person 0 with 37 more cells, n bytes long in all.
func longRow(n int) string {
	start := "Person 0,in_custody,BY"
	const cells = 37
	fill := n - len(start) - cells // the commas
	row := []string{start}
	for i := range cells {
		size := fill / cells
		if i < fill%cells {
			size++
		}
		row = append(row, strings.Repeat("a", size))
	}
	return strings.Join(row, ",")
}

func csvCases() []Case {
	const head = "name,status,country"
	return []Case{
		csvCase("csv-valid", 0, "", "", func() []byte { return sheet(head, csvRows(3)...) }),
		csvCase("csv-over-size-limit", 1, "larger than 64 MiB", "", func() []byte {
			return append(sheet(head, csvRows(1)...), bytes.Repeat([]byte("\n"), packbuild.MaxCSVBytes)...)
		}),
		csvCase("csv-row-at-limit", 0, "", "longer than", func() []byte {
			return sheet(wide(40), longRow(packbuild.MaxRowBytes))
		}),
		csvCase("csv-row-over-limit", 1, fmt.Sprintf("row 2: the row is longer than %d bytes", packbuild.MaxRowBytes), "", func() []byte {
			return sheet(wide(40), longRow(packbuild.MaxRowBytes+1))
		}),
		csvCase("csv-quote-never-closed", 1, fmt.Sprintf("row 3: the row is longer than %d bytes, the limit (a quote that is never closed?)", packbuild.MaxRowBytes), "", func() []byte {
			return sheet(head, "Person 0,in_custody,BY", `"Person 1,in_custody,BY`, strings.Repeat("more text,\n", 300_000))
		}),
		csvCase("csv-one-huge-line", 1, "row 1: the row is longer than", "", func() []byte {
			return []byte(strings.Repeat("name,", 12_000_000))
		}),
		csvCase("csv-cell-at-limit", 0, "is 32768 characters long", "no cell may be longer", func() []byte {
			return sheet(head+",bio", "Person 0,in_custody,BY,", "Person 1,in_custody,BY,"+strings.Repeat("a", packbuild.MaxCellBytes))
		}),
		csvCase("csv-cell-over-limit", 0, fmt.Sprintf(`row 3, column "bio": is %d bytes long; no cell may be longer than %d`, packbuild.MaxCellBytes+1, packbuild.MaxCellBytes), "", func() []byte {
			return sheet(head+",bio", "Person 0,in_custody,BY,", "Person 1,in_custody,BY,"+strings.Repeat("a", packbuild.MaxCellBytes+1))
		}),
		csvCase("csv-header-cell-over-limit", 1, fmt.Sprintf(`row 1, column "#4": is %d bytes long`, packbuild.MaxCellBytes+1), "", func() []byte {
			return sheet(head+","+strings.Repeat("h", packbuild.MaxCellBytes+1), "Person 0,in_custody,BY,")
		}),
		csvCase("csv-columns-at-limit", 0, "unknown column, ignored", "columns; the limit", func() []byte {
			return sheet(wide(packbuild.MaxColumns), "Person 0,in_custody,BY"+strings.Repeat(",", packbuild.MaxColumns-3))
		}),
		csvCase("csv-columns-over-limit", 1, fmt.Sprintf("the header has %d columns; the limit is %d", packbuild.MaxColumns+1, packbuild.MaxColumns), "", func() []byte {
			return sheet(wide(packbuild.MaxColumns+1), "Person 0,in_custody,BY"+strings.Repeat(",", packbuild.MaxColumns-2))
		}),
		csvCase("csv-rows-at-limit", 0, fmt.Sprintf("… and %d more problems", packbuild.MaxRows/2-packbuild.MaxProblems), "more than", func() []byte {
			return sheet(head, csvRows(packbuild.MaxRows)...)
		}),
		csvCase("csv-rows-over-limit", 1, fmt.Sprintf("row %d: more than %d rows", packbuild.MaxRows+2, packbuild.MaxRows), "", func() []byte {
			return sheet(head, csvRows(packbuild.MaxRows+1)...)
		}),
		csvCase("csv-blank-rows", 1, fmt.Sprintf("more than %d rows", packbuild.MaxRows), "", func() []byte {
			return []byte(head + "\n" + strings.Repeat(",,\n", 5_000_000))
		}),
		csvCase("csv-empty-lines", 1, "the file is empty", "", func() []byte { return bytes.Repeat([]byte("\r\n"), 25_000_000) }),
		csvCase("csv-many-problems", 1, fmt.Sprintf("… and %d more problems", packbuild.MaxRows-packbuild.MaxProblems), "", func() []byte {
			rows := csvRows(packbuild.MaxRows)
			for i := range rows {
				rows[i] = strings.Replace(rows[i], "in_custody", "jailed", 1)
			}
			return sheet(head, rows...)
		}),
		csvCase("csv-invalid-utf8-header", 1, `is not valid UTF-8 text; save the spreadsheet as "CSV UTF-8"`, "", func() []byte {
			return sheet("name,st\xffatus,country", csvRows(1)...)
		}),
		csvCase("csv-nul", 0, "contains the control character U+0000", "", func() []byte {
			return sheet(head, "Person 0,in_custody,BY", "Per\x00son 1,in_custody,BY")
		}),
		csvCase("csv-binary", 1, "", "", func() []byte {
			b := make([]byte, 8192)
			for i := range b {
				b[i] = byte(i*29 + 11)
			}
			return b
		}),
	}
}
