package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// checkReceipt verifies a Tally receipt, a C2SP tlog-proof whose extra line is the entry's canonical
// encoding: the leaf is RecordHash(SHA-256(extra)), its seq (bytes 1-8) is index + 1, the inclusion proof
// leads to the root of the checkpoint, which note.Open verifies with the log key and every cosigner given.
func checkReceipt(path, logKey string, cosigners []string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := string(b)
	sep := strings.Index(text, "\n\n")
	if sep < 0 {
		return errors.New("no empty line before the checkpoint")
	}
	head := strings.Split(text[:sep], "\n")
	if len(head) < 3 || head[0] != "c2sp.org/tlog-proof@v1" || !strings.HasPrefix(head[1], "extra ") ||
		!strings.HasPrefix(head[2], "index ") {
		return errors.New("not a tlog-proof with an extra line")
	}
	extra, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(head[1], "extra "))
	if err != nil || len(extra) < 9 || extra[0] != 1 {
		return errors.New("extra is not a canonical entry encoding")
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(head[2], "index "), 10, 64)
	if err != nil {
		return err
	}
	if seq := int64(binary.BigEndian.Uint64(extra[1:9])); seq != index+1 {
		return fmt.Errorf("entry seq %d is not index %d + 1", seq, index)
	}
	proof, err := decodeHashes(head[3:])
	if err != nil {
		return err
	}
	_, tree, err := openCheckpoint([]byte(text[sep+2:]), logKey, cosigners)
	if err != nil {
		return err
	}
	currentHash := sha256.Sum256(extra)
	if err := tlog.CheckRecord(tlog.RecordProof(proof), tree.N, tree.Hash, index, tlog.RecordHash(currentHash[:])); err != nil {
		return fmt.Errorf("CheckRecord: %v", err)
	}
	return nil
}
