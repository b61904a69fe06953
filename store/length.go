package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt maps the whole database into memory and trusts its meta pages
// about how long it is: a file cut short (a copy that stopped half way, a
// disk that filled while it grew) makes it read past the end of the file,
// which crashes the process with SIGBUS, beyond any recover. checkLength
// reads the meta pages first, as bbolt will, and refuses such a file.

const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16 // id, flags, count, overflow
	metaSize       = 64 // up to and including the checksum
	checksumAt     = 56 // the checksum covers the meta before it
)

type boltMeta struct {
	pageSize uint32
	pgid     uint64 // the high-water mark: pages in use
	txid     uint64
}

// readMeta reads and validates the meta page at off.
func readMeta(f io.ReaderAt, off int64) (boltMeta, bool) {
	var b [pageHeaderSize + metaSize]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		return boltMeta{}, false
	}
	m := b[pageHeaderSize:]
	le := binary.NativeEndian // bbolt writes its meta in the machine's order
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:checksumAt])
	if h.Sum64() != le.Uint64(m[checksumAt:]) {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: le.Uint32(m[8:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

// checkLength returns ErrCorrupt when the file at path is shorter than
// the meta page bbolt would use says it is. A file that is missing, empty
// or has no valid meta page is left for bbolt to judge.
func checkLength(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	var metas []boltMeta
	m0, ok := readMeta(f, 0)
	sizes := []int64{4096, 8192, 16384, 32768, 65536, int64(os.Getpagesize())}
	if ok {
		metas = append(metas, m0)
		sizes = []int64{int64(m0.pageSize)}
	}
	for _, ps := range sizes {
		if m1, ok := readMeta(f, ps); ok {
			metas = append(metas, m1)
			break
		}
	}
	var use *boltMeta
	for i := range metas {
		if use == nil || metas[i].txid > use.txid {
			use = &metas[i]
		}
	}
	if use == nil {
		return nil
	}
	if need := int64(use.pgid) * int64(use.pageSize); need > fi.Size() || use.pageSize == 0 {
		return fmt.Errorf("%w: the file is %d bytes long but its own index says %d: it was cut short", ErrCorrupt, fi.Size(), need)
	}
	return nil
}
