/**
 * Tally's dependency-free verifiable-log toolkit, for servers and for independent auditors.
 *
 * <ul>
 *   <li>{@link dev.tally.verify.Hashes}: RFC 9162 §2.1.1 leaf and node hashing.</li>
 *   <li>{@link dev.tally.verify.StoredHashes} and {@link dev.tally.verify.HashReader}: the append-only
 *       stored-hash layout of Go's {@code golang.org/x/mod/sumdb/tlog}.</li>
 *   <li>{@link dev.tally.verify.Proofs}: inclusion and consistency proofs, built in O(log n) reads and
 *       verified per RFC 9162 §2.1.3.2 / §2.1.4.2; {@link dev.tally.verify.MerkleTree} is the recursive
 *       reference model.</li>
 *   <li>{@link dev.tally.verify.Checkpoint}, {@link dev.tally.verify.SignedNote},
 *       {@link dev.tally.verify.NoteSigner}, {@link dev.tally.verify.NoteVerifier}: C2SP tlog-checkpoint and
 *       signed-note with Ed25519, key texts compatible with Go's {@code sumdb/note}.</li>
 *   <li>{@link dev.tally.verify.ProofJson} and {@link dev.tally.verify.ProofCheck}: proof documents and
 *       their command-line checker.</li>
 * </ul>
 *
 * Bad input raises {@link dev.tally.verify.ProofException}; yes/no verification returns false; an
 * {@link java.lang.AssertionError} "bad math" means a bug in this package.
 */
@NullMarked
package dev.tally.verify;

import org.jspecify.annotations.NullMarked;
