// Command tallycheck verifies what Tally publishes with the Go project's own transparency-log code
// (golang.org/x/mod/sumdb/tlog and sumdb/note), which no one on Tally wrote. A JUnit test runs it.
//
//	tallycheck tiles DIR LOG_VKEY          the tlog-tiles tree under DIR against DIR/checkpoint
//	tallycheck proof FILE LOG_VKEY         a Tally proof document (inclusion or consistency)
//	tallycheck note FILE LOG_VKEY [COSIGNER_VKEY...]   a checkpoint and its cosignatures
//	tallycheck receipt FILE LOG_VKEY [COSIGNER_VKEY...] a Tally receipt (tlog-proof)
//
// Exit 0 and "ok ..." when everything verifies; exit 1 and the reason otherwise.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	if len(os.Args) < 4 {
		fail(errors.New("usage: tallycheck tiles|proof|note|receipt PATH LOG_VKEY [COSIGNER_VKEY...]"))
	}
	logKey := readKey(os.Args[3])
	var cosigners []string
	for _, f := range os.Args[4:] {
		cosigners = append(cosigners, readKey(f))
	}
	var err error
	switch os.Args[1] {
	case "tiles":
		err = checkTiles(os.Args[2], logKey)
	case "proof":
		err = checkProofFile(os.Args[2], logKey)
	case "note":
		var data []byte
		if data, err = os.ReadFile(os.Args[2]); err == nil {
			_, _, err = openCheckpoint(data, logKey, cosigners)
		}
	case "receipt":
		err = checkReceipt(os.Args[2], logKey, cosigners)
	default:
		err = errors.New("unknown command " + os.Args[1])
	}
	if err != nil {
		fail(err)
	}
	fmt.Println("ok", os.Args[1])
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tallycheck:", err)
	os.Exit(1)
}

func readKey(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	return strings.TrimSpace(string(b))
}

// openCheckpoint opens a signed checkpoint with note.Open, requiring the log's signature and one
// cosignature from every cosigner given, and parses the C2SP tlog-checkpoint body.
func openCheckpoint(data []byte, logKey string, cosigners []string) (string, tlog.Tree, error) {
	logVerifier, err := note.NewVerifier(logKey)
	if err != nil {
		return "", tlog.Tree{}, err
	}
	verifiers := []note.Verifier{logVerifier}
	for _, k := range cosigners {
		v, err := newCosignatureVerifier(k)
		if err != nil {
			return "", tlog.Tree{}, err
		}
		verifiers = append(verifiers, v)
	}
	n, err := note.Open(data, note.VerifierList(verifiers...))
	if err != nil {
		return "", tlog.Tree{}, fmt.Errorf("note.Open: %v", err)
	}
	signed := map[string]bool{}
	for _, s := range n.Sigs {
		signed[s.Name] = true
	}
	for _, v := range verifiers {
		if !signed[v.Name()] {
			return "", tlog.Tree{}, fmt.Errorf("no verified signature by %s", v.Name())
		}
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return "", tlog.Tree{}, errors.New("not a checkpoint body")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return "", tlog.Tree{}, errors.New("bad checkpoint size " + lines[1])
	}
	root, err := decodeHash(lines[2])
	if err != nil {
		return "", tlog.Tree{}, err
	}
	if lines[0] != logVerifier.Name() {
		return "", tlog.Tree{}, fmt.Errorf("origin %q is not the log key's name %q", lines[0], logVerifier.Name())
	}
	return n.Text, tlog.Tree{N: size, Hash: root}, nil
}

// cosignatureVerifier checks C2SP tlog-cosignature cosignature/v1 (Ed25519, key type 0x04) signatures for
// note.Open: the signature is an 8-byte big-endian timestamp and the Ed25519 signature of
// "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint body.
type cosignatureVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func newCosignatureVerifier(vkey string) (note.Verifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, errors.New("malformed cosigner key " + vkey)
	}
	hash, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 0x04 {
		return nil, errors.New("not an Ed25519 cosigner key (type 0x04): " + vkey)
	}
	id := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	if binary.BigEndian.Uint32(id[:4]) != uint32(hash) {
		return nil, errors.New("cosigner key id does not match: " + vkey)
	}
	return &cosignatureVerifier{parts[0], uint32(hash), ed25519.PublicKey(raw[1:])}, nil
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.hash }
func (v *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	if t == 0 || t > 1<<63-1 {
		return false
	}
	signed := []byte("cosignature/v1\ntime " + strconv.FormatUint(t, 10) + "\n")
	return ed25519.Verify(v.key, append(signed, msg...), sig[8:])
}

// dirTiles reads C2SP tlog-tiles files. Go's sumdb paths carry the tile height ("tile/8/0/000"); C2SP's
// do not ("tile/0/000"), and C2SP calls the data tiles "entries".
type dirTiles struct{ dir string }

func c2spPath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/8/")
	if strings.HasPrefix(p, "data/") {
		p = "entries/" + strings.TrimPrefix(p, "data/")
	}
	return filepath.Join("tile", p)
}

func (d dirTiles) Height() int { return 8 }
func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, err := os.ReadFile(filepath.Join(d.dir, c2spPath(t)))
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}
func (d dirTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func checkTiles(dir, logKey string) error {
	cp, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return err
	}
	_, tree, err := openCheckpoint(cp, logKey, nil)
	if err != nil {
		return err
	}
	reader := dirTiles{dir}
	hashes := tlog.TileHashReader(tree, reader)
	// Every leaf hash, through tiles that TileHashReader authenticates against the checkpoint's root.
	indexes := make([]int64, tree.N)
	for i := range indexes {
		indexes[i] = tlog.StoredHashIndex(0, int64(i))
	}
	leaves, err := hashes.ReadHashes(indexes)
	if err != nil {
		return fmt.Errorf("TileHashReader: %v", err)
	}
	root, err := tlog.TreeHash(tree.N, hashes)
	if err != nil || root != tree.Hash {
		return fmt.Errorf("TreeHash of the tiles is not the checkpoint's root (%v)", err)
	}
	// Each entry bundle's records hash (RFC 6962 leaf) to the level-0 tile's hashes; each canonical
	// encoding hashes (SHA-256) to its entry.
	for start := int64(0); start < tree.N; start += 256 {
		w := tree.N - start
		if w > 256 {
			w = 256
		}
		t := tlog.Tile{H: 8, L: -1, N: start / 256, W: int(w)}
		entries, err := readBundle(dir, c2spPath(t), int(w))
		if err != nil {
			return err
		}
		canonical, err := readBundle(dir, strings.Replace(c2spPath(t), "entries", "tally-entries", 1), int(w))
		if err != nil {
			return err
		}
		for i := range entries {
			if tlog.RecordHash(entries[i]) != leaves[start+int64(i)] {
				return fmt.Errorf("entry %d does not hash to its leaf", start+int64(i))
			}
			if sum := sha256.Sum256(canonical[i]); !bytes.Equal(sum[:], entries[i]) {
				return fmt.Errorf("canonical entry %d does not hash to its entry", start+int64(i))
			}
		}
	}
	// Go's own proofs over Tally's tiles.
	for _, n := range []int64{0, tree.N / 2, tree.N - 1} {
		p, err := tlog.ProveRecord(tree.N, n, hashes)
		if err != nil {
			return err
		}
		if err := tlog.CheckRecord(p, tree.N, tree.Hash, n, leaves[n]); err != nil {
			return fmt.Errorf("CheckRecord %d: %v", n, err)
		}
	}
	return nil
}

func readBundle(dir, path string, want int) ([][]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, path))
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, errors.New(path + ": truncated length")
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+n {
			return nil, errors.New(path + ": truncated entry")
		}
		out = append(out, b[2:2+n])
		b = b[2+n:]
	}
	if len(out) != want {
		return nil, fmt.Errorf("%s: %d entries, want %d", path, len(out), want)
	}
	return out, nil
}

type proofDoc struct {
	LeafIdx    *int64   `json:"leafIdx"`
	TreeSize   int64    `json:"treeSize"`
	Root       string   `json:"root"`
	LeafHash   string   `json:"leafHash"`
	Size1      int64    `json:"size1"`
	Size2      int64    `json:"size2"`
	Root1      string   `json:"root1"`
	Root2      string   `json:"root2"`
	Proof      []string `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

func checkProofFile(path, logKey string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var d proofDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	proof, err := decodeHashes(d.Proof)
	if err != nil {
		return err
	}
	if d.LeafIdx != nil {
		root, err1 := decodeHash(d.Root)
		leaf, err2 := decodeHash(d.LeafHash)
		if err := firstError(err1, err2); err != nil {
			return err
		}
		if err := tlog.CheckRecord(tlog.RecordProof(proof), d.TreeSize, root, *d.LeafIdx, leaf); err != nil {
			return fmt.Errorf("CheckRecord: %v", err)
		}
		return checkpointStates(d.Checkpoint, logKey, d.TreeSize, root)
	}
	root1, err1 := decodeHash(d.Root1)
	root2, err2 := decodeHash(d.Root2)
	if err := firstError(err1, err2); err != nil {
		return err
	}
	if err := tlog.CheckTree(tlog.TreeProof(proof), d.Size2, root2, d.Size1, root1); err != nil {
		return fmt.Errorf("CheckTree: %v", err)
	}
	return checkpointStates(d.Checkpoint, logKey, d.Size2, root2)
}

func checkpointStates(cp, logKey string, size int64, root tlog.Hash) error {
	if cp == "" {
		return errors.New("the proof carries no checkpoint")
	}
	_, tree, err := openCheckpoint([]byte(cp), logKey, nil)
	if err != nil {
		return err
	}
	if tree.N != size || tree.Hash != root {
		return errors.New("the checkpoint does not state the proof's size and root")
	}
	return nil
}

func decodeHashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		h, err := decodeHash(s)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

func decodeHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, errors.New("not a base64 hash: " + s)
	}
	copy(h[:], b)
	return h, nil
}

func firstError(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
