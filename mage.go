//go:build ignore

// mage.go lets a fresh clone run the Magefile with only Go installed: `go run mage.go -v [target]`.
package main

import (
	"os"

	"github.com/magefile/mage/mage"
)

func main() { os.Exit(mage.Main()) }
